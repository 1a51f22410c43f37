"""What an uploaded video file is, and how long it plays, read from its headers without decoding
it: MP4 (the `moov` → `mvhd` box: duration ÷ timescale) and WebM (EBML: the `webm` DocType, then
Segment → Info → Duration × TimecodeScale). A file is whole when its top-level boxes or its
Segment end where the file ends; one cut short in upload is refused. No library does both
formats without a native dependency (mutagen reads MP4 but not WebM; pymediainfo needs
libmediainfo), and these two headers are small and fixed by their specifications (ISO/IEC
14496-12 §8.2.2; Matroska / RFC 9559)."""

import math
import struct

MP4, WEBM = "video/mp4", "video/webm"
MAX_BOXES = 10_000  # a real file has a handful of top-level boxes; more is not a video
MAX_ELEMENTS = 10_000
HEADER_WINDOW = 1 << 20  # where a WebM's Info must start (muxers put it in the first KB)

EBML, DOCTYPE, SEGMENT, INFO = 0x1A45DFA3, 0x4282, 0x18538067, 0x1549A966
TIMECODE_SCALE, DURATION, CLUSTER = 0x2AD7B1, 0x4489, 0x1F43B675


class NotAVideo(Exception):
    """Neither MP4 nor WebM."""


class Broken(Exception):
    """The format's own headers are wrong, missing or cut short."""


def probe(fp):
    """(mime type, seconds) of a seekable MP4 or WebM file; NotAVideo or Broken otherwise."""
    size = fp.seek(0, 2)
    fp.seek(0)
    head = fp.read(12)
    try:
        if len(head) >= 8 and head[4:8] == b"ftyp":
            return MP4, _mp4_seconds(fp, size)
        if head[:4] == EBML.to_bytes(4, "big"):
            return WEBM, _webm_seconds(fp, size)
    except (struct.error, ValueError, OverflowError):
        raise Broken from None
    raise NotAVideo


# --- MP4 ------------------------------------------------------------------------------------


def _boxes(fp, start, end):
    """(type, payload start, box end) of each box between start and end."""
    at, count = start, 0
    while at < end:
        count += 1
        if count > MAX_BOXES or end - at < 8:
            raise Broken
        fp.seek(at)
        size, kind = struct.unpack(">I4s", fp.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", fp.read(8))
            header = 16
        elif size == 0:
            size = end - at  # to the end of its parent
        if size < header or at + size > end:
            raise Broken  # a box longer than the file: the upload was cut
        yield kind, at + header, at + size
        at += size


def _mp4_seconds(fp, size):
    movie = None
    for kind, payload, box_end in _boxes(fp, 0, size):  # walks every top-level box: a cut file fails
        if kind == b"moov":
            movie = (payload, box_end)
    if movie is None:
        raise Broken
    for kind, payload, box_end in _boxes(fp, *movie):
        if kind == b"mvhd":
            fp.seek(payload)
            version = fp.read(4)[0]
            if version == 1:
                timescale, duration = struct.unpack(">IQ", fp.read(28)[16:28])
            else:
                timescale, duration = struct.unpack(">II", fp.read(16)[8:16])
            if payload + (32 if version == 1 else 20) > box_end:
                raise Broken
            return _seconds(duration / timescale if timescale else 0)
    raise Broken


# --- WebM -----------------------------------------------------------------------------------


def _vint(fp, keep_marker):
    """An EBML variable-length integer: (value, length); value None for 'unknown size'."""
    first = fp.read(1)
    if not first:
        raise Broken
    length = 9 - first[0].bit_length()
    if length > 8:
        raise Broken
    raw = first + fp.read(length - 1)
    if len(raw) != length:
        raise Broken
    value = int.from_bytes(raw, "big")
    if keep_marker:
        return value, length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), length


def _elements(fp, start, end):
    """(id, data start, data end) of each element between start and end."""
    at, count = start, 0
    while at < end:
        count += 1
        if count > MAX_ELEMENTS:
            raise Broken
        fp.seek(at)
        element, id_length = _vint(fp, keep_marker=True)
        size, size_length = _vint(fp, keep_marker=False)
        data = at + id_length + size_length
        stop = end if size is None else data + size
        if stop > end:
            raise Broken
        yield element, data, stop
        at = stop


def _webm_seconds(fp, size):
    elements = _elements(fp, 0, size)
    element, data, stop = next(elements)
    if element != EBML:
        raise Broken
    doctype = next(((d, s) for e, d, s in _elements(fp, data, stop) if e == DOCTYPE), None)
    if doctype is None:
        raise Broken
    fp.seek(doctype[0])
    if fp.read(doctype[1] - doctype[0]).rstrip(b"\0") != b"webm":
        raise NotAVideo  # Matroska that is not WebM (browsers play WebM only)
    segment = next((item for item in elements if item[0] == SEGMENT), None)
    if segment is None:
        raise Broken
    for element, data, stop in _elements(fp, segment[1], segment[2]):
        if element == INFO:
            return _info_seconds(fp, data, stop)
        if element == CLUSTER or data > HEADER_WINDOW:
            break
    raise Broken


def _info_seconds(fp, start, end):
    scale, duration = 1_000_000, None
    for element, data, stop in _elements(fp, start, end):
        fp.seek(data)
        raw = fp.read(stop - data)
        if element == TIMECODE_SCALE and 1 <= len(raw) <= 8:
            scale = int.from_bytes(raw, "big")
        elif element == DURATION and len(raw) in (4, 8):
            (duration,) = struct.unpack(">f" if len(raw) == 4 else ">d", raw)
    if duration is None:
        raise Broken
    return _seconds(duration * scale / 1e9)


def _seconds(value):
    """Whole seconds, rounded up; no duration (0, NaN, infinite) is Broken."""
    if not value == value or value <= 0 or value > 24 * 3600:  # noqa: PLR0124 - NaN check
        raise Broken
    return math.ceil(value)
