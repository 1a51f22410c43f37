"""Valid HTML and one h1 (issue 15): every page a crawl from the start page reaches, the citizen's signed-in
pages, the staff workspace and the forms' error states pass the Nu HTML Checker (vnu) with no
error. vnu runs once over all the pages (the JVM starts once).

vnu comes from npm's vnu-jar (Java 11+): `.ci/run` puts it in .cache/vnu/vnu.jar; VSS_VNU_JAR
names another. Without Java or the jar the test is skipped locally, like the browser tests."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import mailbox
from tests.conftest import html_of
from tests.csrf import csrf
from tests.staff_helpers import make_staff
from tests.staff_helpers import sign_in as staff_sign_in
from tests.test_crawl import _is_local, _Links
from vss.identity.accounts import Account, StaffUser
from vss.registry.directory import Office
from vss.seed import demo, generator

ROOT = Path(__file__).resolve().parent.parent
JAR = Path(os.environ.get("VSS_VNU_JAR") or ROOT / ".cache" / "vnu" / "vnu.jar")

pytestmark = pytest.mark.skipif(
    not (shutil.which("java") and JAR.exists()),
    reason="vnu (npm vnu-jar) and Java are not here (CI has them)",
)
CITIZEN = [
    "/tai-khoan",
    "/tai-khoan/the-bhyt",
    "/tai-khoan/the-bhyt/xem",
    "/tai-khoan/qua-trinh",
    "/tai-khoan/thong-tin-huong",
    "/tai-khoan/kham-chua-benh",
    "/tai-khoan/thong-bao",
    "/tai-khoan/yeu-cau-thay-doi",
    "/tai-khoan/doi-mat-khau",
]
STAFF = ["/can-bo/ho-so", "/can-bo/thay-doi", "/can-bo/phan-anh"]
ADMIN = ["/can-bo/quan-tri/tai-khoan", "/can-bo/quan-tri/kiosk"]
EMPTY_POSTS = ["/dang-nhap", "/tra-cuu/ma-so-bhxh", "/tra-cuu/ho-so", "/phan-anh-kien-nghi", "/quen-mat-khau"]


def _crawl(client, limit=120):
    """Public pages reached from the start page (one of each path), as {url: html}."""
    queue, seen, pages = ["/"], set(), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = url.split("?")[0]
        if path in seen or "/ngon-ngu/" in url or url.startswith("/dev/"):
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(response.headers["Location"])
            continue
        if response.mimetype != "text/html":
            continue
        pages[url] = html_of(response)
        parser = _Links()
        parser.feed(pages[url])
        queue += [urljoin(url, link) for link in parser.links if _is_local(link) and not link.startswith("#")]
    return pages


@pytest.fixture
def site(app):
    generator.seed(people=60, seed=3, progress=False)
    demo.create_demo_users()
    demo.create_demo_work()
    return app


def test_every_page_is_valid_html(site, tmp_path):
    pages = _crawl(site.test_client())
    anonymous = site.test_client()
    for path in EMPTY_POSTS:  # each form's error state
        pages[f"POST {path}"] = html_of(anonymous.post(path, data={"csrf_token": csrf(anonymous, path)}))
    citizen = site.test_client()
    account = Account.select().order_by(Account.id).first()
    token = csrf(citizen, "/dang-nhap")
    data = {"csrf_token": token, "username": account.username, "password": demo.DEMO_PASSWORD}
    assert citizen.post("/dang-nhap", data=data).headers["Location"] == "/dang-nhap/ma-xac-thuc"
    pages["/dang-nhap/ma-xac-thuc"] = html_of(citizen.get("/dang-nhap/ma-xac-thuc"))
    token = csrf(citizen, "/dang-nhap/ma-xac-thuc")
    code = mailbox.last_code(account.phone)
    assert citizen.post("/dang-nhap/ma-xac-thuc", data={"csrf_token": token, "code": code}).status_code == 302
    for path in CITIZEN:
        pages[path] = html_of(citizen.get(path))
    base, province = Office.get(Office.code == "00101"), Office.get(Office.code == "001")
    for who, paths in (
        (make_staff(base, "kiemtra"), STAFF),
        (make_staff(province, "kiemtraqt", role=StaffUser.ADMIN), ADMIN),
    ):
        staff = site.test_client()
        staff_sign_in(staff, who)
        for path in paths:
            pages[path] = html_of(staff.get(path))
    files = []
    for n, (url, html) in enumerate(pages.items()):
        assert "<!doctype html>" in html.lower()[:40], url
        assert html.count("<h1") == 1, (url, html.count("<h1"))  # one h1 on every page
        path = tmp_path / f"{n:03d}.html"
        path.write_text(html)
        files.append((str(path), url))
    result = subprocess.run(
        ["java", "-jar", str(JAR), "--errors-only", "--format", "json", *[f for f, _ in files]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    names = dict(files)
    errors = [
        f"{names.get(m['url'].removeprefix('file:'), m['url'])} line {m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stderr or "{}").get("messages", [])
        if m.get("type") == "error"
    ]
    print(f"vnu: {len(files)} pages")
    assert not errors, "\n".join(errors)
