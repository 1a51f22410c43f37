"""The dossier's words: its codes (as stored) and the one translated name of each.

Templates (through the Dossier and draft properties), forms (their choices) and code all read
these tables, so a state's name is written once."""

from flask_babel import lazy_gettext as _l

# Processing states (Tình trạng) and staff's evaluation (Trạng thái), as on the staff list.
WAITING, RECEIVED, APPROVED, DELETED = "cho_tiep_nhan", "da_tiep_nhan", "da_duyet", "da_xoa"
PENDING_STATES = (WAITING, RECEIVED)
VALID, INVALID = "hop_le", "khong_hop_le"
AT_OFFICE, BY_POST = "tai_co_quan", "buu_chinh"
PORTAL, IVAN = "cong_bhxh", "ivan"

STATUS_LABELS = {
    WAITING: _l("Chờ tiếp nhận"),
    RECEIVED: _l("Đã tiếp nhận"),
    APPROVED: _l("Đã duyệt"),
    DELETED: _l("Đã xoá"),
}
EVALUATION_LABELS = {VALID: _l("Hồ sơ hợp lệ"), INVALID: _l("Hồ sơ không hợp lệ")}
SUBMISSION_LABELS = {AT_OFFICE: _l("Tại nơi tiếp nhận hồ sơ"), BY_POST: _l("Qua dịch vụ bưu chính công ích")}
CHANNEL_LABELS = {
    PORTAL: _l("Cổng thông tin điện tử của Bảo hiểm xã hội Việt Nam"),
    IVAN: _l("Tổ chức I-VAN"),
}


def channel_label(channel, ivan_name=""):
    """Where the person registers for e-transactions: the portal, or 'Tổ chức I-VAN: <name>'."""
    label = CHANNEL_LABELS.get(channel, CHANNEL_LABELS[PORTAL])
    return f"{label}: {ivan_name}" if channel == IVAN else label
