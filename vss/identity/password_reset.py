"""Quên mật khẩu: BHXH code + the registered phone or email → a code there → a new password.

Nothing tells a stranger whether a BHXH code has an account or which contact it has:
- asking always gets the same answer at once; the look-up and the send happen in a background
  job (`send_reset_code`), so the answer's timing does not depend on a match either;
- the reset step judges the code first, the same way for unknown accounts, with one message for
  every wrong case, and only then looks at the new password (whose rules name personal facts);
- the flow belongs to the browser that asked (a nonce in its session): a stranger's guesses
  never spend the attempts of the owner's code.
Budgets are per client (IP) only: a budget per account would let anyone who knows a BHXH code
keep its owner from resetting."""

import re
import secrets
import time

from vss.core import jobs, limits, validators
from vss.core.db import transaction
from vss.core.errors import UserError
from vss.identity import otp, password_change, passwords, signin
from vss.identity.accounts import Account
from vss.messages import notify

RESET = signin.RESET
ASKS = limits.Budget("reset-ask", 10, 3600, limits.TOO_MANY_TRIES)
TRIES = limits.Budget("reset-try", 20, 3600, limits.TOO_MANY_TRIES)
FLOW_SECONDS = 1800  # how long after asking the browser may give the code and the new password


def _contact(raw):
    """A typed phone (any common form) or email, as stored."""
    raw = (raw or "").strip()
    if "@" in raw:
        return raw.lower()
    try:
        return validators.mobile_phone(raw)
    except validators.Invalid:
        return raw


def reset_target(bhxh_code, contact):
    """(account, target) when the code and the registered phone or email match, else (None, None)."""
    code = re.sub(r"\s", "", bhxh_code or "")
    account = Account.get_or_none(Account.username == code) if re.fullmatch(r"[0-9]{10}", code) else None
    contact = _contact(contact)
    if account is not None and contact and contact in (account.phone, (account.email or "").lower()):
        return account, contact
    return None, None


def _context(account, nonce):
    return f"reset:{account.id if account else 0}:{nonce}"


def ask(bhxh_code, contact, *, client):
    """Count the request against the client's budget (UserError when spent), queue the job that
    sends the code if the facts match, and return the flow for the asking browser to keep (the
    facts it typed and a nonce of its own: nobody else's guesses spend its code's attempts)."""
    limits.spend(ASKS, client)
    nonce = secrets.token_hex(8)
    send_reset_code(bhxh_code, contact, nonce, client=client)
    return {"code": bhxh_code, "contact": contact, "nonce": nonce, "at": time.time()}


def open_flow(flow):
    """The flow a browser kept, while it may still be finished (FLOW_SECONDS), else None."""
    if not flow or not flow.get("nonce") or time.time() - flow.get("at", 0) > FLOW_SECONDS:
        return None
    return flow


@jobs.task()
def send_reset_code(bhxh_code, contact, nonce, *, client):
    """The job: a reset code to the registered phone or email the person typed, if they match
    an account; nothing otherwise. The code's HMAC key is read by otp, in the worker: job
    arguments sit in the queue (a file or Redis), where no key may be."""
    account, target = reset_target(bhxh_code, contact)
    if account is None:
        return False
    channel = notify.EMAIL if "@" in target else notify.SMS
    try:
        otp.issue(
            RESET,
            _context(account, nonce),
            target,
            channel=channel,
            person=account.person_id,
            client=client,
        )
    except otp.OtpError:
        return False  # cool-down or a spent budget: an earlier code still works, if any
    return True


def reset_password(flow, code, password, *, client):
    """The reset step of a flow `ask` opened: a right code and an acceptable password set the
    password and end every session and lock. Raises UserError (field 'code' or 'new')."""
    bhxh_code, contact, nonce = flow["code"], flow["contact"], flow["nonce"]
    try:
        limits.spend(TRIES, client)
    except UserError as spent:
        spent.field = "code"  # shown by the code, like every refusal of this step
        raise
    account, _ = reset_target(bhxh_code, contact)
    targets = [account.phone, account.email] if account else ["-", "-"]
    try:
        match = otp.check(RESET, _context(account, nonce), targets, code, explain=False)
    except otp.OtpError as error:
        raise otp.OtpError(
            error.message if error.code == "format" else otp.WRONG_OR_EXPIRED, field="code", code=error.code
        ) from None
    problem = passwords.problem(account, password)
    if problem:
        raise UserError(problem, field="new", code="weak")
    with transaction():
        if not otp.consume(match):
            raise otp.used()
        password_change.set_password(account, passwords.hash_password(password), "account.reset")
    return account
