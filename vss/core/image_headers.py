"""What a JPEG, PNG or WebP file declares about itself, read from its headers without decoding
it: the picture's size and what decoding it will hold in memory. A 50 KB file can declare a
picture of 7000×7000 pixels, or a megabyte of text per chunk; images.py refuses such a file on
these figures before Pillow reads it (Pillow would allocate first, and WebP already on open)."""

import struct
import zlib
from dataclasses import dataclass

MAX_TEXT_CHUNK = 1024 * 1024  # Pillow refuses (ValueError) a PNG text chunk inflating past this
MAX_METADATA = 4 * 1024 * 1024  # a camera writes tens of KB; a depth map a few hundred
OBJECT_BYTES = 256  # the Python objects Pillow makes for each metadata block, roughly
MAX_BLOCKS = 65536  # chunks or segments: more is a slow walk, never a photo
SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}
OTHER_IMAGES = (b"GIF8", b"BM", b"II*\0", b"MM\0*", b"\0\0\0\x0cjP")


class Broken(Exception):
    """The headers are not what the format says they must be."""


class TooMuchMetadata(Exception):
    """The file carries more metadata (text, EXIF, XMP, ICC…) than a photo does."""


@dataclass
class Header:
    """A file's format, picture size and the memory its decoding will hold besides the pixels."""

    format: str
    size: tuple
    bytes_per_pixel: int  # as Pillow stores the decoded picture
    decoding: int = 0  # held only while decoding (libjpeg's whole-image buffer)
    retained: int = 0  # held as long as the picture (metadata, WebP's decoder and copy)


def read(fp):
    """The Header of a JPEG, PNG or WebP file, or None for any other file."""
    head = fp.read(16)
    try:
        if head[:3] == b"\xff\xd8\xff":
            return _jpeg(fp)
        if head[:8] == b"\x89PNG\r\n\x1a\n":
            return _png(fp)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp(fp, total=fp.seek(0, 2))
    except (struct.error, zlib.error, IndexError):
        raise Broken from None
    return None


def other_image(fp):
    """Whether the file is an image in a format we do not take (GIF, BMP, TIFF, HEIC…)."""
    fp.seek(0)
    head = fp.read(16)
    return head.startswith(OTHER_IMAGES) or head[4:8] == b"ftyp"


def _jpeg(fp):
    fp.seek(2)
    metadata, frame = 0, None
    for _ in range(MAX_BLOCKS):
        if fp.read(1) != b"\xff":
            raise Broken  # Pillow would crawl through junk a byte at a time
        marker = fp.read(1)[0]
        while marker == 0xFF:  # fill bytes
            marker = fp.read(1)[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue
        length = struct.unpack(">H", fp.read(2))[0] - 2
        if marker == 0xDA:
            if frame is None:
                raise Broken
            return _jpeg_header(*frame, scan_components=fp.read(1)[0], metadata=metadata)
        if marker in SOF:
            if frame is not None:
                raise Broken
            body = fp.read(length)
            _, height, width, count = struct.unpack(">BHHB", body[:6])
            sampling = [(body[7 + 3 * i] >> 4, body[7 + 3 * i] & 15) for i in range(count)]
            frame = (width, height, sampling, marker in PROGRESSIVE)
            continue
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            metadata += 2 * length + OBJECT_BYTES  # Pillow keeps each block, and most twice
            if metadata > MAX_METADATA:
                raise TooMuchMetadata
        fp.seek(length, 1)
    raise Broken


def _jpeg_header(width, height, sampling, progressive, scan_components, metadata):
    if not width or not height or not sampling or min(min(s) for s in sampling) < 1:
        raise Broken
    decoding = width * 128  # libjpeg's row buffers
    # A progressive JPEG, or one whose first scan lacks a component, is buffered whole as DCT
    # coefficients (2 bytes each) at full size, whatever the output scale.
    if progressive or scan_components < len(sampling):
        h_max, v_max = max(h for h, _ in sampling), max(v for _, v in sampling)
        for h, v in sampling:
            blocks_wide = -(-width * h // (8 * h_max))
            blocks_high = -(-height * v // (8 * v_max))
            decoding += (-(-blocks_wide // h) * h) * (-(-blocks_high // v) * v) * 128
    return Header("JPEG", (width, height), 1 if len(sampling) == 1 else 4, decoding, metadata)


def _png(fp):
    fp.seek(8)
    length, kind = struct.unpack(">I4s", fp.read(8))
    if kind != b"IHDR" or length != 13:
        raise Broken
    width, height, depth, color = struct.unpack(">IIBB", fp.read(10))
    fp.seek(7, 1)
    if not width or not height or color not in (0, 2, 3, 4, 6):
        raise Broken
    metadata = 0
    for _ in range(MAX_BLOCKS):
        head = fp.read(8)
        if len(head) < 8:
            break  # truncated: decoding will say so
        length, kind = struct.unpack(">I4s", head)
        if kind == b"IEND":
            break
        if kind in (b"IDAT", b"fdAT"):
            fp.seek(length + 4, 1)
            continue
        if kind in (b"zTXt", b"iTXt", b"iCCP"):
            metadata += _inflated_size(kind, fp.read(length)) + OBJECT_BYTES
            fp.seek(4, 1)
        else:
            metadata += length + OBJECT_BYTES
            fp.seek(length + 4, 1)
        if metadata > MAX_METADATA:
            raise TooMuchMetadata
    else:
        raise Broken
    # 16-bit grey stays 16-bit (I;16); 16-bit colour is cut to 8 bits; colour takes 4 bytes.
    bytes_per_pixel = {0: 2 if depth == 16 else 1, 3: 1}.get(color, 4)
    return Header("PNG", (width, height), bytes_per_pixel, retained=metadata)


def _inflated_size(kind, data):
    """The size of a compressed PNG text or ICC chunk once Pillow inflates it."""
    if kind == b"iTXt":
        _, _, rest = data.partition(b"\0")
        if rest[:1] != b"\1":
            return len(data)
        _, _, rest = rest[2:].partition(b"\0")  # language
        _, _, stream = rest.partition(b"\0")  # translated keyword
    else:
        stream = data.partition(b"\0")[2][1:]
    size = len(zlib.decompressobj().decompress(stream, MAX_TEXT_CHUNK + 1))
    if size > MAX_TEXT_CHUNK:
        raise TooMuchMetadata
    return size


def _webp(fp, total):
    fp.seek(12)
    size, metadata = None, 0
    for _ in range(MAX_BLOCKS):
        head = fp.read(8)
        if len(head) < 8:
            break
        kind, length = struct.unpack("<4sI", head)
        body = fp.read(10)
        if kind == b"VP8X":
            size = (1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little"))
        elif kind == b"VP8 " and size is None:
            if body[3:6] != b"\x9d\x01\x2a":
                raise Broken
            size = tuple(n & 0x3FFF for n in struct.unpack("<HH", body[6:10]))
        elif kind == b"VP8L" and size is None:
            bits = int.from_bytes(body[1:5], "little")
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        elif kind in (b"EXIF", b"XMP ", b"ICCP"):
            metadata += length + OBJECT_BYTES
            if metadata > MAX_METADATA:
                raise TooMuchMetadata
        fp.seek(length + (length & 1) - len(body), 1)
    if size is None or not all(size):
        raise Broken
    # Pillow reads the whole file; libwebp's animation decoder keeps two canvases and Pillow a
    # copy of the decoded frame besides the picture itself.
    return Header("WEBP", size, 4, retained=total + metadata + 12 * size[0] * size[1])
