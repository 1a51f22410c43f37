"""Outbox: delivery leases, one-time-code deadlines, secrets sealed instead of stored in clear,
and the development mailbox.

New columns: queued_at (when a job was last queued or started for the row), lease_until (a
sending row is its worker's until then), deadline (a code is never sent after it), sealed (the
whole text of a message with a secret, encrypted with a key from SECRET_KEY), redacted (the
stored subject/body show ●●●●●● in place of a secret). A dev_mailbox table keeps the whole
delivered text in development only.

Rows written before this migration held codes and temporary passwords in clear: `up` masks them
and empties the parameters of every final row. A code or password still waiting cannot be sealed
here (no SECRET_KEY in a migration): it is given up, as a code would expire within minutes anyway
and a new account's holder can use "forgot password". A row some old worker was sending gets the
15-minute grace that worker had."""

import datetime
import json

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

MASK = "●●●●●●"
SECRET_PARAMS = {"otp": ("code",), "account_created": ("password",)}
COLUMNS = (
    ("queued_at", DateTimeField(null=True)),
    ("lease_until", DateTimeField(null=True)),
    ("deadline", DateTimeField(null=True)),
    ("sealed", TextField(null=True)),
    # A database default too: rows inserted by hand or by older code still get one.
    ("redacted", BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])),
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Outbox(Base):
        template = CharField(max_length=64)
        params = TextField()
        subject = TextField(default="")
        body = TextField()
        status = CharField(max_length=8)
        last_error = TextField(default="")
        attempts = IntegerField(default=0)
        claimed_at = DateTimeField(null=True)
        lease_until = DateTimeField(null=True)
        redacted = BooleanField(default=False)

    class DevMailbox(Base):
        outbox = ForeignKeyField(Outbox, unique=True, on_delete="CASCADE")
        delivered_at = DateTimeField()
        channel = CharField(max_length=5)
        recipient = CharField(max_length=254)
        template = CharField(max_length=64)
        subject = TextField(default="")
        body = TextField()

    return Outbox, DevMailbox


def _redact_old_rows(outbox):
    final = ("sent", "dead", "expired")
    for row in outbox.select().where(outbox.template.in_(list(SECRET_PARAMS))):
        params = json.loads(row.params or "{}")
        secrets = [str(params.pop(name)) for name in SECRET_PARAMS[row.template] if params.get(name)]
        if not secrets:
            continue
        for secret in secrets:
            row.subject, row.body = row.subject.replace(secret, MASK), row.body.replace(secret, MASK)
        row.params, row.redacted = json.dumps(params, ensure_ascii=False, sort_keys=True), True
        if row.status not in final:
            row.status, row.last_error = "dead", "secret removed by migration 0010 before delivery"
        row.save()
    outbox.update(params="{}").where(outbox.status.in_(final)).execute()
    for row in outbox.select().where(outbox.status == "sending"):
        claimed = row.claimed_at or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        outbox.update(lease_until=claimed + datetime.timedelta(minutes=15)).where(
            outbox.id == row.id
        ).execute()


def up(migrator, db):
    migrator.migrate(*(migrator.add_column("outbox", name, field) for name, field in COLUMNS))
    outbox, mailbox = _models(db)
    db.create_tables([mailbox])
    with db.atomic():
        _redact_old_rows(outbox)


def down(migrator, db):
    _, mailbox = _models(db)
    db.drop_tables([mailbox])
    migrator.migrate(*(migrator.drop_column("outbox", name) for name, _ in COLUMNS))
