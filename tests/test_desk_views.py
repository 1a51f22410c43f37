"""The desk's pages (vss/views/desk/): a whole sitting without JavaScript and with htmx, page
budgets on the tablet's 3G, the dossier decided at once in the workspace, the Mẫu 01 printed,
the SMS through a real HTTP gateway on loopback, and every way a sitting can be refused."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests import mailbox
from tests.conftest import get_gzip, html_of, wire_size
from tests.csrf import csrf
from tests.desk_flow import DESK, Desk
from tests.factories import make_person
from tests.registration_flow import jpeg
from tests.servers import SmsGateway
from tests.staff_helpers import make_dossier, make_staff, offices, sign_in
from vss.core import clock
from vss.core.audit import AuditLog
from vss.dossiers.desk_identity import IdentityCheck
from vss.dossiers.dossiers import APPROVED, RECEIVED, WAITING, Dossier
from vss.dossiers.drafts import Photo, RegistrationDraft
from vss.identity.accounts import Account, StaffUser
from vss.messages.notify import Outbox

PAGE_BUDGET, FRAGMENT_BUDGET = 12 * 1024, 4 * 1024


@pytest.fixture
def places(app):
    return offices()


@pytest.fixture
def staff(places):
    return make_staff(places["00101"])


@pytest.fixture
def desk(client, staff):
    sign_in(client, staff)
    return Desk(client)


def _actions(kind, object_id):
    rows = AuditLog.select().where((AuditLog.object_kind == kind) & (AuditLog.object_id == str(object_id)))
    return [row.action for row in rows.order_by(AuditLog.id)]


# --- a whole sitting ----------------------------------------------------------------------


def test_a_whole_sitting_without_javascript(desk, client, staff):
    assert desk.start().headers["Location"] == desk.url("thong-tin")
    assert desk.info().headers["Location"] == desk.url("anh")
    assert desk.photos().headers["Location"] == desk.url("xac-minh")
    identity_page = client.get(desk.url("xac-minh")).get_data(as_text=True)
    assert "001190012345" in identity_page and desk.url("anh/chan_dung.jpg") in identity_page
    assert desk.identity().headers["Location"] == desk.url("xem-lai")
    review = client.get(desk.url("xem-lai")).get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in review and "BHXH cơ sở Hoàn Kiếm" in review
    assert desk.review().headers["Location"] == desk.url("xac-thuc")
    code = desk.last_code()
    assert desk.verify(f"{code[:3]} {code[3:]}").headers["Location"] == desk.url("xong")

    dossier = Dossier.get()
    assert dossier.number == f"00001.GD/{clock.vn_today().year}/00101"
    assert (dossier.status, dossier.reviewer_id, dossier.office.code) == (RECEIVED, staff.id, "00101")
    assert dossier.received_at is not None and dossier.phone == "0912345678"
    assert Photo.select().where(Photo.dossier == dossier).count() == 3
    check = IdentityCheck.get()
    assert (check.dossier_id, check.staff_id, check.document) == (dossier.id, staff.id, "cccd")
    assert check.number_matches and check.face_matches and check.checked_at <= dossier.received_at

    done = client.get(desk.url("xong")).get_data(as_text=True)
    assert dossier.number in done and "Đã tiếp nhận" in done
    assert f'href="/can-bo/ho-so/{dossier.id}"' in done and desk.url("mau-01.pdf") in done
    sms = mailbox.last_message("0912345678", template="dossier_submitted")
    assert dossier.number in sms.body and "da duoc tiep nhan tai ban dang ky" in sms.body
    assert "qua han" not in sms.body  # nothing more to bring: it was received at the desk
    draft = RegistrationDraft.get()
    assert _actions("RegistrationDraft", draft.id) == [
        "desk.start",
        "desk.info",
        "desk.photos",
        "desk.identity",
        "desk.code_sent",
    ]
    assert _actions("Dossier", dossier.id) == ["dossier.desk_receive"]
    row = AuditLog.get(AuditLog.action == "dossier.desk_receive")
    assert (row.actor_kind, row.actor_id, row.actor_label) == ("staff", staff.id, "00101/canbo")
    # The sitting is over: its steps lead to the result.
    assert client.get(desk.url("thong-tin")).headers["Location"] == desk.url("xong")


def test_a_whole_sitting_with_htmx_swaps_only_the_step(client, staff):
    sign_in(client, staff)
    desk = Desk(client, htmx=True)
    gzip = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    desk.start()
    for send in (desk.info, desk.photos, desk.identity, desk.review):
        response = send()
        assert response.status_code == 302  # htmx follows it and swaps the next step in
        follow = client.get(response.headers["Location"], headers=gzip)
        assert "<html" not in html_of(follow) and 'id="step"' in html_of(follow)
        assert follow.headers["HX-Push-Url"] == response.headers["Location"]
        assert wire_size(follow) <= FRAGMENT_BUDGET, response.headers["Location"]
    wrong = desk.verify("000000")
    assert wrong.status_code == 200 and "<html" not in html_of(wrong)
    assert "Bạn còn 4 lần thử" in html_of(wrong)
    assert desk.verify().headers["Location"] == desk.url("xong")
    done = client.get(desk.url("xong"), headers=gzip)
    assert "<html" not in html_of(done) and wire_size(done) <= FRAGMENT_BUDGET
    assert Dossier.select().count() == 1


def test_every_desk_page_within_the_citizen_budget(desk, client, capsys):
    """The tablet is on 3G: every page ≤ 12 KB compressed, like a citizen's."""
    sizes = {}

    def measure(name, url):
        response = get_gzip(client, url)
        assert response.status_code == 200, url
        sizes[name] = wire_size(response)

    desk.start()
    measure("thong-tin", desk.url("thong-tin"))
    desk.info()
    measure("anh", desk.url("anh"))
    desk.photos()
    measure("xac-minh", desk.url("xac-minh"))
    desk.identity()
    measure("xem-lai", desk.url("xem-lai"))
    desk.review()
    measure("xac-thuc", desk.url("xac-thuc"))
    desk.verify()
    measure("xong", desk.url("xong"))
    measure("home", DESK)
    with capsys.disabled():
        print("\ndesk pages, gzip bytes:", sizes)
    assert all(size <= PAGE_BUDGET for size in sizes.values()), sizes


