"""A citizen's password over time: the first change after a temporary password, a change (old,
new, repeat, then a code to the registered phone), setting the new one (also after a reset,
vss.identity.password_reset), and the six-monthly reminder.

A new password is never stored until its code has verified: a change carries its hash in the
one-time code of its own flow (`otp.OneTimeCode.payload`), so an earlier code can never confirm
a later choice."""

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l

from vss.core import audit, jobs
from vss.core.clock import utcnow
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import otp, passwords, sessions, signin
from vss.identity.accounts import Account
from vss.messages import notify

FIRST, CHANGE = signin.FIRST, signin.CHANGE
OLD_WRONG = _l("Mật khẩu cũ không đúng.")
ENTER_AGAIN = _l("Vui lòng nhập lại mật khẩu mới.")


def request_new_password(account, old, new, repeat, purpose, *, device, client, ip=""):
    """Old, new, repeat: check them and send the code that confirms the new password; the
    password's hash travels in that code alone. Returns the flow's context (a new flow each
    time); raises UserError (field 'old' or 'new') or otp.OtpError."""
    if not signin.password_matches(account, old, device=device, ip=ip):
        raise UserError(OLD_WRONG, field="old", code="old_wrong")
    problem = passwords.problem(account, new, repeat)
    if problem:
        raise UserError(problem, field="new", code="weak")
    context = f"{purpose}:{account.id}:{secrets.token_hex(8)}"
    try:
        signin.send_code(
            account,
            purpose,
            context,
            client=client,
            payload=passwords.hash_password(new),
        )
    except otp.OtpError as error:
        error.field = "new"  # the page of the form: shown by its new password
        raise
    return context


def confirm_new_password(account, purpose, context, code):
    """The code confirms the password it carries: it becomes the password; all sessions end.
    Returns the account as it is now."""
    match = otp.check(purpose, context, [account.phone, account.email], code)
    if not match.payload:
        raise UserError(ENTER_AGAIN, field="code", code="no_password")
    with transaction():
        if not otp.consume(match):
            raise otp.used()
        set_password(account, match.payload, f"account.{purpose}")
    return Account.get_by_id(account.id)


def set_password(account, password_hash, action):
    """A verified new password: it replaces the old one, every lock and session ends."""
    Account.update(
        password_hash=password_hash,
        must_change_password=False,
        password_changed_at=utcnow(),
        failed_logins=0,
        locked_until=None,
        device_failed_logins=0,
        device_locked_until=None,
        reminded_at=None,
    ).where(Account.id == account.id).execute()
    sessions.end_citizen_sessions(account, reason="password")
    audit.record(action, actor_kind="citizen", actor_id=account.id, obj=account)


@jobs.maintenance
def remind_old_passwords():
    """Daily: one SMS to each account whose password is older than six months."""
    cutoff = utcnow() - dt.timedelta(days=passwords.MAX_AGE_DAYS)
    due = list(Account.select().where((Account.password_changed_at < cutoff) & Account.reminded_at.is_null()))
    for account in due:
        with transaction():
            if (
                Account.update(reminded_at=utcnow())
                .where((Account.id == account.id) & Account.reminded_at.is_null())
                .execute()
            ):
                notify.sms(account.phone, "password_old", person=account.person_id)
    return len(due)
