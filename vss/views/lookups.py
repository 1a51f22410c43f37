"""Public look-ups without an account (issue 13): mã số BHXH, đơn vị tham gia BHXH, điểm thu and
đại lý thu. Each is one form and one domain call (vss/registry/codes.py, vss/registry/units.py)."""

from flask import Blueprint
from htmx_flask import request

from vss.core.errors import UserError
from vss.registry import codes, directory, units
from vss.views import args, places
from vss.views.problems import retry_headers, shown, status
from vss.views.render import page
from vss.web.forms import CodeLookupForm, EmployerSearchForm
from vss.web.security import no_store

bp = Blueprint("lookups", __name__)


@bp.route("/tra-cuu/ma-so-bhxh", methods=["GET", "POST"])
@no_store
def bhxh_code():
    """Tra cứu mã số BHXH: name + birth + province (+ CCCD), or the CCCD alone → the code and the
    name masked, or one neutral message. A POST: the facts stay out of URLs, logs and history;
    nothing changes, so no redirect."""
    form = CodeLookupForm()
    form.tinh.choices = places.province_choices()
    found, error, searched, code, headers = None, None, request.method == "POST", 200, {}
    if searched and form.validate():
        try:
            found = codes.find_code(**form.facts(), client=request.remote_addr)
        except UserError as refused:
            error = shown(refused, form)
            code = 200 if request.htmx else status(refused)  # htmx swaps no 4xx answer
            headers = retry_headers(refused)
    answer = page(
        "public/bhxh_code.html",
        block="results",
        form=form,
        found=found,
        error=error,
        searched=searched and not error and not any(form.errors.values()),
    )
    return answer, code, headers


@bp.get("/tra-cuu/don-vi")
def employers():
    """Tra cứu đơn vị tham gia BHXH: by name, tax code or unit code within a province → name,
    address, workers, and whether contributions are paid up (GET: links can be shared)."""
    form = EmployerSearchForm(request.args)
    form.tinh.choices = places.province_choices()
    result, asked = None, bool(request.args)
    if asked and form.validate():
        try:
            result = units.employers(form.tinh.data, form.q.data, args.page_number())
        except UserError as refused:
            shown(refused, form)
    return page(
        "public/employers.html",
        block="results",
        form=form,
        result=result,
        asked=asked,
        query={"tinh": form.tinh.data, "q": form.q.data} if result else {},
    )


@bp.get("/tra-cuu/diem-thu")
def agents():
    """Tra cứu điểm thu, đại lý thu: province → ward (the wards come with the province: without
    JavaScript after 'Xem', with htmx at once) → name, address, phone, what they collect."""
    province = args.province()
    ward = args.integer("phuong", low=1)
    ward = ward if province and directory.ward_province(ward) == province else None
    result = units.agents(province, ward, args.page_number()) if province else None
    return page(
        "public/agents.html",
        block="lookup",
        province=province,
        ward=ward,
        provinces=directory.provinces(),
        wards=directory.wards(province) if province else [],
        result=result,
        query={"tinh": province, "phuong": ward} if ward else {"tinh": province},
    )
