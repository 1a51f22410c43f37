"""Why a scanned QR cannot be read, as a stable key for code (`reason`, and `part` when one field
is at fault) and a lazily translated sentence for the person at the counter. The same keys come
out of the browser's reader (vss/static/js/kiosk-verify.js), so a page can show the same words
online and offline (vss.kiosk.verdict.texts)."""

from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError

REASONS = {
    "empty": _l("Chưa nhận được mã nào (chỉ có phím Enter). Hãy đưa mã QR vào trước máy quét."),
    "too_long": _l("Dữ liệu nhận được quá dài: đây không phải mã QR thẻ BHYT hay CCCD."),
    "two_codes": _l("Nhận được hai mã liền nhau. Hãy xoá ô nhập và quét lại từng mã một."),
    "trailing": _l("Có ký tự thừa sau mã QR. Hãy xoá ô nhập và quét lại."),
    "truncated": _l("Mã QR bị cắt ngang (thiếu phần cuối). Hãy quét lại, giữ yên thẻ đến khi máy kêu bíp."),
    "keyboard_layout": _l(
        "Máy quét đang gõ sai kiểu bàn phím (máy tính đang để bàn phím Pháp, Đức, Anh…). "
        "Hãy chuyển bàn phím của máy tính sang English (US) rồi quét lại."
    ),
    "input_method": _l(
        "Máy quét đang gõ qua bộ gõ tiếng Việt (Telex/VNI) nên mã bị đổi thành chữ có dấu. "
        "Hãy tắt bộ gõ tiếng Việt (chuyển sang E) rồi quét lại."
    ),
    "no_unicode": _l(
        "Máy quét không gõ được chữ tiếng Việt có dấu (hiện thành dấu ?). "
        "Hãy bật chế độ Unicode (UTF-8) của máy quét, hoặc nhập tay."
    ),
    "case_changed": _l(
        "Máy quét đang tự đổi chữ hoa / chữ thường nên không kiểm được chữ ký số. "
        "Hãy tắt chế độ đổi chữ của máy quét rồi quét lại."
    ),
    "number_only": _l("Đây chỉ là một dãy số, không phải mã QR. Hãy quét mã QR trên thẻ BHYT hoặc CCCD."),
    "not_a_card": _l("Không đọc được mã QR. Hãy quét mã QR trên thẻ BHYT hoặc trên CCCD gắn chip."),
    "too_few_fields": _l("Mã QR thẻ BHYT thiếu trường thông tin. Hãy đối chiếu thẻ giấy."),
}

# The parts of a card QR a message can name (BHYT fields, then the chip CCCD's).
PARTS = {
    "number": _l("số thẻ"),
    "full_name": _l("họ tên"),
    "birth": _l("ngày sinh"),
    "sex": _l("giới tính"),
    "address": _l("địa chỉ"),
    "facility": _l("nơi đăng ký khám chữa bệnh ban đầu"),
    "valid_from": _l("ngày bắt đầu có giá trị"),
    "valid_to": _l("ngày hết giá trị"),
    "issued_on": _l("ngày cấp"),
    "five_years_on": _l("thời điểm đủ 5 năm liên tục"),
    "parent_name": _l("họ tên cha, mẹ hoặc người giám hộ"),
    "issue_place": _l("nơi cấp"),
    "cccd": _l("số CCCD"),
    "cmnd": _l("số CMND cũ"),
}


def reason_text(reason, part=None):
    """The sentence for a reason; 'bad_field' (a BHYT card QR) and 'bad_cccd_field' (a chip CCCD
    QR) name the part at fault."""
    if reason == "bad_field":
        return _l(
            "Mã QR thẻ BHYT bị hỏng ở phần %(what)s. Hãy quét lại hoặc đối chiếu thẻ giấy.", what=PARTS[part]
        )
    if reason == "bad_cccd_field":
        return _l("Mã QR trên CCCD bị hỏng ở phần %(what)s. Hãy quét lại.", what=PARTS[part])
    return REASONS[reason]


class QrError(UserError):
    """Not a QR we can read. `reason` (a key of REASONS) and `part` (a key of PARTS or None) are
    for code; `message` is what to show, in the reader's language; `code` is 'unreadable'."""

    def __init__(self, reason, part=None):
        self.reason, self.part = reason, part
        super().__init__(reason_text(reason, part), code="unreadable")
