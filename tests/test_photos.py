"""Photo processing: orientation fixed, metadata gone, ≤ 1600 px, ≈ ≤ 300 KB; bad files refused."""

import io
import os
import tempfile
import zlib

import pytest
from PIL import Image, ImageCms

from tests import photo_files
from tests.photo_files import NAME_AND_PHONE
from vss.core.errors import UserError
from vss.dossiers import photos


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
    with pytest.raises(UserError, match="quá nhỏ"):
        photos.process(_camera_photo(20, 20))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Chưa chọn"),
        (b"%PDF-1.4 not an image", "không phải là ảnh"),
        (b"x" * (photos.MAX_UPLOAD_BYTES + 1), "10 MB"),
    ],
)
def test_bad_files(data, message):
    with pytest.raises(UserError, match=message):
        photos.process(data)


def test_truncated_file():
    data = _camera_photo(600, 400)
    with pytest.raises(UserError, match="bị hỏng"):
        photos.process(data[: len(data) // 2])


def test_truncated_file_after_a_pdf_was_drawn():
    """WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported."""
    import weasyprint  # noqa: F401 - imported for its side effect, as the Mẫu 01 PDF does

    data = _camera_photo(600, 400)
    with pytest.raises(UserError, match="bị hỏng"):
        photos.process(data[: len(data) // 2])


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (400, 400)).save(out, "GIF")
    with pytest.raises(UserError, match="JPEG, PNG hoặc WebP"):
        photos.process(out.getvalue())


def test_decompression_bomb():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(UserError, match="quá lớn"):
        photos.process(out.getvalue())


def _no_metadata(data):
    """The output has only what a JPEG needs to be drawn: no EXIF, XMP, ICC, MPF, IPTC, comment."""
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    markers = {marker for marker, _ in photo_files.segments(data)}
    assert markers <= {0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD}, sorted(hex(m) for m in markers)
    for secret in (NAME_AND_PHONE.encode(), b"0912345678", b"PhoneMaker", b"ICC_PROFILE"):
        assert secret not in data


def test_jpeg_metadata_is_gone():
    image = photo_files.picture(1200, 900)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = photo_files.encode(
        image,
        exif=photo_files.exif(),
        icc_profile=icc,
        xmp=photo_files.xmp(),
        comment=NAME_AND_PHONE.encode(),
    )
    data = photo_files.insert_segments(
        data, [photo_files.app_segment(0xED, b"Photoshop 3.0\0" + NAME_AND_PHONE.encode())]
    )
    _no_metadata(photos.process(data)[0])


def test_png_metadata_is_gone():
    data = photo_files.encode(photo_files.picture(800, 600), "PNG", exif=photo_files.exif())
    data = photo_files.insert_chunks(
        data,
        [
            photo_files.chunk(b"tEXt", b"Author\0" + NAME_AND_PHONE.encode("latin-1", "replace")),
            photo_files.ztxt(b"Comment", NAME_AND_PHONE.encode()),
            photo_files.itxt(b"XML:com.adobe.xmp", photo_files.xmp()),
        ],
    )
    _no_metadata(photos.process(data)[0])


def test_webp_metadata_is_gone():
    data = photo_files.encode(
        photo_files.picture(800, 600), "WEBP", exif=photo_files.exif(), xmp=photo_files.xmp()
    )
    _no_metadata(photos.process(data)[0])


def test_big_compressed_text_chunk_is_refused_not_a_crash():
    data = photo_files.encode(photo_files.picture(800, 600), "PNG")
    data = photo_files.insert_chunks(data, [photo_files.ztxt(b"Comment", b"a" * 2_000_000)])
    with pytest.raises(UserError, match="thông tin kèm theo"):
        photos.process(data)


def test_camera_mpo_is_taken_as_its_first_frame():
    first, second = Image.new("RGB", (800, 600), (200, 30, 30)), Image.new("RGB", (800, 600), "blue")
    data = photo_files.encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    out, size = photos.process(data)
    assert size == (800, 600)
    assert Image.open(io.BytesIO(out)).getpixel((400, 300))[0] > 150
    _no_metadata(out)


def test_orientation_is_applied_to_a_big_camera_photo():
    data = photo_files.encode(photo_files.picture(4000, 3000), exif=photo_files.exif(orientation=6))
    assert photos.process(data)[1] == (1200, 1600)


def test_damaged_exif_leaves_the_photo_as_stored():
    data = photo_files.insert_segments(
        photo_files.encode(photo_files.picture(800, 600)),
        [photo_files.app_segment(0xE1, b"Exif\0\0not a TIFF header at all")],
    )
    out, size = photos.process(data)
    assert size == (800, 600)
    _no_metadata(out)


def test_16_bit_png_keeps_its_tones():
    gray = photo_files.png(400, 400, color_type=0, bit_depth=16)
    gray = gray.replace(
        gray[gray.index(b"IDAT") - 4 : gray.index(b"IEND") - 4],
        photo_files.chunk(b"IDAT", zlib.compress((b"\0" + b"\x80\x00" * 400) * 400)),
    )
    out, _ = photos.process(gray)
    assert 120 < Image.open(io.BytesIO(out)).convert("L").getpixel((200, 200)) < 136


def test_cmyk_jpeg():
    data = photo_files.encode(Image.new("CMYK", (600, 400), (0, 255, 255, 0)))  # red in print inks
    red, green, blue = Image.open(io.BytesIO(photos.process(data)[0])).getpixel((300, 200))
    assert red > 200 and green < 60 and blue < 60


def test_palette_png_with_transparency_gets_a_white_background():
    image = Image.new("P", (400, 400), 1)
    image.putpalette([0, 0, 0, 0, 0, 255])
    data = photo_files.encode(image, "PNG", transparency=0)
    image.paste(0, (0, 0, 200, 400))
    data = photo_files.encode(image, "PNG", transparency=0)
    out = Image.open(io.BytesIO(photos.process(data)[0]))
    assert out.getpixel((50, 200))[0] > 240 and out.getpixel((350, 200))[2] > 200


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animation_gives_its_first_frame(fmt):
    frames = [Image.new("RGB", (600, 400), color) for color in ((220, 20, 20), (20, 20, 220))]
    data = photo_files.encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    red, _, blue = Image.open(io.BytesIO(photos.process(data)[0])).getpixel((300, 200))
    assert red > 180 and blue < 80


def test_a_file_object_is_read_as_a_stream():
    data = photo_files.encode(photo_files.picture(2000, 1500))
    with tempfile.TemporaryFile() as upload:
        upload.write(data)
        upload.seek(0)
        assert photos.process(upload)[1] == (1600, 1200)
        upload.write(b"x" * photos.MAX_UPLOAD_BYTES)
        upload.seek(0)
        with pytest.raises(UserError, match="10 MB"):
            photos.process(upload)
