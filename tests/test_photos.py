"""Photo processing: orientation fixed, metadata gone, ≤ 1600 px, ≈ ≤ 300 KB; bad files refused."""

import io
import os

import pytest
from PIL import Image

from vss import photos
from vss.photos import PhotoError


def _camera_photo(width=4000, height=3000, fmt="JPEG", orientation=None):
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (21.0, 1.0, 30.0)}  # GPS latitude
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif, quality=95) if fmt == "JPEG" else image.save(out, fmt)
    return out.getvalue()


def test_camera_photo_is_shrunk_and_stripped():
    data, size = photos.process(_camera_photo(2000, 1500))
    assert max(size) <= photos.MAX_SIDE
    assert len(data) <= photos.TARGET_BYTES
    out = Image.open(io.BytesIO(data))
    assert out.format == "JPEG" and not out.getexif()


def test_orientation_is_applied():
    _, size = photos.process(_camera_photo(800, 400, orientation=6))  # rotated 90° on the phone
    assert size == (400, 800)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_become_jpeg(fmt):
    data, _ = photos.process(_camera_photo(600, 400, fmt=fmt))
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_transparent_png_gets_a_white_background():
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    data, _ = photos.process(out.getvalue())
    assert Image.open(io.BytesIO(data)).getpixel((5, 5))[0] > 240


def test_too_small_to_read_is_refused():
    with pytest.raises(PhotoError, match="quá nhỏ"):
        photos.process(_camera_photo(20, 20))


@pytest.mark.parametrize("data, message", [
    (b"", "Chưa chọn"),
    (b"%PDF-1.4 not an image", "không phải là ảnh"),
    (b"x" * (photos.MAX_UPLOAD_BYTES + 1), "10 MB"),
])
def test_bad_files(data, message):
    with pytest.raises(PhotoError, match=message):
        photos.process(data)


def test_truncated_file():
    data = _camera_photo(600, 400)
    with pytest.raises(PhotoError, match="bị hỏng"):
        photos.process(data[: len(data) // 2])


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (400, 400)).save(out, "GIF")
    with pytest.raises(PhotoError, match="JPEG, PNG hoặc WebP"):
        photos.process(out.getvalue())


def test_decompression_bomb():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(PhotoError, match="quá lớn"):
        photos.process(out.getvalue())
