"""Machinery of the fuzz of every route (tests/test_fuzz.py).

- `World`: the people, offices, dossiers and records a real site has, and one browser per state
  a request can meet (anonymous, a citizen on the bound device, a sign-in half done, a draft at
  each step of the registration, a reviewer and an admin past TOTP…). A browser that loses its
  state (signed out, draft finished) is rebuilt; its cookies are put back before every request.
- `discover`: every route of the app with the fields it reads — from the rendered `<form>`s of
  its state, the WTForms classes its view builds and the `request.args`/`request.form` keys its
  view module reads — so a new field or route is fuzzed without editing the test.
- `values`: nasty values (NUL and control characters, digits that `isdigit()` accepts and `int()`
  refuses, huge and negative numbers, dates at the edges, 10 000+ characters, markup).
- `Runner`: sends one request, checks it (no 5xx, no unescaped marker, no cookie over 4 KB),
  keeps the smallest reproduction of each distinct failure and prints the report."""

import dataclasses
import datetime as dt
import functools
import gzip
import html.parser
import inspect
import io
import itertools
import random
import re
import string
import struct
import sys
import traceback
import warnings
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit

from flask import got_request_exception
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
MISSING = object()  # a field left out of the request
COOKIE_LIMIT = 4096

# --- values ---------------------------------------------------------------------------------