# --- decided at once, printed ---------------------------------------------------------------


def test_a_reviewer_decides_the_dossier_at_once(desk, client, staff):
    person = make_person(bhxh_code="0123456789", full_name="Nguyễn Thị Hoa", cccd="001190012345")
    done = desk.sitting()
    dossier = Dossier.get()
    assert "Đánh giá hồ sơ ngay" in client.get(done).get_data(as_text=True)
    page = client.get(f"/can-bo/ho-so/{dossier.id}").get_data(as_text=True)
    assert "Xác minh nhân thân tại bàn đăng ký" in page and "Cán bộ canbo" in page
    assert "Đăng ký và tiếp nhận tại bàn đăng ký" in page  # the history
    token = csrf(client, "/can-bo/ho-so")
    form = {"csrf_token": token, "evaluation": "hop_le", "reason": ""}
    assert client.post(f"/can-bo/ho-so/{dossier.id}/danh-gia", data=form).status_code == 200
    client.post(f"/can-bo/ho-so/{dossier.id}/danh-gia/xac-nhan", data=form)
    dossier = Dossier.get_by_id(dossier.id)
    assert (dossier.status, dossier.evaluation) == (APPROVED, "hop_le")
    account = Account.get(Account.username == "0123456789")
    assert account.person_id == person.id and account.phone == "0912345678"
    assert mailbox.last_message("0912345678", template="account_created") is not None
    assert "Đã duyệt" in client.get(done).get_data(as_text=True)


