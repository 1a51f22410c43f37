"""Verify + check-in at the hospital counter: 16 enrolled kiosks (one keep-alive connection each)
post scans of signed card QRs to /kiosk/quet under gunicorn; requests/s and latency p50/p95/p99
(budget: p95 ≤ 50 ms server-side at 16 concurrent kiosks). `--pace` makes each kiosk wait between
scans (wrk's delay: a counter's pace, 100 ms is already ten patients a second per counter);
without it the kiosks scan back to back and the run measures saturation. Most scans are a new check-in; a
card's second scan within the visit window is the same check-in, as at a real counter.

    .venv/bin/python bench/kiosk_throughput.py [--kiosks 16] [--duration 10] [--rounds 3]
        [--gunicorn "-w 2 -k gthread --threads 16 --keep-alive 30 --reuse-port"]
        [--url postgresql://postgres@127.0.0.1:5432/vss_bench]
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.card_throughput import GUNICORN  # noqa: E402 - after the path is set
from tests.servers import Gunicorn, app_env, fresh_database  # noqa: E402

LUA = """
local kiosks = {KIOSKS}
local qrs = {QRS}
local counter, threads = 0, {}
setup = function(thread)
  counter = counter + 1
  thread:set("n", counter)
  table.insert(threads, thread)
end
local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
init = function(args)
  local kiosk = kiosks[(n - 1) % #kiosks + 1]
  cookie, csrf = kiosk[1], kiosk[2]
  math.randomseed(n * 7919)
  sent = 0
end
request = function()
  sent = sent + 1
  local qr = qrs[math.random(#qrs)]
  local key = string.format("bench%04d%012d", n, sent)
  local body = "csrf_token=" .. escape(csrf) .. "&key=" .. key .. "&qr=" .. escape(qr)
  return wrk.format("POST", "/kiosk/quet", {["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept-Encoding"] = "gzip"}, body)
end
delay = function()
  return {PACE}
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %.2f %d %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.requests))
end
"""


def _lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def prepare(url, secret, kiosks_wanted):
    """A seeded registry with every card's QR issued, and `kiosks_wanted` kiosks enrolled at one
    facility; returns ([QR texts], [one-time codes])."""
    from tests.staff_helpers import make_staff
    from vss import create_app
    from vss.cards import cards
    from vss.identity.accounts import StaffUser
    from vss.kiosk import kiosks
    from vss.registry.directory import Facility, Office
    from vss.registry.registry import HealthCard
    from vss.seed import generator

    database = fresh_database(url)
    generator.seed(people=600, progress=False)
    app = create_app(
        "development", DATABASE_URL=url, SECRET_KEY=secret, MIGRATE_ON_START=False, HUEY_IMMEDIATE=True
    )
    with app.app_context():
        qrs = [cards.issuance(card, secret).qr_text for card in HealthCard.select().limit(400)]
        facility = Facility.select().where(Facility.contracted_bhyt == True).first()  # noqa: E712
        office = Office.select().where(Office.province_code == facility.province_code).first()
        admin = make_staff(office, "bench-admin", role=StaffUser.ADMIN)
        codes = [kiosks.enrol(admin, facility.code, f"Quầy {n + 1}")[1] for n in range(kiosks_wanted)]
    database.close()
    return qrs, codes


def _kiosk_cookies(base, code):
    """Enrol through the page as a kiosk's browser does; returns (Cookie header, CSRF token)."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/kiosk/ghi-danh").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "code": code}).encode()
    opener.open(base + "/kiosk/ghi-danh", data=data).read()
    page = opener.open(base + "/kiosk").read().decode()
    csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookies, csrf


def wrk(base, kiosks, qrs, duration, pace=0):
    script_text = (
        LUA.replace("{PACE}", str(pace))
        .replace(
            "{KIOSKS}", "{" + ",".join(f"{{{_lua_string(c)},{_lua_string(t)}}}" for c, t in kiosks) + "}"
        )
        .replace("{QRS}", "{" + ",".join(_lua_string(q) for q in qrs) + "}")
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    count = len(kiosks)
    command = ["wrk", f"-t{count}", f"-c{count}", f"-d{duration}s", "--latency", "-s", script.name, base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    values = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+)", output).groups()
    return [float(v) for v in values[:4]] + [int(v) for v in values[4:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kiosks", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--pace", type=int, default=0, help="ms each kiosk waits between scans (0: back to back, saturation)"
    )
    parser.add_argument("--url")
    parser.add_argument("--gunicorn", default=" ".join(GUNICORN))
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{folder}/kiosk.db"
    secret = "bench-secret"
    qrs, codes = prepare(url, secret, args.kiosks)
    env = app_env(url, folder, SECRET_KEY=secret)
    with Gunicorn("app:app", env, args=args.gunicorn.split(), ready_path="/healthz") as server:
        kiosks = [_kiosk_cookies(server.base, code) for code in codes]
        rows = []
        for round_ in range(args.rounds):
            rps, p50, p95, p99, bad, socket_errors, total = wrk(
                server.base, kiosks, qrs, args.duration, args.pace
            )
            rows.append((rps, p50, p95, p99))
            print(
                f"round {round_ + 1}: {rps:.0f} scans/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms"
                f" ({total} scans, {bad} non-2xx, {socket_errors} socket errors)"
            )
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    median = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(
        f"\n| database | kiosks | pace ms | scans/s | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|\n"
        f"| {database} | {args.kiosks} | {args.pace} | {median[0]:.0f} | {median[1]:.1f} | {median[2]:.1f} |"
        f" {median[3]:.1f} |"
    )


if __name__ == "__main__":
    main()
