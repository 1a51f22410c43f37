"""Demo accounts for development: known passwords, printed by `flask seed`, listed in README."""

import random

from vss.accounts import Account, StaffUser, hash_password
from vss.db import transaction
from vss.directory import Office
from vss.registry import Person

# Development only: `flask seed` refuses to create these in production.
DEMO_PASSWORD = "VssDemo@2026"  # noqa: S105 - development demo data, refused in production
DEMO_PROVINCE = 1  # Hà Nội
STAFF = (
    ("quantri", "Nguyễn Thị Hồng", StaffUser.ADMIN, "province"),
    ("giamsat", "Trần Quốc Bảo", StaffUser.SUPERVISOR, "province"),
    ("canbo", "Lê Minh Tuấn", StaffUser.REVIEWER, "base"),
)
CITIZENS = 3


def create_demo_users(seed=2025):
    """Create demo staff (one office tree) and citizen accounts; return lines describing them."""
    rng = random.Random(f"demo:{seed}")
    provincial = Office.get((Office.kind == Office.PROVINCE) & (Office.province_code == DEMO_PROVINCE))
    base = (Office.select().where(Office.parent == provincial).order_by(Office.code).first())
    lines = [f"Demo accounts (development only), password for all: {DEMO_PASSWORD}"]
    with transaction():
        password_hash = hash_password(DEMO_PASSWORD)
        for username, full_name, role, where in STAFF:
            office = provincial if where == "province" else base
            StaffUser.get_or_create(office=office, username=username, defaults={
                "full_name": full_name, "role": role, "password_hash": password_hash})
            lines.append(f"  staff   {role:<10} office {office.code}  username {username}")
        people = (Person.select().where(Person.province_code == DEMO_PROVINCE)
                  .order_by(Person.id).limit(CITIZENS))
        for person in people:
            phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
            Account.get_or_create(person=person, defaults={
                "username": person.bhxh_code, "password_hash": password_hash, "phone": phone,
                "must_change_password": False})
            lines.append(f"  citizen {person.full_name:<24} username {person.bhxh_code}"
                         f"  (CCCD {person.cccd}, phone {phone})")
    return lines