def test_the_mau_01_prints_for_the_citizens_signature(desk, client, staff):
    done = desk.sitting()
    dossier = Dossier.get()
    response = client.get(done.replace("/xong", "/mau-01.pdf"))
    assert response.mimetype == "application/pdf" and "no-store" in response.headers["Cache-Control"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    assert dossier.number in text and "Nguyễn Thị Hoa" in text and "tiếp nhận" in text
    assert "quá hạn" not in text
    assert _actions("Dossier", dossier.id) == ["dossier.desk_receive", "desk.print"]


def test_the_sms_goes_through_the_gateway(app, desk):
    """The citizen's phone gets the code and the dossier number from a real HTTP gateway."""
    with SmsGateway() as gateway:
        app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url)
        desk.through_review()
        (sent,) = [r["json"] for r in gateway.requests]
        assert sent["to"] == "0912345678"
        code = sent["text"][:6]  # the citizen reads it out
        assert desk.verify(code).headers["Location"] == desk.url("xong")
    texts = [r["json"]["text"] for r in gateway.requests if r["json"]["to"] == "0912345678"]
    number = Dossier.get().number
    assert len(texts) == 2 and number in texts[1] and "tiep nhan" in texts[1]


# --- who may, which sitting -------------------------------------------------------------------


def test_another_staff_members_or_offices_sitting_is_404(app, places, staff):
    owner = app.test_client()
    sign_in(owner, staff)
    desk = Desk(owner)
    done = desk.sitting()
    open_one = Desk(owner)
    open_one.start()
    open_one.info(bhxh_code="0123456780", phone="0987654321", id_number="001190012346")
    dossier = Dossier.get()
    for other in (make_staff(places["00102"], "khac"), make_staff(places["00101"], "cungphong")):
        client = app.test_client()
        token = sign_in(client, other)
        pages = (done, done.replace("/xong", "/mau-01.pdf"), open_one.url("thong-tin"), open_one.url("anh"))
        for url in pages:
            assert client.get(url).status_code == 404, url
        assert client.get(open_one.url("anh/mat_truoc.jpg")).status_code == 404
        for step in ("thong-tin", "xac-minh", "xem-lai", "xac-thuc", "huy"):
            assert client.post(open_one.url(step), data={"csrf_token": token}).status_code == 404
    far = app.test_client()
    sign_in(far, make_staff(places["07901"], "xa"))
    assert far.get(f"/can-bo/ho-so/{dossier.id}").status_code == 404
    assert RegistrationDraft.select().count() == 2


def test_only_those_who_receive_dossiers_sit_at_the_desk(app, places):
    admin = app.test_client()
    sign_in(admin, make_staff(places["001"], "quantri", role=StaffUser.ADMIN))
    assert admin.get(DESK).status_code == 404
    assert "/can-bo/ban-dang-ky" not in admin.get("/can-bo/ho-so").get_data(as_text=True)
    supervisor = app.test_client()
    sign_in(supervisor, make_staff(places["001"], "giamsat", role=StaffUser.SUPERVISOR))
    assert 'href="/can-bo/ban-dang-ky"' in supervisor.get("/can-bo/ho-so").get_data(as_text=True)
    desk = Desk(supervisor)
    desk.sitting()
    assert Dossier.get().office.code == "001"  # the supervisor's own office
    assert app.test_client().get(DESK).headers["Location"] == "/can-bo/dang-nhap"


# --- codes ------------------------------------------------------------------------------------


def test_wrong_and_expired_codes_open_nothing(desk, client):
    desk.through_review()
    assert "Bạn còn 4 lần thử" in desk.verify("000000").get_data(as_text=True)
    assert "6 chữ số" in desk.verify("12ab").get_data(as_text=True)
    code = desk.last_code()
    clock.travel(dt.timedelta(minutes=6))
    assert "hết hạn" in desk.verify(code).get_data(as_text=True)
    assert Dossier.select().count() == 0
    assert desk.post(desk.url("xac-thuc/gui-lai")).headers["Location"].endswith("gui-lai=1")
    assert desk.verify().headers["Location"] == desk.url("xong")


