"""Staff accounts (admin role): create, deactivate, reset password and TOTP — in one's province."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from vss.core.errors import UserError
from vss.identity import staff_admin as admin
from vss.identity.accounts import StaffUser
from vss.views.problems import shown
from vss.views.render import page
from vss.views.staff_auth import staff_required
from vss.web.forms import StaffCreateForm, choices

bp = Blueprint("staff_admin", __name__, url_prefix="/can-bo/quan-tri")


def _form():
    form = StaffCreateForm()
    form.office_code.choices = choices(
        [("", _("— Chọn —"))] + [(o.code, f"[{o.code}] {o.name}") for o in admin.offices_in_scope(g.staff)]
    )
    return form


@bp.route("", methods=["GET", "POST"])
@staff_required(StaffUser.ADMIN)
def accounts():
    """Staff of the province; a form to add one (the temporary password is shown once)."""
    form = _form()
    created = None
    if form.validate_on_submit():
        try:
            created = admin.create_staff(
                g.staff, form.office_code.data, form.username.data, form.full_name.data, form.role.data
            )
        except UserError as error:
            shown(error, form)
    return page("staff/accounts.html", form=form, rows=list(admin.staff_in_scope(g.staff)), created=created)


def _member(staff_id):
    member = admin.staff_by_id(g.staff, staff_id)
    if member is None:
        abort(404)
    return member


@bp.post("/<int:staff_id>/trang-thai")
@staff_required(StaffUser.ADMIN)
def toggle(staff_id):
    """Deactivate (sessions end now) or reactivate."""
    member = _member(staff_id)
    try:
        admin.set_active(g.staff, member, request.form.get("active") == "1")
    except UserError as error:
        shown(error)
    else:
        flash(_("Đã cập nhật trạng thái tài khoản."))
    return redirect(url_for("staff_admin.accounts"))


@bp.post("/<int:staff_id>/dat-lai")
@staff_required(StaffUser.ADMIN)
def reset(staff_id):
    """New temporary password and TOTP enrolment at the next sign-in."""
    member = _member(staff_id)
    password = admin.reset_credentials(g.staff, member)
    return page(
        "staff/accounts.html",
        form=_form(),
        rows=list(admin.staff_in_scope(g.staff)),
        created=(member, password),
    )
