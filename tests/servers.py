"""Real servers on loopback for delivery tests: an SMTP server (aiosmtpd) and an SMS gateway."""

import json
import socket
import threading
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
    """An HTTP SMS gateway: records each JSON POST; answers 500 to the first `fail_first`."""

    def __init__(self, fail_first=0):
        self.requests = []
        self.fail_first = fail_first
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
                failing = len(gateway.requests) <= gateway.fail_first
                self.send_response(500 if failing else 202)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error":"busy"}' if failing else b'{"status":"queued"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def app_env(database_url, folder, **extra):
    """Environment for a VSS server process on `database_url` (development config, jobs inline)."""
    import os

    return {**os.environ, "VSS_ENV": "development", "DATABASE_URL": database_url, "SECRET_KEY": "loopback-test",
            "VSS_HUEY_IMMEDIATE": "1", "VSS_SECURE_COOKIES": "0", "VSS_INSTANCE_PATH": str(folder), **extra}


class Gunicorn:
    """gunicorn serving `module` on a free loopback port, stopped (with its workers) on exit."""

    def __init__(self, module, env, args=("-w", "2"), ready_path="/"):
        import sys
        from pathlib import Path

        self.root = Path(__file__).resolve().parent.parent
        self.command = [str(Path(sys.executable).parent / "gunicorn"), *args, "--log-level", "warning",
                        "-b", f"127.0.0.1:{free_port()}", module]
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
    from vss import db as vdb

    database = vdb.make_database(url)
    vdb.db.initialize(database)
    database.connect()
    if vdb.is_postgres(database):
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
    vdb.upgrade(database=database)
    return database
