"""The site the fuzz runs against: offices, people with records, accounts, staff, dossiers and
change requests, and one browser per state a request can meet. A browser whose state was lost
(signed out, sign-in abandoned, session ended) is rebuilt, after the accounts are repaired."""

import datetime as dt
import re

from werkzeug.datastructures import ImmutableMultiDict

from tests.csrf import token_in
from tests.fuzz_support import next_ip

PASSWORD = "Hoa@2026vss"  # tests.signin_helpers.PASSWORD
TEMP_PASSWORD = "TamThoi12345"
NEW_PASSWORD = "Good#Pass2026"


# --- which keys a view reads (so a field is fuzzed even when no page shows it) -------------------


class _Recording(ImmutableMultiDict):
    """request.args / request.form that notes every key a view asks for."""

    def __init__(self, data, seen):
        super().__init__(data)
        self._seen = seen

    def __getitem__(self, key):
        self._seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's signature
        self._seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._seen.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self._seen.add(key)
        return super().__contains__(key)


def record_reads(app, reads):
    """Install a first before_request hook: reads[(rule, method)] gathers the keys read."""
    from flask import request

    def hook():
        if request.url_rule is None:
            return
        seen = reads.setdefault((request.url_rule.rule, request.method), {"args": set(), "form": set()})
        real = request._get_current_object()
        real.__dict__["args"] = _Recording(real.args, seen["args"])
        if request.method == "POST":
            real.__dict__["form"] = _Recording(real.form, seen["form"])
            files = real.files
            real.__dict__["files"] = type(files)(files)  # parsed now; what is asked for shows in the form set

    app.before_request_funcs.setdefault(None, []).insert(0, hook)


# --- browsers ------------------------------------------------------------------------------


class Browser:
    """One browser (cookie jar + CSRF token) in a state; `good` holds its known-good field values."""

    def __init__(self, world, name, build, probe):
        self.world, self.name, self._build, self.probe = world, name, build, probe
        self.rebuilds = -1
        self.rebuild()

    def rebuild(self):
        self.rebuilds += 1
        self.world.repair()
        try:
            client = self._fresh()
            self.good = self._build(client) or {}
        except AssertionError:
            # Hourly caps (codes per account, sends per hour) spent by the fuzz: an hour later.
            from vss.core import clock

            clock.travel(dt.timedelta(hours=1, minutes=1))
            self.world.repair()
            client = self._fresh()
            self.good = self._build(client) or {}
        self.token = self._token(client)
        self.client = client
        self.snapshot = dict(client._cookies)

    def _fresh(self):
        client = self.world.app.test_client()
        client.environ_base["REMOTE_ADDR"] = next_ip()
        return client

    def _token(self, client):
        for url in (self.probe, "/dang-nhap", "/can-bo/dang-nhap"):
            if url is None:
                continue
            token = token_in(client.get(url).get_data(as_text=True))
            if token:
                return token
        raise AssertionError(f"no CSRF token for {self.name}")

    def fresh_client(self):
        """The browser as it was when built (what earlier requests did to the jar is undone)."""
        self.client._cookies = dict(self.snapshot)
        return self.client

    def alive(self):
        if self.probe is None:
            return True
        return self.fresh_client().get(self.probe).status_code == 200

    def keep(self):
        """Rebuild when the state is gone (signed out, flow abandoned, draft finished)."""
        if not self.alive():
            self.rebuild()


def _post(client, url, token, **data):
    return client.post(url, data={"csrf_token": token, **data})


def _csrf(client, url):
    return token_in(client.get(url).get_data(as_text=True))


