"""Kiosks of the province's health facilities (admin role): enrol one (its one-time code is shown
once), rename, revoke, issue a new code. Another province's kiosk is a 404."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from vss.core.errors import UserError
from vss.identity.accounts import StaffUser
from vss.kiosk import kiosks
from vss.views.problems import shown
from vss.views.render import page
from vss.views.staff_auth import staff_required
from vss.web.forms import KioskEnrolForm, KioskRenameForm

bp = Blueprint("kiosk_admin", __name__, url_prefix="/can-bo/quan-tri/kiosk")


def _page(form=None, issued=None):
    return page(
        "staff/kiosks.html",
        block="kiosks",
        form=form or KioskEnrolForm(formdata=None),
        rows=list(kiosks.in_scope(g.staff)),
        issued=issued,
        code_hours=kiosks.CODE_HOURS,
    )


@bp.route("", methods=["GET", "POST"])
@staff_required(StaffUser.ADMIN)
def index():
    """The province's kiosks; a form to enrol one (its enrolment code is shown once)."""
    form = KioskEnrolForm()
    if form.validate_on_submit():
        try:
            kiosk, code = kiosks.enrol(
                g.staff, form.facility_code.data, form.name.data, ip=request.remote_addr
            )
        except UserError as error:
            shown(error, form)
        else:
            return _page(issued=(kiosk, kiosks.shown_code(code)))
    return _page(form)


def _kiosk(kiosk_id):
    kiosk = kiosks.kiosk_for(g.staff, kiosk_id)
    if kiosk is None:
        abort(404)
    return kiosk


@bp.post("/<int:kiosk_id>/doi-ten")
@staff_required(StaffUser.ADMIN)
def rename(kiosk_id):
    """A new name for the kiosk."""
    kiosk, form = _kiosk(kiosk_id), KioskRenameForm()
    if not form.validate():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("kiosk_admin.index"))
    try:
        kiosks.rename(g.staff, kiosk, form.name.data, ip=request.remote_addr)
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã đổi tên kiosk."))
    return redirect(url_for("kiosk_admin.index"))


@bp.post("/<int:kiosk_id>/thu-hoi")
@staff_required(StaffUser.ADMIN)
def revoke(kiosk_id):
    """The kiosk stops working at once, for good."""
    kiosk = _kiosk(kiosk_id)
    try:
        kiosks.revoke(g.staff, kiosk, ip=request.remote_addr)
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã thu hồi kiosk %(name)s.", name=kiosk.name))
    return redirect(url_for("kiosk_admin.index"))


@bp.post("/<int:kiosk_id>/cap-ma")
@staff_required(StaffUser.ADMIN)
def reissue(kiosk_id):
    """A new enrolment code (shown once); the kiosk's old credential stops working."""
    kiosk = _kiosk(kiosk_id)
    try:
        code = kiosks.reissue(g.staff, kiosk, ip=request.remote_addr)
    except UserError as error:
        shown(error)
        return redirect(url_for("kiosk_admin.index"))
    return _page(issued=(kiosk, kiosks.shown_code(code)))
