"""htmx only on the pages that use it (issue 15): htmx is 15.8 KB of a 23 KB first visit, and a
page without one `data-hx-*` attribute (sign-in, the start page, most look-ups) gains nothing
from it. Before a template renders, its source and every template it extends, includes or imports
are read once for a `data-hx-*` attribute (the CSRF header on `<body>` is not a use); base.html
links htmx only when one is there. A template named at run time (`{% include name %}`) counts
as a use: better a script too many than a page whose enhancement silently stops."""

import re
from functools import cache

from flask import before_render_template
from jinja2 import meta

# Any htmx attribute but the CSRF header every page carries on <body>.
_ATTRIBUTE = re.compile(r"\bdata-hx-(?!headers\b)[a-z-]+")


def uses_htmx(env, name):
    """Whether template `name` (or one it extends, includes or imports) has an htmx attribute."""
    return _uses(env, name, frozenset())


@cache
def _uses(env, name, above):
    source, _filename, _uptodate = env.loader.get_source(env, name)
    if _ATTRIBUTE.search(source):
        return True
    for other in meta.find_referenced_templates(env.parse(source)):
        if other is None:  # a name computed at run time: assume it uses htmx
            return True
        if other not in above and _uses(env, other, above | {name}):
            return True
    return False


def init_app(app):
    """Tell every template whether its page uses htmx (`uses_htmx` in base.html)."""

    def mark(sender, template, context, **extra):
        if template.name:
            context.setdefault("uses_htmx", uses_htmx(sender.jinja_env, template.name))

    before_render_template.connect(mark, app, weak=False)
