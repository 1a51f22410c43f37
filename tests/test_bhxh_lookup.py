"""Tra cứu mã số BHXH (vss/registry/codes.py, /tra-cuu/ma-so-bhxh): one person or one neutral
message, names compared as typed, births by the year alone, the same work either way, budgets
per client and for the service (across gunicorn workers), and bad input."""

import datetime as dt
import logging
import unicodedata

import pytest

from tests.conftest import html_of, wire_size
from tests.csrf import csrf
from tests.factories import make_person
from vss.core.clock import vn_today
from vss.registry import codes
from vss.registry.codes import Birth

URL = "/tra-cuu/ma-so-bhxh"
GZIP = {"Accept-Encoding": "gzip"}
HX = {"HX-Request": "true", **GZIP}
AN = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "17/05/1990", "tinh": "1"}
NEUTRAL = "Không tìm thấy mã số BHXH phù hợp"

pytestmark = pytest.mark.usefixtures("fresh_window")


@pytest.fixture
def an(app):
    return make_person(bhxh_code="0100000042", cccd="001090000042")


def _ask(client, headers=None, **data):
    token = csrf(client, URL)
    return client.post(URL, data={"csrf_token": token, **data}, headers=headers or GZIP)


def _results(html):
    return html[html.index('<div id="results"') :] if '<div id="results"' in html else html


# --- the answer ------------------------------------------------------------------------------


def test_the_facts_of_one_person_give_the_code_and_the_name_masked(client, an):
    response = _ask(client, **AN)
    html = html_of(response)
    assert response.status_code == 200 and "<strong>0100000042</strong>" in html
    assert "N••••• V•• A•" in html and "Nguyễn Văn An" not in _results(html)
    assert "no-store" in response.headers["Cache-Control"]
    assert wire_size(response) <= 12 * 1024
    fragment = _ask(client, headers=HX, **AN)
    assert "<html" not in html_of(fragment) and "0100000042" in html_of(fragment)
    assert wire_size(fragment) <= 4 * 1024


def test_the_cccd_alone_or_with_the_facts(client, an):
    assert "0100000042" in html_of(_ask(client, cccd="001 090 000 042"))
    assert "0100000042" in html_of(_ask(client, cccd="001090000042", **AN))
    assert NEUTRAL in html_of(_ask(client, cccd="001090000043", **AN))  # the facts fit, the CCCD not
    assert NEUTRAL in html_of(_ask(client, cccd="001090000043"))


@pytest.mark.parametrize(
    "typed",
    [
        "nguyễn văn an",
        "  NGUYỄN   Văn  An ",
        unicodedata.normalize("NFD", "Nguyễn Văn An"),  # a keyboard sending decomposed marks
        "Ｎｇｕｙễｎ Văn An",  # full-width letters (NFKC)
    ],
)
def test_a_name_is_compared_as_people_type_it(client, an, typed):
    assert "0100000042" in html_of(_ask(client, **{**AN, "ho_ten": typed}))


def test_the_marks_must_be_the_registrys(client, an):
    """Without diacritics, "Nguyen Van An" would also be Nguyễn Vân Ân, Nguyên Văn Án…: a guess
    would cover several names, so the name must carry its marks as on the CCCD."""
    assert NEUTRAL in html_of(_ask(client, **{**AN, "ho_ten": "Nguyen Van An"}))
    assert NEUTRAL in html_of(_ask(client, **{**AN, "ho_ten": "Nguyễn Vân An"}))


def test_one_neutral_message_whichever_fact_is_wrong(client, an):
    make_person(bhxh_code="0100000043", cccd=None, full_name="Trần Thị Bình")
    make_person(bhxh_code="0100000044", cccd=None, full_name="Trần Thị Bình")  # two fit: no answer
    answers = {
        html_of(_ask(client, headers=HX, **facts))
        for facts in (
            {**AN, "ngay_sinh": "18/05/1990"},
            {**AN, "tinh": "79"},
            {**AN, "ho_ten": "Nguyễn Văn Anh"},
            {**AN, "ho_ten": "Trần Thị Bình"},
            {"ho_ten": "Lê Văn Tám", "ngay_sinh": "01/01/1980", "tinh": "1"},
            {"cccd": "079190000001"},
        )
    }
    assert len(answers) == 1 and NEUTRAL in answers.pop()


