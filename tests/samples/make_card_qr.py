"""Writes tests/samples/card_qr.json: `python -m tests.samples.make_card_qr`.

The well-formed texts follow the layouts real cards carry (DOMAIN.md; public hospital-software
code that reads them: a VssID card's 16 fields with an empty address, the official `hex-4digits`
check string and the place of issue in field 15; an old card that stops after its issue date;
hex in upper case), with invented people. The rest is what scanners and people make of them
(tests/samples/scans.py) and plain junk, each with the outcome the kiosk must give. The samples
VSS signs are made by the tests from a seeded card (the `signed` list: a base and the steps)."""

import base64
import json
from pathlib import Path

from tests.samples import scans

OUT = Path(__file__).with_name("card_qr.json")


def hx(text, upper=False):
    value = text.encode("utf-8").hex()
    return value.upper() if upper else value


def qr(*fields, end="|$"):
    return "|".join(fields) + end


NEW = qr(  # a VssID card since 2021: 10-digit code, address empty, fields 14-15
    "0126543219",
    hx("Phạm Thị Thu Hương"),
    "14/02/1991",
    "2",
    "-",
    "01 - C54",
    "01/07/2023",
    "-",
    "31/07/2023",
    "01050126543219",
    "-",
    "4",
    " 01/10/2027",
    "8f3a61c0d2e94b7a-3071",
    "4",
    hx("Quận Cầu Giấy, Thành phố Hà Nội"),
)
OLD9 = qr(  # an old card: nine fields, nothing after the issue date
    "HS4010120878851",
    hx("Đỗ Minh Khôi"),
    "07/09/2008",
    "1",
    hx("Phường Nghĩa Đô, Quận Cầu Giấy, Thành phố Hà Nội"),
    "01 - 028",
    "24/01/2019",
    "-",
    "24/01/2019",
)
OLD14 = qr(  # an old card with its check string; hex in upper case
    "DN4797901234567",
    hx("Nguyễn Ngọc Phương Thanh", True),
    "05/11/1979",
    "2",
    hx("Số 18 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh", True),
    "79 - 024",
    "01/01/2026",
    "31/12/2026",
    "15/12/2025",
    "79790123456701",
    "-",
    "4",
    " 01/01/2019",
    "3c9d0e71aa42f5b8-5518",
)
CHILD = qr(  # a child's card: year of birth only, a parent's name in field 10
    "TE1140123498765",
    hx("Lò Văn Páo"),
    "2022",
    "1",
    hx("Bản Nậm Cang, Xã Sa Pa, Tỉnh Lào Cai"),
    "14 - 007",
    "01/03/2022",
    "28/02/2028",
    "01/03/2022",
    "14140123498765",
    hx("Lò Văn Sình"),
    "4",
    "-",
    "0d4e9a7b3c2f1e60-4410",
)
NO_SPACE = qr(  # field 12 without its leading space
    "HT3790123456789",
    hx("Lê Văn Tám"),
    "01/03/1950",
    "1",
    hx("Phường Tân Định, TP Hồ Chí Minh"),
    "79 - 001",
    "01/01/2026",
    "31/12/2026",
    "01/01/2026",
    "79790123456789",
    "-",
    "4",
    "01/01/2011",
    "a1b2c3d4e5f60718-2210",
)
DASHES = qr(  # empty fields written '-', field 12 as ' -'
    "HC4010123456789",
    hx("Trần Văn Bình"),
    "01/02/1980",
    "1",
    "-",
    "01 - 065",
    "01/01/2026",
    "31/12/2026",
    "01/01/2026",
    "-",
    "-",
    "-",
    " -",
    "-",
)
SEVENTEEN = qr(  # a new card with every field, 17 in all
    "7912345678",
    hx("Võ Thị Kim Ngân"),
    "23/08/1987",
    "2",
    hx("Ấp Tân Hòa, Xã Cần Giờ, TP Hồ Chí Minh"),
    "79 - 493",
    "01/01/2026",
    "31/12/2026",
    "20/12/2025",
    "79797912345678",
    "-",
    "4",
    " 01/06/2024",
    "77ab01cd23ef4567-9012",
    "4",
    hx("BHXH Thành phố Hồ Chí Minh"),
    "0",
)
CCCD = (
    "001190012345|123456789|Nguyễn Thị Lan|17051990|Nữ|Số 12 phố Hàng Bài, Phường Hoàn Kiếm, Thành phố Hà Nội"
    "|10082021"
)
CCCD_NEW = "079203001234||Trần Minh Quân|02092003|Nam|Ấp 3, Xã Tân Nhựt, Thành phố Hồ Chí Minh|25042022"
CCCD_MORE = "036095012345||Phạm Văn Đức|01011995|Nam|Xóm 2, Xã Hải Hậu, Tỉnh Ninh Bình|15082024||"
FAKE_SIGNATURE = base64.urlsafe_b64encode(bytes(range(7, 71))).decode().rstrip("=")  # 64 bytes, 86 chars
VSS_SHAPED = OLD14.replace("3c9d0e71aa42f5b8-5518", "QWERTY.1." + FAKE_SIGNATURE)
FIELDS = OLD14[:-2].split("|")


