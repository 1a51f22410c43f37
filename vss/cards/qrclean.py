"""What a scanner adds to a QR's text before we see it, and how to take it off again.

A USB QR scanner is a keyboard: it types the text as US key presses, then Enter. What arrives can
carry an AIM symbology prefix (`]Q1`), a CR/LF/Tab suffix, a byte-order mark or zero-width
characters (pasted text), NUL bytes (a C string's terminator, or UTF-16 read as bytes), CapsLock
(every letter's case inverted), or the wrong keyboard layout: the computer turns each US key into
what that key means on its own layout (French AZERTY types `&é"'(` for `12345`, German QWERTZ
swaps y/z and types `'` for `|`, British types `~` for `|`).

Everything here is mechanical and certain: a keyboard layout is undone only when every
character could have come from it (vss.cards.cardqr accepts the result only if it then reads as
a card, and only if exactly one layout does). A Vietnamese input method (Telex/VNI) is only
detected, never undone: what it makes of a key sequence depends on its settings (spelling check,
free tone placement), so no reversal is certain.

vss/static/js/kiosk-verify.js does the same, step for step: change both together."""

import datetime as dt
import re
import unicodedata

from vss.cards.qrerror import QrError

MAX_CHARS = 4096  # the longest real card QR is under 1,000 characters; UTF-16 doubles it

US = "".join(chr(c) for c in range(0x20, 0x7F))  # the printable ASCII a US keyboard types
# What each US key press of US (same order) types on another layout; "\x00" is a dead key.
LAYOUTS = {
    # AZERTY: digits need Shift, a↔q, z↔w, m on the ; key, | is µ, $ is 4 (and ] is $).
    "fr": " 1%3457ù908+;):!"
    "à&é\"'(-è_ç"
    "Mm.=/§2"
    "QBCDEFGHIJKL?NOPARSTUVZXYW"
    "\x00*$6°²"
    "qbcdefghijkl,noparstuvzxyw"
    "\x00µ£\x00",
    # QWERTZ: y↔z, | is ', / is -, - is ß, _ is ?.
    "de": " !Ä§$%/ä)=(\x00,ß.-"
    "0123456789"
    'Öö;\x00:_"'
    "ABCDEFGHIJKLMNOPQRSTUVWXZY"
    "ü#+&?\x00"
    "abcdefghijklmnopqrstuvwxzy"
    "Ü'*°",
    # British: | is ~, \ is #, " and @ swapped.
    "gb": " !@£$%&'()*+,-./0123456789:;<=>?\"ABCDEFGHIJKLMNOPQRSTUVWXYZ[#]^_`abcdefghijklmnopqrstuvwxyz{~}¬",
}
INVERSE = {
    name: {typed: us for us, typed in zip(US, typed_all, strict=True) if typed != "\x00"}
    for name, typed_all in LAYOUTS.items()
}