class World:
    """The data and the browsers."""

    def __init__(self, app):
        self.app = app
        self.browsers = {}
        self.populate()

    # -- data ----------------------------------------------------------------------------------

    def populate(self):
        from tests import staff_helpers as sh
        from tests.factories import make_card, make_person
        from tests.fuzz_support import _jpeg
        from tests.signin_helpers import make_account
        from vss.dossiers.dossiers import APPROVED, RECEIVED, WAITING
        from vss.dossiers.drafts import Photo
        from vss.identity.accounts import Account, StaffUser, hash_password
        from vss.registry.directory import Employer, Facility
        from vss.registry.registry import Benefit, MedicalVisit, ParticipationPeriod
        from vss.requests import changes

        self.places = sh.offices()
        self.citizen = make_account()  # 0123456789, phone 0912345678, bound later
        person = self.citizen.person
        make_card(person)
        employer = Employer.create(code="TA0001A", name="TRUNG TÂM CÔNG NGHỆ THÔNG TIN", province_code=1)
        periods = [
            ParticipationPeriod.create(
                person=person,
                scheme=scheme,
                from_month=dt.date(2010 + n, 1, 1),
                to_month=dt.date(2010 + n, 12, 1),
                employer=employer,
                position="Chuyên viên",
                workplace="150 Phố Vọng - Hà Nội",
                salary=5453400,
                coefficient="3.66",
            )
            for n, scheme in enumerate(("BHXH", "BHXH", "BHYT", "BHTN"))
        ]
        Benefit.create(
            person=person,
            kind="ods",
            regime="Sinh con",
            from_date=dt.date(2014, 9, 15),
            to_date=dt.date(2015, 3, 14),
            amount=18423000,
            unit_name="BHXH VN",
        )
        for year in (2025, 2026):
            MedicalVisit.create(
                person=person,
                card_number=f"DN401{person.bhxh_code}",
                facility=Facility.get(),
                admitted_at=dt.datetime(year, 3, 2, 8),
                discharged_at=dt.datetime(year, 3, 2, 10),
                icd10="J06.9",
                diagnosis="Nhiễm trùng đường hô hấp trên cấp",
                total_cost=350000,
                fund_paid=280000,
                patient_paid=70000,
            )

        def account(n, must_change=False, province=1, password=PASSWORD):
            someone = make_person(
                bhxh_code=f"01500000{n:02d}",
                cccd=f"0011900500{n:02d}",
                province_code=province,
                ward_code=70 if province == 1 else 26734,
            )
            return Account.create(
                person=someone,
                username=someone.bhxh_code,
                password_hash=hash_password(password),
                phone=f"09120001{n:02d}",
                email=f"fz{n}@example.vn",
                must_change_password=must_change,
            )

        self.takeover, self.unbound = account(2), account(3)
        self.first = account(4, must_change=True, password=TEMP_PASSWORD)
        self.resetting, self.anon_target, self.changing = account(5), account(6), account(9)
        other = make_person(bhxh_code="0150000007", cccd="001190050007")
        self.others_period = ParticipationPeriod.create(
            person=other,
            scheme="BHXH",
            from_month=dt.date(2001, 1, 1),
            to_month=dt.date(2001, 6, 1),
            employer=employer,
            position="Kế toán",
            workplace="Hà Nội",
            salary=4000000,
            coefficient="2.34",
        )
        far = account(8, province=79)
        self.changes = [
            changes.file_change(self.takeover, changes.PHONE, "0987000002"),
            changes.file_change(self.resetting, changes.EMAIL, "moi@example.vn"),
        ]
        self.far_change = changes.file_change(far, changes.EMAIL, "xa@example.vn")

        self.reviewer = sh.make_staff(self.places["00101"], "canbo")
        self.admin = sh.make_staff(self.places["001"], "quantri", role=StaffUser.ADMIN)
        self.totp_staff = sh.make_staff(self.places["00101"], "hai")
        self.new_staff = sh.make_staff(self.places["00101"], "moi", enrolled=False)
        self.staff_target = sh.make_staff(self.places["00101"], "dangnhap")
        self.victim = sh.make_staff(self.places["00102"], "nannhan")
        self.far_staff = sh.make_staff(self.places["07901"], "xa")
        self.far_staff_admin = sh.make_staff(self.places["079"], "quantrixa", role=StaffUser.ADMIN)

        def dossier(n, office, status):
            return sh.make_dossier(
                office,
                status,
                bhxh_code=f"01600000{n:02d}",
                phone=f"09130000{n:02d}",
                seq=9000 + n,
                number=f"{9000 + n:05d}.GD/2026/{office.code}",  # apart from real numbers
                id_number=f"0011900600{n:02d}",
                pending_phone=f"09130000{n:02d}" if status in (WAITING, RECEIVED) else None,
            )

        self.dossiers = [
            dossier(1, self.places["00101"], WAITING),
            dossier(2, self.places["00101"], RECEIVED),
            dossier(3, self.places["00101"], RECEIVED),
            dossier(4, self.places["00101"], APPROVED),
        ]
        self.far_dossier = dossier(5, self.places["07901"], RECEIVED)
        self.feedback = self._feedback()
        photo = _jpeg(800, 600)
        for kind in ("mat_truoc", "mat_sau"):
            Photo.create(dossier=self.dossiers[1], kind=kind, content=photo, width=800, height=600)
        self.periods = periods
        self._news()
        self._kiosks(person)
        self.sittings = self._desk_sittings()
        self._rows = self._remember()

    def _feedback(self):
        """Feedback at the reviewer's office (two: one may get answered) and at another province's."""
        from tests.feedback_helpers import make_feedback

        return {
            "mine": make_feedback(),
            "other": make_feedback(topic="ung_dung"),
            "far": make_feedback(office_code="07901", province_code=79, ward_code=26734),
        }

    def _kiosks(self, person):
        """Kiosks for the admin to manage (one in another province), one waiting for its code,
        and a check-in of the citizen's card (an open visit in their visit book)."""
        from vss.core.clock import utcnow
        from vss.kiosk import checkins, kiosks
        from vss.registry.directory import Facility
        from vss.registry.registry import HealthCard

        Facility.create(code="01001", name="Bệnh viện Bạch Mai", province_code=1, level="trung ương")
        Facility.create(code="79024", name="Bệnh viện Quận 1", province_code=79, level="tỉnh")
        self.kiosk_codes = {}
        managed, code = kiosks.enrol(self.admin, "01065", "Quầy fuzz")
        self.managed_kiosk = kiosks.redeem(code, client="10.250.0.1")[0]
        self.far_kiosk, _ = kiosks.enrol(self.far_staff_admin, "79024", "Quầy xa")
        self.pending_kiosk, self.pending_code = kiosks.enrol(self.admin, "01001", "Quầy chờ")
        card = HealthCard.get(HealthCard.person == person)
        checkins.record(
            self.managed_kiosk,
            card_number=card.number,
            bhxh_code=person.bhxh_code,
            status="valid",
            scanned_at=utcnow(),
            key="fuzz-check-in-0000000001",
        )

    REPAIRED = re.compile(r"password|fail|lock|active|totp|must_change|^role$|^office$|^phone$|^email$")

    def _news(self):
        """The national editor, a published post with a picture and a video, and a draft."""
        from pathlib import Path

        from tests import staff_helpers as sh
        from tests.fuzz_support import _jpeg
        from vss.identity.accounts import StaffUser
        from vss.support import news, news_media

        self.editor = sh.make_staff(self.places["001"], "bientap", role=StaffUser.EDITOR)
        self.news_post = news.create(
            self.editor, "Tin đã đăng", "Tóm tắt", "**Nội dung**", image=_jpeg(800, 600)
        )
        with open(Path(__file__).parent / "samples" / "news" / "clip.mp4", "rb") as stream:
            news_media.attach_video(self.editor, self.news_post, stream)
        news.publish(self.editor, self.news_post)
        self.news_post = news.NewsPost.get_by_id(self.news_post.id)
        self.news_draft = news.create(self.editor, "Bản nháp", "", "Chưa đăng")

    def _news_good(self):
        post, draft = self.news_post, self.news_draft
        return {
            "post_id": [post.id, draft.id, draft.id + 1000],
            "slug": [post.slug, "cu"],
            ("/tin-tuc/anh/<name>", "name"): [post.image_name, "0" * 32 + ".jpg"],
            ("/tin-tuc/video/<name>", "name"): [post.video_name, f"{draft.id}-{'0' * 32}.mp4"],
            "trang": ["1", "2"],
        }

    def _editor(self, client):
        self._staff_sign_in(client, self.editor)
        return {
            **self._news_good(),
            "title": ["Tin mới"],
            "summary": ["Tóm tắt"],
            "body": ["Nội dung **mới**"],
            "image_alt": ["Ảnh"],
            "drop_image": ["y", ""],
            "version": [str(news_version) for news_version in (1, 2, 3)],
            "action": ["upload", "remove"],
        }

    def _desk_sittings(self):
        """The reviewer's desk sittings (two waiting for the code the citizen reads out, one just
        started, one that became a dossier, one to discard) and another office's."""
        from tests import mailbox
        from tests.factories import in_registry
        from tests.fuzz_support import _jpeg
        from vss.dossiers import desk

        staff = self.reviewer

        def declared(n):
            draft = desk.start(staff)
            info = {
                "bhxh_code": f"01900000{n:02d}",
                "full_name": "Phạm Thị Lan",
                "id_kind": "cccd",
                "id_number": f"0011900900{n:02d}",
                "province_code": 1,
                "ward_code": 70,
                "street": "Số 9 phố Huế",
                "phone": f"09160000{n:02d}",
                "email": "",
            }
            in_registry(info["bhxh_code"], info["full_name"], info["id_number"])
            desk.save_info(staff, draft, info)
            desk.take_photos(staff, draft, {"mat_truoc": _jpeg(800, 600), "mat_sau": _jpeg(800, 600)})
            desk.declare_identity(staff, draft, "cccd", number_matches=True, face_matches=True)
            desk.send_code(staff, draft)
            return draft

        waiting, done, verify = declared(1), declared(2), declared(3)
        desk.submit(staff, done, mailbox.last_code("0916000002"))
        return {
            "waiting": waiting,
            "verify": verify,  # left at the code step (the other steps' fuzz reopens `waiting`)
            "new": desk.start(staff),
            "done": done,
            "discard": desk.start(staff),
            "far": desk.start(self.far_staff),
        }

    REPAIRED = re.compile(r"password|fail|lock|active|totp|must_change|^role$|^office$|^phone$|^email$")

    def _remember(self):
        """The columns a fuzz may change that a rebuild must put back (secrets, counters, locks,
        contacts; not the device binding)."""
        from vss.identity.accounts import Account, StaffUser

        rows = []
        for model, row_ids in (
            (
                Account,
                [
                    a.id
                    for a in (
                        self.citizen,
                        self.takeover,
                        self.unbound,
                        self.first,
                        self.resetting,
                        self.anon_target,
                        self.changing,
                    )
                ],
            ),
            (
                StaffUser,
                [
                    s.id
                    for s in (
                        self.reviewer,
                        self.admin,
                        self.totp_staff,
                        self.new_staff,
                        self.staff_target,
                        self.victim,
                        self.editor,
                    )
                ],
            ),
        ):
            present = [c for c in model._meta.fields if self.REPAIRED.search(c)]
            for row in model.select().where(model.id.in_(row_ids)):
                rows.append((model, row.id, {c: row.__data__.get(c) for c in present}))
        return rows

    def repair(self):
        """Put accounts and staff back as they were (unlocked, active, same secrets)."""
        for model, row_id, values in self._rows:
            model.update({model._meta.fields[c]: v for c, v in values.items()}).where(
                model.id == row_id
            ).execute()

    # -- states --------------------------------------------------------------------------------

    BUILDERS = {}

    def browser(self, state):
        if state not in self.browsers:
            build, probe = self._builder(state)
            self.browsers[state] = Browser(self, state, build, probe)
        return self.browsers[state]

    def _builder(self, state):
        if state.startswith("draft:"):
            step = state.split(":", 1)[1]
            return (lambda client: self._draft(client, step)), DRAFT_PROBES[step]
        return getattr(self, "_" + state.replace(":", "_")), PROBES.get(state)

    def _anon(self, client):
        from tests.staff_helpers import PASSWORD as STAFF_PASSWORD

        waiting = self.dossiers[0]
        return {
            "username": [self.anon_target.username],
            "password": [PASSWORD],
            "bhxh_code": [self.anon_target.username],
            "contact": [self.anon_target.phone],
            "so": [waiting.number],
            "dien_thoai": [waiting.phone],
            ("/can-bo/dang-nhap", "office_code"): ["00101"],
            ("/can-bo/dang-nhap", "username"): ["dangnhap"],
            ("/can-bo/dang-nhap", "password"): [STAFF_PASSWORD],
            "next": ["/tra-cuu"],
            "tinh": ["1"],
            "province_code": ["1"],
            ("/kiosk/ghi-danh", "code"): [self.pending_code],
            **self._feedback_form(),
            ("/phan-anh-kien-nghi/tra-cuu", "so"): [self.feedback["mine"].number],
            ("/phan-anh-kien-nghi/tra-cuu", "dien_thoai"): [self.feedback["mine"].phone],
            **self._news_good(),
        }

    def _feedback_form(self):
        url = "/phan-anh-kien-nghi"
        return {
            (url, "topic"): ["the_bhyt", "ung_dung"],
            (url, "noi_dung"): ["Thẻ BHYT ghi sai ngày sinh."],
            (url, "full_name"): ["Trần Thị Mai"],
            (url, "phone"): ["0987654321"],
            (url, "email"): ["mai@example.vn"],
            (url, "province_code"): ["1"],
            (url, "ward_code"): ["70"],
            (url, "office_code"): ["00101", ""],
            (url, "action"): ["", "province"],
        }

    _feedback_numbers = iter(range(100_000))

    def _feedback_code(self, client):
        """A feedback sent without an account, waiting for its code."""
        from tests.feedback_helpers import FORM, URL
        from vss.web.forms.feedback import new_key

        self._feedback_phone = f"0978{next(self._feedback_numbers):06d}"
        data = {**FORM, "phone": self._feedback_phone, "khoa": new_key()}
        response = _post(client, URL, _csrf(client, URL), **data)
        assert response.headers.get("Location") == f"{URL}/xac-thuc", response.status_code
        return {"code": ["123456"]}

    def _feedback_sent(self, client):
        """A feedback confirmed with its code (its number shown)."""
        from tests.feedback_helpers import URL

        self._feedback_code(client)
        code = self._last_code(self._feedback_phone)
        response = _post(client, f"{URL}/xac-thuc", _csrf(client, URL), code=code)
        assert response.headers.get("Location") == f"{URL}/da-gui", response.status_code
        return {}

    def _citizen_sign_in(self, client, account, password=PASSWORD):
        token = _csrf(client, "/dang-nhap")
        return _post(client, "/dang-nhap", token, username=account.username, password=password)

    def _last_code(self, phone):
        from tests.signin_helpers import last_code  # kept in step with how the app keeps codes

        return last_code(phone) or "000000"

    def _bind(self, client, account):
        from vss.core import clock

        response = self._citizen_sign_in(client, account)
        if response.headers.get("Location") == "/dang-nhap/ma-xac-thuc":
            token = _csrf(client, "/dang-nhap/ma-xac-thuc")
            response = _post(client, "/dang-nhap/ma-xac-thuc", token, code=self._last_code(account.phone))
            clock.travel(dt.timedelta(seconds=61))
        assert response.headers.get("Location") == "/tai-khoan", (
            account.username,
            response.status_code,
            re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', response.get_data(as_text=True)),
        )

    def _citizen(self, client, account=None):
        """Signed in on the account's bound device (one session per account: each state its own)."""
        account = account or self.citizen
        devices = self.__dict__.setdefault("_devices", {})
        if account.id in devices:
            client.set_cookie("vss_device", devices[account.id])
        self._bind(client, account)
        devices[account.id] = client.get_cookie("vss_device").value
        return {
            "password": [PASSWORD],
            "old": [PASSWORD],
            "new": [NEW_PASSWORD],
            "repeat": [NEW_PASSWORD],
            "field": ["phone", "email", "address"],
            "phone": ["0987000111"],
            "email": ["moi@example.vn"],
            "street": ["Số 2 Tràng Tiền"],
            "province_code": ["1"],
            "ward_code": ["70"],
            "period_id": [p.id for p in self.periods] + [self.others_period.id],
            "code": ["123456"],
            **self._feedback_form(),
            "nam": ["2026", "2025"],
            "trang": ["1", "2"],
        }

    def _signin_takeover(self, client):
        if not getattr(self, "_takeover_bound", False):
            first = self.app.test_client()
            first.environ_base["REMOTE_ADDR"] = next_ip()
            self._bind(first, self.takeover)
            self._takeover_bound = True
        response = self._citizen_sign_in(client, self.takeover)
        assert response.headers.get("Location") == "/dang-nhap/thiet-bi-khac", response.headers
        return {"action": ["continue"], "code": ["123456"]}

    def _signin_unbound(self, client):
        response = self._citizen_sign_in(client, self.unbound)
        assert response.headers.get("Location") == "/dang-nhap/ma-xac-thuc", response.headers
        return {"code": ["123456"]}

    def _signin_first(self, client):
        response = self._citizen_sign_in(client, self.first, TEMP_PASSWORD)
        assert response.headers.get("Location") == "/dang-nhap/mat-khau-moi", response.headers
        return {"old": [TEMP_PASSWORD], "new": [NEW_PASSWORD], "repeat": [NEW_PASSWORD], "code": ["123456"]}

    def _signin_first_code(self, client):
        """The first sign-in after the new password was chosen (a code is waiting)."""
        good = self._signin_first(client)
        token = _csrf(client, "/dang-nhap/mat-khau-moi")
        response = _post(
            client, "/dang-nhap/mat-khau-moi", token, old=TEMP_PASSWORD, new=NEW_PASSWORD, repeat=NEW_PASSWORD
        )
        assert response.headers.get("Location") == "/dang-nhap/mat-khau-moi/xac-thuc", response.headers
        return good

    def _citizen_code(self, client):
        """The signed-in citizen after asking for a new password (a code is waiting)."""
        good = self._citizen(client, self.changing)
        token = _csrf(client, "/tai-khoan/doi-mat-khau")
        response = _post(
            client, "/tai-khoan/doi-mat-khau", token, old=PASSWORD, new=NEW_PASSWORD, repeat=NEW_PASSWORD
        )
        assert response.headers.get("Location") == "/tai-khoan/doi-mat-khau/xac-thuc", response.headers
        return good

    def _reset(self, client):
        token = _csrf(client, "/quen-mat-khau")
        response = _post(
            client, "/quen-mat-khau", token, bhxh_code=self.resetting.username, contact=self.resetting.phone
        )
        assert response.headers.get("Location") == "/quen-mat-khau/dat-lai", response.headers
        return {"code": ["123456"], "new": [NEW_PASSWORD], "repeat": [NEW_PASSWORD]}

    def _kiosk(self, client):
        """A kiosk's browser, enrolled (its own kiosk: a fuzz that revokes it rebuilds it)."""
        from vss.core.clock import utcnow
        from vss.kiosk import kiosks

        _, code = kiosks.enrol(self.admin, "01065", "Quầy kiosk fuzz")
        response = _post(client, "/kiosk/ghi-danh", _csrf(client, "/kiosk/ghi-danh"), code=code)
        assert response.headers.get("Location") == "/kiosk", response.status_code
        return {
            "key": ["fuzz-key-00000000000001", "3f1e2d4c-5b6a-4789-8abc-def012345678"],
            "card_number": [f"DN401{self.citizen.person.bhxh_code}", self.citizen.person.bhxh_code],
            "bhxh_code": [self.citizen.person.bhxh_code],
            "status": ["valid", "revoked"],
            "scanned_at": [utcnow().isoformat() + "Z"],
            "offline": ["1"],
        }

    def _staff_sign_in(self, client, staff):
        from tests.staff_helpers import sign_in

        sign_in(client, staff)

    def _desk_good(self):
        """The desk's routes: its sittings, the Mẫu 01 fields and the identity declaration."""
        desk = "/can-bo/ban-dang-ky/<int:draft_id>"
        sittings = self.sittings
        info = {
            "bhxh_code": "0190000001",
            "full_name": "Phạm Thị Lan",
            "id_number": "001190090001",
            "province_code": "1",
            "ward_code": "70",
            "street": "Số 9 phố Huế",
            "phone": "0916000001",
            "email": "lan@example.vn",
            "qr": "001190090001|012345678|Phạm Thị Lan|01011990|Nữ|Số 9 phố Huế, Hà Nội|01012021",
            "action": ["", "qr", "province"],
        }
        ids = {name: sitting.id for name, sitting in sittings.items()}
        return {
            "draft_id": [ids[k] for k in ("waiting", "new", "done", "far")],
            (f"{desk}/huy", "draft_id"): [ids["discard"], ids["done"], ids["far"]],
            (f"{desk}/xac-thuc", "draft_id"): [ids["verify"], ids["new"], ids["far"]],
            (f"{desk}/xac-thuc/gui-lai", "draft_id"): [ids["verify"], ids["new"], ids["far"]],
            (f"{desk}/xong", "draft_id"): [ids["done"], ids["new"], ids["far"]],
            (f"{desk}/mau-01.pdf", "draft_id"): [ids["done"], ids["new"], ids["far"]],
            **{(f"{desk}/thong-tin", k): v if isinstance(v, list) else [v] for k, v in info.items()},
            "document": ["cccd", "cmnd", "ho_chieu"],
            "number_matches": ["y", ""],
            "face_matches": ["y", ""],
            "code": ["123456"],
        }

    def _staff_good(self):
        return {
            **self._desk_good(),
            "dossier_id": [d.id for d in self.dossiers[1:] + self.dossiers[:1]] + [self.far_dossier.id],
            "change_id": [c.id for c in self.changes] + [self.far_change.id],
            "staff_id": [self.victim.id, self.far_staff.id],
            "kind": ["mat_truoc", "mat_sau", "chan_dung"],
            "evaluation": ["hop_le", "khong_hop_le"],
            "reason": ["Ảnh mờ"],
            "active": ["1", "0"],
            "so": [self.dossiers[0].number],
            "ma": [self.dossiers[0].bhxh_code],
            "tu": ["01/01/2026"],
            "den": ["2026-12-31"],
            "username": ["fzmoi"],
            "full_name": ["Lê Văn Mới"],
            "office_code": ["00102"],
            "role": ["reviewer"],
            "kiosk_id": [self.managed_kiosk.id, self.pending_kiosk.id, self.far_kiosk.id],
            "facility_code": ["01065", "79024"],
            "name": ["Quầy tiếp đón số 2"],
            "feedback_id": [self.feedback[k].id for k in ("mine", "other", "far")],
            "assignee": [self.reviewer.id, self.victim.id],
            "answer": ["Đã điều chỉnh ngày sinh trên thẻ."],
            "bo_phan": ["cntt", "thu_so_the"],
            ("/can-bo/phan-anh", "tinh_trang"): ["moi", "da_tra_loi"],
            "qua_han": ["1"],
        }

    def _reviewer(self, client):
        self._staff_sign_in(client, self.reviewer)
        return self._staff_good()

    def _admin(self, client):
        self._staff_sign_in(client, self.admin)
        return self._staff_good()

    def _staff_first_factor(self, client, staff, expect):
        from tests.staff_helpers import PASSWORD as STAFF_PASSWORD
        from tests.staff_helpers import csrf

        token = csrf(client)
        response = _post(
            client,
            "/can-bo/dang-nhap",
            token,
            office_code=staff.office.code,
            username=staff.username,
            password=STAFF_PASSWORD,
        )
        assert response.headers.get("Location") == expect, response.headers
        return {"code": ["123456"]}

    def _staff_totp(self, client):
        return self._staff_first_factor(client, self.totp_staff, "/can-bo/xac-thuc")

    def _staff_enrol(self, client):
        return self._staff_first_factor(client, self.new_staff, "/can-bo/dang-ky-xac-thuc")

    # -- registration drafts ---------------------------------------------------------------------

    _draft_numbers = iter(range(10, 100))

    def _draft(self, client, step):
        from tests.registration_flow import Flow
        from tests.registration_flow import offices as reg_offices

        reg_offices()
        n = next(self._draft_numbers)
        info = {
            "bhxh_code": f"01700000{n:02d}",
            "phone": f"09140000{n:02d}",
            "id_number": f"0011900700{n:02d}",
            "email": f"dk{n}@example.vn",
        }
        if step == "pending":
            from tests import staff_helpers as sh
            from vss.dossiers.dossiers import WAITING

            sh.make_dossier(
                self.places["00101"],
                WAITING,
                bhxh_code=info["bhxh_code"],
                phone=info["phone"],
                seq=9100 + n,
                number=f"{9100 + n:05d}.GD/2026/00101",
                id_number=info["id_number"],
                pending_phone=info["phone"],
            )
        flow = Flow(client)
        flow.start()
        order = ["thong-tin", "anh", "co-quan", "xem-lai", "xac-thuc", "done"]
        target = order.index(step) if step in order else 0
        if step == "pending":
            response = flow.info(**info)
            assert response.status_code == 200 and "huy-ho-so" in response.get_data(as_text=True), (
                response.headers
            )
        if target >= 1:
            assert flow.info(**info).status_code == 302
        if target >= 2:
            assert flow.photos().status_code == 302
        if target >= 3:
            assert flow.office().status_code == 302
        if target >= 4:
            assert flow.review().status_code == 302
        if target >= 5:
            response = flow.verify(flow.last_code(info["phone"]))
            assert response.headers.get("Location") == "/dang-ky/hoan-tat", response.headers
        from tests.registration_flow import INFO

        return {
            **{k: [v] for k, v in INFO.items()},
            **{k: [v] for k, v in info.items()},
            "province_code": ["1"],
            "ward_code": ["70"],
            "office_code": ["00101"],
            "submission_method": ["tai_co_quan", "buu_chinh"],
            "channel": ["cong_bhxh", "ivan"],
            "committed": ["y"],
            "ivan_name": ["Công ty I-VAN Việt"],
            "registrant": ["ca_nhan"],
            "kind": ["mat_truoc", "mat_sau", "chan_dung"],
            "code": ["123456"],
            ("/dang-ky/huy-ho-so", "action"): ["send"],
        }