MARK = "<x-fz>"
MARKERS = (
    f"{MARK}\"'",
    f'"><{MARK[1:]}',
    'fz" onfz="1',
    "fz' onfz='1",
    f"</textarea>{MARK}",
    f"</title>{MARK}",
    f"javascript:{MARK}",
)
REFLECTED = re.compile(rb"<x-fz|\" onfz=|' onfz=", re.IGNORECASE)
# 10 001 characters that do not compress (a session cookie is compressed before it is signed).
LONG = "".join(random.Random(10).choices(string.ascii_letters + string.digits, k=10_001))
LONG_VALUES = (
    LONG,
    "A" * 10_001,
    "٣" * 5_000,
    "a\x00" * 5_000,
    "9" * 10_001,
    "Nguyễn " * 2_000,
    "1" * 200,
    "x" * 40,
)
UNICODE_DIGITS = "²³¹٣٠۵३০๓０３９𝟗①"
EDGE = (
    "",
    " ",
    "0",
    "00",
    "-0",
    "-1",
    "1",
    "+1",
    "99",
    "100",
    "1e5",
    "0x1f",
    "NaN",
    "inf",
    "1.5",
    "١",
    "²",
    "٣",
    "３",
    "¹²",
    "①",
    "𝟗",
    "2²",
    str(2**31),
    str(2**63),
    "99999999999999999999",
    "-99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "31/02/2024",
    "2024-02-30",
    "00/00/0000",
    "01/01/0001",
    "31/12/9999",
    "2026-13-01",
    "1970-01-01T00:00:00",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\x1b[0m",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "%00",
    "%s",
    "{0}",
    "{{7*7}}",
    "' OR 1=1 --",
    "../../x",
    "null",
    "true",
    "[]",
    "{}",
    "//evil.example",
    "https://evil.example/",
)
# One field at a time, every field of every target gets these (the random part adds the rest).
SWEEP = (
    "",
    "0",
    "99",
    "-1",
    "²",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "\x00",
    LONG,
    MARKERS[0],
)


def _date_text(day, style):
    return day.isoformat() if style else day.strftime("%d/%m/%Y")


def nasty():
    """Any one of the values a careless parser trips on."""
    return st.one_of(
        st.sampled_from(EDGE),
        st.text(max_size=12),
        st.text(alphabet="0123456789" + UNICODE_DIGITS, min_size=1, max_size=8),
        st.integers().map(str),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.builds(_date_text, st.dates(), st.booleans()),
        st.sampled_from(LONG_VALUES),
        st.builds(
            lambda a, m, b: a + m + b, st.text(max_size=3), st.sampled_from(MARKERS), st.text(max_size=3)
        ),
    )


def _png_header(width, height):
    """A PNG that claims `width`×`height` in a few bytes (a decompression bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


@functools.cache
def _jpeg(width=640, height=480):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 150)).save(out, "JPEG", quality=80)
    return out.getvalue()


def files():
    """Uploads: good, empty, truncated, not an image, a bomb, odd names."""
    good = _jpeg()
    contents = st.one_of(
        st.sampled_from(
            [
                good,
                b"",
                good[:200],
                b"\x00" * 64,
                b"GIF89a\x01\x00\x01\x00",
                _png_header(30_000, 30_000),
                _png_header(0, 0),
                _jpeg(10, 10),
                b"<svg><x-fz></svg>",
            ]
        ),
        st.binary(max_size=64),
    )
    names = st.one_of(st.just("anh.jpg"), nasty())
    return st.tuples(contents, names)


NASTY = nasty()
FILES = files()


# --- pages: forms, fields, links --------------------------------------------------------------


@dataclasses.dataclass
class Field:
    kind: str  # text, hidden, select, radio, checkbox, file, submit, textarea, param
    values: list  # values seen on the page (options, radio values, the current value)
    where: str = "form"  # "query" (URL) or "form" (body)


class _Page(html.parser.HTMLParser):
    """The forms of a page (action, method, fields) and the URLs its links and htmx attributes use."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (method, action, {name: Field})
        self.urls = []  # (method, url, {name: Field}) from href / hx-get / hx-post
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(((a.get("method") or "get").upper(), a.get("action", ""), self._form))
            if a.get("data-hx-post"):
                self.forms.append(("POST", a["data-hx-post"], self._form))
            if a.get("data-hx-get"):
                self.forms.append(("GET", a["data-hx-get"], self._form))
        for attr, method in (
            ("href", "GET"),
            ("data-hx-get", "GET"),
            ("data-hx-post", "POST"),
            ("src", "GET"),
        ):
            if a.get(attr) and tag != "form":
                own = {a["name"]: Field("param", [a.get("value", "")])} if a.get("name") else {}
                self.urls.append((method, a[attr], own))
        name = a.get("name")
        if tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
            if "selected" in a:
                self._select.values.insert(0, a.get("value", ""))
        if not name or tag not in ("input", "select", "textarea", "button"):
            return
        kind = {
            "input": a.get("type", "text").lower(),
            "select": "select",
            "textarea": "textarea",
            "button": "submit",
        }[tag]
        target = self._form if self._form is not None else {}
        field = target.setdefault(name, Field(kind, []))
        if tag == "select":
            self._select = field
        elif kind in ("checkbox", "radio"):
            field.values.insert(0, a.get("value", "on")) if "checked" in a else field.values.append(
                a.get("value", "on")
            )
        elif kind == "submit" or kind != "file":
            field.values.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(html_text):
    page = _Page()
    page.feed(html_text)
    return page


# --- routes and their fields, read from the app -------------------------------------------------

ARGS_READ = re.compile(r"request\.(args|form|files|values)(?:\.get(?:list)?\(|\[)\s*[\"']([^\"']+)[\"']")
FORM_BUILT = re.compile(r"\b([A-Z]\w*Form)\(")
CALLED = re.compile(r"\b([A-Za-z_]\w*)\(")


def _source(func):
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return ""


def view_source(view):
    """The view's source, with the module functions it calls (two levels down)."""
    func = inspect.unwrap(view)
    module = sys.modules.get(func.__module__)
    seen, sources, todo = {func.__name__}, [], [func]
    for _ in range(3):
        nxt = []
        for f in todo:
            text = _source(f)
            sources.append(text)
            for name in CALLED.findall(text):
                obj = getattr(module, name, None)
                if name not in seen and inspect.isfunction(obj) and obj.__module__ == func.__module__:
                    seen.add(name)
                    nxt.append(obj)
        todo = nxt
    return "\n".join(sources), module


def wtforms_fields(form_class):
    from wtforms.fields.core import UnboundField

    return {
        name: value.field_class.__name__
        for name, value in inspect.getmembers(form_class)
        if isinstance(value, UnboundField)
    }


_SOURCE_FIELDS = {}


def source_fields(app, endpoint):
    """Field names the view reads: WTForms classes it builds, request.args/form keys (cached)."""
    view = app.view_functions[endpoint]
    if view not in _SOURCE_FIELDS:
        _SOURCE_FIELDS[view] = _source_fields(app, endpoint)
    return _SOURCE_FIELDS[view]


def _source_fields(app, endpoint):
    source, module = view_source(app.view_functions[endpoint])
    names = {}
    for _where, name in ARGS_READ.findall(source):
        names[name] = "param"
    for class_name in FORM_BUILT.findall(source):
        form_class = getattr(module, class_name, None)
        if form_class is None:
            from vss.web import forms

            form_class = getattr(forms, class_name, None)
        if inspect.isclass(form_class):
            for name, kind in wtforms_fields(form_class).items():
                names.setdefault(name, kind)
    return names


def rule_regex(rule):
    return re.compile(
        "^"
        + re.sub(
            r"<(?:[^:>]+:)?[^>]+>",
            "[^/]+",
            re.escape(rule).replace(r"\<", "<").replace(r"\>", ">").replace(r"\:", ":"),
        )
        + "$"
    )


@dataclasses.dataclass
class Target:
    rule: str
    method: str
    endpoint: str
    state: str
    fields: dict  # name -> Field
    converters: dict  # arg -> converter name ("int", "default", …)
    examples: int

    @property
    def name(self):
        return f"{self.method} {self.rule} [{self.state}]"


# --- failures -------------------------------------------------------------------------------


def _short(value, limit=60):
    """A value as Python, with long repetitions written as 'x' * n."""
    if isinstance(value, tuple):  # an upload
        content, name = value
        return f"<file {_short(name)} {len(content)} bytes {content[:12]!r}>"
    if isinstance(value, str) and len(value) > limit:
        for size in range(1, 8):
            unit = value[:size]
            if unit * (len(value) // size) == value:
                return f"{unit!r} * {len(value) // size}"
        return f"{value[:limit]!r}… ({len(value)} chars)"
    return repr(value)


@dataclasses.dataclass
class Request:
    state: str
    method: str
    url: str
    data: list  # [(name, value)] for POST (csrf_token left out of the report)
    headers: dict
    cookies: dict
    changed: str = ""  # what differs from the state's good request

    def describe(self):
        lines = [
            f"{self.method} {_short(self.url, 120)[1:-1] if len(self.url) <= 120 else _short(self.url)}"
            f"   [as {self.state}]"
        ]
        if self.data:
            lines.append("    form: " + ", ".join(f"{k}={_short(v)}" for k, v in self.data))
        if self.changed:
            lines.append(f"    (bad: {self.changed})")
        if self.headers:
            lines.append(f"    headers: {self.headers}")
        if self.cookies:
            lines.append("    cookies: " + ", ".join(f"{k}={_short(v)}" for k, v in self.cookies.items()))
        return "\n".join(lines)


@dataclasses.dataclass
class Failure:
    key: str  # what makes two failures the same bug
    kind: str
    detail: str
    request: Request
    trace: str = ""


def exception_site(error):
    """'vss/views/me.py:83' — the innermost frame in the project's own code (else the innermost)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(str(ROOT / "vss"))]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    try:
        where = Path(frame.filename).relative_to(ROOT)
    except ValueError:
        where = Path(frame.filename).name
    return f"{where}:{frame.lineno}"


def short_trace(error):
    frames = traceback.extract_tb(error.__traceback__)
    keep = [f for f in frames if f.filename.startswith(str(ROOT / "vss"))][-3:] + frames[-1:]
    seen, out = set(), []
    for f in keep:
        label = f"{Path(f.filename).name}:{f.lineno} {f.name}"
        if label not in seen:
            seen.add(label)
            out.append(label)
    return " → ".join(out)


class Report:
    """The distinct failures, each with its smallest reproduction."""

    def __init__(self):
        self.failures = {}

    def add(self, failure):
        """Keep the first (reduced) reproduction of each failure."""
        if failure.key in self.failures:
            return False
        self.failures[failure.key] = failure
        return True

    def __bool__(self):
        return bool(self.failures)

    def text(self):
        out = [f"{len(self.failures)} distinct failure(s):"]
        for n, failure in enumerate(sorted(self.failures.values(), key=lambda f: f.key), 1):
            out.append(
                f"\n{n}. {failure.key}\n    {failure.detail}\n    "
                + failure.request.describe().replace("\n", "\n    ")
            )
            if failure.trace:
                out.append(f"    at {failure.trace}")
        return "\n".join(out)


# --- the runner -----------------------------------------------------------------------------

_ips = itertools.count(1)


def next_ip():
    n = next(_ips)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def build_path(rule, values):
    def put(match):
        return quote(str(values[match.group(2)]), safe="")

    return re.sub(r"<(?:([^:>]+):)?([^>]+)>", put, rule)


def _encode(pairs):
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs)


def _latin1(text):
    """What a WSGI server hands the app for UTF-8 bytes in a header."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


@dataclasses.dataclass
class Example:
    path: dict  # route argument -> value
    fields: dict  # field name -> [values] ([] = left out)
    headers: dict
    cookies: dict = dataclasses.field(default_factory=dict)

    def replace(self, **changes):
        return dataclasses.replace(self, **{k: dict(v) for k, v in changes.items()})


class Runner:
    """Sends requests as a browser in a state and checks every answer."""

    def __init__(self, app, world, report):
        self.app, self.world, self.report = app, world, report
        self.errors = []
        self.requests = 0
        got_request_exception.connect(self._caught, app)

    def _caught(self, sender, exception, **extra):
        self.errors.append(exception)

    def send(self, target, example):
        """One request; returns (response or None, failure or None)."""
        browser = self.world.browser(target.state)
        client = browser.fresh_client()
        path = build_path(target.rule, example.path)
        query, form = [], []
        for name, values in example.fields.items():
            where = (
                target.fields[name].where
                if name in target.fields
                else ("query" if target.method == "GET" else "form")
            )
            for value in values:
                (query if where == "query" else form).append((name, value))
        url = path + ("?" + _encode(query) if query else "")
        kwargs = {
            "method": target.method,
            "headers": dict(example.headers),
            "environ_base": {"REMOTE_ADDR": next_ip()},
        }
        if target.method != "GET":
            body = [("csrf_token", browser.token), *form]
            if any(isinstance(v, tuple) for _, v in body):
                from werkzeug.datastructures import MultiDict

                kwargs["data"] = MultiDict(
                    [(k, (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v) for k, v in body]
                )
                kwargs["content_type"] = "multipart/form-data"
            else:
                kwargs["data"] = _encode(body)
                kwargs["content_type"] = "application/x-www-form-urlencoded"
        jar = client._cookies
        if example.cookies:  # sent raw, as a browser would, past the test client's cookie jar
            cookies = {c.key: c.value for c in jar.values()}
            cookies.update(example.cookies)
            kwargs["headers"]["Cookie"] = _latin1("; ".join(f"{k}={v}" for k, v in cookies.items()))
            client._cookies = None
        request = Request(
            target.state, target.method, url, form, dict(example.headers), dict(example.cookies)
        )
        self.errors.clear()
        self.requests += 1
        try:
            with warnings.catch_warnings():
                # As in production: a warning (an oversized cookie…) is logged, not raised; the
                # checks below judge what reaches the browser.
                warnings.simplefilter("ignore")
                response = client.open(url, **kwargs)
                body = response.get_data()
                response.close()  # as a WSGI server does (a streamed file is closed)
        except Exception as error:  # noqa: BLE001 - outside Flask's handler: a 500 in production
            if not any(
                f.filename.startswith(str(ROOT / "vss")) for f in traceback.extract_tb(error.__traceback__)
            ):
                raise  # the request could not be made: the fuzz's mistake, not the app's
            return None, Failure(
                f"{exception_site(error)} {type(error).__name__}",
                "exception outside Flask",
                f"{type(error).__name__}: {str(error)[:200]}",
                request,
                short_trace(error),
            )
        finally:
            client._cookies = jar
        return response, self.check(target, request, response, body)

    def check(self, target, request, response, body):
        if response.status_code >= 500:
            if self.errors:
                error = self.errors[-1]
                return Failure(
                    f"{exception_site(error)} {type(error).__name__}",
                    "5xx",
                    f"{response.status_code}: {type(error).__name__}: {str(error)[:200]}",
                    request,
                    short_trace(error),
                )
            return Failure(
                f"HTTP {response.status_code} on {target.method} {target.rule}",
                "5xx",
                f"{response.status_code} without an exception",
                request,
            )
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        found = REFLECTED.search(body)
        if found and not response.mimetype.startswith("image/"):
            at = found.start()
            return Failure(
                f"unescaped reflection on {target.method} {target.rule}",
                "reflection",
                f"{response.status_code}, body …{body[max(0, at - 60) : at + 40]!r}…",
                request,
            )
        for header in response.headers.getlist("Set-Cookie"):
            if len(header) > COOKIE_LIMIT:
                name = header.split("=", 1)[0]
                return Failure(
                    f"cookie {name!r} over 4 KB on {target.method} {target.rule}",
                    "cookie",
                    f"Set-Cookie {name}: {len(header)} bytes (browsers drop it; the next request "
                    f"is refused with 431)",
                    request,
                )
        return None


# --- the fuzzer -----------------------------------------------------------------------------

# Where a route's own code runs, when its decorators do not say (see `states_for`).
STATES = {
    "auth.other_device": ["signin:takeover"],
    "auth.code": ["signin:takeover", "signin:unbound"],
    "auth.resend": ["signin:takeover", "signin:first_code"],
    "auth.first_password": ["signin:first"],
    "auth.first_code": ["signin:first_code"],
    "auth.sign_out": ["citizen"],
    "password.reset": ["reset"],
    "password.change_code": ["citizen:code"],
    "staff_auth.totp": ["staff:totp"],
    "staff_auth.enrol": ["staff:enrol"],
    "staff_auth.sign_out": ["reviewer"],
    "register.start": ["anon", "draft:xem-lai"],
    "register.photo": ["draft:co-quan"],
    "register.done": ["draft:done"],
    "register.pdf": ["draft:done"],
    "register.cancel_pending": ["draft:pending"],
    "feedback.new": ["anon", "citizen"],
    "feedback.verify": ["feedback:code"],
    "feedback.resend": ["feedback:code"],
    "feedback.sent": ["feedback:sent"],
}
INT_EDGES = (0, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**20, -1)
HEADERS = (
    {},
    {},
    {"HX-Request": "true"},
    {"HX-Request": "true", "HX-Target": "step"},
    {"HX-Request": "true", "HX-Boosted": "true"},
    {"HX-Request": "true", "HX-History-Restore-Request": "true"},
)
# Where a browser is sent when its state is gone (and where a state's own flow starts).
LOST = {
    "/",
    "/dang-nhap",
    "/can-bo/dang-nhap",
    "/dang-ky",
    "/dang-ky/thong-tin",
    "/dang-ky/hoan-tat",
    "/quen-mat-khau",
    "/dang-nhap/mat-khau-moi",
    "/tai-khoan/doi-mat-khau",
}
GATES = {"/dang-nhap", "/can-bo/dang-nhap", "/dang-ky", "/quen-mat-khau"}  # where a missing state sends one
MODES = ("base",) * 4 + ("alt", "nasty", "nasty", "nasty", "append", "missing", "repeat")
MODE, HEADER = st.sampled_from(MODES), st.sampled_from(HEADERS)


def states_for(app, endpoint):
    """The states where the view's own code runs: from STATES, else from its decorators."""
    if endpoint in STATES:
        return STATES[endpoint]
    source = _source(inspect.unwrap(app.view_functions[endpoint]))
    head = source.split("def ", 1)[0]
    if step := re.search(r"@step_view\(\s*[\"']([\w-]+)", head):
        return [f"draft:{step.group(1)}"]
    if "@citizen_required" in head:
        return ["citizen"]
    if "@kiosk_required" in head:
        return ["kiosk"]
    if re.search(r"@staff_required\([^)]*EDITOR", head):
        return ["editor"]
    if re.search(r"@staff_required\([^)]*ADMIN", head):
        return ["admin"]
    if "@staff_required" in head:
        return ["reviewer"]
    return ["anon"]


def _merge(fields, name, field, where):
    old = fields.get(name)
    if old is None:
        fields[name] = Field(field.kind, list(field.values), where)
        return
    if field.kind in ("file", "select", "radio", "checkbox") and old.kind in ("text", "param", "StringField"):
        old.kind = field.kind
    old.values += [v for v in field.values if v not in old.values]


class Fuzzer:
    """Targets (route × method × state) and their fields; each target is fuzzed one field at a
    time through SWEEP, then with Hypothesis examples; failures are reduced and reported."""

    def __init__(self, app, report, examples=20, anon_examples=3):
        from tests.fuzz_world import World, record_reads

        self.app, self.report = app, report
        self.reads = {}
        record_reads(app, self.reads)
        self.world = World(app)
        self.runner = Runner(app, self.world, report)
        self.examples, self.anon_examples = examples, anon_examples
        self.pages = {}  # state -> [(url, parsed page)]

    # -- targets and fields ---------------------------------------------------------------

    def targets(self, states=None, rules=None):
        out = []
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint == "static" or (rules is not None and rule.rule not in rules):
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                primary = states_for(self.app, rule.endpoint)
                for state in primary + ([] if "anon" in primary else ["anon"]):
                    if states is not None and state not in states and state.split(":")[0] not in states:
                        continue
                    count = self.examples if state in primary else self.anon_examples
                    if rule.endpoint.endswith("sign_out"):
                        count = min(count, 4)
                    out.append(
                        Target(
                            rule.rule,
                            method,
                            rule.endpoint,
                            state,
                            {},
                            {arg: conv.__class__.__name__ for arg, conv in rule._converters.items()},
                            count,
                        )
                    )
        return out

    def good(self, browser, target, name):
        values = browser.good.get((target.rule, name)) or browser.good.get(name) or []
        return [str(v) if isinstance(v, int) else v for v in values]

    def path_values(self, target, browser):
        values = {}
        for arg, conv in target.converters.items():
            good = self.good(browser, target, arg)
            if arg == "lang":
                good = list(self.app.config["LANGUAGES"])
            values[arg] = good[0] if good else ("1" if conv == "IntegerConverter" else "x")
        return values

    def crawl(self, state, targets):
        """GET every page of the state once (its forms and links tell the fields)."""
        browser = self.world.browser(state)
        pages = self.pages.setdefault(state, [])
        urls = {browser.probe} if browser.probe else set()
        urls |= {
            build_path(t.rule, self.path_values(t, browser))
            for t in targets
            if t.method == "GET" and t.state == state
        }
        urls |= {"/", "/dang-nhap", "/can-bo/dang-nhap"} if state == "anon" else set()
        for url in sorted(u for u in urls if u):
            response = browser.fresh_client().get(url)
            response.close()  # a streamed file (a news video) is closed, as a WSGI server does
            if response.mimetype == "text/html":
                pages.append((url, parse_page(response.get_data(as_text=True))))

    def fields(self, target):
        """Fields of a target: its forms and links on the state's pages, its view's source, and
        what the view was seen reading."""
        regex = rule_regex(target.rule)
        fields = {}
        default_where = "query" if target.method == "GET" else "form"
        for url, page in self.pages.get(target.state, []):
            for method, action, form_fields in page.forms:
                action_path = urlsplit(action).path or url
                if method == target.method and regex.match(action_path):
                    for name, field in form_fields.items():
                        _merge(fields, name, field, default_where)
            for method, link, own in page.urls:
                parts = urlsplit(link)
                if parts.netloc or method != target.method or not regex.match(parts.path or url):
                    continue
                for name, field in own.items():
                    _merge(fields, name, field, default_where)
                for pair in filter(None, parts.query.split("&")):
                    name, _, value = pair.partition("=")
                    _merge(fields, unquote_plus(name), Field("param", [unquote_plus(value)]), "query")
        names = source_fields(self.app, target.endpoint)
        for name, kind in names.items():
            if (
                target.method != "GET" or kind == "param"
            ):  # a GET reads a WTForms form only from args (seen below)
                _merge(fields, name, Field(kind, []), default_where)
        seen = self.reads.get((target.rule, target.method), {})
        for name in seen.get("args", ()):
            _merge(fields, name, Field("param", []), "query")
        for name in seen.get("form", ()):
            _merge(fields, name, Field("param", []), "form")
        fields.pop("csrf_token", None)
        if target.method == "GET":
            for field in fields.values():
                field.where = "query"
        return fields

    def baseline(self, target, browser):
        fields = {}
        for name, field in target.fields.items():
            good = self.good(browser, target, name)
            if good:
                fields[name] = good[:1]
            elif field.kind in ("file", "FileField"):
                fields[name] = [(_jpeg(), "anh.jpg")]
            elif field.kind in ("submit", "checkbox", "BooleanField", "SubmitField") or not field.values:
                fields[name] = []
            else:
                fields[name] = field.values[:1]
        return Example(self.path_values(target, browser), fields, {})

    def alternatives(self, target, browser, name):
        field = target.fields.get(name)
        values = self.good(browser, target, name) + (field.values if field else [])
        return [v for n, v in enumerate(values) if v not in values[:n]]

    # -- running --------------------------------------------------------------------------

    def attempt(self, target, example):
        """Send; after a 429 (a budget spent) an hour later once more; keep the browser's state."""
        response, failure = self.runner.send(target, example)
        if response is not None and response.status_code == 429:
            from vss.core import clock

            clock.travel(dt.timedelta(minutes=61))
            response, failure = self.runner.send(target, example)
        browser = self.world.browser(target.state)
        if browser.probe and (
            response is None or urlsplit(response.headers.get("Location", "")).path in LOST
        ):
            browser.keep()  # the state may be gone (signed out, flow abandoned): rebuilt if so
        return response, failure

    def execute(self, target, example, reduce=True):
        response, failure = self.attempt(target, example)
        if failure is not None:
            if failure.key not in self.report.failures and reduce:
                example = self.reduce(target, example, failure.key)
                _, smaller = self.attempt(target, example)
                failure = smaller if smaller is not None and smaller.key == failure.key else failure
                failure.request.changed = self.changes(target, example)
            self.report.add(failure)
        return response

    def changes(self, target, example):
        """'province_code=\'99\', header HX-Request' — how an example differs from the good request."""
        base = self.baseline(target, self.world.browser(target.state))
        out = [f"{arg}={_short(v)}" for arg, v in example.path.items() if v != base.path.get(arg)]
        for name, values in example.fields.items():
            if values != base.fields.get(name, []):
                out.append(f"{name}=" + (" & ".join(_short(v) for v in values) if values else "(left out)"))
        out += [f"header {k}" for k in example.headers] + [f"cookie {k}" for k in example.cookies]
        return ", ".join(out)

    def reduce(self, target, example, key, budget=40):
        """A smaller example failing the same way: fields back to their baseline, shorter values."""
        base = self.baseline(target, self.world.browser(target.state))
        tries = [budget]

        def fails(candidate):
            if tries[0] <= 0:
                return False
            tries[0] -= 1
            _, failure = self.attempt(target, candidate)
            return failure is not None and failure.key == key

        if example.headers and fails(example.replace(headers={})):
            example = example.replace(headers={})
        if example.cookies and fails(example.replace(cookies={})):
            example = example.replace(cookies={})
        for arg in example.path:
            if example.path[arg] != base.path[arg] and fails(
                example.replace(path={**example.path, arg: base.path[arg]})
            ):
                example = example.replace(path={**example.path, arg: base.path[arg]})
        for name in list(example.fields):
            if example.fields[name] != base.fields.get(name, []):
                candidate = example.replace(fields={**example.fields, name: base.fields.get(name, [])})
                if fails(candidate):
                    example = candidate
        for name in list(example.fields):
            values = example.fields[name]
            if values == base.fields.get(name, []):
                continue
            if len(values) > 1:
                for value in values:
                    candidate = example.replace(fields={**example.fields, name: [value]})
                    if fails(candidate):
                        example, values = candidate, [value]
                        break
            if len(values) == 1 and isinstance(values[0], str):
                value = values[0]
                improved = True
                while improved and len(value) > 1:
                    improved = False
                    half = len(value) // 2
                    pieces = (
                        [value[:half], value[half:]]
                        if len(value) > 12
                        else [value[:i] + value[i + 1 :] for i in range(len(value))]
                    )
                    for piece in pieces:
                        candidate = example.replace(fields={**example.fields, name: [piece]})
                        if fails(candidate):
                            example, value, improved = candidate, piece, True
                            break
        return example

    def sweep(self, target):
        """The baseline (with and without htmx), then each field and route argument through
        the values that broke this app before, one at a time."""
        browser = self.world.browser(target.state)
        base = self.baseline(target, browser)
        for _ in range(2):  # once more if the state was found gone (and rebuilt)
            response = self.execute(target, base)
            gate = urlsplit(response.headers.get("Location", "")).path if response is not None else ""
            if gate not in GATES:
                break
        if gate in GATES and not target.endpoint.endswith("sign_out"):
            # The state did not reach the view: the fuzz of this target would test nothing.
            self.report.add(
                Failure(
                    f"{target.name} not reached",
                    "fuzz set-up",
                    f"its good request is sent to {gate}: fix the state in tests/fuzz_world.py",
                    Request(target.state, target.method, target.rule, [], {}, {}),
                )
            )
        self.execute(target, base.replace(headers={"HX-Request": "true"}))
        for name, field in target.fields.items():
            values = (
                SWEEP
                if field.kind not in ("file", "FileField")
                else [
                    (b"", "anh.jpg"),
                    (_png_header(30_000, 30_000), "bom.png"),
                    (b"\x00" * 64, "\x00.jpg"),
                    (_jpeg(), LONG),
                ]
            )
            for value in values:
                self.execute(target, base.replace(fields={**base.fields, name: [value]}))
        for arg, conv in target.converters.items():
            edges = INT_EDGES if conv == "IntegerConverter" else ("²", "\x00", LONG, MARKERS[0], "..")
            for value in (*edges, *self.alternatives(target, browser, arg)[1:]):
                self.execute(target, base.replace(path={**base.path, arg: value}))

    def strategy(self, target):
        """Hypothesis examples: each field keeps its baseline, takes another good value, a nasty
        one, good+nasty, two values, or is left out; route arguments good, at the edges or any."""
        browser = self.world.browser(target.state)
        base = self.baseline(target, browser)
        path_strategies = {}
        for arg, conv in target.converters.items():
            good = st.sampled_from(self.alternatives(target, browser, arg) or [base.path[arg]])
            path_strategies[arg] = (
                st.one_of(good, st.sampled_from(INT_EDGES), st.integers(min_value=0))
                if conv == "IntegerConverter"
                else st.one_of(good, NASTY)
            )
        field_strategies = {}
        for name in sorted(target.fields):
            is_file = target.fields[name].kind in ("file", "FileField")
            alts = self.alternatives(target, browser, name)
            value = FILES if is_file else NASTY
            field_strategies[name] = {
                "base": st.just(base.fields[name]),
                "alt": st.sampled_from(alts).map(lambda v: [v]) if alts else st.just(base.fields[name]),
                "nasty": value.map(lambda v: [v]),
                "append": (
                    st.tuples(st.sampled_from(alts or [""]), NASTY).map(lambda t: [t[0] + t[1]])
                    if not is_file
                    else value.map(lambda v: [v])
                ),
                "missing": st.just([]),
                "repeat": st.lists(value, min_size=2, max_size=2),
            }
        extra = st.tuples(st.text(min_size=1, max_size=8), NASTY)

        @st.composite
        def examples(draw):
            path = {arg: draw(strategy, label=arg) for arg, strategy in path_strategies.items()}
            fields = {}
            for name, strategies in field_strategies.items():
                fields[name] = draw(strategies[draw(MODE, label=name)], label=name)
            if draw(st.integers(0, 7)) == 0:
                key, value = draw(extra, label="extra field")
                fields.setdefault(key, [value])
            return Example(path, fields, draw(HEADER, label="headers"))

        return examples()

    def fuzz(self, target):
        """Hypothesis examples for one target (a fixed seed per target: the same run in CI)."""
        from hypothesis import HealthCheck, Phase, given, seed, settings

        if target.examples <= 0:
            return

        @seed(zlib.crc32(target.name.encode()))
        @settings(
            max_examples=target.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @given(self.strategy(target))
        def run(example):
            self.execute(target, example)

        run()

    def prepare(self, targets):
        """Crawl each state's pages, send each POST once, then read every target's fields."""
        for state in dict.fromkeys(t.state for t in targets):
            self.crawl(state, targets)
        for target in targets:
            target.fields = self.fields(target)
            if target.method != "GET":
                self.runner.send(target, self.baseline(target, self.world.browser(target.state)))
                self.world.browser(target.state).keep()
        for target in targets:
            target.fields = self.fields(target)

    def run(self, targets, sweep=True):
        self.prepare(targets)
        for target in targets:
            if sweep and target.examples == self.examples:  # not where the route only redirects
                self.sweep(target)
            self.fuzz(target)
