"""The concurrency harness: many scripted browsers, each with its own cookies, firing the same
request at the same instant at a gunicorn with several worker processes. Whatever a counter
guards (a password lock, a code's attempts, a send budget), the tests check that exactly its
limit got through, never more."""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

from tests.csrf import token_in
from tests.servers import Gunicorn, app_env

WORKERS = ("-w", "3", "-k", "gthread", "--threads", "4", "--preload")  # preload: one import, three forks


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One scripted browser: its own cookie jar (so its own device and session)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        self.token = None

    def request(self, path, data=None):
        """(status, Location or body) of one request; redirects are not followed."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body), timeout=60
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location") or error.read().decode()

    def prime(self, path):
        """Open a form page once, keeping its CSRF token for the burst."""
        status, html = self.request(path)
        assert status == 200, (path, status)
        self.token = token_in(html)
        return self

    def post(self, path, **fields):
        return self.request(path, {"csrf_token": self.token, **fields})


def burst(calls):
    """Run every zero-argument call at the same instant; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index):
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - a failed request is a result to assert on
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def racing_server(app, database_url, folder):
    """gunicorn with three worker processes of four threads on the test database; codes may be
    asked again at once (the budgets, not the cool-down, are under test)."""
    env = app_env(
        database_url,
        folder,
        VSS_OTP_RESEND_SECONDS="0",
        **({"REDIS_URL": app.config["REDIS_URL"]} if app.config.get("REDIS_URL") else {}),
    )
    return Gunicorn("app:app", env, args=WORKERS, ready_path="/healthz")
