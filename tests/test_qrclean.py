"""What scanners add to a QR's text, taken off: AIM prefixes, CR/LF/Tab, BOM and zero-width
characters, NULs, UTF-8 read as Windows-1252, CapsLock; wrong keyboard layouts undone only when
certain; an input method detected, never guessed at."""

import pytest

from tests.samples import scans
from vss.cards import qrclean
from vss.cards.qrerror import QrError

CARD = "HS4010120878851|c490e1bb97|07/09/2008|1|-|01 - 028|24/01/2019|-|24/01/2019|$"
CCCD = "079203001234||Trần Minh Quân|02092003|Nam|Ấp 3, Xã Tân Nhựt|25042022"


@pytest.mark.parametrize("layout", sorted(qrclean.LAYOUTS))
def test_the_layout_tables_match_the_keyboards(layout):
    """qrclean's flat tables against a key-by-key model of each keyboard (tests/samples/scans)."""
    for us, table in zip(qrclean.US, qrclean.LAYOUTS[layout], strict=True):
        key, shift = scans.US_KEYS[us]
        assert (scans.KEYBOARDS[layout][key][shift] or "\x00") == table, (layout, us)
    typed = [c for c in qrclean.LAYOUTS[layout] if c != "\x00"]
    assert len(set(typed)) == len(typed) == len(qrclean.INVERSE[layout])  # one key per character


@pytest.mark.parametrize(
    "text,repairs",
    [
        (CARD, []),
        ("  " + CARD + "\r\n", []),
        (CARD + "\t", []),
        ("\x02" + CARD + "\x03", []),  # STX/ETX framing
        ("]Q1" + CARD, ["aim_prefix"]),
        ("]Q3" + CARD + "\n", ["aim_prefix"]),
        ("\ufeff" + CARD, ["invisible"]),
        (CARD.replace("|1|", "|1\u200b|"), ["invisible"]),
        (scans.utf16_as_bytes(CARD), ["utf16"]),
        (CARD + "\x00garbage\x00", ["nul"]),
        ("\n\n" + CARD + "\n\n", []),
    ],
)
def test_noise_is_taken_off(text, repairs):
    assert qrclean.strip_noise(text) == (CARD, repairs)


def test_utf8_read_as_windows_1252_or_latin_1():
    for codec in ("cp1252", "latin-1"):
        assert qrclean.strip_noise(scans.mojibake(CCCD, codec)) == (CCCD, ["mojibake"])
    assert qrclean.undo_mojibake(CCCD) is None  # real Vietnamese letters: no single bytes
    assert qrclean.undo_mojibake(CARD) is None  # ASCII: nothing to undo
    assert qrclean.undo_mojibake("Lê Hà") is None  # Latin-1 letters, but not UTF-8 as bytes


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "empty"),
        (None, "empty"),
        ("\r\n", "empty"),
        ("\x00" + CARD, "empty"),
        ("x" * (qrclean.MAX_CHARS + 1), "too_long"),
        (CARD + "\r\n" + CARD, "two_codes"),
        (CARD.replace("|1|", "|\t|"), "not_a_card"),
        (CARD.replace("|1|", "|\x7f|"), "not_a_card"),
    ],
)
def test_what_cannot_be_cleaned(text, reason):
    with pytest.raises(QrError) as caught:
        qrclean.strip_noise(text)
    assert caught.value.reason == reason


def test_the_cap_counts_characters():
    qrclean.strip_noise("x" * qrclean.MAX_CHARS)
    with pytest.raises(QrError):
        qrclean.strip_noise("😀" * (qrclean.MAX_CHARS + 1))


def test_layouts_are_undone_only_when_certain():
    for layout in qrclean.LAYOUTS:
        assert qrclean.undo_layout(scans.typed(CARD, layout), layout) == CARD
        assert qrclean.undo_layout(CARD, layout) is None  # '|' is never typed on these layouts
    # A CCCD's Vietnamese letters come by Alt codes, unchanged: QWERTZ can be undone around them…
    assert qrclean.undo_layout(scans.typed(CCCD, "de"), "de") == CCCD
    # …AZERTY cannot: its 'à' or 'é' could be a digit or a letter.
    assert qrclean.undo_layout(scans.typed(CCCD, "fr"), "fr") is None
    assert qrclean.looks_like_layout(scans.typed(CCCD, "fr"))
    assert not qrclean.looks_like_layout(CCCD) and not qrclean.looks_like_layout("hello")


def test_an_input_method_is_recognised():
    card = CARD.replace(
        "c490e1bb97", "Lê Văn Bắc".encode().hex()
    )  # 4c c3 aa 20 56 c4 83 6e 20 42 e1 ba af 63
    assert qrclean.looks_like_ime(scans.input_method(card, "telex"))  # "baaf": b, â, ầ
    assert qrclean.looks_like_ime(scans.input_method(card, "vni"))  # "e1": é
    assert not qrclean.looks_like_ime(CCCD + "|||")  # a CCCD's letters are its own
    assert not qrclean.looks_like_ime("Nguyễn")


def test_swap_case_is_ascii_only():
    assert qrclean.swap_case("aB|éÉß|z") == "Ab|éÉß|Z"


def test_helpers():
    assert qrclean.trim("  a b \t") == "a b \t"
    assert qrclean.calendar_day(29, 2, 2024) is not None and qrclean.calendar_day(29, 2, 2023) is None
    assert qrclean.calendar_day(1, 1, 1899) is None and qrclean.calendar_day(0, 1, 2000) is None
    assert qrclean.tidy(" Nguye\u0302\u0303n\u200b ", "full_name") == "Nguyễn"
    assert qrclean.tidy("   ", "address") is None
    with pytest.raises(QrError) as caught:
        qrclean.tidy("a\x85b", "address")
    assert (caught.value.reason, caught.value.part) == ("bad_field", "address")