def test_a_birth_known_by_the_year_alone(client):
    make_person(bhxh_code="0100000050", full_name="Hoàng Thị Lan", birth_date=dt.date(1950, 1, 1), cccd=None)
    old = {"ho_ten": "Hoàng Văn Lâm", "tinh": "1"}
    make_person(
        bhxh_code="0100000051",
        full_name="Hoàng Văn Lâm",
        birth_date=dt.date(1950, 1, 1),
        birth_year_only=True,
        cccd=None,
    )
    # A person known by the year alone: the year, or any date of that year (they know their day).
    assert "0100000051" in html_of(_ask(client, ngay_sinh="1950", **old))
    assert "0100000051" in html_of(_ask(client, ngay_sinh="17/05/1950", **old))
    assert NEUTRAL in html_of(_ask(client, ngay_sinh="1951", **old))
    # A person with a full date: the year alone is not enough (it would be 365 guesses in one).
    lan = {"ho_ten": "Hoàng Thị Lan", "tinh": "1"}
    assert NEUTRAL in html_of(_ask(client, ngay_sinh="1950", **lan))
    assert "0100000050" in html_of(_ask(client, ngay_sinh="01/01/1950", **lan))


def test_the_same_queries_whether_a_person_matched_or_not(app, an, caplog):
    """The answer's time must not tell a near miss from a hit: the same statements run, and every
    candidate is compared, found or not (no timed test: the statements are the evidence)."""

    def statements(**facts):
        caplog.clear()
        with app.test_request_context(), caplog.at_level(logging.DEBUG, logger="peewee"):
            found = codes.find_code(client="192.0.2.1", **facts)
        return found, [r.msg[0] if isinstance(r.msg, tuple) else r.msg for r in caplog.records]

    birth = Birth(dt.date(1990, 5, 17), False)
    hit, hit_sql = statements(full_name="Nguyễn Văn An", birth=birth, province_code=1)
    miss, miss_sql = statements(full_name="Nguyễn Văn Anh", birth=birth, province_code=1)
    far, far_sql = statements(
        full_name="Nguyễn Văn An", birth=birth._replace(day=dt.date(1991, 5, 17)), province_code=1
    )
    assert hit.bhxh_code == "0100000042" and miss is None and far is None
    # One probe of the registry; the two budgets are statements too unless they live in Redis.
    assert hit_sql == miss_sql == far_sql and any('FROM "person"' in sql for sql in hit_sql)
    by_cccd, cccd_sql = statements(cccd="001090000042")
    _none, none_sql = statements(cccd="001090000099")
    assert by_cccd.bhxh_code == "0100000042" and cccd_sql == none_sql


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "facts,message",
    [
        ({"cccd": "12345"}, "12 chữ số"),
        ({"cccd": "999190000001"}, "mã tỉnh"),  # no such birth province
        ({"cccd": "²²²²²²²²²²²²"}, "12 chữ số"),
        ({**AN, "ngay_sinh": "17/05/199²"}, "dd/mm/yyyy"),
        ({**AN, "ngay_sinh": "31/02/1990"}, "dd/mm/yyyy"),
        ({**AN, "ngay_sinh": "1899"}, "dd/mm/yyyy"),
        ({**AN, "ngay_sinh": "x" * 10_000}, "quá dài"),
        ({**AN, "ho_ten": "Nguyễn\x00 Văn An"}, "ký tự không hợp lệ"),
        ({**AN, "ho_ten": "A" * 10_000}, "quá dài"),
        ({**AN, "ho_ten": "Nguyễn Văn 4n"}, "chỉ gồm chữ cái"),
        ({**AN, "tinh": "99"}, "trong danh sách"),
        ({**AN, "tinh": "²"}, "Vui lòng nhập họ tên"),
        ({"ho_ten": "Nguyễn Văn An"}, "Vui lòng nhập họ tên"),
        ({}, "Vui lòng nhập họ tên"),
    ],
)
def test_bad_input_is_named_and_looks_nothing_up(client, an, facts, message):
    response = _ask(client, **facts)
    html = html_of(response)
    assert response.status_code == 200 and message in html
    assert "0100000042" not in html and NEUTRAL not in html


