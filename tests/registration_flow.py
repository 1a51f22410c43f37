"""Drive the registration flow with the test client, as a browser without JavaScript would
(or with htmx headers)."""

import io

from PIL import Image

from tests import mailbox
from tests.csrf import csrf as page_token
from tests.factories import in_registry, make_office
from vss.registry.directory import Office

INFO = {
    "bhxh_code": "0123456789",
    "full_name": "Nguyễn Thị Hoa",
    "id_number": "001190012345",
    "province_code": "1",
    "ward_code": "70",
    "street": "Số 5 phố Hàng Bài",
    "phone": "0912 345 678",
    "phone_confirmed": "y",
    "email": "",
}


def offices():
    """Hà Nội's provincial office and one base office."""
    province = Office.get_or_none(Office.code == "001") or make_office()
    base = Office.get_or_none(Office.code == "00101") or make_office(
        code="00101",
        name="BHXH cơ sở Hoàn Kiếm",
        kind=Office.BASE,
        parent=province,
        street="Số 12 Hàng Bài",
        phone="024 3825 1111",
    )
    return province, base


def jpeg(width=1200, height=900, color=(200, 180, 150)):
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=90)
    return out.getvalue()


def csrf(client, url="/dang-ky"):
    """The token of a registration page's form."""
    return page_token(client, url)


class Flow:
    """One applicant's browser."""

    def __init__(self, client, htmx=False):
        self.client = client
        self.headers = {"HX-Request": "true"} if htmx else {}
        self.token = None

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.token = csrf(self.client)
        payload = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=payload, headers=self.headers, **kwargs)

    def start(self):
        return self.post("/dang-ky", {"registrant": "ca_nhan"})

    def info(self, registered=True, **changes):
        """Bước 2; the registry holds the person declared unless `registered` is False."""
        data = {**INFO, **changes}
        if registered:
            in_registry(data["bhxh_code"], data["full_name"], data["id_number"])
        return self.post("/dang-ky/thong-tin", data)

    def photos(self, **files):
        files = files or {"mat_truoc": jpeg(), "mat_sau": jpeg()}
        data = {kind: (io.BytesIO(content), f"{kind}.jpg") for kind, content in files.items()}
        return self.post("/dang-ky/anh", data, content_type="multipart/form-data")

    def office(self, **changes):
        base = offices()[1]
        data = {
            "province_code": "1",
            "office_code": base.code,
            "submission_method": "tai_co_quan",
            "channel": "cong_bhxh",
            "committed": "y",
            **changes,
        }
        return self.post("/dang-ky/co-quan", data)

    def review(self):
        return self.post("/dang-ky/xem-lai")

    def last_code(self, phone="0912345678"):
        return mailbox.last_code(phone)

    def verify(self, code=None):
        return self.post("/dang-ky/xac-thuc", {"code": code or self.last_code()})

    def through_review(self, **info):
        self.start()
        self.info(**info)
        self.photos()
        self.office()
        return self.review()
