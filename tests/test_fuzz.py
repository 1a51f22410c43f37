"""Fuzz of every route (issue 10): every form field and query parameter of every route, in the
states that reach the route's own code, with nasty values — NUL and control characters, digits
`isdigit()` accepts and `int()` refuses, huge and negative numbers, dates at the edges, 10 000+
characters, markup. Nothing may answer 5xx, reflect markup unescaped, or set a cookie over 4 KB.

How (tests/fuzz_support.py, tests/fuzz_world.py): a site with people, accounts, staff, dossiers
and a browser per state (anonymous; a citizen on the bound device; sign-ins half done; a
registration draft at each step; a reviewer and an admin past TOTP). Each route's fields come
from the app — its rendered forms and links, the WTForms classes its view builds, the keys its
view reads — so a new field or route is fuzzed without editing this file. Each target gets the
baseline (with and without htmx), every field through a fixed list of bad values one at a time,
and Hypothesis examples (fixed seed per target). A failure is reduced to a small reproduction and
reported with the exception and where it was raised; all failures of a test are reported together.

VSS_FUZZ_SCALE=5 runs five times the examples (a longer local hunt)."""

import os
import sys

import pytest
from werkzeug.security import generate_password_hash

from tests.fuzz_support import LONG, Example, Fuzzer, Report, Target, nasty, next_ip
from tests.test_routes import EXPECTED

SCALE = float(os.environ.get("VSS_FUZZ_SCALE", "1"))
CHEAP_HASH = "scrypt:1024:8:1"  # the fuzz tests input handling, not the cost of scrypt


@pytest.fixture
def fuzzer(app, monkeypatch):
    monkeypatch.setattr("vss.identity.accounts.PASSWORD_METHOD", CHEAP_HASH, raising=False)
    for module in [
        m for name, m in sys.modules.items() if name.startswith("vss.") and hasattr(m, "_DUMMY_HASH")
    ]:
        monkeypatch.setattr(module, "_DUMMY_HASH", generate_password_hash("x", method=CHEAP_HASH))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 page, as in production; the exception is caught
    return Fuzzer(app, Report(), examples=round(16 * SCALE), anon_examples=round(2 * SCALE))


def _fuzz(fuzzer, states):
    targets = fuzzer.targets(states)
    fuzzer.run(targets)
    assert not fuzzer.report, fuzzer.report.text()


def test_every_route_is_fuzzed_in_a_state_that_reaches_it(fuzzer):
    targets = fuzzer.targets()
    assert {(t.rule, t.method) for t in targets} >= EXPECTED
    reached = {(t.rule, t.method) for t in targets if t.state != "anon" or t.examples == fuzzer.examples}
    assert reached >= EXPECTED


def test_public_pages_and_lookups(fuzzer):
    _fuzz(fuzzer, {"anon"})


def test_registration_steps(fuzzer):
    _fuzz(fuzzer, {"draft"})


def test_citizen_pages_and_sign_in_steps(fuzzer):
    _fuzz(fuzzer, {"citizen", "signin", "reset"})


def test_staff_workspace_and_administration(fuzzer):
    _fuzz(fuzzer, {"reviewer", "admin", "staff"})


def test_feedback_code_and_number(fuzzer):
    _fuzz(fuzzer, {"feedback"})


def test_news_desk(fuzzer):
    _fuzz(fuzzer, {"editor"})


def test_kiosk_pages(fuzzer):
    _fuzz(fuzzer, {"kiosk"})


END_VALUES = ("\x00", "Số 5\x00 phố Hàng Bài", "٣", "²", LONG, "\u202e", "<x-fz>\"'", "a" * 300, "x\x1b")


