"""Phản ánh, kiến nghị (vss/support/feedback.py): the feedback, from the form (unconfirmed,
named by the sending browser's hashed form key) to the answer, with its office, department,
assignee and due day; and the numbering per office and year."""

import datetime

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
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
        code = CharField()

    class Account(Base):
        username = CharField()

    class StaffUser(Base):
        username = CharField()

    class Feedback(Base):
        key_hash = CharField(max_length=64, unique=True)
        number = CharField(max_length=32, null=True, unique=True)
        state = CharField(max_length=12)
        topic = CharField(max_length=24)
        department = CharField(max_length=12)
        body = TextField()
        photo = BlobField(null=True)
        full_name = TextField(default="")
        phone = CharField(max_length=16)
        email = CharField(max_length=254, null=True)
        account = ForeignKeyField(Account, null=True, on_delete="SET NULL")
        office = ForeignKeyField(Office, on_delete="RESTRICT", index=False)
        office_province = SmallIntegerField()
        by_address = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.now)
        submitted_at = DateTimeField(null=True)
        due_on = DateField(null=True)
        assignee = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")
        answer = TextField(null=True)
        answered_at = DateTimeField(null=True)
        answered_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+", index=False)

        class Meta:
            indexes = (
                (("office", "state", "due_on"), False),
                (("office_province", "state", "due_on"), False),
                (("state", "created_at"), False),
            )

    class FeedbackSequence(Base):
        office = ForeignKeyField(Office, on_delete="CASCADE", index=False)
        year = SmallIntegerField()
        last = IntegerField()

        class Meta:
            indexes = ((("office", "year"), True),)

    return [Feedback, FeedbackSequence]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(_models(db))
