"""A citizen's change request up to its filing (vss.requests.changes): the password again, then
a one-time code to a new phone or email proves it is theirs; an address is filed at once."""

import datetime as dt

from flask_babel import lazy_gettext as _l

from vss.core import audit
from vss.core.clock import utcnow
from vss.core.db import serialize, transaction
from vss.core.errors import UserError
from vss.identity import contacts, otp, signin
from vss.messages import notify
from vss.requests import changes

PURPOSE = changes.PURPOSE
ADDRESS, EMAIL = changes.ADDRESS, changes.EMAIL
# How long after the password a code may be sent again without asking for it anew.
FLOW_MINUTES = 30
WRONG_PASSWORD = _l("Mật khẩu không đúng.")
SAME_VALUE = _l("Thông tin mới trùng với thông tin hiện tại.")
FLOW_OVER = _l("Yêu cầu đã quá hạn. Vui lòng gửi lại yêu cầu thay đổi.")


def _context(account, field):
    return f"change:{account.id}:{field}"


def start(account, field, value, password, *, client, device=None, ip=""):
    """The citizen's form. Checks the password and that the new value is new and free; then
    for a phone or an email sends a code to it and returns None (confirm() files the request),
    for an address files the request and returns it. The same request already waiting is
    returned as it is. Raises UserError on the form's field (contacts.ContactTaken and
    otp.OtpError among them)."""
    if not signin.password_matches(account, password, device=device, ip=ip):
        raise UserError(WRONG_PASSWORD, field="password", code="wrong_password")
    if value == changes.current(account, field):
        raise UserError(SAME_VALUE, field="street" if field == ADDRESS else field, code="same")
    waiting = changes.pending(account, field)
    if waiting is not None and waiting.new_value == value:
        return waiting
    if field == ADDRESS:
        return changes.file_change(account, field, value, ip=ip)
    try:
        with transaction():
            contacts.check(account.username, **{field: value})
            _send(account, field, value, client=client)
            audit.record(
                "change_request.code_sent",
                actor_kind="citizen",
                actor_id=account.id,
                actor_label=account.username,
                obj=account,
                ip=ip,
                detail={"field": field},
            )
    except otp.OtpError as error:
        if error.code != "cooldown":  # a repeat of the form: the code sent then is still good
            error.field = field  # on the form's phone or email field
            raise
    return None


def _send(account, field, value, *, client):
    otp.issue(
        PURPOSE,
        _context(account, field),
        value,
        client=client,
        channel=notify.EMAIL if field == EMAIL else notify.SMS,
        person=account.person_id,
    )


def resend(account, field, value, *, client):
    """'Không nhận được mã?': another code to the same new phone or email, for a flow that
    start() opened (after the password) less than FLOW_MINUTES ago."""
    opened = (
        otp.OneTimeCode.select()
        .where(
            (otp.OneTimeCode.purpose == PURPOSE)
            & (otp.OneTimeCode.context == _context(account, field))
            & (otp.OneTimeCode.target == value)
            & (otp.OneTimeCode.created_at > utcnow() - dt.timedelta(minutes=FLOW_MINUTES))
        )
        .exists()
    )
    if not opened:
        raise UserError(FLOW_OVER, code="flow_over")
    _send(account, field, value, client=client)


def confirm(account, field, value, code, *, ip=""):
    """The code sent to the new phone or email: file the request, once (a double submit gets
    the same request). The guess is counted apart from the transaction (otp.check); the code is
    used up in the transaction that files."""
    try:
        match = otp.check(PURPOSE, _context(account, field), value, code)
    except otp.OtpError:
        with transaction():
            serialize(f"change:{account.id}")  # waits for a twin request still filing
            waiting = changes.pending(account, field)
        if waiting is not None and waiting.new_value == value:
            return waiting
        raise
    return changes.file_change(account, field, value, ip=ip, match=match)
