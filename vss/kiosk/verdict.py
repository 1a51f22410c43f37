"""The one answer a hospital counter gets for a scanned QR: a pure function of the text, the
published keys, the revocation list and the day — no database, so the kiosk's browser gives the
very same answer offline (vss/static/js/kiosk-verify.js; tests/test_verdict.py holds the two to
the same samples).

Precedence, first that applies:
1. `unreadable` — the text is not a card QR we can read (problem.reason says why);
2. `cccd` — a chip CCCD: it carries no BHYT card (look the card up by CCCD, online);
3. a signature problem, whatever the dates say: `unknown_key` (signed with a key we do not
   have), `tampered` (signature does not match the fields), `revoked` (a reissued card's old
   QR) — the card's fields are shown as the QR claims them, `valid_today` is null;
4. the dates: `not_yet_valid`, `expired` — decisive even for an unsigned QR;
5. `unsigned` — readable and in date, but nothing proves it (a paper card's QR, or another
   issuer's): compare with the paper card or an ID;
6. `valid` — VSS's signature holds and the card covers today.

The answer is JSON-ready (see `verdict`); what to show for it in the reader's language is in
`texts()` (one table the kiosk page can also hand to its script)."""

import datetime as dt

from flask_babel import lazy_gettext as _l

from vss.cards import cardqr, cardverify
from vss.cards.cardverify import VerifyError
from vss.cards.cccdqr import CccdQr
from vss.cards.qrerror import PARTS, REASONS, QrError, reason_text

STATUS_TEXT = {
    "valid": _l("Thẻ còn giá trị sử dụng — chữ ký số của BHXH hợp lệ."),
    "expired": _l("Thẻ đã hết hạn sử dụng."),
    "not_yet_valid": _l("Thẻ chưa đến ngày có giá trị sử dụng."),
    "unsigned": _l("Không có chữ ký số — đối chiếu thẻ giấy / giấy tờ tùy thân."),
    "tampered": _l(
        "Chữ ký số không khớp: mã QR đã bị sửa. Không chấp nhận mã này; đối chiếu giấy tờ tùy thân."
    ),
    "unknown_key": _l(
        "Mã QR được ký bằng khoá mà máy chưa có: hãy kết nối mạng để cập nhật khoá, "
        "hoặc đối chiếu thẻ giấy / giấy tờ tùy thân."
    ),
    "revoked": _l("Thẻ đã được cấp lại; mã QR này không còn giá trị. Đề nghị người bệnh mở thẻ mới."),
    "unreadable": _l("Không đọc được mã QR."),
    "cccd": _l("CCCD gắn chip: tra thẻ BHYT theo số CCCD (cần kết nối mạng)."),
}
STATUSES = tuple(STATUS_TEXT)
# Repairs worth telling the counter about (the rest — an AIM prefix, a BOM — are silent).
REPAIR_TEXT = {
    "layout_fr": _l(
        "Máy tính đang để bàn phím Pháp (AZERTY); mã đã được đọc lại đúng. Nên chuyển sang English (US)."
    ),
    "layout_de": _l(
        "Máy tính đang để bàn phím Đức (QWERTZ); mã đã được đọc lại đúng. Nên chuyển sang English (US)."
    ),
    "layout_gb": _l(
        "Máy tính đang để bàn phím Anh (UK); mã đã được đọc lại đúng. Nên chuyển sang English (US)."
    ),
    "capslock": _l("Máy tính đang bật CapsLock; mã đã được đọc lại đúng. Nên tắt CapsLock."),
}
BAD_PARTS = {
    "bad_field": (
        "number",
        "full_name",
        "birth",
        "sex",
        "address",
        "facility",
        "valid_from",
        "valid_to",
        "issued_on",
        "five_years_on",
        "parent_name",
        "issue_place",
    ),
    "bad_cccd_field": ("cmnd", "full_name", "birth", "sex", "address", "issued_on"),
}


def _iso(day):
    return day.isoformat() if day else None


def _answer(status, **given):
    answer = dict.fromkeys(("signature", "valid_today", "problem", "kind", "card", "cccd"))
    answer.update({"status": status, "repairs": [], **given})
    return answer


