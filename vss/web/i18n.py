"""Locales (Vietnamese first, English second) and the formats the UI uses."""

import datetime as dt

import flask_babel
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import current_app, has_request_context, request
from flask_babel import Babel, get_locale, gettext

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
# can take for a US month/day date.
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}


def _locale():
    """The request's locale, or Vietnamese outside a request (jobs, the shell)."""
    return (get_locale() if has_request_context() else None) or Locale("vi")


def money(amount):
    """5453400 → '5.453.400 đ' (in English '5,453,400 VND')."""
    if amount is None:
        return ""
    return gettext("%(amount)s đ", amount=format_decimal(int(amount), locale=_locale()))


def decimal2(value):
    """5453400 → '5.453.400,00'; 3.66 → '3,66' (the language's separators, two decimals)."""
    if value is None:
        return ""
    return format_decimal(float(value), format="#,##0.00", locale=_locale())


def _date_pattern(locale):
    return DATE_PATTERNS.get(locale.language, DATE_PATTERNS["vi"])


def vn_date(value):
    """dd/mm/yyyy ('3 Dec 2026' in English); a stored (UTC) datetime is shown as its Vietnam-time
    date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_vn(value)
    locale = _locale()
    return format_date(value, _date_pattern(locale), locale=locale)


def vn_datetime(value):
    """A stored UTC datetime as 'dd/mm/yyyy HH:MM' Vietnam time ('3 Dec 2026 14:05' in English)."""
    if value is None:
        return ""
    locale = _locale()
    return format_datetime(to_vn(value), _date_pattern(locale) + " HH:mm", locale=locale)


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
        current_locale=lambda: str(get_locale()),
    )
