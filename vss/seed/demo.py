"""Demo accounts for development: known passwords, printed by `flask seed`, listed in README."""

import datetime as dt
import random
import secrets

from vss.core.clock import utcnow
from vss.core.db import transaction
from vss.dossiers.dossiers import RECEIVED, WAITING, Dossier, next_number
from vss.identity.accounts import Account, StaffUser, hash_password
from vss.kiosk import kiosks
from vss.registry.directory import Facility, Office
from vss.registry.registry import HealthCard, MedicalVisit, Person
from vss.requests import changes
from vss.seed import demo_news

# Development only: `flask seed` refuses to create these in production.
DEMO_PASSWORD = "VssDemo@2026"  # noqa: S105 - development demo data, refused in production
DEMO_PROVINCE = 1  # Hà Nội
STAFF = (
    ("quantri", "Nguyễn Thị Hồng", StaffUser.ADMIN, "province"),
    ("giamsat", "Trần Quốc Bảo", StaffUser.SUPERVISOR, "province"),
    ("canbo", "Lê Minh Tuấn", StaffUser.REVIEWER, "base"),
    ("bientap", "Phạm Thu Trang", StaffUser.EDITOR, "province"),  # news is national; any office
)
# The demo citizens' BHXH codes, the same whatever the day and the seed (README lists them): the
# generated registry draws people from a date-dependent random stream, so "the first three Hà Nội
# residents" differ from one day to the next; those three are given these codes instead.
DEMO_CODES = ("0100000001", "0100000002", "0100000003")
CITIZENS = len(DEMO_CODES)
DOSSIERS = 12


def create_demo_users(seed=2025):
    """Create demo staff (one office tree) and citizen accounts; return lines describing them."""
    rng = random.Random(f"demo:{seed}")
    provincial = Office.get((Office.kind == Office.PROVINCE) & (Office.province_code == DEMO_PROVINCE))
    base = Office.select().where(Office.parent == provincial).order_by(Office.code).first()
    lines = [f"Demo accounts (development only), password for all: {DEMO_PASSWORD}"]
    with transaction():
        password_hash = hash_password(DEMO_PASSWORD)
        for username, full_name, role, where in STAFF:
            office = provincial if where == "province" else base
            StaffUser.get_or_create(
                office=office,
                username=username,
                defaults={"full_name": full_name, "role": role, "password_hash": password_hash},
            )
            lines.append(f"  staff   {role:<10} office {office.code}  username {username}")
        people = _demo_people()
        for person in people:
            phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
            Account.get_or_create(
                person=person,
                defaults={
                    "username": person.bhxh_code,
                    "password_hash": password_hash,
                    "phone": phone,
                    "must_change_password": False,
                },
            )
            lines.append(
                f"  citizen {person.full_name:<24} username {person.bhxh_code}"
                f"  (CCCD {person.cccd}, phone {phone})"
            )
    return lines


def _demo_people():
    """The registry people who carry the demo codes: whoever already holds a code (a generated
    Hà Nội code may happen to be one, or an earlier run gave it), else the next Hà Nội
    resident, renumbered."""
    people, used = [], set()
    for code in DEMO_CODES:
        person = Person.by_code(code)
        if person is None:
            person = (
                Person.select()
                .where((Person.province_code == DEMO_PROVINCE) & Person.id.not_in(used or {0}))
                .where(~Person.bhxh_code.in_(DEMO_CODES))
                .order_by(Person.id)
                .first()
            )
            if person is None:
                break
            _renumber(person, code)
        people.append(person)
        used.add(person.id)
    return people


def _renumber(person, code):
    """Give a person a new BHXH code, with the card numbers (group, level, province, code) and
    the visits recorded under them."""
    for card in HealthCard.select().where(HealthCard.person == person):
        number = card.number[:5] + code
        MedicalVisit.update(card_number=number).where(MedicalVisit.card_number == card.number).execute()
        HealthCard.update(number=number).where(HealthCard.id == card.id).execute()
    Person.update(bhxh_code=code).where(Person.id == person.id).execute()
    person.bhxh_code = code


