"""Links in templates: Flask's `url_for`, with a link that has no values made once."""

from flask.globals import _cv_request


def init_app(app):
    """Give the templates a `url_for` that keeps the links without values (after Flask has made
    its Jinja environment)."""
    build = app.url_for
    made = {}  # (endpoint, script root) → URL; a dict item set is atomic, so threads may share it

    def url_for(endpoint, **values):
        """Flask's `url_for`. Werkzeug builds each link anew (about 20 µs); a page's chrome and
        tiles link 4-10 endpoints without values, whose URL depends only on the endpoint and
        the script root (no host or subdomain rules here), so those are made once."""
        request_ctx = _cv_request.get(None)
        if values or endpoint[:1] == "." or request_ctx is None:
            return build(endpoint, **values)
        key = (endpoint, request_ctx.request.script_root)
        url = made.get(key)
        if url is None:
            url = made[key] = build(endpoint)
        return url

    app.jinja_env.globals["url_for"] = url_for
