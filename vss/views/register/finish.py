"""The end of the registration: Bước 5 'Ghi nhận' sends the code, Bước 6 checks it and opens the
dossier, Bước 7 shows it and its Mẫu 01; and cancelling one's own pending dossier to start again."""

from flask import abort, g, make_response, redirect, request, url_for

from vss.core.errors import UserError
from vss.dossiers import drafts, mau01
from vss.dossiers import registration as reg
from vss.views.register.base import COOKIE, bp, cookie_draft, goto, render, step_view
from vss.web.forms import CodeForm
from vss.web.security import no_store


@bp.route("/xem-lai", methods=["GET", "POST"])
@step_view("xem-lai")
def review():
    """Bước 5: everything on one page with "Sửa" links; "Ghi nhận" sends the code."""
    error = None
    if request.method == "POST":
        try:
            reg.send_code(g.draft, client=request.remote_addr)
        except UserError as problem:
            error = problem.message  # no form here: the page shows it above the summary
        else:
            return goto("xac-thuc")
    return render("register/review.html", error=error, **drafts.summary(g.draft))


def _on_code(form, error):
    """A refusal on a page with one code field is shown on it, whatever field it names (a phone
    taken meanwhile, a cool-down): the page has nowhere else to show it."""
    form.code.errors = [error.message]
    return form


def _code_page(form, resent=False):
    return render(
        "register/verify.html", form=form, info=g.draft.info, minutes=reg.code_minutes(), resent=resent
    )


@bp.route("/xac-thuc", methods=["GET", "POST"])
@step_view("xac-thuc")
def verify():
    """Bước 6: the one-time code; a correct code creates the dossier (once)."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            reg.submit(g.draft, form.code.data, token=request.cookies.get(COOKIE))
        except UserError as error:
            _on_code(form, error)
        else:
            return redirect(url_for("register.done"))
    return _code_page(form, resent=request.args.get("gui-lai") == "1")


@bp.post("/xac-thuc/gui-lai")
@step_view("xac-thuc")
def resend():
    """Không nhận được mã? Send another (after 60 s; at most 5 an hour)."""
    try:
        reg.resend_code(g.draft, client=request.remote_addr)
    except UserError as error:
        return _code_page(_on_code(CodeForm(), error))
    return redirect(url_for("register.verify", **{"gui-lai": "1"}))


def _own_dossier():
    dossier = reg.dossier_of(cookie_draft())
    if dossier is None:
        abort(404)
    return dossier


@bp.get("/hoan-tat")
@no_store
def done():
    """Bước 7: the dossier number, what to do next, the Mẫu 01 PDF."""
    dossier = _own_dossier()
    return render(
        "register/done.html",
        dossier=dossier,
        office=dossier.office,
        emailed=reg.form_emailed(dossier),
    )


@bp.get("/hoan-tat/mau-01.pdf")
@no_store
def pdf():
    """The printable Mẫu 01 (rendered once, then served from the database)."""
    dossier = _own_dossier()
    if dossier.status == reg.DELETED:
        abort(404)
    response = make_response(mau01.pdf_for(dossier))
    response.mimetype = "application/pdf"
    filename = f"mau-01-{dossier.number.replace('/', '-')}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/huy-ho-so", methods=["GET", "POST"])
@step_view("thong-tin")
def cancel_pending():
    """Cancel one's own pending dossier (code sent to its phone), then start again."""
    draft = g.draft
    dossier = reg.pending_of(draft)
    if dossier is None:
        return goto("thong-tin")
    form = CodeForm()
    sent = request.args.get("da-gui") == "1"
    if request.method == "POST" and request.form.get("action") == "send":
        try:
            reg.send_cancel_code(draft, dossier, client=request.remote_addr)
        except UserError as error:
            _on_code(form, error)
        else:
            return redirect(url_for("register.cancel_pending", **{"da-gui": "1"}))
    elif form.validate_on_submit():
        try:
            reg.cancel_pending(draft, dossier, form.code.data)
        except UserError as error:
            _on_code(form, error)
            sent = True
        else:
            return goto("thong-tin")
    return render("register/cancel.html", form=form, dossier=dossier, sent=sent)
