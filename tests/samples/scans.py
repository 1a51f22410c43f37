"""What a USB keyboard-wedge scanner makes of a QR's text, simulated key by key, to build the
samples of tests/samples/card_qr.json and the signed samples the tests make: the US key presses it
sends, read through another keyboard layout (by key position, independently of the flat tables
in vss/cards/qrclean.py), CapsLock, a Vietnamese input method (Telex or VNI, approximately: a
real one's output depends on its settings), and the prefixes, suffixes and bytes scanners and
pastes add."""

import unicodedata

# Key positions (row by row) and what each types without and with Shift; None: a dead key.
ROWS = ["TLDE"] + [f"AE{n:02}" for n in range(1, 13)] + [f"AD{n:02}" for n in range(1, 13)]
ROWS += [f"AC{n:02}" for n in range(1, 12)] + ["BKSL"] + [f"AB{n:02}" for n in range(1, 11)] + ["SPCE"]


def _layout(pairs):
    pairs = pairs.split()
    assert len(pairs) == len(ROWS) - 1, len(pairs)
    keys = {
        key: tuple(None if c == "·" else c for c in p) for key, p in zip(ROWS, pairs + ["  "], strict=True)
    }
    return keys


KEYBOARDS = {
    "us": _layout(
        "`~ 1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+ qQ wW eE rR tT yY uU iI oO pP [{ ]} "
        "aA sS dD fF gG hH jJ kK lL ;: '\" \\| zZ xX cC vV bB nN mM ,< .> /?"
    ),
    "fr": _layout(
        "²· &1 é2 \"3 '4 (5 -6 è7 _8 ç9 à0 )° =+ aA zZ eE rR tT yY uU iI oO pP ·· $£ "
        "qQ sS dD fF gG hH jJ kK lL mM ù% *µ wW xX cC vV bB nN ,? ;. :/ !§"
    ),
    "de": _layout(
        '·° 1! 2" 3§ 4$ 5% 6& 7/ 8( 9) 0= ß? ·· qQ wW eE rR tT zZ uU iI oO pP üÜ +* '
        "aA sS dD fF gG hH jJ kK lL öÖ äÄ #' yY xX cC vV bB nN mM ,; .: -_"
    ),
    "gb": _layout(
        '`¬ 1! 2" 3£ 4$ 5% 6^ 7& 8* 9( 0) -_ =+ qQ wW eE rR tT yY uU iI oO pP [{ ]} '
        "aA sS dD fF gG hH jJ kK lL ;: '@ #~ zZ xX cC vV bB nN mM ,< .> /?"
    ),
}
US_KEYS = {char: (key, shift) for key, chars in KEYBOARDS["us"].items() for shift, char in enumerate(chars)}


def typed(text, layout, capslock=False):
    """What a US-keycode scanner typing `text` puts on the screen of a computer set to `layout`
    (a character no US key types, a CCCD's Vietnamese letters, goes by an Alt code: unchanged)."""
    out = []
    for char in text:
        if char not in US_KEYS:
            out.append(char)
            continue
        key, shift = US_KEYS[char]
        result = KEYBOARDS[layout][key][shift]
        assert result is not None, f"{char!r} needs a dead key on {layout}"
        if capslock and result.isascii() and result.isalpha():
            result = result.swapcase()
        out.append(result)
    return "".join(out)


VOWELS = "aăâeêioôơuưy"
TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
SHAPES = {
    ("a", "a"): "â",
    ("e", "e"): "ê",
    ("o", "o"): "ô",
    ("d", "d"): "đ",
    ("a", "w"): "ă",
    ("o", "w"): "ơ",
}
SHAPES.update({("u", "w"): "ư"})
VNI_SHAPES = {("a", "6"): "â", ("e", "6"): "ê", ("o", "6"): "ô", ("o", "7"): "ơ", ("u", "7"): "ư"}
VNI_SHAPES.update({("a", "8"): "ă", ("d", "9"): "đ"})


def _tone(word, mark):
    """The word with `mark` on its last vowel, or None if it has none."""
    for i in range(len(word) - 1, -1, -1):
        base = unicodedata.normalize("NFD", word[i])
        if base[0].lower() in "aeiouy":
            return word[:i] + unicodedata.normalize("NFC", base + mark) + word[i + 1 :]
    return None


def input_method(text, kind):
    """`text` typed with a Vietnamese input method on (kind 'telex' or 'vni'), simplified: the
    current word is the run of letters typed since the last other key."""
    shapes, tones = (SHAPES, TONES) if kind == "telex" else (VNI_SHAPES, VNI_TONES)
    out, word = [], ""
    for char in text:
        low = char.lower()
        shaped = word and shapes.get((word[-1].lower(), low))
        toned = word and low in tones and _tone(word, tones[low])
        if shaped:
            word = word[:-1] + (shaped.upper() if word[-1].isupper() else shaped)
        elif toned:
            word = toned
        elif char.isalpha():
            word += char
        else:
            out.append(word + char)
            word = ""
    return "".join(out) + word


def utf16_as_bytes(text):
    """UTF-16LE read as single-byte characters: a NUL after every ASCII character."""
    return "".join(char + "\x00" for char in text)


def mojibake(text, codec="cp1252"):
    """UTF-8 bytes decoded as Windows-1252 (as browsers do it: its five undefined bytes become C1
    codes) or as Latin-1: what a host that decodes a serial scanner's bytes itself shows."""
    if codec == "latin-1":
        return text.encode("utf-8").decode("latin-1")
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
