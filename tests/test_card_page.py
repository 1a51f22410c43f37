"""The stored card page (vss.views.card_page) is served only while it is what Flask would draw
now: drawn by this build (templates, catalogs, static names, code) from the registry as it is
now. And what an old device is told: how long it may keep the card offline, and to forget it
when it is signed out."""

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages import mofile, pofile
from flask import request_started

from tests.factories import make_card, make_person
from tests.signin_helpers import last_code, make_account, post, sign_in
from vss import create_app
from vss.cards import cards, stored_page
from vss.core import clock
from vss.identity import sessions
from vss.registry.directory import Facility
from vss.registry.registry import HealthCard, Person
from vss.web import assets
from vss.web.i18n import babel

CARD_IMAGE = "/tai-khoan/the-bhyt/xem"
DAY = 24 * 3600


@pytest.fixture
def citizen(app, client):
    """A citizen signed in on `client`, their bound device."""
    account = make_account()
    make_card(account.person)
    sign_in(client)
    post(client, "/dang-nhap/ma-xac-thuc", code=last_code())
    return account


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask (the stored card page is answered before it)."""
    seen = []
    with request_started.connected_to(lambda sender, **extra: seen.append(1), app):
        yield seen


def _latest_qr():
    issued = cards.CardIssuance.select().order_by(cards.CardIssuance.id.desc()).first()
    return cards.verify(issued.qr_text, cards.published_keys(), cards.revocation_list())


# --- 12: the build ---------------------------------------------------------------------------


def _deploy_with_catalog(app, database_url, tmp_path, english_title):
    """The next deploy: the same code with the English title of the card translated anew."""
    catalogs = tmp_path / "translations"
    shutil.copytree(Path(app.root_path) / "translations", catalogs)
    folder = catalogs / "en" / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as source:
        catalog = pofile.read_po(source)
    catalog["THẺ BẢO HIỂM Y TẾ"].string = english_title
    with (folder / "messages.mo").open("wb") as out:
        mofile.write_mo(out, catalog)
    return create_app(
        "test",
        DATABASE_URL=database_url,
        HUEY_SQLITE_PATH=str(tmp_path / "huey2.db"),
        BABEL_TRANSLATION_DIRECTORIES=str(catalogs),
    )


def test_a_deploy_with_another_catalog_draws_the_page_again(app, citizen, client, database_url, tmp_path):
    client.get("/ngon-ngu/en")
    client.get(CARD_IMAGE)  # drawn and stored by this deploy
    deployed = _deploy_with_catalog(app, database_url, tmp_path, "HEALTH INSURANCE CARD (BHYT)")
    phone = deployed.test_client()
    for name in ("session", "lang", "vss_device"):
        phone.set_cookie(name, client.get_cookie(name).value)
    seen = []
    babel.domain_instance.cache.clear()  # a deploy starts new processes: nothing translated yet
    try:
        with request_started.connected_to(lambda sender, **extra: seen.append(1), deployed):
            drawn = phone.get(CARD_IMAGE).get_data(as_text=True)
            assert len(seen) == 1 and "HEALTH INSURANCE CARD (BHYT)" in drawn  # not the old build's page
            assert phone.get(CARD_IMAGE).get_data(as_text=True) == drawn and len(seen) == 1  # stored again
    finally:
        babel.domain_instance.cache.clear()  # later tests read the real catalog
    assert stored_page.CardPage.get().build == deployed.extensions["vss_build"] != app.extensions["vss_build"]


def test_the_stored_page_points_at_files_this_build_serves(app, citizen, client, flask_requests):
    client.get(CARD_IMAGE)
    # A page stored by the deploy before this one (another build, its own hashed file names).
    stored_page.CardPage.update(build="0" * 16).execute()
    page = client.get(CARD_IMAGE).get_data(as_text=True)
    assert len(flask_requests) == 2
    for name in ("js/app.js",):  # the stylesheet is written into the page (vss/web/assets.py)
        url = f"/static/{app.extensions['vss_assets'][name]}"
        with client.get(url) as served:
            assert url in page and served.status_code == 200


def test_the_build_is_what_pages_are_made_of_and_the_same_in_every_worker(app, database_url, tmp_path):
    again = create_app("test", DATABASE_URL=database_url, HUEY_SQLITE_PATH=str(tmp_path / "huey2.db"))
    assert again.extensions["vss_build"] == app.extensions["vss_build"]  # another worker, same deploy
    templates, catalogs, code = (tmp_path / "templates", tmp_path / "translations", tmp_path / "vss")
    shutil.copytree(Path(app.root_path) / "templates", templates)
    shutil.copytree(Path(app.root_path) / "translations", catalogs)
    code.mkdir()
    (code / "views.py").write_text("VIEW = 1\n")
    manifest = dict(app.extensions["vss_assets"])

    def identity():
        return assets.build_identity(manifest, templates=[templates], catalogs=[catalogs], code=code)

    builds = {identity()}
    (templates / "me" / "card_image.html").write_text("{# a new card #}", encoding="utf-8")
    builds.add(identity())
    (catalogs / "en" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    builds.add(identity())
    manifest["css/app.css"] = "css/app.0123456789ab.css"
    builds.add(identity())
    (code / "views.py").write_text("VIEW = 2\n")
    builds.add(identity())
    assert len(builds) == 5 and all(len(build) == 16 for build in builds)


# --- 12: the registry ------------------------------------------------------------------------


def _rename(card):
    Person.update(full_name="Nguyễn Thị Hoà").where(Person.id == card.person_id).execute()


def _move(card):
    Person.update(street="Số 9 Hàng Bài").where(Person.id == card.person_id).execute()


def _extend(card):
    HealthCard.update(valid_to=dt.date(2027, 12, 31)).where(HealthCard.id == card.id).execute()


def _rename_facility(card):
    Facility.update(name="Bệnh viện Đa khoa Hoàn Kiếm").where(Facility.id == card.facility_id).execute()


@pytest.mark.parametrize(
    "change, shown, in_qr",
    [
        (_rename, "NGUYỄN THỊ HOÀ", lambda qr: qr.full_name == "Nguyễn Thị Hoà"),
        (_move, None, lambda qr: qr.address.startswith("Số 9 Hàng Bài")),
        (_extend, "31/12/2027", lambda qr: qr.valid_to == dt.date(2027, 12, 31)),
        (_rename_facility, "Bệnh viện Đa khoa Hoàn Kiếm", None),  # the QR has the facility's code only
    ],
)
def test_a_registry_change_without_a_new_version_draws_the_page_again(
    citizen, client, flask_requests, change, shown, in_qr
):
    old = client.get(CARD_IMAGE).get_data(as_text=True)
    assert client.get(CARD_IMAGE).get_data(as_text=True) == old and len(flask_requests) == 1
    first = cards.CardIssuance.get()
    change(HealthCard.get())
    new = client.get(CARD_IMAGE).get_data(as_text=True)
    assert len(flask_requests) == 2 and new != old
    if shown:
        assert shown in new
    if in_qr:  # the QR carries the change: signed again, and the old one revoked
        assert in_qr(_latest_qr()) and first.qr_svg not in new
        with pytest.raises(cards.VerifyError, match="cấp lại"):
            cards.verify(first.qr_text, cards.published_keys(), cards.revocation_list())
    else:
        assert cards.CardIssuance.select().count() == 1 and first.qr_svg in new
    assert client.get(CARD_IMAGE).get_data(as_text=True) == new and len(flask_requests) == 2  # stored again


def test_other_peoples_changes_leave_the_stored_page(citizen, client, flask_requests):
    client.get(CARD_IMAGE)
    stranger = make_person(full_name="Trần Văn Bình")
    make_card(
        stranger,
        facility=Facility.create(
            code="01066", name="Trạm Y tế phường Cửa Nam", province_code=1, ward_code=70, level="cơ sở"
        ),
    )
    Person.update(street="Số 2 Tràng Tiền").where(Person.id == stranger.id).execute()
    HealthCard.update(valid_to=None).where(HealthCard.person == stranger.id).execute()
    Facility.update(name="Trạm Y tế Cửa Nam").where(Facility.code == "01066").execute()
    client.get(CARD_IMAGE)
    assert len(flask_requests) == 1 and stored_page.CardPage.select().count() == 1


# --- 13: the old device ----------------------------------------------------------------------


def test_the_card_says_how_long_the_device_may_keep_it(app, citizen, client, flask_requests):
    drawn = client.get(CARD_IMAGE)  # by Flask
    assert abs(int(drawn.headers["VSS-Offline-Max-Age"]) - 30 * DAY) <= 5
    clock.travel(dt.timedelta(days=29))
    stored = client.get(CARD_IMAGE)  # the stored page: the same answer
    assert len(flask_requests) == 1 and abs(int(stored.headers["VSS-Offline-Max-Age"]) - DAY) <= 5
    clock.travel(dt.timedelta(hours=23, minutes=59, seconds=50))
    assert 0 < int(client.get(CARD_IMAGE).headers["VSS-Offline-Max-Age"]) <= 10


def test_without_javascript_the_page_never_claims_the_card_is_kept(client, citizen):
    """Only the worker keeps the card, and only with JavaScript: the sentence saying so is hidden
    until the script finds the copy (tests/test_records_browser.py)."""
    html = client.get(CARD_IMAGE).get_data(as_text=True)
    claim = html[html.index("data-offline-claim") - 20 : html.index("mất sóng")]
    assert 'class="hint" data-offline-claim hidden>' in claim


def test_a_shared_computer_is_never_told_to_keep_the_card(app, citizen):
    kiosk = app.test_client()
    sign_in(kiosk, shared=True)
    post(kiosk, "/dang-nhap/ma-xac-thuc", code=last_code())
    response = kiosk.get(CARD_IMAGE)
    assert response.status_code == 200 and "VSS-Offline-Max-Age" not in response.headers


@pytest.mark.parametrize("ending", ["takeover", "expiry"])
def test_a_signed_out_answer_clears_what_the_device_kept(app, citizen, client, ending):
    if ending == "takeover":
        other = app.test_client()
        sign_in(other)
        post(other, "/dang-nhap/thiet-bi-khac", action="continue")
        post(other, "/dang-nhap/ma-xac-thuc", code=last_code())
    else:
        clock.travel(dt.timedelta(days=sessions.BOUND_SESSION_DAYS, minutes=1))
    for url in ("/tai-khoan", CARD_IMAGE):
        fresh = app.test_client()
        fresh.set_cookie("session", client.get_cookie("session").value)
        answer = fresh.get(url)
        assert answer.headers["Location"] == "/dang-nhap" and answer.headers["Clear-Site-Data"] == '"storage"'
    # Told once: the session is gone from the cookie, so the next answer clears nothing more.
    client.get("/tai-khoan")
    assert "Clear-Site-Data" not in client.get("/tai-khoan").headers


def test_browsers_that_never_had_a_citizen_session_keep_their_storage(app):
    visitor = app.test_client()  # e.g. a hospital kiosk on the same origin, with its own offline data
    answer = visitor.get("/tai-khoan")
    assert answer.headers["Location"] == "/dang-nhap" and "Clear-Site-Data" not in answer.headers


# --- issue 11: one policy, whichever way the page is answered ----------------------------------

POLICY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Strict-Transport-Security",
    "Cache-Control",
    "Vary",
    "Content-Type",
)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_stored_page_has_the_headers_flask_gives_the_page(app, citizen, client, flask_requests, scheme):
    base = {"base_url": f"{scheme}://localhost"}
    drawn = client.get(CARD_IMAGE, headers={"Accept-Encoding": "gzip"}, **base)  # by Flask, stored
    stored = client.get(CARD_IMAGE, headers={"Accept-Encoding": "gzip"}, **base)  # before Flask
    assert len(flask_requests) == 1
    for name in POLICY_HEADERS:
        assert stored.headers.get(name) == drawn.headers.get(name), name
    assert stored.headers["Cache-Control"] == "no-store"
    assert ("Strict-Transport-Security" in stored.headers) == (scheme == "https")


def test_the_short_way_answers_the_routes_own_path(app):
    with app.test_request_context():
        path = app.url_for("me.card_image")
    layer = app.wsgi_app
    while not hasattr(layer, "path"):  # inside any proxy layer the deployment adds
        layer = layer.wrapped
    assert layer.path == path == CARD_IMAGE


@pytest.mark.parametrize(
    "fields, why",
    [
        ({}, None),
        ({"ended_at": dt.datetime(2026, 1, 1), "end_reason": "new_device"}, "taken_over"),
        ({"ended_at": dt.datetime(2026, 1, 1), "end_reason": "signed_in_elsewhere"}, "taken_over"),
        ({"ended_at": dt.datetime(2026, 1, 1), "end_reason": "signed_out"}, "ended"),
        ({"created_at": dt.datetime(2026, 1, 1) - dt.timedelta(days=30, seconds=1)}, "ended"),
        ({"shared": True, "last_seen_at": dt.datetime(2026, 1, 1) - dt.timedelta(minutes=29)}, None),
        ({"shared": True, "last_seen_at": dt.datetime(2026, 1, 1) - dt.timedelta(minutes=31)}, "ended"),
    ],
)
def test_one_rule_says_whether_a_session_is_live(fields, why):
    now = dt.datetime(2026, 1, 1)
    row = {"ended_at": None, "end_reason": "", "shared": False, "created_at": now, "last_seen_at": now}
    assert sessions.why_ended(SimpleNamespace(**{**row, **fields}), now) == why


@pytest.mark.parametrize(
    "ask",
    [
        lambda client: client.get(CARD_IMAGE + "?xoay=1"),
        lambda client: client.get(CARD_IMAGE, headers={"HX-Request": "true"}),
    ],
)
def test_only_the_plain_page_is_stored_and_answered_before_flask(app, citizen, client, flask_requests, ask):
    ask(client)
    assert stored_page.CardPage.select().count() == 0 and len(flask_requests) == 1
    client.get(CARD_IMAGE)
    ask(client)
    assert stored_page.CardPage.select().count() == 1 and len(flask_requests) == 3
