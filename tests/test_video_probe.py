"""vss/support/video_probe.py on real files (made once with ffmpeg, kept in tests/samples/news:
clip.mp4 2.5 s with its index first, tail.mp4 1.5 s with its index last, clip.webm 3.2 s) and on
files cut short, misnamed or made up to mislead it."""

import io
import struct
from pathlib import Path

import pytest

from vss.support import video_probe as vp

SAMPLES = Path(__file__).parent / "samples" / "news"


def _read(name):
    return (SAMPLES / name).read_bytes()


@pytest.mark.parametrize(
    "name, kind, seconds",
    [("clip.mp4", vp.MP4, 3), ("tail.mp4", vp.MP4, 2), ("clip.webm", vp.WEBM, 4)],
)
def test_real_files_give_their_type_and_duration_rounded_up(name, kind, seconds):
    assert vp.probe(io.BytesIO(_read(name))) == (kind, seconds)


@pytest.mark.parametrize("name", ["clip.mp4", "tail.mp4", "clip.webm"])
@pytest.mark.parametrize("keep", [0.99, 0.5, 0.1])
def test_a_file_cut_short_is_broken(name, keep):
    data = _read(name)
    with pytest.raises(vp.Broken):
        vp.probe(io.BytesIO(data[: int(len(data) * keep)]))


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a" + bytes(100), b"\x89PNG\r\n\x1a\n" + bytes(100), b"<html>" * 10, b"\x00" * 64],
)
def test_anything_else_is_not_a_video(data):
    with pytest.raises(vp.NotAVideo):
        vp.probe(io.BytesIO(data))


def _box(kind, payload):
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _mvhd(version, timescale, duration):
    if version == 1:
        body = bytes([1, 0, 0, 0]) + bytes(16) + struct.pack(">IQ", timescale, duration)
    else:
        body = bytes(4) + bytes(8) + struct.pack(">II", timescale, duration)
    return _box(b"mvhd", body + bytes(80))


def test_mp4_version_1_headers_are_read():
    data = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"moov", _mvhd(1, 1000, 125_500))
    assert vp.probe(io.BytesIO(data)) == (vp.MP4, 126)


@pytest.mark.parametrize(
    "moov",
    [
        _mvhd(0, 0, 100),  # no timescale
        _mvhd(0, 1000, 0),  # no duration
        _mvhd(0, 1, 2**32 - 1),  # 136 years
        b"",  # no mvhd
        _box(b"mvhd", bytes(8)),  # mvhd cut short
    ],
)
def test_mp4_without_a_usable_duration_is_broken(moov):
    data = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"moov", moov)
    with pytest.raises(vp.Broken):
        vp.probe(io.BytesIO(data))


def test_an_mp4_box_claiming_more_than_the_file_is_broken():
    data = _box(b"ftyp", b"isom" + bytes(4)) + struct.pack(">I4s", 10**9, b"mdat") + bytes(100)
    with pytest.raises(vp.Broken):
        vp.probe(io.BytesIO(data))


def test_an_endless_chain_of_tiny_boxes_stops():
    data = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"free", b"") * (vp.MAX_BOXES + 5)
    with pytest.raises(vp.Broken):
        vp.probe(io.BytesIO(data))


def test_matroska_that_is_not_webm_is_refused():
    data = bytearray(_read("clip.webm"))
    at = data.index(b"webm")
    data[at : at + 4] = b"mkv\0"
    with pytest.raises(vp.NotAVideo):
        vp.probe(io.BytesIO(bytes(data)))


def test_a_webm_without_duration_is_broken():
    data = bytearray(_read("clip.webm"))
    at = data.index(bytes.fromhex("4489"))  # the Duration element's id
    data[at : at + 2] = bytes.fromhex("4480")  # another id: no duration left
    with pytest.raises(vp.Broken):
        vp.probe(io.BytesIO(bytes(data)))
