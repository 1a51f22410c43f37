"""Uploaded pictures (ID photos, a news post's picture): accept JPEG (a camera's two-frame MPO
too), PNG and WebP up to 10 MB, fix the orientation, drop every metadata block, re-encode to a
JPEG within a `Fit` (the largest side, the most bytes, the smallest side that is still legible).
Moved here from vss/dossiers so news (vss/support) can use it without an upward import; the ID
photo's own Fit is vss/dossiers/photos.py.

A worker may grow by 64 MiB per upload (ARCHITECTURE.md, Budgets), and a small file can
declare a huge picture. So the file's headers are read first (photo_headers) and a file whose
decoding would hold more than MEMORY_BUDGET is refused before Pillow allocates anything. A JPEG
is decoded at 1/2, 1/4 or 1/8 scale by libjpeg (`draft`) when that still leaves 1600 px, which
is how a 50 or 108 MP camera photo fits; PNG and WebP cannot be, so their size is what counts.
The picture is then converted and resized a band of rows at a time, never copied whole."""

import io
import math
import struct
import threading
import warnings
import zlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, UnidentifiedImageError

from vss.core import image_headers as headers
from vss.core.errors import UserError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_DECODING = threading.BoundedSemaphore(1)  # per process: a budget for the worker, not the upload
WAIT_SECONDS = 60
MEMORY_BUDGET = 52 * 1024 * 1024  # what decoding may hold; the rest of the 64 MiB is Python's
BAND_ROWS = 32  # output rows made at a time
ORIENTATION_TAG = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Fit:
    """What a re-encoded picture may be: its largest side, its most bytes, and the smallest side
    a picture must have to be of use."""

    max_side: int
    target_bytes: int
    min_side: int


NO_FILE = _l("Chưa chọn ảnh.")
FILE_TOO_BIG = _l("Ảnh lớn hơn 10 MB. Hãy chụp lại với độ phân giải thấp hơn.")
WRONG_FORMAT = _l("Chỉ nhận ảnh JPEG, PNG hoặc WebP.")
NOT_AN_IMAGE = _l("Tệp này không phải là ảnh. Chỉ nhận ảnh JPEG, PNG hoặc WebP.")
BROKEN = _l("Ảnh bị hỏng hoặc tải lên chưa hết. Vui lòng chọn lại ảnh.")
TOO_MANY_PIXELS = _l(
    "Ảnh có kích thước quá lớn, không xử lý được. Hãy gửi ảnh JPEG chụp bằng điện thoại, hoặc ảnh nhỏ hơn."
)
TOO_MUCH_METADATA = _l(
    "Ảnh chứa quá nhiều thông tin kèm theo, không xử lý được. Hãy lưu lại thành ảnh JPEG rồi gửi lại."
)
BUSY = _l("Máy chủ đang xử lý nhiều ảnh. Vui lòng gửi lại sau ít phút; các thông tin khác vẫn được giữ.")
TOO_SMALL = _l("Ảnh quá nhỏ, không đọc được thông tin. Hãy chụp lại gần hơn, rõ nét.")


def process(upload, fit):
    """The re-encoded JPEG bytes and (width, height) of an uploaded picture, within `fit`. `upload` is the
    file's bytes or a seekable binary file, which is read as a stream, never whole. A file that
    cannot be used raises UserError (code 'photo') saying why."""
    fp = io.BytesIO(upload) if isinstance(upload, (bytes, bytearray)) else upload
    fp.seek(0, io.SEEK_END)
    length = fp.tell()
    if not length:
        raise UserError(NO_FILE, code="photo")
    if length > MAX_UPLOAD_BYTES:
        raise UserError(FILE_TOO_BIG, code="photo")
    fp.seek(0)
    # One photo at a time per worker process: each may hold up to the memory budget, and a
    # worker serves many threads — twelve uploads at once would otherwise hold twelve budgets.
    if not _DECODING.acquire(timeout=WAIT_SECONDS):
        raise UserError(BUSY, code="photo")
    try:
        photo, orientation = _shrink(fp, fit)
        if orientation in TRANSPOSE:
            photo = photo.transpose(TRANSPOSE[orientation])
        return _compress(photo, fit.target_bytes)
    finally:
        _DECODING.release()


def _shrink(fp, fit):
    """The photo in RGB within fit.max_side, and its EXIF orientation. The decoded picture is
    freed on return, before the output is turned and encoded."""
    image = _decode(fp, fit)
    return _fit(image, _fit_size(image.size, fit.max_side)), _orientation(image)


