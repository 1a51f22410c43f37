"""Card-page throughput under gunicorn against a bare Flask "hello" page, same gunicorn settings,
same run: requests/s (ratio, budget ≥ 0.5) and latency p50/p95 at 64 keep-alive connections (wrk).

    .venv/bin/python bench/card_throughput.py [--connections 64] [--duration 6] [--rounds 7]
        [--gunicorn "-w 2 -k gthread --threads 16 --keep-alive 30 --reuse-port"]
        [--url postgresql://postgres@127.0.0.1:5432/vss_bench]
"""

import argparse
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Gunicorn, app_env, fresh_database  # noqa: E402 - after the path is set

GUNICORN = ["-w", "2", "-k", "gthread", "--threads", "16", "--keep-alive", "30", "--reuse-port"]
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))
end
"""


def wrk(url, connections, duration, cookie=None):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}", "-H", "Accept-Encoding: gzip"]
    else:
        command[1:1] = ["-H", "Accept-Encoding: gzip"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps, p50, p95, bad_status, socket_errors, total = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+) (\d+)", output
    ).groups()
    return float(rps), float(p50), float(p95), int(bad_status), int(socket_errors), int(total)


def prepare(url, secret):
    """A citizen with a card, signed in on a bound device; returns the Cookie header."""
    from tests.factories import make_card, make_person
    from vss import create_app
    from vss.identity import sessions
    from vss.identity.accounts import Account, hash_password

    database = fresh_database(url)
    person = make_person(full_name="Nguyễn Thị Hoa")
    make_card(person)
    account = Account.create(
        person=person,
        username=person.bhxh_code,
        password_hash=hash_password("x" * 12),
        phone="0912345678",
        must_change_password=False,
    )
    key = sessions.open_citizen_session(account, "bench-device", bind=True)
    app = create_app(
        "development", DATABASE_URL=url, SECRET_KEY=secret, MIGRATE_ON_START=False, HUEY_IMMEDIATE=True
    )
    session = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": account.get_id(), "_fresh": True, "citizen_sid": key, "_permanent": True}
    )
    database.close()
    return f"session={session}; vss_device=bench-device"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--url")
    parser.add_argument(
        "--rounds",
        type=int,
        default=7,
        help="alternate hello/card this many times (short rounds: this machine's speed drifts)",
    )
    parser.add_argument("--gunicorn", default=" ".join(GUNICORN), help="gunicorn options for both servers")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{folder}/card.db"
    secret = "bench-secret"
    cookie = prepare(url, secret)
    env = app_env(url, folder, SECRET_KEY=secret)
    servers = {}
    for name, module, path in (
        ("hello", "bench.hello_app:app", "/"),
        ("card", "app:app", "/tai-khoan/the-bhyt/xem"),
    ):
        server = Gunicorn(module, env, args=args.gunicorn.split()).__enter__()
        servers[name] = (server, server.base + path)
        first = urllib.request.Request(server.base + path, headers={"Cookie": cookie})
        body = urllib.request.urlopen(first, timeout=10).read().decode()
        assert name == "hello" or "THẺ BẢO HIỂM Y TẾ" in body, "the card page did not render"
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{kind}; gunicorn {args.gunicorn}; wrk -t2 -c{args.connections} -d{args.duration}s, "
        f"{args.rounds} alternating rounds (the other server idle)"
    )
    ratios, card_p95 = [], []
    try:
        for round_number in range(1, args.rounds + 1):
            results = {}
            for name, (_process, target) in servers.items():
                cookie_for = cookie if name == "card" else None
                wrk(target, args.connections, 2, cookie_for)  # warm-up
                results[name] = wrk(target, args.connections, args.duration, cookie_for)
            ratio = results["card"][0] / results["hello"][0]
            ratios.append(ratio)
            card_p95.append(results["card"][2])
            for name, (rps, p50, p95, bad, errors, total) in results.items():
                print(
                    f"  round {round_number} {name:6} {rps:8.1f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
                    f"({total} requests, {bad} non-2xx, {errors} socket errors)"
                )
            print(f"  round {round_number} ratio card/hello = {ratio:.2f}")
    finally:
        for server, _target in servers.values():
            server.__exit__(None, None, None)
    median = sorted(ratios)[len(ratios) // 2]
    print(
        f"median ratio {median:.2f} ({'meets' if median >= 0.5 else 'BELOW'} the 0.5 budget); "
        f"rounds {min(ratios):.2f}–{max(ratios):.2f}; card p95 median {sorted(card_p95)[len(card_p95) // 2]:.1f} ms"
    )


if __name__ == "__main__":
    main()
