"""The citizen's flows on slow links, timed and weighed: runs tests/test_slow_links_browser.py
(registration, sign-in with takeover, the card, the BHXH code look-up; JavaScript on and off) in
Debian's Chromium on Chrome's Slow 3G and on an EDGE-like 2G link, and prints each flow's time,
requests and bytes received.

    .venv/bin/python bench/slow_links.py [--profiles edge,slow3g]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="edge,slow3g")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "links.jsonl"
        env = {**os.environ, "VSS_LINK_PROFILES": args.profiles, "VSS_LINK_RESULTS": str(results)}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/test_slow_links_browser.py",
                "-q",
                "--no-cov",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        rows = [json.loads(line) for line in results.read_text().splitlines()]
    print("\n| flow | link | JavaScript | seconds | requests | bytes received |")
    print("|---|---|---|---:|---:|---:|")
    for row in sorted(rows, key=lambda r: (r["flow"], r["profile"], not r["javascript"])):
        print(
            f"| {row['flow']} | {row['profile']} | {'on' if row['javascript'] else 'off'} | "
            f"{row['seconds']} | {row['requests']} | {row['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
