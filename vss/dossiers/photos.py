"""ID and portrait photos: the picture pipeline of vss/core/images.py, fitted to an ID card — no
wider or taller than 1600 px, about 300 KB at most, and at least 300 px on its short side."""

from flask_babel import lazy_gettext as _l

from vss.core import images

MAX_UPLOAD_BYTES = images.MAX_UPLOAD_BYTES
MAX_SIDE = 1600
TARGET_BYTES = 300 * 1024
MIN_SIDE = 300  # below this an ID card cannot be read
ID_PHOTO = images.Fit(max_side=MAX_SIDE, target_bytes=TARGET_BYTES, min_side=MIN_SIDE)

REQUEST_TOO_BIG = _l(
    "Các ảnh gửi lên vượt quá dung lượng cho phép nên chưa ảnh nào được nhận. "
    "Mỗi ảnh tối đa 10 MB: hãy chọn ảnh nhỏ hơn hoặc chụp lại với độ phân giải "
    "thấp hơn."
)


def process(upload):
    """The re-encoded JPEG bytes and (width, height) of an uploaded ID photo (UserError, code
    'photo', when it cannot be used)."""
    return images.process(upload, ID_PHOTO)