def test_registration_accepted_at_one_step_is_accepted_at_the_last(fuzzer):
    """What a step accepts must not fail a later one (a NUL in the street once passed every step
    and failed the final one): one Mẫu 01 field is bad, then the flow goes on to the code."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    from tests.fuzz_support import Request
    from tests.registration_flow import Flow
    from tests.registration_flow import offices as reg_offices

    info_target = next(
        t for t in fuzzer.targets({"draft"}) if t.rule == "/dang-ky/thong-tin" and t.method == "POST"
    )
    office_target = next(
        t for t in fuzzer.targets({"draft"}) if t.rule == "/dang-ky/co-quan" and t.method == "POST"
    )
    fuzzer.prepare([info_target, office_target])
    texts = [
        (t, name)
        for t in (info_target, office_target)
        for name, f in sorted(t.fields.items())
        if f.kind in ("text", "textarea", "tel", "email", "StringField", "TextAreaField")
        and name not in ("qr", "plain_name_ok")
    ]
    assert len(texts) >= 7, texts
    reg_offices()
    numbers = iter(range(10_000))

    bad = {}

    def step(rule, data, send):
        fuzzer.runner.errors.clear()
        response = send()
        target = Target(rule, "POST", "", "a new draft, all steps", {}, {}, 0)
        request = Request(
            target.state, "POST", rule, data, {}, {}, ", ".join(f"{k}={v!r}" for k, v in bad.items())
        )
        failure = fuzzer.runner.check(target, request, response, response.get_data())
        if failure:
            fuzzer.report.add(failure)
        return response.status_code

    def run(target, field, value):
        n = next(numbers)
        client = fuzzer.app.test_client()
        client.environ_base["REMOTE_ADDR"] = next_ip()  # each applicant on their own phone
        flow = Flow(client)
        info = {
            "bhxh_code": f"018{n:07d}",
            "phone": f"0915{n:06d}",
            "id_number": f"001190{n:06d}",
            "email": f"e{n}@example.vn",
        }
        office = {"channel": "ivan", "ivan_name": "I-VAN Việt"}
        (info if target is info_target else office)[field] = value
        bad.clear()
        bad[field] = value
        step("/dang-ky", [], flow.start)
        if step("/dang-ky/thong-tin", list(info.items()), lambda: flow.info(**info)) != 302:
            return
        step("/dang-ky/anh", [], flow.photos)
        if step("/dang-ky/co-quan", list(office.items()), lambda: flow.office(**office)) != 302:
            return
        if step("/dang-ky/xem-lai", list(info.items()), flow.review) != 302:
            return
        from vss.core import validators

        code = flow.last_code(validators.mobile_phone(info["phone"]))
        return (
            step("/dang-ky/xac-thuc", list(info.items()) + list(office.items()), lambda: flow.verify(code))
            == 302
        )

    assert run(info_target, "street", "Số 7 phố Huế"), "a good draft no longer reaches its dossier"
    for target, field in texts:
        for value in END_VALUES:
            run(target, field, value)

    @seed(10)
    @settings(
        max_examples=round(16 * SCALE),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(texts), nasty())
    def random_values(where, value):
        run(*where, value)

    random_values()
    assert not fuzzer.report, fuzzer.report.text()


COOKIES = ("vss_draft", "vss_device", "lang", "vss_lang", "session", "remember_token", "vss_kiosk")
COOKIE_VALUES = (
    "A" * 5000,
    "\x00",
    "a\x00b",
    "²",
    "Nguyễn",
    '"',
    "\\",
    "",
    "..",
    "=" * 40,
    ".eJwLdgoJMggM9fMEAA.e30.x",
    "<x-fz>",
    "vi\x00",
    "en" * 3000,
)


def test_bad_cookies_and_htmx_on_every_route(fuzzer):
    """Over-long, NUL, non-ASCII and forged values in every cookie the app reads, on every
    route in its own state, with and without htmx."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    targets = [t for t in fuzzer.targets() if t.examples == fuzzer.examples]
    fuzzer.prepare(targets)
    for target in targets:
        base = fuzzer.baseline(target, fuzzer.world.browser(target.state))
        for name in COOKIES:
            fuzzer.execute(target, base.replace(cookies={name: "A" * 5000}, headers={"HX-Request": "true"}))
            fuzzer.execute(target, base.replace(cookies={name: "a\x00b"}))

    @seed(11)
    @settings(
        max_examples=round(150 * SCALE),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.sampled_from(targets),
        st.sampled_from(COOKIES),
        st.one_of(st.sampled_from(COOKIE_VALUES), nasty()).filter(lambda v: "\r" not in v and "\n" not in v),
        st.booleans(),
    )
    def cookies(target, name, value, htmx):
        base = fuzzer.baseline(target, fuzzer.world.browser(target.state))
        fuzzer.execute(
            target, Example(base.path, base.fields, {"HX-Request": "true"} if htmx else {}, {name: value})
        )

    cookies()
    assert not fuzzer.report, fuzzer.report.text()
