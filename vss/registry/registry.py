"""The registry: stands in for the national BHXH/BHYT database. Every registry read goes here."""

from flask_babel import lazy_gettext as _l
from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from vss.core.db import BaseModel
from vss.registry.directory import Employer, Facility, format_address

SCHEMES = ("BHXH", "BHTN", "BHTNLD", "BHYT")
# The tabs' names: the abbreviations VssID shows (in English, short names that fit a phone).
SCHEME_LABELS = {"BHXH": _l("BHXH"), "BHTN": _l("BHTN"), "BHTNLD": _l("BHTNLĐ-BNN"), "BHYT": _l("BHYT")}
BENEFIT_KINDS = ("mot_lan", "ods", "hang_thang", "that_nghiep")
MALE, FEMALE = 1, 2
SEX_LABELS = {MALE: _l("Nam"), FEMALE: _l("Nữ")}


class Person(BaseModel):
    """A person known to BHXH, identified for life by a 10-digit BHXH code."""

    bhxh_code = CharField(max_length=10, unique=True)
    full_name = TextField()
    birth_date = DateField()
    # Some people are known by their year of birth alone (old records; cards print the year):
    # birth_date is then 1 January of it (vss/registry/codes.py compares births this way).
    birth_year_only = BooleanField(default=False)
    sex = SmallIntegerField()  # 1 nam, 2 nữ (the card QR's coding)
    cccd = CharField(max_length=12, null=True, unique=True)
    province_code = SmallIntegerField()
    ward_code = IntegerField()
    street = TextField(default="")

    class Meta:
        # Tra cứu mã số BHXH: the people of a province born on a day, one index probe.
        indexes = ((("province_code", "birth_date"), False),)

    @property
    def address(self):
        return format_address(self.street, self.ward_code)

    @property
    def is_female(self):
        """Nữ (the card and the benefit rules tell the sexes apart)."""
        return self.sex == FEMALE

    @property
    def sex_label(self):
        """Nam / Nữ, in the reader's language."""
        return SEX_LABELS.get(self.sex, "")

    @classmethod
    def by_code(cls, bhxh_code):
        """The person with this BHXH code, or None."""
        return cls.get_or_none(cls.bhxh_code == bhxh_code)


class HealthCard(BaseModel):
    """A BHYT card. Number = group (2) + benefit level (1) + province (2) + BHXH code (10)."""

    person = ForeignKeyField(Person, backref="cards", on_delete="CASCADE", index=False)
    number = CharField(max_length=15, unique=True)
    group_code = CharField(max_length=2)
    benefit_level = SmallIntegerField()
    province_code = CharField(max_length=2)
    facility = ForeignKeyField(Facility, backref="cards", on_delete="RESTRICT")
    valid_from = DateField()
    valid_to = DateField(null=True)
    five_years_on = DateField(null=True)  # thời điểm đủ 5 năm liên tục
    issued_on = DateField()
    version = IntegerField(default=1)  # of the QR: a new version revokes the older QRs
    # Raised by the database on every UPDATE of this card, its person or its facility (triggers,
    # migration 0011), so whatever was drawn from an older revision (the stored card page) is
    # known to be out of date, whoever wrote the change. Writers never set it.
    revision = IntegerField(default=0)

    class Meta:
        # The person's latest card (ORDER BY valid_from DESC, id DESC LIMIT 1) is one index probe.
        indexes = ((("person", "valid_from", "id"), False),)


class ParticipationPeriod(BaseModel):
    """A run of months insured under one scheme with one employer."""

    person = ForeignKeyField(Person, backref="periods", on_delete="CASCADE", index=False)
    scheme = CharField(max_length=8)
    from_month = DateField()  # first day of the month
    to_month = DateField()
    employer = ForeignKeyField(Employer, null=True, on_delete="RESTRICT")
    position = TextField(default="")
    workplace = TextField(default="")
    currency = CharField(max_length=3, default="VND")
    salary = BigIntegerField()  # đồng per month
    coefficient = DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        indexes = ((("person", "scheme", "from_month"), False),)


class Benefit(BaseModel):
    """A benefit paid: one-off, sickness/maternity/recovery (ODS), monthly or unemployment."""

    person = ForeignKeyField(Person, backref="benefits", on_delete="CASCADE")
    kind = CharField(max_length=12)
    regime = TextField()  # chế độ, e.g. "Sinh con"
    from_date = DateField()
    to_date = DateField(null=True)
    amount = BigIntegerField()
    unit_name = TextField()


class MedicalVisit(BaseModel):
    """One BHYT visit, after the Ministry of Health's XML1 table."""

    person = ForeignKeyField(Person, backref="visits", on_delete="CASCADE", index=False)
    card_number = CharField(max_length=15)
    facility = ForeignKeyField(Facility, on_delete="RESTRICT")
    admitted_at = DateTimeField()
    discharged_at = DateTimeField()
    icd10 = CharField(max_length=8)
    diagnosis = TextField()
    result = SmallIntegerField(default=1)
    total_cost = BigIntegerField()
    fund_paid = BigIntegerField()
    patient_paid = BigIntegerField()

    class Meta:
        indexes = ((("person", "admitted_at"), False),)


class RegistryState(BaseModel):
    """The registry's one row of facts about itself: the date its data describes ("dữ liệu tính
    đến"), written by whatever loads it (here `flask seed`)."""

    id = IntegerField(primary_key=True)  # always 1
    as_of = DateField()


def data_as_of():
    """The date the registry's data describes, or None before any was loaded."""
    row = RegistryState.get_or_none(RegistryState.id == 1)
    return row.as_of if row else None


def loaded(as_of):
    """Record that the registry now describes `as_of`."""
    RegistryState.insert(id=1, as_of=as_of).on_conflict(
        conflict_target=[RegistryState.id], update={RegistryState.as_of: as_of}
    ).execute()


MODELS = [Person, HealthCard, ParticipationPeriod, Benefit, MedicalVisit, RegistryState]
