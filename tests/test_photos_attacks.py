"""Hostile and extreme uploads: each one is refused or accepted, and the worker's peak memory
grows by at most 64 MiB (the budget in ARCHITECTURE.md). The growth is measured in a fresh
Python process per file, so it does not depend on what this test process did before."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests import photo_files as pf
from tests.conftest import PG_URL

# Decoding touches no database: the files are judged once, on the SQLite pass of the suite.
pytestmark = pytest.mark.skipif(bool(PG_URL), reason="database-independent; run on the SQLite pass")

CEILING_KIB = 64 * 1024
ROOT = Path(__file__).resolve().parent.parent

# The child warms up on a small photo of the same kind (codecs loaded, as in a worker that has
# served uploads), resets its high-water mark, then processes the file as the photo step does.
CHILD = r"""
import json, sys, time
from vss.core.errors import UserError
from vss.dossiers import photos

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

warm, path = sys.argv[1], sys.argv[2]
with open(warm, "rb") as f:
    photos.process(f.read())
with open(path, "rb") as f:
    data = f.read()
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass  # no reset: the growth below only over-estimates
before = status("VmRSS")
start = time.perf_counter()
try:
    out, size = photos.process(data)
    outcome = "accepted %dx%d %d bytes" % (size + (len(out),))
except UserError as error:
    outcome = "refused: " + str(error)
seconds = time.perf_counter() - start
print(json.dumps({"outcome": outcome, "growth_kib": status("VmHWM") - before, "seconds": seconds}))
"""


def _apng(width, height):
    frames = [Image.new("RGBA", (width, height), color) for color in ("red", "blue")]
    return pf.encode(frames[0], "PNG", save_all=True, append_images=frames[1:])


def _animated_webp(width, height):
    frames = [pf.picture(width, height, seed=seed) for seed in (1, 2)]
    return pf.encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], quality=80)


def _text_flood():
    # Each chunk inflates to 1 MB from 1 KB: Pillow would keep 64 MB of text.
    return pf.insert_chunks(
        pf.encode(pf.picture(800, 600), "PNG"), [pf.ztxt(b"k%d" % i, b"a" * 1_000_000) for i in range(60)]
    )


def _private_chunks():
    return pf.insert_chunks(pf.encode(pf.picture(800, 600), "PNG"), [pf.chunk(b"prIv", b"")] * 400_000)


def _app_flood():
    segments = [pf.app_segment(0xE1, b"http://ns.adobe.com/xmp/extension/\0" + bytes(65000))] * 150
    return pf.insert_segments(pf.encode(pf.picture(2000, 1500)), segments)


def _idat_flood():
    data = pf.encode(pf.picture(800, 600), "PNG")
    end = data.index(b"IEND") - 4
    return data[:end] + pf.chunk(b"IDAT", b"") * 400_000 + data[end:]


def _mpo():
    frames = [pf.picture(4000, 3000, seed=seed) for seed in (1, 2)]
    return pf.encode(frames[0], "MPO", save_all=True, append_images=frames[1:], quality=90)


# name: (how to make it, the warm-up kind, what must happen)
ATTACKS = {
    "png_7000x7000_47KB": (lambda: pf.png(7000, 7000), "PNG", "refused: Ảnh có kích thước quá lớn"),
    "png_1bit_12000x12000": (lambda: pf.png(12000, 12000, 0, 1), "PNG", "refused: Ảnh có kích thước"),
    "png_65535x65535_truncated": (lambda: pf.png(65535, 65535, rows=10), "PNG", "refused"),
    "png_16bit_rgba_7000x7000": (lambda: pf.png(7000, 7000, 6, 16), "PNG", "refused"),
    "png_ztxt_2MB": (
        lambda: pf.insert_chunks(pf.encode(pf.picture(800, 600), "PNG"), [pf.ztxt(b"c", b"a" * 2_000_000)]),
        "PNG",
        "refused",
    ),
    "png_60_ztxt_of_1MB": (_text_flood, "PNG", "refused"),
    "png_400000_private_chunks": (_private_chunks, "PNG", "refused"),
    "png_400000_empty_idat_chunks": (_idat_flood, "PNG", "refused: Ảnh bị hỏng"),
    "png_truncated": (
        lambda: pf.encode(pf.picture(3000, 2000), "PNG", compress_level=1)[:200_000],
        "PNG",
        "refused: Ảnh bị hỏng",
    ),
    "png_rgba_12MP": (
        lambda: pf.encode(pf.picture(4000, 3000, "RGBA"), "PNG", compress_level=1),
        "PNG",
        "refused: Ảnh có kích thước",
    ),
    "png_rgba_10MP": (
        lambda: pf.encode(pf.picture(4000, 2500, "RGBA"), "PNG", compress_level=1),
        "PNG",
        "accepted 1600x1000",
    ),
    "png_palette_16MP": (
        lambda: pf.encode(pf.picture(4000, 4000, "P"), "PNG", compress_level=1),
        "PNG",
        "accepted 1600x1600",
    ),
    "apng_3000x2000": (lambda: _apng(3000, 2000), "PNG", "accepted 1600x1067"),
    "jpeg_7000x7000": (lambda: pf.encode(pf.picture(7000, 7000)), "JPEG", "accepted 1600x1600"),
    "jpeg_50MP_camera": (lambda: pf.encode(pf.picture(8160, 6120), quality=90), "JPEG", "accepted 1600x1200"),
    "jpeg_12MP_noise_10MB": (lambda: pf.encode(pf.noise(4000, 3000), quality=88), "JPEG", "accepted"),
    "jpeg_3199x3199_noise": (lambda: pf.encode(pf.noise(3199, 3199), quality=70), "JPEG", "accepted"),
    "jpeg_progressive_7000x7000": (
        lambda: pf.encode(pf.picture(7000, 7000), progressive=True),
        "JPEG",
        "refused: Ảnh có kích thước",
    ),
    "jpeg_progressive_12MP": (
        lambda: pf.encode(pf.picture(4000, 3000), progressive=True),
        "JPEG",
        "accepted 1600x1200",
    ),
    "jpeg_65000x65000_header": (
        lambda: pf.with_size(pf.encode(pf.picture(400, 400)), 65000, 65000),
        "JPEG",
        "refused",
    ),
    "jpeg_cmyk_6000x4000": (lambda: pf.encode(pf.picture(6000, 4000, "CMYK")), "JPEG", "accepted"),
    "jpeg_truncated_7000x7000": (
        lambda: pf.encode(pf.picture(7000, 7000))[:300_000],
        "JPEG",
        "refused: Ảnh bị hỏng",
    ),
    "jpeg_9MB_junk_after_soi": (
        lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\0" + bytes(9 << 20),
        "JPEG",
        "refused: Ảnh bị hỏng",
    ),
    "jpeg_150_app1_segments": (_app_flood, "JPEG", "refused: Ảnh chứa quá nhiều thông tin"),
    "mpo_two_12MP_frames": (_mpo, "JPEG", "accepted 1600x1200"),
    "webp_16383x16383_header": (lambda: pf.webp_header(16383, 16383), "WEBP", "refused: Ảnh có kích thước"),
    "webp_12MP": (lambda: pf.encode(pf.picture(4000, 3000), "WEBP"), "WEBP", "refused: Ảnh có kích thước"),
    "webp_1920x1280": (lambda: pf.encode(pf.picture(1920, 1280), "WEBP"), "WEBP", "accepted 1600x1067"),
    "webp_animated_1600x1200": (lambda: _animated_webp(1600, 1200), "WEBP", "accepted 1600x1200"),
    "webp_truncated": (
        lambda: pf.encode(pf.picture(1600, 1200), "WEBP")[:20_000],
        "WEBP",
        "refused: Ảnh bị hỏng",
    ),
}
WARM = {
    "JPEG": lambda: pf.encode(pf.picture(400, 300)),
    "PNG": lambda: pf.encode(pf.picture(400, 300), "PNG"),
    "WEBP": lambda: pf.encode(pf.picture(400, 300), "WEBP"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Every attack file, made once (some take a second and a few hundred MB to make)."""
    folder = tmp_path_factory.mktemp("attacks")
    for kind, make in WARM.items():
        (folder / f"warm.{kind}").write_bytes(make())
    return folder


