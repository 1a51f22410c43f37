"""Links in templates: Flask's `url_for`, each link made once and kept (a bounded number)."""

from flask.globals import _cv_request

KEPT = 4096  # links kept per app; past that the memo starts again (a page lists at most ~60)


def init_app(app):
    """Give the templates a `url_for` that keeps the links it made (after Flask has made its
    Jinja environment)."""
    build = app.url_for
    made = {}  # (script root, endpoint, values) → URL; dict items are set atomically (threads)

    def url_for(endpoint, **values):
        """Flask's `url_for`. Werkzeug builds each link anew (about 20 µs); a page links 5-60
        times, mostly the same endpoints with the same values. Without host or subdomain rules
        (none here) a relative link depends only on the script root, the endpoint and the
        values, so it is kept; a relative endpoint, an external link, a scheme, an anchor or a
        method (`_…` options) and values that are not plain text or numbers are built each time."""
        request_ctx = _cv_request.get(None)
        if request_ctx is None or endpoint[:1] == ".":
            return build(endpoint, **values)
        try:
            key = (request_ctx.request.script_root, endpoint, *sorted(values.items()))
            url = made.get(key)
        except TypeError:  # a value that cannot be a key (a list)
            return build(endpoint, **values)
        if url is None:
            url = build(endpoint, **values)
            if not any(name[:1] == "_" for name in values) and all(
                type(value) in (str, int) for value in values.values()
            ):
                if len(made) >= KEPT:
                    made.clear()
                made[key] = url
        return url

    app.jinja_env.globals["url_for"] = url_for