def swap(text, index, value):
    parts = text[:-2].split("|")
    parts[index] = value
    return qr(*parts)


def sample(name, text, status, **expect):
    return {"name": name, "text": text, "expect": {"status": status, **expect}}


def bad(name, text, reason, part=None):
    return sample(name, text, "unreadable", reason=reason, part=part)


SAMPLES = [
    sample("new card (VssID, 16 fields, empty address)", NEW, "unsigned", number="0126543219"),
    sample("old card, 9 fields", OLD9, "unsigned", number="HS4010120878851", percent=80),
    sample("old card, 14 fields, upper-case hex", OLD14, "unsigned", full_name="Nguyễn Ngọc Phương Thanh"),
    sample("child, year of birth only, parent's name", CHILD, "unsigned", birth="2022", percent=100),
    sample(
        "field 12 without its leading space", NO_SPACE, "unsigned", five_years_on="2011-01-01", percent=95
    ),
    sample("empty fields as '-'", DASHES, "unsigned", address=None),
    sample("17 fields", SEVENTEEN, "unsigned", issue_place="BHXH Thành phố Hồ Chí Minh"),
    sample("12 fields", qr(*FIELDS[:11]), "unsigned"),
    sample("ends in '$' without '|'", OLD14[:-2] + "$", "unsigned"),
    sample("expired", swap(OLD9, 7, "31/12/2020"), "expired"),
    sample("not yet valid", swap(OLD14, 6, "01/01/2027"), "not_yet_valid"),
    sample("level 2", swap(OLD14, 0, "CK2797901234567"), "unsigned", percent=100),
    sample("level 5", swap(OLD14, 0, "QN5797901234567"), "unsigned", percent=100),
    sample("facility written 01-065", swap(DASHES, 5, "01-065"), "unsigned", facility="01065"),
    sample("facility written 01c54", swap(DASHES, 5, "01c54"), "unsigned", facility="01C54"),
    sample("VSS-shaped signature, unknown key id", VSS_SHAPED, "unknown_key"),
    sample("chip CCCD", CCCD, "cccd", cccd="001190012345"),
    sample("chip CCCD, no old CMND", CCCD_NEW, "cccd"),
    sample("chip CCCD, more parts", CCCD_MORE, "cccd"),
    sample("chip CCCD, 12-digit old CMND", CCCD.replace("123456789", "012345678901"), "cccd"),
    sample("chip CCCD, decomposed letters (NFD)", CCCD.replace("Nguyễn", "Nguye\u0302\u0303n"), "cccd"),
    sample("chip CCCD read as Windows-1252", scans.mojibake(CCCD), "cccd", repairs=["mojibake"]),
    sample("chip CCCD read as Latin-1", scans.mojibake(CCCD_MORE, "latin-1"), "cccd", repairs=["mojibake"]),
    # What scanners add, taken off.
    sample("AIM prefix ]Q1 and CR LF", "]Q1" + OLD14 + "\r\n", "unsigned", repairs=["aim_prefix"]),
    sample("Tab suffix", NEW + "\t", "unsigned"),
    sample("spaces around", "  " + OLD9 + "  ", "unsigned"),
    sample("byte-order mark", "\ufeff" + OLD9, "unsigned", repairs=["invisible"]),
    sample("zero-width space inside", OLD9.replace("|1|", "|1\u200b|"), "unsigned", repairs=["invisible"]),
    sample("UTF-16 read as bytes", scans.utf16_as_bytes(OLD9), "unsigned", repairs=["utf16"]),
    sample("NUL and buffer garbage", OLD9 + "\x00\x00ÿÿ\x01", "unsigned", repairs=["nul"]),
    sample("CapsLock", scans.typed(OLD14, "us", capslock=True), "unsigned", repairs=["capslock"]),
    sample("French AZERTY", scans.typed(OLD9, "fr"), "unsigned", repairs=["layout_fr"]),
    sample(
        "French AZERTY with ]Q1",
        scans.typed("]Q1" + NEW, "fr"),
        "unsigned",
        repairs=["layout_fr", "aim_prefix"],
    ),
    sample("German QWERTZ", scans.typed(NEW, "de"), "unsigned", repairs=["layout_de"]),
    sample("British", scans.typed(OLD14, "gb"), "unsigned", repairs=["layout_gb"]),
    sample("chip CCCD on German QWERTZ", scans.typed(CCCD_NEW, "de"), "cccd", repairs=["layout_de"]),
    # Junk and damage: the reason must be the right one.
    bad("Enter alone", "", "empty"),
    bad("CR LF alone", "\r\n", "empty"),
    bad("spaces and a Tab", "   \t", "empty"),
    bad("huge", OLD9 * 30, "too_long"),
    bad("a word", "hello", "not_a_card"),
    bad("a long run of spaces inside", "a" + " " * 4000 + "b", "not_a_card"),
    bad("a long run of Enters inside", "a" + "\n" * 4000 + "b", "two_codes"),
    bad("a facility of 3,800 spaces", swap(OLD9, 5, "01" + " " * 3800 + "!"), "bad_field", "facility"),
    bad("a URL", "https://vssid.vn/the-bhyt", "not_a_card"),
    bad("JSON", '{"maThe":"DN4797901234567"}', "not_a_card"),
    bad("binary", "ÿØÿà\x10JFIF", "not_a_card"),
    bad("a Tab between fields", OLD9.replace("|1|", "|1\t|"), "not_a_card"),
    bad("cut mid-hex", NEW[:40], "truncated"),
    bad("cut mid-field", OLD9[: len(OLD9) - 14], "truncated"),
    bad("cut after the number", "DN4797901234567|", "truncated"),
    bad("cut before the $", OLD14[:-1], "truncated"),
    bad("a card number alone", "DN4797901234567", "number_only"),
    bad("a BHXH code alone", "0126543219", "number_only"),
    bad("a CCCD number alone", "001190012345", "number_only"),
    bad("two codes in one", OLD9 + OLD14, "two_codes"),
    bad("two lines", OLD9 + "\r\n" + OLD14, "two_codes"),
    bad("junk after the $", OLD9 + "abc", "trailing"),
    bad("too few fields", qr(*FIELDS[:5]), "too_few_fields"),
    bad("name hex cut (odd length)", swap(OLD9, 1, hx("Đỗ Minh Khôi")[:-1]), "bad_field", "full_name"),
    bad("name not UTF-8", swap(OLD9, 1, "c328"), "bad_field", "full_name"),
    bad("name missing", swap(OLD9, 1, "-"), "bad_field", "full_name"),
    bad("address not hex", swap(OLD9, 4, "Phuong Nghia Do"), "bad_field", "address"),
    bad("no such date of birth", swap(OLD9, 2, "31/02/1990"), "bad_field", "birth"),
    bad("date of birth with dots", swap(OLD9, 2, "17.05.1990"), "bad_field", "birth"),
    bad("sex 3", swap(OLD9, 3, "3"), "bad_field", "sex"),
    bad("facility 4 digits", swap(OLD9, 5, "0106"), "bad_field", "facility"),
    bad("benefit level 9", swap(OLD9, 0, "HS9010120878851"), "bad_field", "number"),
    bad("card number 14 characters", swap(OLD9, 0, "HS401012087885"), "bad_field", "number"),
    bad("valid to month 13", swap(OLD14, 7, "31/13/2026"), "bad_field", "valid_to"),
    bad("five-years date bad", swap(OLD14, 12, " 01/01/19"), "bad_field", "five_years_on"),
    bad(
        "place of issue hex cut",
        NEW.replace("|4|" + hx("Quận")[:4], "|4|" + hx("Quận")[:3]),
        "bad_field",
        "issue_place",
    ),
    bad("chip CCCD cut", CCCD[:45], "truncated"),
    bad("chip CCCD, no such birth date", CCCD.replace("17051990", "32051990"), "bad_cccd_field", "birth"),
    bad(
        "chip CCCD, digits in the name",
        CCCD.replace("Nguyễn Thị Lan", "Nguy3n Thi Lan"),
        "bad_cccd_field",
        "full_name",
    ),
    bad("chip CCCD, unknown sex", CCCD.replace("|Nữ|", "|X|"), "bad_cccd_field", "sex"),
    bad(
        "chip CCCD, letters the scanner could not type",
        CCCD.replace("ễ", "?").replace("ị", "?"),
        "no_unicode",
    ),
    bad("chip CCCD, replacement characters", CCCD_NEW.replace("ầ", "\ufffd"), "no_unicode"),
    bad("chip CCCD, 8-digit CMND", CCCD.replace("123456789", "12345678"), "bad_cccd_field", "cmnd"),
    bad("chip CCCD on AZERTY (é is a digit or a letter)", scans.typed(CCCD, "fr"), "keyboard_layout"),
    bad("AZERTY and cut", scans.typed(OLD14[:80], "fr"), "keyboard_layout"),
    bad("Telex on", scans.input_method(NEW, "telex"), "input_method"),
    bad("VNI on", scans.input_method(OLD14, "vni"), "input_method"),
]

