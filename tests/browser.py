"""Browser-test plumbing: the app served on loopback by a real WSGI server in a thread, and
Debian's Chromium driven by Playwright."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}

needs_chromium = pytest.mark.skipif(
    not shutil.which("chromium"), reason="Debian's chromium is not installed (CI installs it)"
)


class CountingMiddleware:
    """Records the requests that reach the server: paths, and bytes of each POST body."""

    def __init__(self, app):
        self.app = app
        self.paths = []
        self.posted = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.paths.append(path)
        if environ.get("REQUEST_METHOD") == "POST":
            self.posted.append((path, int(environ.get("CONTENT_LENGTH") or 0)))
        return self.app(environ, start_response)


class LiveServer:
    """The Flask app on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, app):
        self.counter = CountingMiddleware(app.wsgi_app)
        app.wsgi_app = self.counter
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class StaticServer:
    """Some files on 127.0.0.1:<free port> (http.server in a thread), under a CSP that allows
    scripts from this origin only — no inline script, no eval — as the app's own pages do.
    `files` maps URL paths to files."""

    CSP = "default-src 'none'; script-src 'self'"
    TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

    def __init__(self, files):
        import http.server

        served = {
            path: (Path(file).read_bytes(), self.TYPES[Path(file).suffix]) for path, file in files.items()
        }
        csp = self.CSP

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                body, kind = served.get(self.path.split("?")[0], (b"", None))
                self.send_response(200 if kind else 404)
                self.send_header("Content-Type", kind or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Security-Policy", csp)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
