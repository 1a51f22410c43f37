"""The admin's kiosk pages (vss/views/kiosk_admin.py): enrol with the code shown once, rename,
revoke, a new code; another province's kiosk is a 404; reviewers see nothing; JS off and htmx."""

import re

import pytest

from tests.csrf import token_in
from tests.kiosk_helpers import enrol_in, world
from tests.staff_helpers import make_staff
from tests.staff_helpers import sign_in as staff_sign_in
from vss.core.audit import AuditLog
from vss.kiosk import kiosks
from vss.kiosk.kiosks import Kiosk

PAGE = "/can-bo/quan-tri/kiosk"
CODE = re.compile(r'<code class="secret">([A-Z0-9]{5}-[A-Z0-9]{5})</code>')


@pytest.fixture
def site(app):
    return world()


@pytest.fixture
def admin_client(app, site):
    client = app.test_client()
    staff_sign_in(client, site["admin"])
    return client


def form_token(client):
    return token_in(client.get(PAGE).get_data(as_text=True))


def enrol_by_form(client, facility="01065", name="Quầy 1"):
    return client.post(PAGE, data={"csrf_token": form_token(client), "facility_code": facility, "name": name})


def test_the_admin_page_is_linked_and_reviewers_do_not_see_it(app, site, admin_client):
    accounts = admin_client.get("/can-bo/quan-tri").get_data(as_text=True)
    assert f'href="{PAGE}"' in accounts
    page = admin_client.get(PAGE)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Chưa có kiosk nào" in page.get_data(as_text=True)
    reviewer = app.test_client()
    staff_sign_in(reviewer, make_staff(site["places"]["00101"]))
    assert reviewer.get(PAGE).status_code == 404
    assert app.test_client().get(PAGE).headers["Location"] == "/can-bo/dang-nhap"


def test_enrolling_shows_the_code_once_and_the_kiosk_can_use_it(app, admin_client):
    response = enrol_by_form(admin_client, "01 - 065", "Quầy tiếp đón 1")
    html = response.get_data(as_text=True)
    code = CODE.search(html).group(1)
    assert response.status_code == 200 and "/kiosk/ghi-danh" in html and "24 giờ" in html
    assert "Quầy tiếp đón 1" in html and "Chờ ghi danh" in html
    listed = admin_client.get(PAGE).get_data(as_text=True)
    assert code not in listed and not CODE.search(listed)  # once
    assert AuditLog.get(AuditLog.action == "kiosk.create").actor_label == "quantri"
    kiosk_browser = app.test_client()
    assert enrol_in(kiosk_browser, code).headers["Location"] == "/kiosk"
    listed = admin_client.get(PAGE).get_data(as_text=True)
    assert "Đã ghi danh" in listed and re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", listed)


@pytest.mark.parametrize(
    ("facility", "name", "message"),
    [
        ("99999", "Quầy 1", "Không có cơ sở khám chữa bệnh mã 99999"),
        ("79024", "Quầy 1", "không thuộc tỉnh của bạn"),
        ("01C54", "Quầy 1", "không ký hợp đồng khám chữa bệnh BHYT"),
        ("", "Quầy 1", "Vui lòng nhập mã cơ sở khám chữa bệnh"),
        ("01065", "", "Vui lòng nhập tên kiosk"),
        ("01065", "x" * 61, "tối đa 60 ký tự"),
        ("01065", "Quầy\x001", "ký tự không hợp lệ"),
    ],
)
def test_a_facility_or_name_that_will_not_do_is_said_on_its_field(admin_client, facility, name, message):
    response = enrol_by_form(admin_client, facility, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and not CODE.search(html)
    assert Kiosk.select().count() == 0


def test_rename_revoke_and_a_new_code_by_plain_forms(app, site, admin_client):
    kiosk, _ = kiosks.enrol(site["admin"], "01065", "Quầy 1")
    token = form_token(admin_client)
    renamed = admin_client.post(
        f"{PAGE}/{kiosk.id}/doi-ten", data={"csrf_token": token, "name": "Quầy cấp cứu"}
    )
    assert renamed.headers["Location"] == PAGE
    assert "Đã đổi tên kiosk." in admin_client.get(PAGE).get_data(as_text=True)
    assert Kiosk.get_by_id(kiosk.id).name == "Quầy cấp cứu"
    empty = admin_client.post(f"{PAGE}/{kiosk.id}/doi-ten", data={"csrf_token": token, "name": " "})
    assert empty.headers["Location"] == PAGE
    assert "Vui lòng nhập tên kiosk" in admin_client.get(PAGE).get_data(as_text=True)
    fresh = admin_client.post(f"{PAGE}/{kiosk.id}/cap-ma", data={"csrf_token": token})
    code = CODE.search(fresh.get_data(as_text=True)).group(1)
    assert enrol_in(app.test_client(), code).status_code == 302
    revoked = admin_client.post(f"{PAGE}/{kiosk.id}/thu-hoi", data={"csrf_token": token})
    assert revoked.headers["Location"] == PAGE
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Đã thu hồi kiosk Quầy cấp cứu." in html and f"{PAGE}/{kiosk.id}/cap-ma" not in html
    again = admin_client.post(f"{PAGE}/{kiosk.id}/cap-ma", data={"csrf_token": token})
    assert again.headers["Location"] == PAGE
    assert "đã bị thu hồi" in admin_client.get(PAGE).get_data(as_text=True)
    assert [
        r.action for r in AuditLog.select().where(AuditLog.object_kind == "Kiosk").order_by(AuditLog.id)
    ] == [
        "kiosk.create",
        "kiosk.rename",
        "kiosk.reissue",
        "kiosk.enrol",
        "kiosk.revoke",
    ]


def test_another_province_s_kiosk_is_a_404(site, admin_client):
    theirs, _ = kiosks.enrol(site["far_admin"], "79024", "Quầy A")
    token = form_token(admin_client)
    for action in ("doi-ten", "thu-hoi", "cap-ma"):
        response = admin_client.post(f"{PAGE}/{theirs.id}/{action}", data={"csrf_token": token, "name": "X"})
        assert response.status_code == 404, action
    assert "Quầy A" not in admin_client.get(PAGE).get_data(as_text=True)
    assert Kiosk.get_by_id(theirs.id).name == "Quầy A" and Kiosk.get_by_id(theirs.id).revoked_at is None
    assert admin_client.post(f"{PAGE}/99999/thu-hoi", data={"csrf_token": token}).status_code == 404


def test_posts_need_their_csrf_token(site, admin_client):
    kiosk, _ = kiosks.enrol(site["admin"], "01065", "Quầy 1")
    assert admin_client.post(f"{PAGE}/{kiosk.id}/thu-hoi").status_code == 400
    assert admin_client.post(PAGE, data={"facility_code": "01065", "name": "Quầy 2"}).status_code == 400
    assert Kiosk.get_by_id(kiosk.id).revoked_at is None and Kiosk.select().count() == 1


def test_htmx_gets_the_list_alone(site, admin_client):
    kiosks.enrol(site["admin"], "01065", "Quầy 1")
    fragment = admin_client.get(PAGE, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Quầy 1" in fragment and "<table" in fragment
    whole = admin_client.get(PAGE, headers={"HX-Request": "true", "HX-Boosted": "true"}).get_data(
        as_text=True
    )
    assert "<html" in whole