PROBES = {
    "anon": None,
    "citizen": "/tai-khoan",
    "citizen:code": "/tai-khoan/doi-mat-khau/xac-thuc",
    "signin:takeover": "/dang-nhap/thiet-bi-khac",
    "signin:unbound": "/dang-nhap/ma-xac-thuc",
    "signin:first": "/dang-nhap/mat-khau-moi",
    "signin:first_code": "/dang-nhap/mat-khau-moi/xac-thuc",
    "reset": "/quen-mat-khau/dat-lai",
    "reviewer": "/can-bo/ho-so",
    "admin": "/can-bo/quan-tri",
    "editor": "/can-bo/tin-tuc",
    "kiosk": "/kiosk",
    "staff:totp": "/can-bo/xac-thuc",
    "staff:enrol": "/can-bo/dang-ky-xac-thuc",
    "feedback:code": "/phan-anh-kien-nghi/xac-thuc",
    "feedback:sent": "/phan-anh-kien-nghi/da-gui",
}
DRAFT_PROBES = {
    "thong-tin": "/dang-ky/thong-tin",
    "anh": "/dang-ky/anh",
    "co-quan": "/dang-ky/co-quan",
    "xem-lai": "/dang-ky/xem-lai",
    "xac-thuc": "/dang-ky/xac-thuc",
    "done": "/dang-ky/hoan-tat",
    "pending": "/dang-ky/huy-ho-so",
}
