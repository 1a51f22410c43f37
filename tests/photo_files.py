"""Photo files for the upload tests, made byte by byte where Pillow would need the memory the
test is about (a 7000×7000 PNG is written as a stream of blank rows)."""

import io
import random
import struct
import zlib

from PIL import Image

NAME_AND_PHONE = "Nguyễn Văn An 0912345678"


def chunk(kind, data):
    """One PNG chunk."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, color_type=2, bit_depth=8, before=(), after=(), rows=None):
    """A PNG of blank rows (all of them unless `rows`), with chunks `before` and `after` IDAT."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    row = bytes(1 + (width * channels * bit_depth + 7) // 8)
    stream = zlib.compressobj(1)
    idat = b"".join(stream.compress(row) for _ in range(height if rows is None else rows))
    idat += stream.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    body = [chunk(b"IHDR", header), *before, chunk(b"IDAT", idat), *after, chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(body)


def insert_chunks(data, chunks):
    """A PNG with `chunks` inserted just after its IHDR."""
    end = 8 + 8 + 13 + 4
    return data[:end] + b"".join(chunks) + data[end:]


def ztxt(key, text):
    """A compressed text chunk."""
    return chunk(b"zTXt", key + b"\0\0" + zlib.compress(text, 9))


def itxt(key, text):
    """A compressed international text chunk."""
    return chunk(b"iTXt", key + b"\0\1\0\0\0" + zlib.compress(text, 9))


def webp_header(width, height):
    """A lossless WebP declaring `width`×`height`, with hardly any data after its header."""
    bits = (width - 1) | (height - 1) << 14
    body = b"\x2f" + bits.to_bytes(4, "little") + bytes(64)
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBPVP8L" + struct.pack("<I", len(body)) + body


def picture(width, height, mode="RGB", seed=1):
    """Something like a photo: smooth colour with a little noise, so it compresses like one."""
    small = Image.frombytes("RGB", (16, 12), random.Random(seed).randbytes(16 * 12 * 3))
    image = small.resize((width, height), Image.Resampling.BILINEAR)
    return image.convert(mode) if mode != "RGB" else image


def noise(width, height, seed=1):
    """A picture that does not compress: the biggest file for its size."""
    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


def encode(image, fmt="JPEG", **options):
    """`image` saved as `fmt`."""
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def with_size(jpeg, width, height):
    """The JPEG with other dimensions in its frame header (the data then runs short)."""
    data = bytearray(jpeg)
    pos = 2
    while data[pos + 1] not in (0xC0, 0xC1, 0xC2):
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def app_segment(marker, payload):
    """A JPEG APPn/COM segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert_segments(jpeg, segments):
    """A JPEG with `segments` just after its SOI."""
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def segments(jpeg):
    """(marker, payload) of each segment before the image data of a JPEG."""
    found, pos = [], 2
    while jpeg[pos] == 0xFF and jpeg[pos + 1] != 0xDA:
        length = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        found.append((jpeg[pos + 1], jpeg[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return found


def exif(orientation=None):
    """EXIF with a camera make, a GPS position and the owner's name and phone."""
    data = Image.Exif()
    data[0x010F] = "PhoneMaker"
    data[0x013B] = NAME_AND_PHONE  # Artist
    data[0x8825] = {2: (21.0, 1.0, 30.0)}
    if orientation:
        data[0x0112] = orientation
    return data


def xmp():
    """An XMP packet naming the owner."""
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>'
        + NAME_AND_PHONE.encode()
        + b"</dc:creator></x:xmpmeta>"
    )
