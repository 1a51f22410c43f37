"""Every signed-in citizen page under gunicorn against a bare Flask "hello", same gunicorn settings,
same run: requests/s, the ratio to hello (budget ≥ 0.3; the card ≥ 0.5) and p95 (budget ≤ 50 ms) at 64
keep-alive connections (wrk).

    .venv/bin/python bench/pages_throughput.py [--connections 64] [--duration 5] [--rounds 3]
        [--gunicorn "-w 2 -k gthread --threads 16 --keep-alive 30 --reuse-port"]
        [--url postgresql://postgres@127.0.0.1:5432/vss_bench] [--only card,history] [--in-process]

`--in-process` measures instead the CPU time one request costs (time.process_time, the fastest of ten
batches, Flask's test client, no server, no network): steadier than req/s when other work shares the
machine.

The pages are every GET route of the `me` and `account` blueprints (read from the URL map) that
answers 200 to a citizen signed in on a bound device with a seeded record: participation periods,
benefits, medical visits, messages and a card (whose picture has had its first view).
"""

import argparse
import secrets
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.card_throughput import GUNICORN, wrk  # noqa: E402 - after the path is set
from tests.servers import Gunicorn, app_env, fresh_database  # noqa: E402

BLUEPRINTS = ("account", "me")
CARD = "me.card_image"


def _citizen():
    """The seeded person with the most of every record kind (and a card)."""
    from peewee import fn

    from vss.registry.registry import Benefit, HealthCard, MedicalVisit, ParticipationPeriod, Person

    def counts(model):
        return dict(model.select(model.person, fn.COUNT(model.id)).group_by(model.person).tuples())

    periods, benefits, visits = counts(ParticipationPeriod), counts(Benefit), counts(MedicalVisit)
    carded = {person_id for (person_id,) in HealthCard.select(HealthCard.person).tuples()}
    best = max(
        carded & set(periods) & set(visits),
        key=lambda pid: (pid in benefits, min(periods[pid], 40) + min(visits[pid], 40)),
    )
    return Person.get_by_id(best)


def prepare(url, secret):
    """A seeded registry and one citizen signed in on a bound device (a device bound before, so
    the messages page has the new-device SMS); returns (Cookie header, [(endpoint, path)])."""
    from flask_login.utils import _create_identifier

    from vss import create_app
    from vss.identity import sessions
    from vss.identity.accounts import Account, hash_password
    from vss.registry.registry import ParticipationPeriod
    from vss.seed import generator

    database = fresh_database(url)
    generator.seed(people=300, progress=False)
    person = _citizen()
    app = create_app(
        "development", DATABASE_URL=url, SECRET_KEY=secret, MIGRATE_ON_START=False, HUEY_IMMEDIATE=True
    )
    with app.app_context():
        account = Account.create(
            person=person,
            username=person.bhxh_code,
            password_hash=hash_password("x" * 12),
            phone="0912345678",
            email="hoa@example.vn",
            must_change_password=False,
        )
        sessions.open_citizen_session(account, "old-device", bind=True)
        key = sessions.open_citizen_session(account, "bench-device", bind=True)
        period = ParticipationPeriod.select().where(ParticipationPeriod.person == person).first()
        pages = []
        for rule in app.url_map.iter_rules():
            if rule.endpoint.partition(".")[0] not in BLUEPRINTS or "GET" not in rule.methods:
                continue
            values = {"period_id": period.id} if "period_id" in rule.arguments else {}
            if set(rule.arguments) - set(values):
                continue
            with app.test_request_context():
                pages.append((rule.endpoint, app.url_for(rule.endpoint, **values)))
    # As a browser holds it after signing in and its first page: Flask-Login's identifier of the
    # client (wrk: 127.0.0.1, no User-Agent) and the CSRF token the pages' forms carry. Without them
    # every answer would change the session and send a new cookie, which no browser repeats.
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()
    session = app.session_interface.get_signing_serializer(app).dumps(
        {
            "_user_id": account.get_id(),
            "_fresh": True,
            "citizen_sid": key,
            "_permanent": True,
            "_id": identifier,
            "csrf_token": secrets.token_hex(20),
        }
    )
    database.close()
    return f"session={session}; vss_device=bench-device", sorted(pages)