def measure(folder, name, warm):
    """What a fresh worker process does with the file, and its peak memory growth."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / f"warm.{warm}"), str(folder / name)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", ATTACKS)
def test_attack(files, name):
    make, warm, expected = ATTACKS[name]
    data = make()
    assert len(data) <= 10 * 1024 * 1024, "the upload limit already refuses this one"
    (files / name).write_bytes(data)
    result = measure(files, name, warm)
    print(name, len(data), result)
    assert result["outcome"].startswith(expected)
    assert result["growth_kib"] <= CEILING_KIB
    assert result["seconds"] < 5


CONCURRENT = r"""
import sys, threading
from vss.dossiers import photos

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

with open(sys.argv[1], "rb") as f:
    data = f.read()
photos.process(data)  # warm up
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status("VmRSS")
threads = [threading.Thread(target=photos.process, args=(data,)) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(status("VmHWM") - before)
"""


def test_six_uploads_at_once_in_one_worker_stay_within_the_budget(tmp_path):
    """The budget is the worker's: a worker's threads decode one photo at a time."""
    path = tmp_path / "noise.jpg"
    path.write_bytes(pf.encode(pf.noise(3199, 3199), "JPEG", quality=70))
    run = subprocess.run(
        [sys.executable, "-c", CONCURRENT, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(run.stdout.strip()) <= CEILING_KIB, run.stdout
