"""200 concurrent registrations by scripted clients against gunicorn, on SQLite or PostgreSQL:
every client goes through the whole flow (photos and the one-time code included); then the
database must hold exactly one dossier per client, with no number twice.

    .venv/bin/python bench/registration_load.py [--clients 200] [--workers 4]
        [--url postgresql://postgres@127.0.0.1:5432/vss_bench]
"""

import argparse
import http.cookiejar
import io
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Gunicorn, app_env, fresh_database  # noqa: E402 - after the path is set


def _jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (900, 600), (180, 170, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


PHOTO = None


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, data in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Applicant:
    """One scripted browser (cookies kept, no JavaScript)."""

    def __init__(self, base, n, read_code):
        self.base, self.n, self.read_code = base, n, read_code
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = None
        self.phone = f"091{n:07d}"

    def _open(self, path, data=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=120) as response:
            return response.geturl(), response.read().decode()

    def post(self, path, fields, files=None):
        fields = {"csrf_token": self.token, **fields}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self._open(path, body, content_type)

    def run(self):
        _, html = self._open("/dang-ky")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        self.post("/dang-ky", {"registrant": "ca_nhan"})
        url, _ = self.post(
            "/dang-ky/thong-tin",
            {
                "bhxh_code": f"01{self.n:08d}",
                "full_name": "Nguyễn Văn Thử",
                "id_number": f"0010900{self.n:05d}",
                "province_code": "1",
                "ward_code": "70",
                "street": f"Số {self.n} phố Hàng Bài",
                "phone": self.phone,
                "phone_confirmed": "y",
                "email": "",
            },
        )
        assert url.endswith("/dang-ky/anh"), url
        url, _ = self.post("/dang-ky/anh", {}, {"mat_truoc": PHOTO, "mat_sau": PHOTO})
        assert url.endswith("/dang-ky/co-quan"), url
        url, _ = self.post(
            "/dang-ky/co-quan",
            {
                "province_code": "1",
                "office_code": "00101",
                "submission_method": "tai_co_quan",
                "channel": "cong_bhxh",
                "committed": "y",
            },
        )
        assert url.endswith("/dang-ky/xem-lai"), url
        url, _ = self.post("/dang-ky/xem-lai", {})
        assert url.endswith("/dang-ky/xac-thuc"), url
        url, _ = self.post("/dang-ky/xac-thuc", {"code": self.read_code(self.phone)})
        assert url.endswith("/dang-ky/hoan-tat"), url


def main():
    global PHOTO
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--url", help="DATABASE_URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    PHOTO = _jpeg()

    from tests.mailbox import last_code
    from tests.registration_flow import offices
    from vss.core import db as vdb
    from vss.dossiers.dossiers import Dossier

    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{folder}/load.db"
    database = fresh_database(url)
    offices()
    database.close()

    # Every client comes from 127.0.0.1: the per-client send budget would stop the load at 10.
    env = app_env(
        url,
        folder,
        VSS_OTP_BUDGET_CLIENT=f"{4 * args.clients}/600",
        VSS_OTP_BUDGET_ALL=f"{4 * args.clients}/60",
    )
    server = Gunicorn(
        "app:app",
        env,
        args=("-w", str(args.workers), "-k", "gthread", "--threads", "8"),
        ready_path="/healthz",
    ).__enter__()
    base = server.base

    outbox_lock = threading.Lock()

    def read_code(phone):
        # One client reads at a time on a connection it closes again: 200 client threads each
        # holding a connection would exceed PostgreSQL's max_connections (100).
        for _ in range(100):
            with outbox_lock:
                try:
                    code = last_code(phone)  # the development mailbox: the outbox keeps no code
                finally:
                    vdb.db.close()
            if code:
                return code
            time.sleep(0.05)
        raise RuntimeError(f"no code for {phone}")

    failures = []
    barrier = threading.Barrier(args.clients)

    def client(n):
        barrier.wait()
        try:
            Applicant(base, n, read_code).run()
        except Exception as error:  # noqa: BLE001 - every failure counts (an uncaught one would vanish with its thread)
            failures.append((n, repr(error)[:200]))

    threads = [threading.Thread(target=client, args=(n + 1,)) for n in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    server.__exit__(None, None, None)

    numbers = [d.number for d in Dossier.select(Dossier.number)]
    codes = [d.bhxh_code for d in Dossier.select(Dossier.bhxh_code)]
    kind = "PostgreSQL" if vdb.is_postgres(database) else "SQLite"
    print(
        f"{kind}, gunicorn {args.workers} workers × 8 threads: {args.clients} clients in {elapsed:.1f} s "
        f"= {args.clients / elapsed:.1f} registrations/s"
    )
    print(
        f"dossiers {len(numbers)}, distinct numbers {len(set(numbers))}, distinct BHXH codes {len(set(codes))}, "
        f"failed clients {len(failures)}"
    )
    for failure in failures[:5]:
        print("  failure:", failure)
    ok = not failures and len(numbers) == len(set(numbers)) == len(set(codes)) == args.clients
    print("OK: no lost or duplicated dossiers, no duplicate numbers" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
