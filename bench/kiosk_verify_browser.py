"""The kiosk's verdict in the browser (vss/static/js/kiosk-verify.js in Debian's Chromium, WebCrypto
ECDSA P-256) and in Python (vss.kiosk.verdict), per verdict: median and p95 over many runs, for a
signed card (warm: its key imported once and kept), the same with the key imported every time
(a kiosk's first scan), a signed card through an AZERTY keyboard, an unsigned paper-card QR, a
chip CCCD and a truncated scan. Also the script's size (gzip -9, brotli). Budget: ≤ 50 ms per
in-browser verdict. No database: a key is made here and a card QR signed in VSS's layout.

    .venv/bin/python bench/kiosk_verify_browser.py [--runs 500]
"""

import argparse
import base64
import gzip
import statistics
import sys
import time
from pathlib import Path

import brotli
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, StaticServer  # noqa: E402 - after the path is set
from tests.samples import scans  # noqa: E402
from vss.cards.cardverify import message  # noqa: E402
from vss.kiosk.verdict import verdict  # noqa: E402

SCRIPT = ROOT / "vss/static/js/kiosk-verify.js"
PAGE = {"/": ROOT / "tests/kiosk_verify.html", "/kiosk-verify.js": SCRIPT}
TODAY = "2026-06-15"
RUN = """async ([text, keys, revocations, today, runs, fresh]) => {
    const times = [], begin = performance.now();
    for (let i = 0; i < runs; i++) {
        // A PEM spelled anew (one more newline) is a key the script has not imported yet.
        const given = fresh ? {keys: keys.keys.map(k => ({...k, pem: k.pem + "\\n".repeat(i + 1)}))} : keys;
        const start = performance.now();
        const answer = await VssVerdict.verdict(text, given, revocations, today);
        times.push(performance.now() - start);
        if (i === 0) times.status = answer.status;
    }
    return {times, status: times.status, mean: (performance.now() - begin) / runs};
}"""


def signed_card():
    """Keys, revocations and a card QR signed in VSS's layout (what vss.cards.cards.sign makes)."""
    private = ec.generate_private_key(ec.SECP256R1())
    fields = [
        "DN4010123456789", "Nguyễn Thị Hoa".encode().hex(), "17/05/1990", "2",
        "Số 1 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội".encode().hex(), "01 - 065", "01/01/2026",
        "31/12/2026", "20/12/2025", "01012345678901", "-", "-", " 01/03/2021",
    ]  # fmt: skip
    r, s = decode_dss_signature(private.sign(message(fields, "ABC234", 1), ec.ECDSA(hashes.SHA256())))
    raw = base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode().rstrip("=")
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    keys = {"keys": [{"kid": "ABC234", "alg": "ES256", "crv": "P-256", "pem": pem, "retired": False}]}
    return "|".join(fields + [f"ABC234.1.{raw}"]) + "|$", keys, {"version": 0, "revoked": {}}


def percentiles(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    runs = parser.parse_args().runs
    text, keys, revocations = signed_card()
    paper = "|".join(text.split("|")[:13] + ["4641c59ff02659c3-1202"]) + "|$"
    cases = [
        ("signed card (key kept)", text, False),
        ("signed card (key imported each time)", text, True),
        ("signed card, AZERTY keyboard", scans.typed(text, "fr"), False),
        ("unsigned paper card", paper, False),
        ("chip CCCD", "079203001234||Trần Minh Quân|02092003|Nam|Ấp 3, Xã Tân Nhựt|25042022", False),
        ("truncated scan", text[:90], False),
    ]
    source = SCRIPT.read_bytes()
    print(
        f"kiosk-verify.js: {len(source):,} B, gzip -9 {len(gzip.compress(source, 9)):,} B, "
        f"brotli {len(brotli.compress(source)):,} B"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, StaticServer(PAGE) as server:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(server.url + "/")
        version = browser.version
        print(f"Chromium {version}, {runs} verdicts per case (ms per verdict; the page's clock ticks 0.1 ms)")
        first = page.evaluate(RUN, [text, keys, revocations, TODAY, 1, False])
        print(f"  {'first verdict on a fresh page':40} {first['times'][0]:8.2f}  ({first['status']})")
        for name, sample, fresh in cases:
            result = page.evaluate(RUN, [sample, keys, revocations, TODAY, runs, fresh])
            median, p95 = percentiles(result["times"])
            mean = result["mean"]
            print(f"  {name:40} median {median:6.2f}  p95 {p95:6.2f}  mean {mean:6.3f}  ({result['status']})")
        browser.close()
    print("Python vss.kiosk.verdict (this process)")
    for name, sample, _fresh in cases[:1] + cases[2:]:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            verdict(sample, keys, revocations, TODAY)
            times.append((time.perf_counter() - start) * 1000)
        median, p95 = percentiles(times)
        print(f"  {name:40} median {median:6.2f}  p95 {p95:6.2f}")


if __name__ == "__main__":
    main()