def test_a_code_opens_only_its_own_sitting_and_only_once(app, desk, client, staff):
    desk.through_review()
    first_code = desk.last_code()
    twin = Desk(client)  # the same citizen, a second sitting (another tap of "Đăng ký mới")
    clock.travel(dt.timedelta(seconds=61))
    twin.through_review()
    twin_code = desk.last_code()
    assert twin_code != first_code
    assert "không đúng" in twin.verify(first_code).get_data(as_text=True)  # another sitting's code
    assert desk.verify(first_code).headers["Location"] == desk.url("xong")
    assert desk.verify(first_code).headers["Location"] == desk.url("xong")  # replayed: the same dossier
    refused = twin.verify(twin_code).get_data(as_text=True)
    assert "đã có hồ sơ số" in refused and Dossier.select().count() == 1


def test_double_submit_makes_one_dossier(desk):
    from tests.conftest import run_concurrently
    from vss.dossiers import desk as desk_domain

    desk.through_review()
    code = desk.last_code()
    staff, draft = StaffUser.get(), RegistrationDraft.get()
    numbers = []

    def tap(_n):
        try:
            numbers.append(desk_domain.submit(staff, draft, code).number)
        except Exception as error:  # noqa: BLE001 - a loser may see the code already used
            numbers.append(type(error).__name__)

    run_concurrently(4, tap)
    assert Dossier.select().count() == 1 and IdentityCheck.select().count() == 1
    assert numbers.count(Dossier.get().number) == 4
    assert Outbox.select().where(Outbox.template == "dossier_submitted").count() == 1


def test_a_change_after_the_code_needs_a_new_code(desk, client):
    desk.through_review()
    assert desk.info(phone="0987654321").status_code == 302
    assert client.get(desk.url("xac-thuc")).headers["Location"] == desk.url("xem-lai")
    assert desk.info(id_number="001190012399").status_code == 302  # the declaration was for another number
    assert client.get(desk.url("xem-lai")).headers["Location"] == desk.url("xac-minh")


# --- bad input --------------------------------------------------------------------------------


def test_a_code_with_an_account_or_a_waiting_dossier_is_refused(desk, client, places):
    person = make_person(bhxh_code="0999999999", full_name="Nguyễn Thị Hoa")
    Account.create(person=person, username="0999999999", password_hash="x", phone="0900000009")
    desk.start()
    assert "đã có tài khoản" in desk.info(bhxh_code="0999999999").get_data(as_text=True)
    waiting = make_dossier(places["00101"], WAITING, bhxh_code="0123456789")
    html = desk.info().get_data(as_text=True)
    assert f"đã có hồ sơ số {waiting.number}" in html
    assert f'href="/can-bo/ho-so/{waiting.id}"' in html  # receive it there instead


def test_one_document_one_bhxh_code(desk, places):
    holder = make_person(bhxh_code="0888888888", cccd="001190012345")
    Account.create(person=holder, username="0888888888", password_hash="x", phone="0900000008")
    desk.start()
    assert "đã gắn với tài khoản của một mã số BHXH khác" in desk.info().get_data(as_text=True)
    other = make_dossier(places["00102"], RECEIVED, bhxh_code="0777777777", id_number="001190012346")
    html = desk.info(id_number="001190012346").get_data(as_text=True)
    assert f"đã được khai trong hồ sơ {other.number}" in html
    assert RegistrationDraft.get().info == {}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"document": ""}, "Vui lòng chọn giấy tờ đã xem"),
        ({"document": "ho_chieu"}, "là số Căn cước công dân"),
        ({"document": "giay_khac"}, "Lựa chọn không hợp lệ"),
        ({"number_matches": ""}, "Chỉ ghi nhận khi số trên giấy tờ khớp"),
        ({"face_matches": ""}, "đúng là người đang đăng ký"),
    ],
)
def test_the_identity_declaration_must_hold(desk, client, changes, message):
    desk.start()
    desk.info()
    desk.photos()
    response = desk.identity(**changes)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert "xac-minh" not in RegistrationDraft.get().data
    assert client.get(desk.url("xem-lai")).headers["Location"] == desk.url("xac-minh")


