"""The words of phản ánh, kiến nghị: its states, the departments of an office that handle it
(seed 000 §5 b–đ) and the topics a person chooses, each routed to one department."""

from flask_babel import lazy_gettext as _l

from vss.core.errors import UserError

UNCONFIRMED, NEW, ASSIGNED, ANSWERED = "cho_xac_thuc", "moi", "dang_xu_ly", "da_tra_loi"
STATE_LABELS = {
    UNCONFIRMED: _l("Chưa xác thực"),
    NEW: _l("Mới tiếp nhận"),
    ASSIGNED: _l("Đang xử lý"),
    ANSWERED: _l("Đã trả lời"),
}
OPEN_STATES = (NEW, ASSIGNED)

# The departments of seed 000 §5 b–đ, and the app itself to IT (§5 đ).
RECORDS, BHXH_POLICY, BHYT_POLICY, IT = "thu_so_the", "cs_bhxh", "cs_bhyt", "cntt"
DEPARTMENT_LABELS = {
    RECORDS: _l("Ban Quản lý Thu - Sổ, Thẻ"),
    BHXH_POLICY: _l("Ban Thực hiện chính sách BHXH"),
    BHYT_POLICY: _l("Ban Thực hiện chính sách BHYT"),
    IT: _l("Bộ phận Công nghệ thông tin"),
}
# topic: (its name, the department that handles it)
TOPICS = {
    "thong_tin_ca_nhan": (_l("Thông tin cá nhân"), RECORDS),
    "qua_trinh_tham_gia": (_l("Quá trình tham gia BHXH, BHYT, BHTN"), RECORDS),
    "the_bhyt": (_l("Thông tin trên thẻ BHYT"), RECORDS),
    "che_do": (_l("Hưởng chế độ BHXH, bảo hiểm thất nghiệp"), BHXH_POLICY),
    "kham_chua_benh": (_l("Khám, chữa bệnh BHYT"), BHYT_POLICY),
    "ung_dung": (_l("Ứng dụng VssID, trang web này"), IT),
}

CHOOSE_TOPIC = _l("Vui lòng chọn nội dung phản ánh, kiến nghị.")


def department_of(topic):
    """The department that handles a topic (seed 000 §5)."""
    if topic not in TOPICS:
        raise UserError(CHOOSE_TOPIC, field="topic", code="topic")
    return TOPICS[topic][1]
