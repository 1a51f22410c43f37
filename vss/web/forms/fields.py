"""The forms' common ground: a whitespace-stripping, length-checking base form, and validators that
wrap vss.core.validators. Every message is lazily translated (it is shown in the reader's language)."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from vss.core import validators

# Longest text anyone types into a one-line field, and into a text area. Longer input is
# refused with a message, never stored, never copied into a cookie.
LINE_MAX, AREA_MAX = 200, 4000
# Control characters, and the bidirectional overrides and isolates that make text read in another
# order than it is stored (a kiosk named "\u202e…" shows reversed in a citizen's visit book).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"[\r\n\t]")


class Clean:
    """Runs first on every text field: control characters (a NUL breaks PostgreSQL) and input
    longer than the field can hold are refused with a message, and nothing after it runs."""

    def __init__(self, limit, multiline):
        self.limit, self.multiline = limit, multiline

    def __call__(self, form, field):
        value = field.data
        if not isinstance(value, str):
            return
        # What is refused is shown again without what made it so: no control character goes back
        # into the page, and no more than the limit (a 5 MB paste is not sent back to a phone).
        if _CONTROL.search(value) or (not self.multiline and _LINE_BREAK.search(value)):
            field.data = _LINE_BREAK.sub(" ", _CONTROL.sub("", value))[: self.limit]
            raise StopValidation(_l("Nội dung có ký tự không hợp lệ. Vui lòng nhập lại."))
        if len(value) > self.limit:
            field.data = value[: self.limit]
            raise StopValidation(_l("Nội dung quá dài (tối đa %(limit)s ký tự).", limit=self.limit))


# WTForms' own messages (a choice that was not offered, a number that is not one…), which it has in
# no Vietnamese catalog: said in our words, in the reader's language. Plural pairs share one text.
_CHOICE = _l("Lựa chọn không hợp lệ. Vui lòng chọn lại.")
_LENGTH = _l("Độ dài phải từ %(min)d đến %(max)d ký tự.")
WTFORMS_MESSAGES = {
    "Not a valid choice.": _CHOICE,
    "Invalid Choice: could not coerce.": _CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": _CHOICE,
    "'%(value)s' is not a valid choice for this field.": _CHOICE,
    "Invalid value, must be one of: %(values)s.": _CHOICE,
    "Not a valid integer value.": _l("Vui lòng nhập một số."),
    "Not a valid decimal value.": _l("Vui lòng nhập một số."),
    "Not a valid float value.": _l("Vui lòng nhập một số."),
    "Not a valid date value.": _l("Ngày không đúng định dạng."),
    "Not a valid datetime value.": _l("Ngày không đúng định dạng."),
    "This field is required.": _l("Vui lòng nhập thông tin này."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ thư điện tử không hợp lệ."),
    "Field cannot be longer than %(max)d character.": _l("Tối đa %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Tối đa %(max)d ký tự."),
    "Field must be at least %(min)d character long.": _l("Tối thiểu %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Tối thiểu %(min)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _LENGTH,
    "Number must be between %(min)s and %(max)s.": _l("Số phải từ %(min)s đến %(max)s."),
}


class _WtformsMessages:
    """The translations object WTForms asks for its built-in messages."""

    def gettext(self, string):
        message = WTFORMS_MESSAGES.get(string)
        return string if message is None else str(message)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


_MESSAGES = _WtformsMessages()


class StrippedForm(FlaskForm):
    """Every text field arrives without surrounding whitespace and passes `Clean` first (its
    limit: the field's own Length(max=…) if it has one, else LINE_MAX or AREA_MAX)."""

    class Meta:
        def get_translations(self, form):
            """WTForms' own messages in our words (WTFORMS_MESSAGES)."""
            return _MESSAGES

        def bind_field(self, form, unbound_field, options):
            kwargs = unbound_field.kwargs
            if issubclass(unbound_field.field_class, (StringField, TextAreaField, SelectField, RadioField)):
                multiline = issubclass(unbound_field.field_class, TextAreaField)
                given = list(kwargs.get("validators") or [])
                lengths = [v.max for v in given if isinstance(v, Length) and v.max > 0]
                limit = min(lengths) if lengths else AREA_MAX if multiline else LINE_MAX
                options = {**options, "validators": [Clean(limit, multiline), *given]}
                return unbound_field.bind(form=form, filters=[_strip, *kwargs.get("filters", [])], **options)
            return unbound_field.bind(form=form, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def code_number(value):
    """A <select>'s value as a code number (ASCII digits only; anything else is 0, 'none chosen')."""
    if isinstance(value, int):
        return value
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else 0


class Normalised:
    """Run a vss.core.validators function; keep its normalised value on the field."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = self.check(field.data)
        except validators.Invalid as error:
            raise ValidationError(str(error)) from None


def choices(pairs):
    """[(value, label)] as WTForms SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def required(message):
    """A field that must be filled in, with the (lazily translated) message saying so."""
    return DataRequired(message=message)


class KnownProvince:
    """One of the 34 provinces (a code from another list, or typed in, is refused)."""

    def __call__(self, form, field):
        from vss.registry.directory import province_name

        if field.data and not province_name(field.data):
            raise ValidationError(_l("Vui lòng chọn tỉnh, thành phố trong danh sách."))
