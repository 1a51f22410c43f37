"""ID and portrait photos: accept JPEG/PNG/WebP up to 10 MB, fix orientation, strip metadata,
re-encode to a JPEG no wider or taller than 1600 px and about 300 KB at most."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
TARGET_BYTES = 300 * 1024
MIN_SIDE = 300  # below this an ID card cannot be read
MAX_PIXELS = 50_000_000  # a 50-megapixel camera is the most a phone has; more is a bomb
ACCEPTED = {"JPEG", "PNG", "WEBP"}


class PhotoError(ValueError):
    """The file cannot be used; str(error) is the message to show."""


def process(data):
    """The re-encoded JPEG bytes and (width, height) of an uploaded photo."""
    if not data:
        raise PhotoError("Chưa chọn ảnh.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError("Ảnh lớn hơn 10 MB. Hãy chụp lại với độ phân giải thấp hơn.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED:
                raise PhotoError("Chỉ nhận ảnh JPEG, PNG hoặc WebP.")
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("Ảnh có kích thước quá lớn, không xử lý được.")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError("Ảnh có kích thước quá lớn, không xử lý được.") from None
        except UnidentifiedImageError:
            raise PhotoError("Tệp này không phải là ảnh. Chỉ nhận ảnh JPEG, PNG hoặc WebP.") from None
        except OSError:
            raise PhotoError("Ảnh bị hỏng hoặc tải lên chưa hết. Vui lòng chọn lại ảnh.") from None
    if min(image.size) < MIN_SIDE:
        raise PhotoError("Ảnh quá nhỏ, không đọc được thông tin. Hãy chụp lại gần hơn, rõ nét.")
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    while True:
        for quality in (85, 75, 65, 55, 45):
            data = _jpeg(image, quality)
            if len(data) <= TARGET_BYTES:
                return data, image.size
        # Still too big (a very detailed or noisy picture): make it smaller, keep it legible.
        image = image.resize((int(image.width * 0.8), int(image.height * 0.8)),
                             Image.Resampling.LANCZOS)


def _jpeg(image, quality):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