def test_a_birth_in_the_future_is_refused(client, an):
    tomorrow = vn_today() + dt.timedelta(days=1)
    for typed in (tomorrow.strftime("%d/%m/%Y"), str(vn_today().year + 1)):
        html = html_of(_ask(client, **{**AN, "ngay_sinh": typed}))
        assert "không thể sau ngày hôm nay" in html and NEUTRAL not in html


def test_a_post_without_its_token_is_refused(client, an):
    assert client.post(URL, data=AN).status_code == 400


def test_the_page_without_javascript_and_its_size(client):
    response = client.get(URL, headers=GZIP)
    html = html_of(response)
    assert (
        'method="post"' in html
        and 'name="csrf_token"' in html
        and 'data-hx-post="/tra-cuu/ma-so-bhxh"' in html
    )
    assert wire_size(response) <= 12 * 1024


# --- budgets -----------------------------------------------------------------------------------


def test_a_client_has_its_budget_of_look_ups(client, an):
    limit = codes.budget("client").limit
    for _ in range(limit):
        assert _ask(client, **AN).status_code == 200
    response = _ask(client, **AN)
    assert response.status_code == 429 and "thử quá nhiều lần" in html_of(response)
    assert "0100000042" not in html_of(response) and int(response.headers["Retry-After"]) > 0
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert "0100000042" in html_of(_ask(other, **AN))  # another network still may
    htmx = _ask(client, headers=HX, **AN)
    assert htmx.status_code == 200 and "thử quá nhiều lần" in html_of(htmx)  # htmx swaps no 4xx


def test_the_service_has_its_budget_of_look_ups(app, an):
    app.config["BHXH_LOOKUP_BUDGET_ALL"] = "3/3600"
    answers = []
    for n in range(5):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        answers.append(_ask(browser, **AN))
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    assert "quá nhiều yêu cầu tra cứu" in html_of(answers[-1])


# --- twenty at once, across gunicorn workers ---------------------------------------------------


def _server(app, database_url, tmp_path, **budgets):
    from tests.concurrency import WORKERS
    from tests.servers import Gunicorn, app_env

    env = app_env(
        database_url,
        tmp_path,
        VSS_PROXY_HOPS="1",  # each browser names its own client in X-Forwarded-For
        **budgets,
        **({"REDIS_URL": app.config["REDIS_URL"]} if app.config.get("REDIS_URL") else {}),
    )
    return Gunicorn("app:app", env, args=WORKERS, ready_path="/healthz")


def _browsers(base, clients):
    """One primed browser per client address (a fresh session and token each)."""
    import time

    from tests.concurrency import Browser

    # Budgets are fixed windows (an hour here): never start a burst in a window's last seconds.
    while time.time() % 3600 > 3590:
        time.sleep(1)
    browsers = []
    for address in clients:
        browser = Browser(base)
        browser.opener.addheaders = [("X-Forwarded-For", address)]
        browsers.append(browser.prime(URL))
    return browsers


def _burst(browsers):
    from tests.concurrency import burst

    results = burst([lambda b=b: b.post(URL, **AN) for b in browsers])
    answered = [body for status, body in results if status == 200 and "0100000042" in body]
    refused = [body for status, body in results if status == 429]
    return answered, refused


@pytest.mark.parametrize("kind", ["client", "all"])
def test_twenty_at_once_let_exactly_the_budget_through(app, database_url, tmp_path, an, kind):
    """Twenty look-ups at the same instant over three workers: from one client, exactly its
    budget is answered; from twenty clients, exactly the service's budget."""
    budgets = {"VSS_BHXH_LOOKUP_BUDGET_CLIENT": "5/3600", "VSS_BHXH_LOOKUP_BUDGET_ALL": "600/3600"}
    clients = ["203.0.113.9"] * 20
    if kind == "all":
        budgets = {"VSS_BHXH_LOOKUP_BUDGET_CLIENT": "20/3600", "VSS_BHXH_LOOKUP_BUDGET_ALL": "7/3600"}
        clients = [f"203.0.113.{n + 1}" for n in range(20)]
    with _server(app, database_url, tmp_path, **budgets) as server:
        answered, refused = _burst(_browsers(server.base, clients))
    limit = 5 if kind == "client" else 7
    assert len(answered) == limit and len(refused) == 20 - limit
    message = "thử quá nhiều lần" if kind == "client" else "quá nhiều yêu cầu tra cứu"
    assert all(message in body and "0100000042" not in body for body in refused)


