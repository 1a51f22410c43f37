"""Mẫu 01 PDF: render time (median, p95) and the cached re-download.

.venv/bin/python bench/pdf_bench.py [--runs 30]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from tests.registration_flow import Flow, jpeg, offices
    from vss import create_app
    from vss.dossiers import mau01
    from vss.dossiers.dossiers import Dossier

    with tempfile.TemporaryDirectory() as folder:
        app = create_app("test", DATABASE_URL=f"sqlite:///{folder}/bench.db", MIGRATE_ON_START=True)
        offices()
        client = app.test_client()
        flow = Flow(client)
        flow.start()
        flow.info(email="hoa@example.vn")
        flow.photos(chan_dung=jpeg(600, 800), mat_truoc=jpeg(), mat_sau=jpeg())
        flow.office()
        flow.review()
        flow.verify()
        dossier = Dossier.get()
        with app.app_context():
            mau01.render(dossier)  # warm-up: fonts, imports
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                data = mau01.render(dossier)
                times.append((time.perf_counter() - start) * 1000)
        first = time.perf_counter()
        client.get("/dang-ky/hoan-tat/mau-01.pdf")
        first_ms = (time.perf_counter() - first) * 1000
        cached = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get("/dang-ky/hoan-tat/mau-01.pdf").get_data()
            cached.append((time.perf_counter() - start) * 1000)
    times.sort()
    cached.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"PDF size {len(data):,} B; render over {args.runs} runs: median {statistics.median(times):.0f} ms, "
        f"p95 {p95:.0f} ms"
    )
    print(
        f"first download (renders and stores) {first_ms:.0f} ms; cached re-download median "
        f"{statistics.median(cached):.1f} ms, p95 {cached[int(len(cached) * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