def create_demo_work(seed=2025):
    """Dossiers waiting at the demo base office (two of them will fail the registry check) and
    change requests from the demo citizens, so the staff workspace has something to do."""
    rng = random.Random(f"demo-work:{seed}")
    provincial = Office.get((Office.kind == Office.PROVINCE) & (Office.province_code == DEMO_PROVINCE))
    base = Office.select().where(Office.parent == provincial).order_by(Office.code).first()
    with transaction():
        people = (
            Person.select()
            .where(Person.province_code == DEMO_PROVINCE)
            .order_by(Person.id)
            .offset(CITIZENS)
            .limit(DOSSIERS)
        )
        for n, person in enumerate(people):
            year = utcnow().year
            seq, number = next_number(base, year)
            name = (
                person.full_name
                if n % 6
                else person.full_name.split()[-1] + " " + person.full_name.split()[0]
            )
            phone = "03" + "".join(rng.choice("0123456789") for _ in range(8))
            status = WAITING if n % 3 else RECEIVED
            Dossier.create(
                number=number,
                office=base,
                office_province=base.province_code,
                year=year,
                seq=seq,
                status=status,
                bhxh_code=person.bhxh_code,
                full_name=name,
                contact_person=name,
                id_kind="cccd",
                id_number=person.cccd or "",
                province_code=person.province_code,
                ward_code=person.ward_code,
                street=person.street,
                phone=phone,
                submission_method="tai_co_quan",
                channel="cong_bhxh",
                pending_bhxh=person.bhxh_code,
                pending_phone=phone,
                owner_token_hash=secrets.token_hex(32),
                submitted_at=utcnow() - dt.timedelta(days=n % 5, hours=n),
                received_at=utcnow() if status == RECEIVED else None,
            )
        accounts = list(Account.select().order_by(Account.id).limit(2))
        if accounts:
            changes.file_change(
                accounts[0], changes.PHONE, "09" + "".join(rng.choice("0123456789") for _ in range(8))
            )
        if len(accounts) > 1:
            person = accounts[1].person
            changes.file_change(
                accounts[1],
                changes.ADDRESS,
                {"street": "Số 18 phố Lý Thường Kiệt", "ward_code": person.ward_code},
            )
    return [
        f"  {DOSSIERS} demo dossiers at {base.code}, 2 change requests",
        *create_demo_feedback(base),
        *create_demo_kiosk(),
        *demo_news.create_demo_news(STAFF[3][0]),
    ]


DEMO_FEEDBACK = (
    ("the_bhyt", "Thẻ BHYT của tôi ghi sai nơi đăng ký khám chữa bệnh ban đầu. Xin điều chỉnh giúp."),
    ("ung_dung", "Trang thẻ BHYT không hiện mã QR trên điện thoại của tôi."),
)


def create_demo_feedback(base):
    """Two questions sent by the demo citizens (signed in) to the demo base office, so the
    staff inbox (/can-bo/phan-anh) has something to answer."""
    from vss.support import feedback

    accounts = list(Account.select().order_by(Account.id).limit(len(DEMO_FEEDBACK)))
    for account, (topic, body) in zip(accounts, DEMO_FEEDBACK, strict=False):
        given = {"topic": topic, "body": body, "province_code": base.province_code, "office_code": base.code}
        feedback.send(given, key=f"demo-feedback:{account.id}:{topic}", account=account)
    return [f"  {len(accounts)} demo feedback at {base.code}"] if accounts else []


def create_demo_kiosk():
    """One kiosk at the demo province's first contracted facility, waiting for its enrolment code
    (printed: it is shown once, and valid for kiosks.CODE_HOURS)."""
    admin = StaffUser.get_or_none((StaffUser.username == STAFF[0][0]) & (StaffUser.role == StaffUser.ADMIN))
    facility = Facility.in_province(DEMO_PROVINCE).first()
    if admin is None or facility is None:
        return []
    kiosk, code = kiosks.enrol(admin, facility.code, "Quầy tiếp đón số 1")
    return [
        f"  kiosk   {kiosk.name!r} at {facility.code}: open /kiosk/ghi-danh and enter"
        f" {kiosks.shown_code(code)} (valid {kiosks.CODE_HOURS} h; a new code: /can-bo/quan-tri/kiosk)"
    ]
