"""htmx only where a page uses it (vss/web/htmx_use.py, issue 15): on every page a crawl reaches,
the citizen's signed-in pages and the staff workspace, a page that carries an htmx attribute links
the htmx script, and the plain pages (sign-in, the start page) do not pay for it."""

import re

from tests import mailbox
from tests.conftest import html_of
from tests.csrf import csrf
from tests.staff_helpers import make_staff
from tests.staff_helpers import sign_in as staff_sign_in
from tests.test_html_valid import CITIZEN, STAFF, _crawl, site  # noqa: F401 - the fixture
from vss.identity.accounts import Account
from vss.registry.directory import Office
from vss.seed import demo
from vss.web.htmx_use import uses_htmx

ATTRIBUTE = re.compile(r"\bdata-hx-(?!headers\b)[a-z-]+=")
SCRIPT = re.compile(r'<script src="[^"]*/htmx-[0-9.]+[^"]*\.js"')


def _pages(site):  # noqa: F811
    pages = _crawl(site.test_client())
    citizen = site.test_client()
    account = Account.select().order_by(Account.id).first()
    password = {"username": account.username, "password": demo.DEMO_PASSWORD}
    citizen.post("/dang-nhap", data={"csrf_token": csrf(citizen, "/dang-nhap"), **password})
    step = "/dang-nhap/ma-xac-thuc"
    citizen.post(step, data={"csrf_token": csrf(citizen, step), "code": mailbox.last_code(account.phone)})
    pages |= {path: html_of(citizen.get(path)) for path in CITIZEN}
    staff = site.test_client()
    staff_sign_in(staff, make_staff(Office.get(Office.code == "00101"), "kiemtra"))
    pages |= {path: html_of(staff.get(path)) for path in STAFF}
    return pages


def test_htmx_is_linked_exactly_where_a_page_uses_it(site):  # noqa: F811
    pages = _pages(site)
    # A page that uses htmx always has it; one that may (an attribute in a branch not taken, like
    # the news list's "more" while there is one page) may have it too.
    lost = {url for url, html in pages.items() if ATTRIBUTE.search(html) and not SCRIPT.search(html)}
    assert not lost, sorted(lost)
    without = {url for url, html in pages.items() if not SCRIPT.search(html)}
    assert {"/", "/dang-nhap"} <= without  # plain forms and links: no htmx
    assert "/dang-ky" not in without and "/tai-khoan/qua-trinh" not in without


def test_a_use_in_an_imported_or_included_template_counts(app):
    env = app.jinja_env
    assert uses_htmx(env, "components/forms.html")
    assert not uses_htmx(env, "auth/sign_in.html")
    assert uses_htmx(env, "staff/changes.html")  # its layout keeps the session alive with htmx
