"""Locales (Vietnamese first, English second) and the formats the UI uses."""

import datetime as dt
import functools

import flask_babel
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import current_app, has_request_context, request
from flask.globals import _cv_app, _cv_request
from flask_babel import Babel, get_locale, get_translations, gettext
from jinja2 import pass_context
from jinja2.ext import _make_new_ngettext
from markupsafe import Markup

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


# Dates as people here write them (dd/mm/yyyy); in English the month in words, which no reader
# can take for a US month/day date. The month names, digit groups and decimal signs are the
# language's own (CLDR, through Babel), read once per language: formatting runs for every row
# of a page, and Babel's general formatters cost 10–40 µs a call.
DATE_FORMATS = {"vi": "{day:02d}/{month:02d}/{year}", "en": "{day} {month_name} {year}"}


@functools.cache
def _conventions(language):
    locale = Locale.parse(language)
    months = locale.months["format"]["abbreviated"]
    return (
        {ord(","): get_group_symbol(locale=locale), ord("."): get_decimal_symbol(locale=locale)},
        {month: months[month] for month in range(1, 13)},
        DATE_FORMATS.get(language, DATE_FORMATS["vi"]),
    )


def _here():
    """(locale, language, catalog) of this request, or None outside a request. Flask-Babel finds
    the locale and the catalog through `g` on each call (a page of rows formats 50-100 amounts
    and dates); they are kept here, and found again when the locale changes (force_locale).
    The contexts are read from their context variables: each `g` proxy access costs 2 µs."""
    if _cv_request.get(None) is None:
        return None
    space = vars(_cv_app.get().g)
    state = space.get("_flask_babel")
    locale = getattr(state, "babel_locale", None) or get_locale()
    here = space.get("_vss_i18n")
    if here is None or here[0] is not locale:
        here = space["_vss_i18n"] = (locale, locale.language if locale else "vi", get_translations())
    return here


def _language():
    """The request's language, or Vietnamese outside a request (jobs, the shell)."""
    here = _here()
    return here[1] if here else "vi"


def _number(value, decimals, language=None):
    return f"{value:,.{decimals}f}".translate(_conventions(language or _language())[0])


def money(amount):
    """5453400 → '5.453.400 đ' (in English '5,453,400 VND')."""
    if amount is None:
        return ""
    here = _here()
    if here is None:
        return gettext("%(amount)s đ", amount=_number(int(amount), 0))
    return here[2].gettext("%(amount)s đ") % {"amount": _number(int(amount), 0, here[1])}


def decimal2(value):
    """5453400 → '5.453.400,00'; 3.66 → '3,66' (the language's separators, two decimals)."""
    if value is None:
        return ""
    return _number(float(value), 2)


def _date(value, language=None):
    _signs, months, pattern = _conventions(language or _language())
    return pattern.format(day=value.day, month=value.month, year=value.year, month_name=months[value.month])


def vn_date(value):
    """dd/mm/yyyy ('3 Dec 2026' in English); a stored (UTC) datetime is shown as its Vietnam-time
    date."""
    if value is None:
        return ""
    return _date(to_vn(value) if isinstance(value, dt.datetime) else value)


def vn_datetime(value):
    """A stored UTC datetime as 'dd/mm/yyyy HH:MM' Vietnam time ('3 Dec 2026 14:05' in English)."""
    if value is None:
        return ""
    value = to_vn(value)
    return f"{_date(value)} {value.hour:02d}:{value.minute:02d}"


def current_locale():
    """The request's locale as text ('vi', 'en'): the page's lang attribute."""
    here = _here()
    return str(here[0]) if here else str(get_locale())


KEPT_MESSAGES = 4096  # per catalog: the templates' own messages, with room to spare


def _page_gettext(catalog):
    """Jinja's new-style `gettext` over `catalog` (what jinja2.ext makes: the message as
    Markup when the template escapes, always formatted with its variables), with a message
    that has no variables kept per catalog once formatted: a page has 20-40 of them, and the
    Markup formatting costs more than finding the translation."""
    translate = catalog.ugettext
    kept = vars(catalog).setdefault("_vss_markup", {})

    @pass_context
    def gettext(__context, __string, **variables):
        if not __context.eval_ctx.autoescape:
            return translate(__string) % variables
        keep = not variables and type(__string) is str
        message = kept.get(__string) if keep else None
        if message is None:
            # As jinja2.ext: the catalog's message is markup, its variables are escaped.
            message = Markup(translate(__string)) % variables  # noqa: S704
            if keep and len(kept) < KEPT_MESSAGES:
                kept[__string] = message
        return message

    return gettext


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
        format_date=flask_babel.format_date,
        format_datetime=flask_babel.format_datetime,
        current_locale=current_locale,
    )

    @app.context_processor
    def _gettext():
        # A page has 20-40 `_()`; Flask-Babel's global looks the catalog up through the context
        # for each one. The request's catalog, found once per page, shadows it (same catalog).
        if not has_request_context():
            return {}
        catalog = _here()[2]
        translate = _page_gettext(catalog)
        return {
            # `_` too: Jinja's own `_` looks `gettext` up and calls it, twice the work.
            "_": translate,
            "gettext": translate,
            "ngettext": _make_new_ngettext(catalog.ungettext),
        }