def test_photos_from_the_camera_or_a_file(desk, client):
    desk.start()
    desk.info()
    page = client.get(desk.url("anh")).get_data(as_text=True)
    assert 'accept="image/*" capture="environment"' in page and 'class="photos"' in page
    missing = desk.photos(mat_truoc=jpeg()).get_data(as_text=True)
    assert "Mặt sau" in missing and "ảnh mặt trước và mặt sau" in missing
    bad = desk.photos(mat_sau=b"not an image").get_data(as_text=True)
    assert "không phải là ảnh" in bad
    assert desk.photos(mat_sau_tep=jpeg()).headers["Location"] == desk.url("xac-minh")
    assert client.get(desk.url("anh/mat_sau.jpg")).mimetype == "image/jpeg"


def test_the_qr_fills_the_form(desk):
    desk.start()
    qr = "001190012345|012345678|Lê Thị Mai|01011990|Nữ|Số 5 Hàng Bài, Hoàn Kiếm, Hà Nội|01012021"
    html = desk.post(desk.url("thong-tin"), {"qr": qr, "action": "qr"}).get_data(as_text=True)
    assert 'value="001190012345"' in html and 'value="Lê Thị Mai"' in html and "Số 5 Hàng Bài" in html
    bad = desk.post(desk.url("thong-tin"), {"qr": "rác", "action": "qr"}).get_data(as_text=True)
    assert "Không đọc được mã QR" in bad


def test_a_sitting_resumes_or_is_discarded(desk, client):
    desk.start()
    desk.info()
    home = client.get(DESK).get_data(as_text=True)
    assert f'href="{desk.url("anh")}"' in home and "Nguyễn Thị Hoa" in home
    assert desk.post(desk.url("huy")).headers["Location"] == DESK
    assert RegistrationDraft.select().count() == 0
    assert client.get(desk.url("thong-tin")).status_code == 404
    assert AuditLog.select().where(AuditLog.action == "desk.discard").count() == 1


def test_a_finished_sitting_cannot_be_discarded(desk, client):
    done = desk.sitting()
    assert desk.post(desk.url("huy")).headers["Location"] == done
    assert "không huỷ được" in client.get(done).get_data(as_text=True)
    assert Dossier.select().count() == 1 and RegistrationDraft.select().count() == 1


def test_the_desk_lists_dossiers_received_here(desk, client):
    done = desk.sitting()
    home = client.get(DESK).get_data(as_text=True)
    assert f'href="{done}"' in home and Dossier.get().number in home
    assert re.search(r"Đã tiếp nhận", home)


def test_the_desk_in_english(client, staff):
    """Every page of a sitting, in English but for the data (names, addresses, offices)."""
    from tests.test_i18n_crawl import data_pattern, leftover

    client.get("/ngon-ngu/en")
    sign_in(client, staff)
    desk = Desk(client)
    found = {"home": leftover(html_of(client.get(DESK)), data_pattern())}
    desk.start()
    acts = (desk.info, desk.photos, desk.identity, desk.review, desk.verify)
    for step, act in zip(("thong-tin", "anh", "xac-minh", "xem-lai", "xac-thuc"), acts, strict=True):
        page = client.get(desk.url(step))
        assert page.status_code == 200, step
        found[step] = leftover(html_of(page), data_pattern())
        if step == "xac-minh":
            refused = desk.identity(document="ho_chieu")
            assert "Citizen identity card" in html_of(refused)
            found["refused"] = leftover(html_of(refused), data_pattern())
        assert act().status_code == 302, step
    found["xong"] = leftover(html_of(client.get(desk.url("xong"))), data_pattern())
    assert not {step: words for step, words in found.items() if words}, found
