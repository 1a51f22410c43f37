"""The counter's answer as the lines a receptionist reads (vss.kiosk.counter.Answer → strings).

The same lines are drawn by the kiosk's script when VSS cannot be reached (vss/static/js/kiosk.js),
from `texts()`, which this page hands it; the labels and the box are one template
(kiosk/_answer.html) for both, so the two answers look the same."""

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vss.cards.cardqr import PERCENT
from vss.kiosk import verdict as verdicts
from vss.registry.registry import SEX_LABELS
from vss.web.i18n import vn_date, vn_datetime

# The answer's rows, in the order they are read out.
ROWS = (
    "name",
    "birth",
    "sex",
    "number",
    "level",
    "validity",
    "today",
    "facility",
    "own",
    "five_years",
    "registry",
    "as_of",
    "checkin",
)
GOOD, CAREFUL, REFUSED = "tone-ok", "tone-warn", "tone-bad"


def labels():
    """Each row's label, in the reader's language."""
    return {
        "name": _("Họ và tên"),
        "birth": _("Ngày sinh"),
        "sex": _("Giới tính"),
        "number": _("Số thẻ / mã số BHXH"),
        "level": _("Mức hưởng"),
        "validity": _("Giá trị sử dụng"),
        "today": _("Hôm nay"),
        "facility": _("Nơi ĐKKCB ban đầu"),
        "own": _("Tại cơ sở này"),
        "five_years": _("Thời điểm đủ 5 năm liên tục"),
        "registry": _("Đối chiếu dữ liệu BHXH"),
        "as_of": _("Dữ liệu tính đến"),
        "checkin": _("Lượt tiếp đón"),
    }


def texts():
    """What the kiosk's script needs to draw an answer offline, in the reader's language: the
    verdict's sentences (vss.kiosk.verdict.texts) and the answer's own words."""
    return {
        **verdicts.texts(),
        "valid_today": _("Còn giá trị sử dụng"),
        "invalid_today": _("Không còn giá trị sử dụng hôm nay"),
        "own_yes": _("Đúng nơi đăng ký KCB ban đầu"),
        "own_no": _("Đăng ký KCB ban đầu ở cơ sở khác"),
        "from": _("từ %(day)s"),
        "sex": {str(code): str(label) for code, label in SEX_LABELS.items()},
        "offline": _("Không kết nối được VSS: đã kiểm tra trên máy này bằng mã QR."),
        "stale": _("Danh sách khoá và thẻ thu hồi đã cũ hơn 24 giờ — hãy kết nối mạng để cập nhật."),
        "no_trust": _("Máy chưa tải danh sách khoá công khai — không kiểm tra được chữ ký khi mất mạng."),
        "trust_age": _("Danh sách khoá cập nhật lúc %(when)s."),
        "queued": _("Đã lưu trên máy; sẽ gửi khi có mạng."),
        "waiting": _("Lượt tiếp đón chờ gửi: %(count)s"),
        "need_online": _("Tra thẻ BHYT theo số CCCD cần kết nối mạng."),
    }


def tone(answer):
    """Green for a VSS-signed card valid today; amber for a holder VSS cannot vouch for by a
    signature (a paper card's QR, a chip CCCD) when the registry agrees (or, offline, cannot be
    asked) and the card is valid today; red for the rest."""
    status = answer.verdict["status"]
    if status == "valid":
        return GOOD
    agreed = answer.registry in (None, "match") if status == "unsigned" else answer.registry == "match"
    if status in ("unsigned", "cccd") and agreed and answer.valid_today:
        return CAREFUL
    return REFUSED


def _day(value):
    return vn_date(dt.date.fromisoformat(value)) if value else ""


def _level(shown, card):
    level = shown.get("benefit_level") or (card.benefit_level if card else None)
    return f"{level} ({PERCENT[level]}%)" if level in PERCENT else ""