# --- registration and the desk use the same rule -----------------------------------------------

NOT_IN_REGISTRY = "không khớp với họ tên"


def _flow(client, htmx=False):
    from tests.registration_flow import Flow

    flow = Flow(client, htmx=htmx)
    flow.start()
    return flow


@pytest.mark.parametrize("htmx", [False, True])
def test_registration_refuses_a_code_the_registry_does_not_hold(client, htmx):
    from vss.dossiers.drafts import RegistrationDraft

    flow = _flow(client, htmx)
    response = flow.info(registered=False)
    html = html_of(response)
    assert response.status_code == 200 and NOT_IN_REGISTRY in html
    assert 'href="/tra-cuu/ma-so-bhxh"' in html
    assert not RegistrationDraft.get().done("thong-tin")


def test_registration_refuses_a_code_under_another_name_or_birth_year(client):
    from tests.registration_flow import INFO

    make_person(bhxh_code=INFO["bhxh_code"], full_name="Trần Văn Bình", cccd=None)
    flow = _flow(client)
    html = html_of(flow.info(registered=False))
    assert NOT_IN_REGISTRY in html and "Trần Văn Bình" not in html  # the owner's name is not told
    make_person(
        bhxh_code="0123456780", full_name=INFO["full_name"], birth_date=dt.date(1985, 1, 2), cccd=None
    )
    # The CCCD typed says born in 1990: not this person.
    assert NOT_IN_REGISTRY in html_of(flow.info(registered=False, bhxh_code="0123456780"))
    assert flow.info(registered=False, bhxh_code="0123456780", id_number="001185012345").status_code == 302


def test_registration_takes_the_name_as_people_type_it(client):
    from tests.registration_flow import INFO

    make_person(bhxh_code=INFO["bhxh_code"], full_name="Nguyễn Thị Hoa", cccd=None)
    flow = _flow(client)
    typed = unicodedata.normalize("NFD", "nguyễn  THỊ hoa")
    assert flow.info(registered=False, full_name=typed).status_code == 302


def test_registration_checks_have_a_budget_per_client(app, client):
    app.config["REGISTRY_CHECK_BUDGET"] = "3/3600"
    flow = _flow(client)
    for _ in range(3):
        assert NOT_IN_REGISTRY in html_of(flow.info(registered=False))
    html = html_of(flow.info(registered=False))
    assert "thử quá nhiều lần" in html and NOT_IN_REGISTRY not in html


def test_registration_checks_spend_the_services_look_up_budget(app):
    """Checks from many addresses share the service's budget of registry questions."""
    from vss.core.errors import UserError
    from vss.registry import codes

    app.config["BHXH_LOOKUP_BUDGET_ALL"] = "2/60"
    for n in range(2):
        with pytest.raises(UserError) as caught:
            codes.check_declared("0100000099", "Nguyễn Văn An", None, client=f"10.1.{n}.1")
        assert caught.value.code == "not_in_registry"
    with pytest.raises(UserError) as caught:
        codes.check_declared("0100000099", "Nguyễn Văn An", None, client="10.2.0.1")
    assert caught.value.code == "budget"


def test_the_desk_applies_the_same_rule(app):
    from tests.registration_flow import INFO
    from tests.staff_helpers import make_staff, offices
    from vss.core.errors import UserError
    from vss.dossiers import desk

    staff = make_staff(offices()["00101"])
    draft = desk.start(staff)
    given = {**{k: v for k, v in INFO.items() if k != "phone_confirmed"}, "id_kind": "cccd"}
    given.update(province_code=1, ward_code=70, phone="0912345678", email="")
    with pytest.raises(UserError) as caught:
        desk.save_info(staff, draft, given)
    assert (caught.value.code, caught.value.field) == ("not_in_registry", "bhxh_code")
    make_person(bhxh_code=INFO["bhxh_code"], full_name="nguyễn thị hoa", cccd=None)
    desk.save_info(staff, draft, given)  # now the registry holds them