def _decode(fp, fit):
    """The picture, decoded no larger than needed."""
    try:
        header = headers.read(fp)
    except headers.TooMuchMetadata:
        raise UserError(TOO_MUCH_METADATA, code="photo") from None
    except headers.Broken:
        raise UserError(BROKEN, code="photo") from None
    if header is None:
        raise UserError(WRONG_FORMAT if headers.other_image(fp) else NOT_AN_IMAGE, code="photo")
    if min(header.size) < fit.min_side:
        raise UserError(TOO_SMALL, code="photo")
    if header.format != "JPEG":
        _check_memory(header, header.size, fit.max_side)  # before Pillow: libwebp allocates on open
    fp.seek(0)
    # WeasyPrint sets this process-wide switch when it is imported (the Mẫu 01 PDF): a half
    # uploaded photo would then be padded with grey and accepted. Ours to decide, every time.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        # _check_memory is the limit: Pillow's bomb warning would also fire for a 108 MP
        # camera JPEG, which draft decodes at 1/8 into less than 4 MP.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(fp, formats=[header.format])
            if image.size != header.size:
                raise UserError(BROKEN, code="photo")
            image.draft(None, _fit_size(image.size, fit.max_side))  # JPEG only: at 1/2, 1/4 or 1/8 scale
            _check_memory(header, image.size, fit.max_side)
            image.load()
        except UserError:
            raise
        except Image.DecompressionBombError:
            raise UserError(TOO_MANY_PIXELS, code="photo") from None
        except (UnidentifiedImageError, OSError, ValueError, EOFError, struct.error, zlib.error):
            raise UserError(BROKEN, code="photo") from None
    return image


def _orientation(image):
    """The EXIF orientation, or None; a damaged EXIF block leaves the photo as stored."""
    try:
        return image.getexif().get(ORIENTATION_TAG)
    except (SyntaxError, ValueError, OSError, EOFError, struct.error):
        return None


def _check_memory(header, decoded_size, max_side):
    """Refuse a picture whose decoding would hold more than MEMORY_BUDGET."""
    width, height = decoded_size
    fit_width, fit_height = _fit_size(decoded_size, max_side)
    band_rows = BAND_ROWS * height / fit_height + 2 * _margin(height / fit_height)
    # After decoding: the output, and a band as cropped, converted and half resized.
    making = fit_width * fit_height * 4 + band_rows * (width * 8 + fit_width * 4)
    need = width * height * header.bytes_per_pixel + header.retained + max(header.decoding, making)
    if need > MEMORY_BUDGET:
        raise UserError(TOO_MANY_PIXELS, code="photo")


def _fit_size(size, max_side):
    """`size` shrunk to fit max_side × max_side, keeping its shape."""
    scale = min(1.0, max_side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _margin(scale):
    """Source rows a Lanczos filter reads beyond a band's edge when shrinking by `scale`."""
    return math.ceil(3 * max(scale, 1.0)) + 2


def _fit(image, size):
    """`image` as RGB at `size`, a band of rows at a time: resizing it in one go would hold a
    second copy of nearly the decoded size. Each band is cut with the rows the filter reads
    around it, so bands join without a seam."""
    width, height = size
    scale = image.height / height
    margin = _margin(scale)
    photo = Image.new("RGB", size)
    for top in range(0, height, BAND_ROWS):
        bottom = min(top + BAND_ROWS, height)
        first = max(0, int(top * scale) - margin)
        last = min(image.height, math.ceil(bottom * scale) + margin)
        band = _rgb(image.crop((0, first, image.width, last)))
        box = (0, top * scale - first, image.width, bottom * scale - first)
        photo.paste(band.resize((width, bottom - top), Image.Resampling.LANCZOS, box=box), (0, top))
    return photo


def _rgb(image):
    """`image` in RGB; what is transparent becomes white (an ID photo on a white page)."""
    if image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba)
        return white
    return image.convert("RGB")


def _compress(photo, target_bytes):
    """The photo as a JPEG of at most `target_bytes`, and its size. `photo` is a new image, so
    it has no EXIF, XMP, ICC profile or comment to carry over."""
    while True:
        for quality in (85, 75, 65, 55, 45):
            data = _jpeg(photo, quality)
            if len(data) <= target_bytes:
                return data, photo.size
        # Still too big (a very detailed or noisy picture): make it smaller, keep it legible.
        photo = photo.resize((int(photo.width * 0.8), int(photo.height * 0.8)), Image.Resampling.LANCZOS)


def _jpeg(photo, quality):
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