DIFFERENCE_NAMES = {
    "number": _l("số thẻ"),
    "full_name": _l("họ tên"),
    "birth": _l("ngày sinh"),
    "benefit_level": _l("mức hưởng"),
    "facility": _l("nơi ĐKKCB ban đầu"),
    "valid_from": _l("ngày bắt đầu"),
    "valid_to": _l("hạn thẻ"),
}


def _registry(answer):
    if answer.registry == "differs" and answer.differences:
        named = ", ".join(str(DIFFERENCE_NAMES[key]) for key in answer.differences)
        return _("Mã QR khác dữ liệu BHXH (%(fields)s) — các dòng trên theo dữ liệu BHXH", fields=named)
    words = {
        "match": _("Khớp với dữ liệu BHXH"),
        "differs": _("Khác dữ liệu BHXH — đối chiếu giấy tờ tùy thân"),
        "not_found": _("Không tìm thấy trong dữ liệu BHXH"),
    }
    return words.get(answer.registry, "")


def _checkin(answer):
    checkin = answer.checkin
    if checkin is None:
        return ""
    when = vn_datetime(checkin.scanned_at)
    if answer.checkin_created:
        return _("Đã ghi nhận lúc %(when)s", when=when)
    return _("Đã tiếp đón lúc %(when)s (quét lại: cùng một lượt)", when=when)


def _say(answer):
    """The verdict's sentence; for a QR that cannot be read, what is wrong with it; for a chip
    CCCD, what the registry said."""
    verdict = answer.verdict
    if verdict["status"] == "cccd":
        return {
            "match": _(
                "CCCD gắn chip: tìm thấy thẻ BHYT — không có chữ ký số, đối chiếu CCCD với người bệnh."
            ),
            "differs": _("Họ tên hoặc ngày sinh trên CCCD không khớp dữ liệu BHXH."),
        }.get(answer.registry, _("Không tìm thấy thẻ BHYT theo số CCCD này."))
    if verdict["status"] == "unreadable":
        return str(verdicts.problem_message(verdict["problem"]))
    return str(verdicts.message(verdict["status"]))


def _notes(answer):
    verdict = answer.verdict
    notes = [str(verdicts.REPAIR_TEXT[r]) for r in verdict.get("repairs") or () if r in verdicts.REPAIR_TEXT]
    if answer.refused is not None:
        notes.append(str(answer.refused))
    return notes


def shown(answer):
    """The page's context for an answer: `rows` (text per row; empty rows are hidden), `tone`,
    `notes` (repairs made to the scan, why no check-in was recorded)."""
    verdict = answer.verdict
    card_qr = answer.shown or {}
    card = answer.card
    facility = card_qr.get("facility_printed") or (card.facility.printed_code if card else "")
    if answer.facility is not None:
        facility = f"{facility} · {answer.facility.name}"
    valid_to = _day(card_qr.get("valid_to"))
    validity = f"{_day(card_qr.get('valid_from'))} – {valid_to}" if valid_to else ""
    if not valid_to and card_qr.get("valid_from"):
        validity = _("từ %(day)s", day=_day(card_qr["valid_from"]))
    today = answer.valid_today
    own = answer.own_facility
    rows = {
        "say": _say(answer),
        "name": card_qr.get("full_name") or (verdict.get("cccd") or {}).get("full_name") or "",
        "birth": card_qr.get("birth") or "",
        "sex": str(SEX_LABELS.get(card_qr.get("sex"), "")),
        "number": card_qr.get("number") or "",
        "level": _level(card_qr, card),
        "validity": validity,
        "today": ""
        if today is None
        else _("Còn giá trị sử dụng")
        if today
        else _("Không còn giá trị sử dụng hôm nay"),
        "facility": facility,
        "own": ""
        if own is None
        else _("Đúng nơi đăng ký KCB ban đầu")
        if own
        else _("Đăng ký KCB ban đầu ở cơ sở khác"),
        "five_years": _day(card_qr.get("five_years_on")),
        "registry": _registry(answer),
        "as_of": vn_datetime(answer.as_of) if answer.as_of else "",
        "checkin": _checkin(answer),
    }
    return {"rows": rows, "tone": tone(answer), "notes": _notes(answer)}
