"""The synthetic registry generator: deterministic, well-formed, and safe to run and undo."""

import datetime as dt
import hashlib
import os
import re
import unicodedata

import pytest
from peewee import Table

from vss.core import db as vdb
from vss.identity.accounts import Account, StaffUser
from vss.registry import directory
from vss.seed import catalog, context, generator
from vss.seed.rand import Feistel, rng_for

AS_OF = dt.date(2026, 11, 22)
PEOPLE = 1500
PROVINCE_CODES = {code for code, _name, _phone in directory.provinces()}


def _open(path):
    """Bind the proxy to a fresh database (VSS_TEST_DATABASE_URL when set, else SQLite)."""
    url = os.environ.get("VSS_TEST_DATABASE_URL") or f"sqlite:///{path}"
    database = vdb.make_database(url)
    vdb.db.initialize(database)
    database.connect()
    vdb.upgrade(database=database)
    generator.reset()
    return database


@pytest.fixture
def fresh_db(tmp_path):
    database = _open(tmp_path / "seed.db")
    yield database
    generator.reset()
    database.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One seeded registry shared by the read-only checks."""
    database = _open(tmp_path_factory.mktemp("seeded") / "seed.db")
    counts = generator.seed(people=PEOPLE, seed=7, progress=False, as_of=AS_OF)
    yield database, counts
    vdb.db.initialize(database)
    generator.reset()
    database.close()


@pytest.fixture
def rows(seeded):
    database, _counts = seeded
    vdb.db.initialize(database)
    database.connect(reuse_if_open=True)
    if database.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0] != PEOPLE:
        # One shared PostgreSQL database: another test has reset it; seed it again.
        generator.reset()
        generator.seed(people=PEOPLE, seed=7, progress=False, as_of=AS_OF)

    def query(sql):
        return database.execute_sql(sql).fetchall()

    return query


def _digest(database):
    digest = hashlib.sha256()
    for model in generator.MODELS.values():
        for row in model.select().order_by(model.id).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _seed_digest(path, **kwargs):
    database = _open(path)
    try:
        generator.seed(progress=False, as_of=AS_OF, **kwargs)
        return _digest(database)
    finally:
        generator.reset()
        database.close()


def test_same_seed_gives_identical_rows_and_another_seed_does_not(tmp_path):
    first = _seed_digest(tmp_path / "a.db", people=600, seed=3)
    again = _seed_digest(tmp_path / "b.db", people=600, seed=3)
    other = _seed_digest(tmp_path / "c.db", people=600, seed=4)
    assert first == again
    assert other != first


def test_worker_processes_and_chunks_do_not_change_the_result(tmp_path, monkeypatch):
    monkeypatch.setattr(context, "PEOPLE_PER_CHUNK", 250)
    inline = _seed_digest(tmp_path / "a.db", people=700, seed=5, workers=0)
    parallel = _seed_digest(tmp_path / "b.db", people=700, seed=5, workers=1)
    assert inline == parallel


def test_counts_are_plausible(seeded, rows):
    _database, counts = seeded
    for table, count in counts.items():
        assert generator.MODELS[table].select().count() == count
    assert counts["person"] == PEOPLE
    assert rows("SELECT COUNT(*) FROM office WHERE kind = 'province'")[0][0] == 34
    assert 0.90 * PEOPLE <= counts["health_card"] <= 0.99 * PEOPLE
    assert 2 * PEOPLE <= counts["participation_period"] <= 4 * PEOPLE
    assert 0.06 * PEOPLE <= counts["benefit"] <= 0.16 * PEOPLE
    assert 0.7 * PEOPLE <= counts["medical_visit"] <= 1.5 * PEOPLE
    assert counts["employer"] == 50
    assert 34 * 15 <= counts["facility"] <= 34 * 70


def test_generator_columns_exist_in_the_models():
    for table, columns in generator.COLUMNS.items():
        model = generator.MODELS[table]
        assert set(columns) <= {field.column_name for field in model._meta.sorted_fields}


def test_bhxh_codes_are_ten_unique_digits(rows):
    codes = [code for (code,) in rows("SELECT bhxh_code FROM person")]
    assert all(re.fullmatch(r"\d{10}", code) for code in codes)
    assert len(set(codes)) == len(codes)


def test_cccd_encodes_birth_province_sex_century_and_year(rows):
    people = rows("SELECT cccd, sex, birth_date FROM person")
    with_cccd = [p for p in people if p[0]]
    assert len(with_cccd) >= 0.95 * len(people)
    assert len({p[0] for p in with_cccd}) == len(with_cccd)
    for cccd, sex, birth_date in with_cccd:
        year = int(str(birth_date)[:4])
        assert re.fullmatch(r"\d{12}", cccd)
        assert int(cccd[:3]) in PROVINCE_CODES
        assert int(cccd[3]) == (sex - 1) + (2 if year >= 2000 else 0)
        assert cccd[4:6] == f"{year % 100:02d}"


def test_cccd_scramble_is_a_bijection():
    scramble = Feistel(rng_for("test"))
    sample = range(0, 1_000_000, 7)
    assert len({scramble(value) for value in sample}) == len(sample)
    assert all(0 <= scramble(value) < 1_000_000 for value in (0, 999_999))


def test_card_numbers_follow_group_level_province_and_bhxh_code(rows):
    cards = rows(
        "SELECT c.number, c.group_code, c.benefit_level, c.province_code, p.bhxh_code,"
        " p.province_code, p.birth_date FROM health_card c JOIN person p ON p.id = c.person_id"
    )
    for number, group, level, province, bhxh, person_province, birth_date in cards:
        assert len(number) == 15
        assert number == f"{group}{level}{province}{bhxh}"
        assert catalog.GROUP_LEVEL[group] == level
        assert 1 <= level <= 5
        assert int(province) == person_province
        if group == "TE":
            assert str(birth_date) > str(AS_OF.replace(year=AS_OF.year - 7))
    groups = {card[1] for card in cards}
    assert {"TE", "HS", "GD", "DN", "HT"} <= groups


def test_cards_name_a_contracted_facility_of_the_home_province(rows):
    assert (
        rows(
            "SELECT COUNT(*) FROM health_card c JOIN person p ON p.id = c.person_id"
            " JOIN facility f ON f.id = c.facility_id"
            " WHERE f.province_code != p.province_code OR NOT f.contracted_bhyt"
        )[0][0]
        == 0
    )


def test_wards_are_real_and_in_the_right_province(rows):
    for table in ("person", "office", "facility", "employer", "collection_agent"):
        model = generator.MODELS[table]
        for ward, province in model.select(model.ward_code, model.province_code).tuples():
            assert directory.ward_province(ward) == province, (table, ward, province)


def test_names_are_nfc_and_mostly_carry_diacritics(rows):
    names = [name for (name,) in rows("SELECT full_name FROM person")]
    assert all(unicodedata.normalize("NFC", name) == name for name in names)
    assert all(3 <= len(name.split()) <= 4 for name in names)
    marked = [name for name in names if any(ord(ch) > 127 for ch in name)]
    assert len(marked) >= 0.9 * len(names)
    assert sum(name.startswith("Nguyễn ") for name in names) / len(names) == pytest.approx(0.38, abs=0.06)


def test_facility_codes_are_five_characters_and_unique(rows):
    facilities = rows("SELECT code, province_code FROM facility")
    codes = [code for code, _ in facilities]
    assert len(set(codes)) == len(codes)
    for code, province in facilities:
        assert re.fullmatch(r"\d{2}[0-9C]\d{2}", code)
        assert int(code[:2]) == province


def test_directory_codes(rows):
    assert all(re.fullmatch(r"[A-Z]{2}\d{4}[A-Z]", code) for (code,) in rows("SELECT code FROM employer"))
    assert all(re.fullmatch(r"\d{10}", tax) for (tax,) in rows("SELECT tax_code FROM employer"))
    for code, kind, parent, province in rows("SELECT code, kind, parent_id, province_code FROM office"):
        assert code.startswith(f"{province:03d}")  # [001] BHXH Hà Nội, [00101] its first base office
        assert (kind == "province") == (parent is None) == (len(code) == 3)
        assert kind == "province" or re.fullmatch(r"\d{5}", code)


def test_visit_costs_add_up_by_benefit_level(rows):
    visits = rows(
        "SELECT v.total_cost, v.fund_paid, v.patient_paid, c.benefit_level, v.result,"
        " v.admitted_at, v.discharged_at FROM medical_visit v"
        " JOIN health_card c ON c.number = v.card_number"
    )
    assert visits
    for total, fund, patient, level, result, admitted, discharged in visits:
        assert fund + patient == total
        assert fund == total * catalog.FUND_PERCENT[level] // 100
        assert 1 <= result <= 7
        assert str(admitted) < str(discharged) <= str(AS_OF) + " 23:59:59"


def test_periods_and_benefits_are_well_formed(rows):
    for scheme, start, end, salary in rows(
        "SELECT scheme, from_month, to_month, salary FROM participation_period"
    ):
        assert scheme in ("BHXH", "BHTN", "BHTNLD", "BHYT")
        assert str(start).endswith("-01") and str(end).endswith("-01")
        assert str(start) <= str(end) <= str(AS_OF)
        assert salary > 0 and salary % 100 == 0
    kinds = {kind for (kind,) in rows("SELECT DISTINCT kind FROM benefit")}
    assert kinds == {"mot_lan", "ods", "hang_thang", "that_nghiep"}


@pytest.mark.skipif(bool(os.environ.get("VSS_TEST_DATABASE_URL")), reason="SQLite pragma")
def test_foreign_keys_hold_although_checks_were_off_during_the_load(rows):
    assert rows("PRAGMA foreign_key_check") == []


def test_seed_refuses_a_registry_that_has_people(seeded, rows):
    with pytest.raises(generator.SeedError):
        generator.seed(people=10, seed=1, progress=False, as_of=AS_OF)
    assert rows("SELECT COUNT(*) FROM person")[0][0] == PEOPLE


def test_reset_empties_the_registry_and_what_refers_to_it(fresh_db, capsys):
    generator.seed(people=300, seed=9, progress=True, as_of=AS_OF)
    assert "100%" in capsys.readouterr().err
    assert generator.has_people()
    Account.create(person=1, username="0000000001", password_hash="x", phone="0912345678")
    StaffUser.create(office=1, username="a", full_name="A", role="admin", password_hash="x")
    outbox = Table("outbox").bind(fresh_db)
    outbox_before = outbox.select().count()
    for person in (1, None):
        outbox.insert(
            created_at=dt.datetime(2026, 1, 1),
            channel="sms",
            recipient="0912345678",
            template="t",
            params="{}",
            subject="",
            body="b",
            person_id=person,
            status="sent",
            attempts=0,
            backend="",
            last_error="",
        ).execute()
    generator.reset()
    assert not generator.has_people()
    for model in [*generator.MODELS.values(), Account, StaffUser]:
        assert model.select().count() == 0
    assert outbox.select().count() == outbox_before + 1  # the message without a person stays
    # …and the registry can be seeded again.
    assert generator.seed(people=50, seed=9, progress=False, as_of=AS_OF)["person"] == 50
