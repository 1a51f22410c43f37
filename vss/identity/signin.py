"""Citizen sign-in (Đăng nhập): the password under the lock, then the step it leads to — one
device at a time (a second device needs a code sent to the registered phone, then the first is
signed out; vss.identity.sessions opens and ends the sessions).

The password lock (vss.identity.lockout) applies to the password path only, and the owner's bound
device keeps its own count: a stranger who types wrong passwords for someone's BHXH code (printed
on every BHYT card) locks out only devices that are not the owner's phone, and the owner can
always get back in with a code sent to the registered phone or email ("Quên mật khẩu"). Every
answer on the way is the same for real and unknown codes."""

import re
import secrets
import time

from flask_babel import lazy_gettext as _l

from vss.core import audit
from vss.core.clock import to_vn
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import lockout, otp, passwords
from vss.identity.accounts import Account
from vss.messages import notify
from vss.registry.registry import Person

SIGNIN, FIRST, RESET, CHANGE = "signin", "first-password", "reset", "change-password"
GENERIC_ERROR = _l(
    "Mã số BHXH (hoặc số CCCD) hoặc mật khẩu không đúng. Sau 5 lần nhập sai, đăng nhập bằng "
    "mật khẩu tạm dừng 15 phút; bạn vẫn có thể dùng “Quên mật khẩu” để nhận mã qua điện thoại."
)
PENDING_SECONDS = 600  # from the password to the code (or the first new password)


def refused():
    """The one sign-in error: it never says which part was wrong, or that a lock is on."""
    return UserError(GENERIC_ERROR, code="signin")


def find_account(username):
    """The account of a BHXH code or of a 12-digit CCCD number, or None."""
    value = re.sub(r"\s", "", username or "")
    if re.fullmatch(r"[0-9]{10}", value):
        return Account.get_or_none(Account.username == value)
    if re.fullmatch(r"[0-9]{12}", value):
        return Account.select().join(Person).where(Person.cccd == value).first()
    return None


def password_matches(account, password, *, device=None, ip=""):
    """Check a password typed for `account` under the lock (sign-in, and every re-entry of the
    password: change, first password, change requests). False when wrong or when no check may
    be made now; the owner is told by SMS when their password path locks."""
    attempt = passwords.attempt(account, password, device=device)
    if attempt.right or attempt.number is None:
        return attempt.right
    with transaction():
        audit.record(
            "account.password_wrong",
            actor_kind="citizen",
            actor_id=account.id,
            obj=account,
            ip=ip,
            detail={"check": attempt.number, "bound_device": lockout.own_device(attempt.counter)},
        )
        # Anyone can cause this SMS (five wrong passwords), so it spends the client's and the
        # service's send budgets like a code does; over budget the owner is not told, the lock holds.
        if attempt.number == lockout.MAX_FAILURES and otp.within_budgets(ip):
            until = getattr(Account.get_by_id(account.id), attempt.counter.until.name)
            notify.sms(
                account.phone,
                "account_locked",
                person=account.person_id,
                until=f"{to_vn(until):%H:%M %d/%m/%Y}",
            )
    return False


def check_password(username, password, *, device=None, ip=""):
    """The account if the password is right; the one sign-in error (UserError, code 'signin')
    for every failure, real account or not, locked or not."""
    account = find_account(username)
    if account is None:
        passwords.same_work(password)
        raise refused()
    if not password_matches(account, password, device=device, ip=ip):
        raise refused()
    return account


def next_step(account, device, shared):
    """After the password: 'first' (must set a new password), 'shared' (code, no binding),
    'in' (the bound device), 'takeover' (another device: warn, then code) or 'unbound'."""
    if account.must_change_password:
        return "first"
    if shared:
        return "shared"
    if account.owns_device(device):
        return "in"
    return "takeover" if account.device_hash else "unbound"


def begin(account, step, shared):
    """A sign-in in progress after the password (for the browser's session): its account, its
    next step, whether on a shared computer, and a nonce that makes its code flow its own."""
    return {
        "account": account.id,
        "step": step,
        "shared": bool(shared),
        "nonce": secrets.token_hex(8),
        "at": time.time(),
    }


def in_progress(state):
    """(state, account) of a sign-in in progress, or (None, None) when absent or stale."""
    if not state or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None, None
    return state, Account.get_or_none(Account.id == state["account"])


def code_flow(state):
    """(purpose, context) of the code a sign-in in progress waits for: its first new password's
    flow once chosen, else the sign-in's own."""
    if state["step"] == "first":
        return FIRST, state.get("flow")
    return SIGNIN, f"signin:{state['account']}:{state['nonce']}"


def send_code(account, purpose, context, *, client, payload=None, by_email=False):
    """A code for this step to the registered phone, or to the registered email when the citizen
    chose it and has one (raises otp.OtpError when it cannot go); either one is accepted."""
    email = by_email and account.email
    otp.issue(
        purpose,
        context,
        account.email if email else account.phone,
        channel=notify.EMAIL if email else notify.SMS,
        person=account.person_id,
        client=client,
        payload=payload,
    )


def resend_code(account, purpose, context, *, client, by_email=False):
    """'Không nhận được mã?': another code for the same flow, confirming the same thing, by SMS
    or by email."""
    send_code(
        account,
        purpose,
        context,
        client=client,
        payload=otp.flow_payload(purpose, context),
        by_email=by_email,
    )


def verify_code(account, purpose, context, code):
    """Accept a sign-in code sent to the registered phone (raises otp.OtpError)."""
    otp.verify(purpose, context, [account.phone, account.email], code)
