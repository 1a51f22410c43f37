"""Offices, staff with TOTP, dossiers at a given office, and signing in as staff."""

import datetime as dt
import itertools

import pyotp

from tests.csrf import csrf as page_token
from tests.factories import make_office
from vss.core import clock
from vss.dossiers.dossiers import RECEIVED, WAITING, Dossier
from vss.identity.accounts import StaffUser, hash_password
from vss.registry.directory import Office

PASSWORD = "Canbo@12345"
_seq = itertools.count(1)


def offices():
    """Hà Nội (001) with two base offices, Hồ Chí Minh City (079) with one."""
    hn = make_office()
    hn1 = make_office("00101", name="BHXH cơ sở Hoàn Kiếm", kind=Office.BASE, parent=hn)
    hn2 = make_office("00102", name="BHXH cơ sở Ba Đình", kind=Office.BASE, parent=hn)
    hcm = make_office(
        "079",
        name="Bảo hiểm xã hội Thành phố Hồ Chí Minh",
        province_code=79,
        ward_code=26734,
        latitude=10.77,
        longitude=106.7,
    )
    hcm1 = make_office(
        "07901",
        name="BHXH cơ sở Sài Gòn",
        kind=Office.BASE,
        parent=hcm,
        province_code=79,
        ward_code=26734,
        latitude=10.77,
        longitude=106.7,
    )
    return {"001": hn, "00101": hn1, "00102": hn2, "079": hcm, "07901": hcm1}


def make_staff(office, username="canbo", role=StaffUser.REVIEWER, enrolled=True):
    return StaffUser.create(
        office=office,
        username=username,
        full_name=f"Cán bộ {username}",
        role=role,
        password_hash=hash_password(PASSWORD),
        totp_secret=pyotp.random_base32() if enrolled else None,
    )


def code_for(secret):
    """The current TOTP code by the (possibly moved) VSS clock."""
    return pyotp.TOTP(secret).at(clock.utcnow().replace(tzinfo=dt.UTC))


def csrf(client, url="/can-bo/dang-nhap"):
    """The token of a staff page's form (the staff sign-in page by default)."""
    return page_token(client, url)


def sign_in(client, staff, password=PASSWORD):
    """Password then TOTP; moves the clock 31 s on so the next sign-in gets a fresh code."""
    token = csrf(client)
    first = client.post(
        "/can-bo/dang-nhap",
        data={
            "csrf_token": token,
            "office_code": staff.office.code,
            "username": staff.username,
            "password": password,
        },
    )
    assert first.status_code == 302, first.get_data(as_text=True)
    secret = StaffUser.get_by_id(staff.id).totp_secret
    token = csrf(client, "/can-bo/xac-thuc")  # the session (and its CSRF token) starts afresh
    second = client.post("/can-bo/xac-thuc", data={"csrf_token": token, "code": code_for(secret)})
    clock.travel(dt.timedelta(seconds=31))
    landing = "/can-bo/tin-tuc" if staff.role == StaffUser.EDITOR else "/can-bo/ho-so"
    assert second.headers.get("Location") == landing, second.get_data(as_text=True)[:2000]
    return csrf(client, landing)


def make_dossier(office, status=RECEIVED, bhxh_code=None, full_name="Nguyễn Văn An", **fields):
    n = next(_seq)
    values = dict(
        number=f"{n:05d}.GD/2026/{office.code}",
        office=office,
        office_province=office.province_code,
        year=2026,
        seq=n,
        status=status,
        bhxh_code=bhxh_code or f"01{n:08d}",
        full_name=full_name,
        contact_person=full_name,
        id_kind="cccd",
        id_number=f"0010900{n:05d}",
        province_code=1,
        ward_code=70,
        street="Số 1 Tràng Tiền",
        phone=f"091{n:07d}",
        submission_method="tai_co_quan",
        channel="cong_bhxh",
        owner_token_hash="x" * 64,
        pending_bhxh=None if status not in (WAITING, RECEIVED) else (bhxh_code or f"01{n:08d}"),
        pending_phone=None if status not in (WAITING, RECEIVED) else f"091{n:07d}",
    )
    values.update(fields)
    return Dossier.create(**values)
