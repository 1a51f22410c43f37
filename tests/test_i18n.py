"""Every word a person sees is translated: each message the code and templates mark for
translation has an English text in the catalog."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("vss/**.py", "python"), ("vss/templates/**.html", "jinja2")]


def test_every_marked_message_has_an_english_translation():
    with open(ROOT / "vss/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    marked = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT),
            METHODS,
            keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)},
        )
    }
    assert len(marked) > 300  # the extraction found the messages (not an empty pass)
    missing = sorted(
        str(m)
        for m in marked
        if not (
            catalog.get(m if isinstance(m, str) else m[0])
            and catalog.get(m if isinstance(m, str) else m[0]).string
        )
    )
    assert not missing, missing