def _card(qr):
    kid, version = cardverify.signed_by(qr) or (None, None)
    return {
        "number": qr.card_number,
        "bhxh_code": qr.bhxh_code,
        "full_name": qr.full_name,
        "birth": qr.birth,
        "sex": qr.sex,
        "address": qr.address,
        "facility": qr.facility_code,
        "facility_printed": qr.facility,
        "group": qr.group,
        "benefit_level": qr.benefit_level,
        "percent": qr.percent,
        "valid_from": _iso(qr.valid_from),
        "valid_to": _iso(qr.valid_to),
        "issued_on": _iso(qr.issued_on),
        "five_years_on": _iso(qr.five_years_on),
        "management_code": qr.management_code,
        "parent_name": qr.parent_name,
        "area_code": qr.area_code,
        "issue_place": qr.issue_place,
        "kid": kid,
        "version": int(version) if version and cardverify.VERSION.fullmatch(version) else None,
    }


def _cccd(qr):
    return {
        "cccd": qr.cccd,
        "cmnd": qr.cmnd,
        "full_name": qr.full_name,
        "birth_date": _iso(qr.birth_date),
        "sex": qr.sex,
        "address": qr.address,
        "issued_on": _iso(qr.issued_on),
    }


def verdict(text, keys, revocations, today):
    """The kiosk's answer for a scanned `text`, given the published keys
    ({"keys": [{"kid", "pem"}…]}), the revocation list ({"revoked": {number: {"min_version"}}})
    and `today` (a date or 'YYYY-MM-DD', Vietnam's): a dict with `status` (STATUSES),
    `signature` ('vss', 'none', 'tampered', 'unknown_key', 'revoked'; null when unreadable),
    `valid_today` (true/false; null when unreadable, a CCCD or a signature problem), `problem`
    (null, or {code, reason, part}), `kind` ('bhyt', 'cccd' or null), `card`, `cccd` and
    `repairs` (what the scan needed: 'layout_fr', 'capslock', 'aim_prefix'…). Never raises."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    try:
        _text, qr, repairs = cardqr.read(text)
    except QrError as error:
        return _answer(
            "unreadable", problem={"code": "unreadable", "reason": error.reason, "part": error.part}
        )
    if isinstance(qr, CccdQr):
        return _answer("cccd", signature="none", kind="cccd", cccd=_cccd(qr), repairs=repairs)
    try:
        cardverify.check(qr, keys, revocations)
        signature, problem = "vss", None
    except VerifyError as error:
        signature = "none" if error.code == "unsigned" else error.code
        problem = {"code": error.code, "reason": None, "part": None}
    answer = _answer(
        signature, signature=signature, problem=problem, kind="bhyt", card=_card(qr), repairs=repairs
    )
    if signature not in ("vss", "none"):
        return answer
    early, late = (qr.valid_from and today < qr.valid_from), (qr.valid_to and today > qr.valid_to)
    answer["valid_today"] = not (early or late)
    answer["status"] = (
        "not_yet_valid" if early else "expired" if late else "unsigned" if signature == "none" else "valid"
    )
    return answer


def problem_key(problem):
    """The key of `texts()["problem"]` for a verdict's problem ('truncated', 'bad_field:birth',
    'tampered'…), or None."""
    if not problem:
        return None
    if problem["part"]:
        return f"{problem['reason']}:{problem['part']}"
    return problem["reason"] or problem["code"]


def message(status):
    """What to show at the counter for a status (lazily translated)."""
    return STATUS_TEXT[status]


def problem_message(problem):
    """What to show for a verdict's problem (lazily translated), or None."""
    if not problem:
        return None
    if problem["code"] == "unreadable":
        return reason_text(problem["reason"], problem["part"])
    return cardverify.TEXTS[problem["code"]]


def texts():
    """Every sentence a verdict can lead to, in the current language, as plain strings:
    {"status": {status: text}, "problem": {problem_key: text}, "repair": {repair: text}} — for a
    page to show, or to hand to kiosk-verify.js's caller for offline use."""
    problems = {reason: str(text) for reason, text in REASONS.items()}
    for reason, parts in BAD_PARTS.items():
        problems.update(
            {f"{reason}:{part}": str(reason_text(reason, part)) for part in parts if part in PARTS}
        )
    problems.update({code: str(text) for code, text in cardverify.TEXTS.items()})
    return {
        "status": {status: str(text) for status, text in STATUS_TEXT.items()},
        "problem": problems,
        "repair": {repair: str(text) for repair, text in REPAIR_TEXT.items()},
    }
