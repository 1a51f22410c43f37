"""Public pages: start page, language switch, look-ups without an account, support."""

from flask import Blueprint, abort, current_app, make_response, redirect, render_template
from htmx_flask import request

from vss.core.errors import UserError
from vss.dossiers import dossiers
from vss.registry import directory
from vss.views import args
from vss.views.problems import retry_headers, shown, status
from vss.views.render import page, safe_next
from vss.web.forms import LookupForm
from vss.web.i18n import LANG_COOKIE
from vss.web.security import no_store

bp = Blueprint("public", __name__)
PAGE_SIZE = 20


@bp.get("/")
def index():
    """Start page: what VSS is and the four ways in."""
    return page("public/index.html")


@bp.get("/ngon-ngu/<lang>")
def set_language(lang):
    """Switch language (a cookie for a year) and go back where the user was."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    response = make_response(redirect(safe_next(request.args.get("next"))))
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    return response


@bp.get("/tra-cuu")
def lookups():
    """Tra cứu: the look-ups open to everyone."""
    return page("public/lookups.html")


@bp.get("/tra-cuu/co-quan-bhxh")
def offices():
    """Tra cứu cơ quan BHXH: provincial office and base offices of a province."""
    province = args.province()
    rows = list(directory.Office.in_province(province)) if province else []
    return page(
        "public/offices.html", block="results", province=province, rows=rows, provinces=directory.provinces()
    )


@bp.get("/tra-cuu/co-so-kcb")
def facilities():
    """Tra cứu CSKCB ký hợp đồng KCB BHYT (and those issuing sick-leave certificates)."""
    province = args.province()
    sick_leave = request.args.get("nghi-viec") == "1"
    number = args.page_number()
    rows, more = [], False
    if province:
        query = directory.Facility.in_province(province, sick_leave=sick_leave)
        rows = list(query.limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE))
        more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    return page(
        "public/facilities.html",
        block="results",
        province=province,
        rows=rows,
        number=number,
        more=more,
        sick_leave=sick_leave,
        provinces=directory.provinces(),
    )


@bp.route("/tra-cuu/ho-so", methods=["GET", "POST"])
@no_store
def dossier_lookup():
    """Tra cứu hồ sơ: number + registered phone → status (and the reason if rejected). A POST,
    so the phone number stays out of URLs, logs and history; nothing changes, so no redirect."""
    form = LookupForm()
    dossier, searched, code, headers = None, request.method == "POST", 200, {}
    if searched and form.validate():
        try:
            dossier = dossiers.lookup(form.so.data, form.dien_thoai.data, client=request.remote_addr)
        except UserError as error:
            shown(error, form)
            code = 200 if request.htmx else status(error)  # htmx swaps no 4xx answer
            headers = retry_headers(error)
    return (
        page(
            "public/dossier_lookup.html",
            block="results",
            form=form,
            dossier=dossier,
            searched=searched and not form.errors,
        ),
        code,
        headers,
    )


@bp.get("/ho-tro")
def support():
    """Hỗ trợ: hotline, email, frequently asked questions."""
    return page("public/support.html")


@bp.get("/sw.js")
def service_worker():
    """The service worker that keeps the card page for offline use (served at the root so its
    scope covers /tai-khoan; never cached long, so updates reach phones), in the reader's
    language (its page for an expired copy)."""
    from flask_babel import get_locale, gettext
    from markupsafe import escape

    from vss.views.card_page import OFFLINE_HEADER

    manifest = current_app.extensions["vss_assets"]
    assets = [
        f"{current_app.static_url_path}/{manifest[name]}"
        for name in ("css/app.css", "js/htmx-2.0.11.min.js", "js/app.js")
    ]
    # The page shown offline for an expired copy: language, title, message, link (HTML-escaped).
    expired = [str(get_locale())] + [
        str(escape(text))
        for text in (
            gettext("Thẻ bảo hiểm y tế"),
            gettext("Bản lưu thẻ trên máy này đã hết hạn. Hãy kết nối mạng và đăng nhập để xem thẻ."),
            gettext("Xem thẻ Bảo hiểm y tế"),
        )
    ]
    # The page any other address gets without a signal when the card is kept here.
    offline = [str(get_locale())] + [
        str(escape(text))
        for text in (
            gettext("Không có kết nối mạng"),
            gettext("Trang này cần kết nối mạng. Thẻ bảo hiểm y tế đã lưu trên máy này vẫn xem được."),
            gettext("Xem thẻ Bảo hiểm y tế"),
        )
    ]
    response = make_response(
        render_template("sw.js", assets=assets, keep_header=OFFLINE_HEADER, expired=expired, offline=offline)
    )
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/the-bhyt/khoa-cong-khai.json")
def card_keys():
    """Public keys for kiosks verifying card QRs offline."""
    from vss.cards import cards

    response = make_response(cards.published_keys())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/the-bhyt/thu-hoi.json")
def card_revocations():
    """The versioned list of revoked card QRs (reissued cards)."""
    from vss.cards import cards

    response = make_response(cards.revocation_list())
    response.headers["Cache-Control"] = "public, max-age=60"  # a revocation reaches kiosks within a minute
    return response


@bp.get("/healthz")
def health():
    """Liveness for load balancers: the database answers."""
    from vss.core.db import db

    db.execute_sql("SELECT 1")
    return {"status": "ok"}
