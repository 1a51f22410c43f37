"""Error pages in the user's language; a CSRF failure explains itself instead of a bare 400."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Yêu cầu không đúng định dạng. Vui lòng thử lại.")),
    403: (_l("Không có quyền truy cập"), _l("Bạn không có quyền xem trang này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không hỗ trợ thao tác vừa thực hiện.")),
    413: (_l("Tệp quá lớn"), _l("Dữ liệu gửi lên vượt quá dung lượng cho phép.")),
    429: (_l("Quá nhiều yêu cầu"), _l("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.")),
    500: (
        _l("Lỗi hệ thống"),
        _l("Đã có lỗi xảy ra. Dữ liệu bạn nhập chưa bị mất; vui lòng thử lại sau ít phút."),
    ),
}
CSRF_MESSAGE = (
    _l("Phiên làm việc đã hết hạn"),
    _l("Trang đã mở quá lâu hoặc phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại."),
)


def _render(code, title, message):
    return render_template("errors/error.html", title=title, message=message), code


def init_app(app):
    """Register the handlers."""
    for code, (title, message) in MESSAGES.items():
        app.register_error_handler(code, lambda error, c=code, t=title, m=message: _render(c, t, m))
    app.register_error_handler(CSRFError, lambda error: _render(400, *CSRF_MESSAGE))
