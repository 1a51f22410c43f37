"""Quản lý cá nhân: who is signed in, links to the records, and requests to change the phone,
email or address: the password again, a code to a new phone or email, then staff apply them
(the rules are in vss.requests.changes)."""

import time

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from vss.core.errors import UserError
from vss.core.settings import settings
from vss.identity import passwords, sessions
from vss.requests import change_proof, changes
from vss.views import places
from vss.views.auth import citizen_required, device
from vss.views.problems import shown
from vss.views.record_pages import stored
from vss.views.render import page
from vss.web import record_pages
from vss.web.forms import ChangeRequestForm, CodeForm

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")
FLOW = "change"  # the session's request waiting for its code: {"field", "value", "at"}


def _filed():
    return _("Đã gửi yêu cầu. Cơ quan BHXH sẽ xem xét và thông báo đến cả liên hệ cũ và mới.")


@bp.get("")
@stored
@citizen_required
def home():
    """Mã số BHXH, họ tên, ngày sinh, giấy tờ, điện thoại, địa chỉ; the records; requests."""
    old_password = passwords.is_old(g.account)
    if not old_password:  # the page says so by itself once it is
        record_pages.valid_until(passwords.old_at(g.account))
    return page(
        "account/home.html",
        account=g.account,
        person=g.account.person,
        requests=list(changes.of_account(g.account)),
        old_password=old_password,
        shared=g.citizen_session.shared,
    )


@bp.route("/yeu-cau-thay-doi", methods=["GET", "POST"])
@stored  # its plain GET: the empty form
@citizen_required
def change_request():
    """The request and the password; a new phone or email then gets a code, an address is
    filed at once."""
    form = ChangeRequestForm()
    places.fill_address(form)
    if request.form.get("action") == "province":  # no JavaScript: refresh the ward list only
        return page("account/change_request.html", form=form)
    if form.validate_on_submit() and (value := form.new_value()) is not None:
        field = form.field.data
        try:
            filed = change_proof.start(
                g.account,
                field,
                value,
                form.password.data,
                client=request.remote_addr,
                device=device(),
                ip=request.remote_addr,
            )
        except UserError as error:
            return page("account/change_request.html", form=form, error=shown(error, form))
        else:
            sessions.reauthenticated(g.citizen_session)
            if filed is None:
                session[FLOW] = {"field": field, "value": value, "at": time.time()}
                return redirect(url_for("account.change_code"))
            flash(_filed())
            return redirect(url_for("account.home"))
    return page("account/change_request.html", form=form)


def _flow():
    """The request waiting for its code in this session, or None when absent or stale."""
    state = session.get(FLOW)
    if not state or time.time() - state.get("at", 0) > change_proof.FLOW_MINUTES * 60:
        return None
    return state


@bp.route("/yeu-cau-thay-doi/xac-thuc", methods=["GET", "POST"])
@citizen_required
def change_code():
    """The code sent to the new phone or email; the right one files the request."""
    state = _flow()
    if state is None:
        return redirect(url_for("account.change_request"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            change_proof.confirm(
                g.account, state["field"], state["value"], form.code.data, ip=request.remote_addr
            )
        except UserError as error:
            shown(error, form)
        else:
            session.pop(FLOW, None)
            flash(_filed())
            return redirect(url_for("account.home"))
    return page(
        "account/change_code.html",
        form=form,
        field=state["field"],
        target=state["value"],
        minutes=settings.OTP_LIFETIME_MINUTES,
        resent=request.args.get("gui-lai") == "1",
    )


@bp.post("/yeu-cau-thay-doi/gui-lai")
@citizen_required
def change_resend():
    """Không nhận được mã? Another code to the same new phone or email (after 60 s)."""
    state = _flow()
    if state is None:
        return redirect(url_for("account.change_request"))
    try:
        change_proof.resend(g.account, state["field"], state["value"], client=request.remote_addr)
    except UserError as error:
        shown(error)
        return redirect(url_for("account.change_code"))
    return redirect(url_for("account.change_code", **{"gui-lai": "1"}))
