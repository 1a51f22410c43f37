"""Migration 0010: codes and temporary passwords stored in clear before it are masked, waiting
ones given up, old workers' claims get a lease; and it goes down again."""

import datetime as dt
import json

from peewee import Table

from vss.core import db as vdb
from vss.messages.notify import MASK, Outbox

MIGRATION = "0010_outbox_lease"
OLD = (
    "created_at",
    "channel",
    "recipient",
    "template",
    "params",
    "subject",
    "body",
    "status",
    "attempts",
    "backend",
    "last_error",
    "claimed_at",
)


def _insert(table, name, template, params, body, status, subject="", claimed_at=None):
    """A row as the code before 0010 wrote it; `name` is its recipient, to find it again."""
    table.insert(
        dict(
            zip(
                OLD,
                (
                    dt.datetime(2026, 11, 1),
                    "sms",
                    name,
                    template,
                    json.dumps(params),
                    subject,
                    body,
                    status,
                    1,
                    "outbox",
                    "",
                    claimed_at,
                ),
                strict=True,
            )
        )
    ).execute()
    return name


def test_rows_written_before_hold_no_secret_afterwards(app):
    database = vdb.db.obj
    vdb.downgrade(MIGRATION)
    try:
        assert "dev_mailbox" not in database.get_tables()
        table = Table("outbox", OLD).bind(database)
        sent = _insert(
            table,
            "sent",
            "otp",
            {"code": "048213", "minutes": 5},
            "048213 la ma xac thuc VSS",
            "sent",
            subject="048213 là mã",
        )
        waiting = _insert(
            table,
            "waiting",
            "account_created",
            {"username": "0123456789", "password": "Xk7pQ2mWz9"},
            "Ten dang nhap: 0123456789. Mat khau tam: Xk7pQ2mWz9 .",
            "failed",
        )
        plain = _insert(table, "plain", "password_old", {"x": 1}, "BHXH VN: doi mat khau", "sent")
        sending = _insert(
            table, "sending", "password_old", {}, "BHXH VN", "sending", claimed_at=dt.datetime(2026, 11, 1, 8)
        )
    finally:
        vdb.upgrade()
    rows = {row.recipient: row for row in Outbox.select()}
    assert (rows[sent].body, rows[sent].subject, rows[sent].params) == (
        f"{MASK} la ma xac thuc VSS",
        f"{MASK} là mã",
        {},
    )
    assert rows[sent].redacted and rows[sent].status == "sent"
    assert "Xk7pQ2mWz9" not in rows[waiting].body and rows[waiting].params == {}  # given up: final
    assert rows[waiting].status == "dead" and "0010" in rows[waiting].last_error
    assert rows[plain].params == {} and not rows[plain].redacted
    assert rows[sending].lease_until == dt.datetime(2026, 11, 1, 8, 15)


def test_a_row_inserted_without_the_new_columns_gets_their_defaults(app):
    Table("outbox", OLD).bind(vdb.db.obj).insert(
        dict(
            zip(
                OLD,
                (dt.datetime(2026, 11, 1), "sms", "0912345678", "t", "{}", "", "b", "sent", 0, "", "", None),
                strict=True,
            )
        )
    ).execute()
    row = Outbox.get()
    assert row.redacted is False and row.sealed is None and row.lease_until is None
