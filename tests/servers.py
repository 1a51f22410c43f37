"""Real servers on loopback for delivery tests: an SMTP server (aiosmtpd) and an SMS gateway."""

import json
import socket
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:<port>; `.messages` holds what it received."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.inbox = _Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.inbox.messages

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class SmsGateway:
    """An HTTP SMS gateway: records each JSON POST; answers 500 to the first `fail_first`.

    Like a real gateway it is idempotent: a repeat of an Idempotency-Key it has accepted is
    answered 202 again but is the same message (`accepted` counts each key once, `repeats` the
    extra requests). `hang_first` requests are read and never answered (until the gateway stops),
    so a test can kill the sender mid-send; `delay` seconds pass before every other answer."""

    def __init__(self, fail_first=0, hang_first=0, delay=0.0, port=0):
        self.requests = []
        self.fail_first, self.hang_first, self.delay = fail_first, hang_first, delay
        self.accepted = {}  # idempotency key → time it was first accepted (time.monotonic())
        self.repeats = 0
        self.hanging = []  # keys of the requests left hanging
        self.released = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers.get("Idempotency-Key")
                with gateway.lock:
                    gateway.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
                    number = len(gateway.requests)
                    hang = number <= gateway.hang_first
                    if hang:
                        gateway.hanging.append(key)
                if hang:
                    gateway.released.wait()
                    return  # the sender is gone (killed) or timed out; nothing to answer
                if gateway.delay:
                    time.sleep(gateway.delay)
                failing = number <= gateway.fail_first
                if not failing:
                    with gateway.lock:
                        if key in gateway.accepted:
                            gateway.repeats += 1
                        else:
                            gateway.accepted[key] = time.monotonic()
                self.send_response(500 if failing else 202)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error":"busy"}' if failing else b'{"status":"queued"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"

    @property
    def keys(self):
        """Distinct idempotency keys received (accepted or not)."""
        with self.lock:
            return {request["headers"].get("Idempotency-Key") for request in self.requests}

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def app_env(database_url, folder, **extra):
    """Environment for a VSS server process on `database_url` (development config, jobs inline)."""
    import os

    return {
        **os.environ,
        "VSS_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "loopback-test",
        "VSS_HUEY_IMMEDIATE": "1",
        "VSS_SECURE_COOKIES": "0",
        "VSS_INSTANCE_PATH": str(folder),
        **extra,
    }


class Gunicorn:
    """gunicorn serving `module` on a free loopback port, stopped (with its workers) on exit."""

    def __init__(self, module, env, args=("-w", "2"), ready_path="/"):
        import sys
        from pathlib import Path

        self.root = Path(__file__).resolve().parent.parent
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            *args,
            "--log-level",
            "warning",
            "-b",
            f"127.0.0.1:{free_port()}",
            module,
        ]
        self.base = f"http://{self.command[-2]}"
        self.env, self.ready_path = env, ready_path

    def __enter__(self):
        import subprocess
        import time
        import urllib.request

        self.process = subprocess.Popen(self.command, cwd=self.root, env=self.env, start_new_session=True)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + self.ready_path, timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        import os
        import signal

        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def fresh_database(url):
    """Bind VSS to `url`, emptied (PostgreSQL: a new public schema) and migrated; returns it."""
    from vss.core import db as vdb

    database = vdb.make_database(url)
    vdb.db.initialize(database)
    database.connect()
    if vdb.is_postgres(database):
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
    vdb.upgrade(database=database)
    return database
