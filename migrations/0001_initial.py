"""Initial schema: registry, directory, accounts, outbox, audit log.

The models below are a frozen copy of the schema at this migration, deliberately independent of
the application models (which will move on)."""

import datetime

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Office(Base):
        code = CharField(max_length=5, unique=True)
        name = TextField()
        kind = CharField(max_length=8)
        parent = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        province_code = SmallIntegerField(index=True)
        ward_code = IntegerField(null=True)
        street = TextField(default="")
        phone = CharField(max_length=20)
        latitude = DoubleField()
        longitude = DoubleField()

    class Facility(Base):
        code = CharField(max_length=5, unique=True)
        name = TextField()
        province_code = SmallIntegerField(index=True)
        ward_code = IntegerField(null=True)
        street = TextField(default="")
        phone = CharField(max_length=20, default="")
        level = CharField(max_length=16)
        contracted_bhyt = BooleanField(default=True)
        issues_sick_leave = BooleanField(default=False)

    class Employer(Base):
        code = CharField(max_length=10, unique=True)
        name = TextField()
        tax_code = CharField(max_length=14, default="")
        province_code = SmallIntegerField(index=True)
        ward_code = IntegerField(null=True)
        street = TextField(default="")

    class CollectionAgent(Base):
        code = CharField(max_length=10, unique=True)
        name = TextField()
        province_code = SmallIntegerField(index=True)
        ward_code = IntegerField(null=True)
        street = TextField(default="")
        phone = CharField(max_length=20, default="")

    class Person(Base):
        bhxh_code = CharField(max_length=10, unique=True)
        full_name = TextField()
        birth_date = DateField()
        sex = SmallIntegerField()
        cccd = CharField(max_length=12, null=True, unique=True)
        province_code = SmallIntegerField()
        ward_code = IntegerField()
        street = TextField(default="")

    class HealthCard(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        number = CharField(max_length=15, unique=True)
        group_code = CharField(max_length=2)
        benefit_level = SmallIntegerField()
        province_code = CharField(max_length=2)
        facility = ForeignKeyField(Facility, on_delete="RESTRICT")
        valid_from = DateField()
        valid_to = DateField(null=True)
        five_years_on = DateField(null=True)
        issued_on = DateField()
        version = IntegerField(default=1)

    class ParticipationPeriod(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE", index=False)
        scheme = CharField(max_length=8)
        from_month = DateField()
        to_month = DateField()
        employer = ForeignKeyField(Employer, null=True, on_delete="RESTRICT")
        position = TextField(default="")
        workplace = TextField(default="")
        currency = CharField(max_length=3, default="VND")
        salary = BigIntegerField()
        coefficient = DecimalField(max_digits=5, decimal_places=2, null=True)

        class Meta:
            indexes = ((("person", "scheme", "from_month"), False),)

    class Benefit(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        kind = CharField(max_length=12)
        regime = TextField()
        from_date = DateField()
        to_date = DateField(null=True)
        amount = BigIntegerField()
        unit_name = TextField()

    class MedicalVisit(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE", index=False)
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

    class Account(Base):
        person = ForeignKeyField(Person, unique=True, on_delete="RESTRICT")
        username = CharField(max_length=10, unique=True)
        password_hash = TextField()
        phone = CharField(max_length=16, unique=True)
        email = CharField(max_length=254, unique=True, null=True)
        must_change_password = BooleanField(default=True)
        password_changed_at = DateTimeField(default=datetime.datetime.now)
        failed_logins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

    class StaffUser(Base):
        office = ForeignKeyField(Office, on_delete="RESTRICT", index=False)
        username = CharField(max_length=32)
        full_name = TextField()
        role = CharField(max_length=12)
        password_hash = TextField()
        totp_secret = CharField(max_length=64, null=True)
        active = BooleanField(default=True)
        failed_logins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("office", "username"), True),)

    class Outbox(Base):
        created_at = DateTimeField(index=True)
        channel = CharField(max_length=5)
        recipient = CharField(max_length=254)
        template = CharField(max_length=64)
        params = TextField()
        subject = TextField(default="")
        body = TextField()
        person = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        status = CharField(max_length=8, default="pending", index=True)
        attempts = IntegerField(default=0)
        backend = CharField(max_length=8, default="")
        last_error = TextField(default="")
        claimed_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)

    class AuditLog(Base):
        created_at = DateTimeField(index=True)
        actor_kind = CharField(max_length=8)
        actor_id = IntegerField(null=True)
        actor_label = TextField(default="")
        action = CharField(max_length=64)
        object_kind = CharField(max_length=32, default="")
        object_id = CharField(max_length=64, default="")
        detail = TextField(null=True)
        ip = CharField(max_length=45, default="")

        class Meta:
            indexes = ((("object_kind", "object_id", "created_at"), False),)

    return [
        Office,
        Facility,
        Employer,
        CollectionAgent,
        Person,
        HealthCard,
        ParticipationPeriod,
        Benefit,
        MedicalVisit,
        Account,
        StaffUser,
        Outbox,
        AuditLog,
    ]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