# Made by the tests from a seeded card's signed QR ('current'; 'previous': the version before a
# reissue). Steps, in order: see tests/test_verdict.py (apply_steps). `when`: the day the kiosk
# reads it, relative to the card's validity.
SIGNED = [
    {"name": "signed", "steps": [], "expect": {"status": "valid", "signature": "vss"}},
    {"name": "signed, after its validity", "steps": [], "when": "after", "expect": {"status": "expired"}},
    {
        "name": "signed, before its validity",
        "steps": [],
        "when": "before",
        "expect": {"status": "not_yet_valid"},
    },
    {"name": "signed, name changed", "steps": [["field", 1, "name"]], "expect": {"status": "tampered"}},
    {
        "name": "signed, valid-to extended",
        "steps": [["field", 7, "31/12/2099"]],
        "expect": {"status": "tampered"},
    },
    {
        "name": "signed, field 12 without its space",
        "steps": [["field", 12, "nospace"]],
        "expect": {"status": "tampered"},
    },
    {"name": "signed, version changed", "steps": [["version", "7"]], "expect": {"status": "tampered"}},
    {
        "name": "signed, one signature character changed",
        "steps": [["flip"]],
        "expect": {"status": "tampered"},
    },
    {
        "name": "signed, signature not canonical",
        "steps": [["noncanonical"]],
        "expect": {"status": "tampered"},
    },
    {"name": "signed, signature cut", "steps": [["sigcut"]], "expect": {"status": "tampered"}},
    {"name": "signed, unknown key id", "steps": [["kid", "ZZZZZZ"]], "expect": {"status": "unknown_key"}},
    {
        "name": "signed, tampered and expired",
        "steps": [["field", 1, "name"]],
        "when": "after",
        "expect": {"status": "tampered"},
    },
    {"name": "reissued: the old QR", "base": "previous", "steps": [], "expect": {"status": "revoked"}},
    {
        "name": "reissued: the old QR, expired",
        "base": "previous",
        "steps": [],
        "when": "after",
        "expect": {"status": "revoked"},
    },
    {
        "name": "signed, CapsLock",
        "steps": [["capslock"]],
        "expect": {"status": "valid", "repairs": ["capslock"]},
    },
    {
        "name": "signed, AZERTY",
        "steps": [["layout", "fr"]],
        "expect": {"status": "valid", "repairs": ["layout_fr"]},
    },
    {
        "name": "signed, QWERTZ",
        "steps": [["layout", "de"]],
        "expect": {"status": "valid", "repairs": ["layout_de"]},
    },
    {
        "name": "signed, British",
        "steps": [["layout", "gb"]],
        "expect": {"status": "valid", "repairs": ["layout_gb"]},
    },
    {
        "name": "signed, ]Q1 and CR LF",
        "steps": [["wrap", "]Q1", "\r\n"]],
        "expect": {"status": "valid", "repairs": ["aim_prefix"]},
    },
    {
        "name": "signed, AZERTY with ]Q1",
        "steps": [["wrap", "]Q1", ""], ["layout", "fr"]],
        "expect": {"status": "valid", "repairs": ["layout_fr", "aim_prefix"]},
    },
    {
        "name": "signed, BOM",
        "steps": [["wrap", "\ufeff", "\n"]],
        "expect": {"status": "valid", "repairs": ["invisible"]},
    },
    {
        "name": "signed, UTF-16 as bytes",
        "steps": [["utf16"]],
        "expect": {"status": "valid", "repairs": ["utf16"]},
    },
    {
        "name": "signed, NUL and garbage",
        "steps": [["wrap", "", "\x00ÿ\x02"]],
        "expect": {"status": "valid", "repairs": ["nul"]},
    },
    {
        "name": "signed, cut in the signature",
        "steps": [["cut", -20]],
        "expect": {"status": "unreadable", "reason": "truncated"},
    },
    {
        "name": "signed, scanner forcing upper case",
        "steps": [["upper"]],
        "expect": {"status": "unreadable", "reason": "case_changed"},
    },
    {
        "name": "signed, scanner forcing lower case",
        "steps": [["lower"]],
        "expect": {"status": "unreadable", "reason": "case_changed"},
    },
    {
        "name": "signed, twice",
        "steps": [["twice"]],
        "expect": {"status": "unreadable", "reason": "two_codes"},
    },
    {
        "name": "signed, Telex on",
        "steps": [["ime", "telex"]],
        "expect": {"status": "unreadable", "reason": "input_method"},
    },
    {
        "name": "signed, AZERTY and cut",
        "steps": [["cut", 60], ["layout", "fr"]],
        "expect": {"status": "unreadable", "reason": "keyboard_layout"},
    },
]


def main():
    corpus = {
        "about": (__doc__ or "").strip().splitlines()[0],
        "today": "2026-06-15",
        "samples": SAMPLES,
        "signed": SIGNED,
    }
    OUT.write_text(json.dumps(corpus, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(SAMPLES)} samples, {len(SIGNED)} signed")


if __name__ == "__main__":
    main()
