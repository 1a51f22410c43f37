"""Locales (Vietnamese first, English second) and the formats the UI uses."""

import datetime as dt

from flask import current_app, has_request_context, request
from flask_babel import Babel, format_date, format_datetime, get_locale, get_translations
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from vss.core.clock import to_vn

LANG_COOKIE = "lang"
babel = Babel()


def select_locale():
    """The language cookie if valid, else Vietnamese (never guessed from Accept-Language:
    most phones here are set to English while their owners read Vietnamese)."""
    return cookie_language(request.cookies.get(LANG_COOKIE), current_app.config)


def cookie_language(value, config):
    """The language a `lang` cookie value asks for, if offered, else the default."""
    return value if value in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def money(amount):
    """5453400 → '5.453.400 đ'."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đ"


def decimal2(value):
    """5453400 → '5.453.400,00'; 3.66 → '3,66' (Vietnamese separators, two decimals)."""
    if value is None:
        return ""
    whole, _, fraction = f"{float(value):,.2f}".partition(".")
    return whole.replace(",", ".") + "," + fraction


def vn_date(value):
    """dd/mm/yyyy; a stored (UTC) datetime is shown as its Vietnam-time date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_vn(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value):
    """A stored UTC datetime as 'dd/mm/yyyy HH:MM' Vietnam time."""
    return "" if value is None else to_vn(value).strftime("%d/%m/%Y %H:%M")


def init_app(app):
    """Install Flask-Babel and the format filters."""
    babel.init_app(app, locale_selector=select_locale)
    from vss.registry.directory import format_address

    app.jinja_env.filters.update(
        money=money,
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        decimal2=decimal2,
        ward_address=lambda ward: format_address("", ward),
    )
    app.jinja_env.globals.update(
        format_date=format_date, format_datetime=format_datetime, current_locale=lambda: str(get_locale())
    )

    @app.context_processor
    def _gettext():
        # A page has 20-40 `_()`; Flask-Babel's global looks the catalog up through the context
        # for each one. The request's catalog, found once per page, shadows it (same catalog).
        if not has_request_context():
            return {}
        catalog = get_translations()
        return {
            "gettext": _make_new_gettext(catalog.ugettext),
            "ngettext": _make_new_ngettext(catalog.ungettext),
        }