# Windows-1252's characters for the bytes 0x80–0x9F (the five it leaves undefined as C1 codes).
CP1252 = (
    "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f"
    "\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178"
)
INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
EDGES = "".join(map(chr, range(0x21))) + "\x7f"  # control characters and spaces around a scan
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# What a card QR starts with: a BHYT card number (15) or BHXH code (10), or a CCCD (12), then |.
CARD_START = re.compile(r"(?:[A-Za-z]{2}[1-5][0-9]{12}|[0-9]{10}|[0-9]{12})\|")
# Letters a Vietnamese input method makes (Latin-1 and Latin Extended Additional, and đ/Đ).
VIETNAMESE = re.compile(
    r"[\u00c0-\u00ff"
    r"\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)


def strip_noise(text):
    """The text without what scanners and pasting add around it: returns (text, repairs), the
    repairs being the names of what was taken off; raises QrError for nothing, too much, or two
    scans in one."""
    text = text or ""
    repairs = []
    if len(text) > MAX_CHARS:
        raise QrError("too_long")
    if "\x00" in text:
        if text.count("\x00") * 3 >= len(text):  # UTF-16 read as bytes: every other one a NUL
            text = text.replace("\x00", "")
            repairs.append("utf16")
        else:  # a C string: what follows its terminator is whatever was in the buffer
            text = text[: text.index("\x00")]
            repairs.append("nul")
    utf8 = undo_mojibake(text)
    if utf8 is not None:
        text = utf8
        repairs.append("mojibake")
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
        repairs.append("invisible")
    text = text.strip(EDGES)
    if re.search(r"[\r\n]", text):  # Enter inside: two scans, or one and a stray Enter
        lines = [line for line in re.split(r"[\r\n]+", text) if line.strip(EDGES)]
        if len(lines) > 1:
            raise QrError("two_codes")
        text = lines[0].strip(EDGES) if lines else ""
    if not text:
        raise QrError("empty")
    text, prefixed = strip_aim(text)
    if prefixed:
        repairs.append("aim_prefix")
    if CONTROL.search(text):
        raise QrError("not_a_card")
    return text, repairs


def undo_mojibake(text):
    """The text whose UTF-8 bytes were read as Windows-1252 or Latin-1 (a CCCD's "Nguyá»…n"
    for "Nguyễn": a serial scanner, or a host decoding bytes itself), or None: every character
    must map back to one byte and the bytes must be valid UTF-8 — a real Vietnamese text
    almost never does both, so the repair is certain."""
    data, foreign = bytearray(), False
    for char in text:
        code = ord(char)
        if code < 0x100:
            data.append(code)
            foreign = foreign or code >= 0x80
        elif char in CP1252:
            data.append(0x80 + CP1252.index(char))
            foreign = True
        else:
            return None
    if not foreign:
        return None
    try:
        result = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return result if result != text else None


def strip_aim(text):
    """Without an AIM symbology identifier (`]Q1` for a QR code) at the start: (text, found)."""
    if AIM.match(text):
        return text[3:], True
    return text, False


def undo_layout(text, layout):
    """The text as the scanner meant it if it typed through `layout`, or None when some character
    cannot have come from that layout. Non-ASCII characters a scanner types by Alt codes (a CCCD's
    Vietnamese letters) pass through, unless the layout itself types some (French é è à ù): then
    a letter could be either, and nothing is certain."""
    inverse = INVERSE[layout]
    out, passed, own = [], False, False
    for char in text:
        if char in inverse:
            out.append(inverse[char])
            own = own or char > "\x7f"
        elif char > "\x7f":
            out.append(char)
            passed = True
        else:
            return None
    if passed and own:
        return None
    result = "".join(out)
    return None if result == text else result


def looks_like_layout(text):
    """Whether the text is a card QR typed through some other keyboard layout (so the person
    should be told to change it), even if it cannot be undone with certainty."""
    if CARD_START.match(text):
        return False
    for layout in LAYOUTS:
        guess = "".join(INVERSE[layout].get(char, char) for char in text)
        if CARD_START.match(strip_aim(guess)[0]):
            return True
    return False


def looks_like_ime(text):
    """Whether the text is a BHYT card QR that a Vietnamese input method turned partly into
    letters with diacritics (a card QR is ASCII; a chip CCCD's legitimately has such letters)."""
    return bool(VIETNAMESE.search(text)) and not re.match(r"[0-9]{12}\|", text) and text.count("|") >= 5


def swap_case(text):
    """ASCII letters with their case inverted (what CapsLock does to a scanner's typing)."""
    return re.sub(r"[A-Za-z]", lambda match: match.group(0).swapcase(), text)


# --- helpers of the readers (vss.cards.cardqr, vss.cards.cccdqr) -------------------------------


def trim(value):
    """A field without the spaces around it (only spaces: JavaScript's trim() differs)."""
    return (value or "").strip(" ")


def calendar_day(day, month, year):
    """The date, or None if there is no such day (or the year is not 1900–2100)."""
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def tidy(text, part, reason="bad_field"):
    """Text as shown: NFC, no invisible characters, trimmed, None if empty; a control character
    raises QrError(reason, part)."""
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    if UNPRINTABLE.search(text):
        raise QrError(reason, part)
    return text.strip(" ") or None