def _status(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def in_process(url, secret, cookie, pages, only, count=400):
    """CPU microseconds per request of hello and of every page, through Flask's test client."""
    import cProfile
    import pstats
    import time

    from bench.hello_app import app as hello_app
    from vss import create_app

    app = create_app(
        "development", DATABASE_URL=url, SECRET_KEY=secret, MIGRATE_ON_START=False, HUEY_IMMEDIATE=True
    )
    client = app.test_client(use_cookies=False)
    client.environ_base.pop("HTTP_USER_AGENT", None)  # as wrk: Flask-Login's identifier has none
    environ = {"HTTP_COOKIE": cookie, "HTTP_ACCEPT_ENCODING": "gzip"}

    def cost(test_client, path):
        # The fastest of several batches: other work on the machine only ever adds time.
        for _ in range(count // 10):
            response = test_client.get(path, environ_base=environ)
        batches = []
        for _ in range(10):
            start = time.process_time()
            for _ in range(count // 10):
                test_client.get(path, environ_base=environ)
            batches.append((time.process_time() - start) / (count // 10) * 1e6)
        return min(batches), calls(test_client, path), response.status_code

    def calls(test_client, path, times=20):
        # Python function calls per request: the same on a busy machine as on an idle one.
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(times):
            test_client.get(path, environ_base=environ)
        profile.disable()
        return pstats.Stats(profile).total_calls // times

    hello, hello_calls, _ = cost(hello_app.test_client(), "/")
    print("\n| page | path | CPU µs per request | × hello | Python calls per request |")
    print(f"|---|---|---:|---:|---:|\n| hello | `/` | {hello:.0f} | 1.0 | {hello_calls:,} |")
    for endpoint, path in pages:
        if only and endpoint.partition(".")[2] not in only.split(","):
            continue
        micros, count_calls, status = cost(client, path)
        if status == 200:
            print(f"| {endpoint} | `{path}` | {micros:.0f} | {micros / hello:.1f} | {count_calls:,} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="hello, then every page, this many times")
    parser.add_argument("--url")
    parser.add_argument("--only", help="comma-separated endpoints (without the blueprint) to measure")
    parser.add_argument("--gunicorn", default=" ".join(GUNICORN), help="gunicorn options for both servers")
    parser.add_argument("--in-process", action="store_true", help="CPU per request, no server")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{folder}/pages.db"
    secret = "bench-secret"
    cookie, pages = prepare(url, secret)
    if args.in_process:
        return in_process(url, secret, cookie, pages, args.only)
    env = app_env(url, folder, SECRET_KEY=secret)
    hello = Gunicorn("bench.hello_app:app", env, args=args.gunicorn.split()).__enter__()
    app = Gunicorn("app:app", env, args=args.gunicorn.split()).__enter__()
    measured = []
    for endpoint, path in pages:
        if args.only and endpoint.partition(".")[2] not in args.only.split(","):
            continue
        status = _status(app.base + path, cookie)  # also the card picture's first (storing) view
        if status != 200:
            print(f"  skipped {endpoint} {path}: {status} without a flow in progress")
            continue
        measured.append((endpoint, path))
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{kind}; gunicorn {args.gunicorn}; wrk -t2 -c{args.connections} -d{args.duration}s, "
        f"{args.rounds} rounds of hello then every page"
    )
    results = {name: [] for name in ["hello", *(endpoint for endpoint, _ in measured)]}
    try:
        for round_number in range(1, args.rounds + 1):
            wrk(hello.base + "/", args.connections, 1)  # warm-up
            hello_result = wrk(hello.base + "/", args.connections, args.duration)
            results["hello"].append((*hello_result, 1.0))
            for endpoint, path in measured:
                wrk(app.base + path, args.connections, 1, cookie)
                result = wrk(app.base + path, args.connections, args.duration, cookie)
                results[endpoint].append((*result, result[0] / hello_result[0]))
                if result[3] or result[4]:
                    print(
                        f"  round {round_number} {endpoint}: {result[3]} non-2xx, {result[4]} socket errors"
                    )
            print(f"  round {round_number} done (hello {hello_result[0]:.0f} req/s)")
    finally:
        app.__exit__(None, None, None)
        hello.__exit__(None, None, None)
    print("\n| page | path | req/s | ratio to hello | p95 ms | budget |\n|---|---|---:|---:|---:|---|")
    for name, rows in results.items():
        rps = statistics.median(row[0] for row in rows)
        p95 = statistics.median(row[2] for row in rows)
        ratio = statistics.median(row[-1] for row in rows)
        path = dict(measured).get(name, "/ (hello_app)")
        floor = 0.5 if name == CARD else 0.3
        verdict = "" if name == "hello" else ("meets" if ratio >= floor and p95 <= 50 else "BELOW")
        print(f"| {name} | `{path}` | {rps:,.0f} | {ratio:.2f} | {p95:.1f} | {verdict} |")


if __name__ == "__main__":
    main()
