"""Drive the assisted registration desk with the test client, as a tablet without JavaScript
would (or with htmx headers): a signed-in member of staff, one sitting at a time."""

import io

from tests import mailbox
from tests.csrf import csrf
from tests.factories import in_registry
from tests.registration_flow import INFO, jpeg

DESK = "/can-bo/ban-dang-ky"
# The citizen's Mẫu 01 fields at the desk: the citizen form's, without the "my phone" box.
DESK_INFO = {name: value for name, value in INFO.items() if name != "phone_confirmed"}
IDENTITY = {"document": "cccd", "number_matches": "y", "face_matches": "y"}


class Desk:
    """One staff member's tablet, one sitting (`draft_id`) at a time."""

    def __init__(self, client, htmx=False):
        self.client = client
        self.headers = {"HX-Request": "true"} if htmx else {}
        self.token = None
        self.draft_id = None

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.token = csrf(self.client, DESK)
        payload = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=payload, headers=self.headers, **kwargs)

    def url(self, step, draft_id=None):
        return f"{DESK}/{draft_id or self.draft_id}/{step}"

    def start(self):
        response = self.post(DESK)
        self.draft_id = int(response.headers["Location"].split("/")[3])
        return response

    def info(self, registered=True, **changes):
        """Bước 2; the registry holds the person declared unless `registered` is False."""
        data = {**DESK_INFO, **changes}
        if registered:
            in_registry(data["bhxh_code"], data["full_name"], data["id_number"])
        return self.post(self.url("thong-tin"), data)

    def photos(self, **files):
        files = files or {"chan_dung": jpeg(), "mat_truoc": jpeg(), "mat_sau": jpeg()}
        data = {name: (io.BytesIO(content), f"{name}.jpg") for name, content in files.items()}
        return self.post(self.url("anh"), data, content_type="multipart/form-data")

    def identity(self, **changes):
        return self.post(self.url("xac-minh"), {**IDENTITY, **changes})

    def review(self):
        return self.post(self.url("xem-lai"))

    def last_code(self, phone="0912345678"):
        return mailbox.last_code(phone)

    def verify(self, code=None):
        return self.post(self.url("xac-thuc"), {"code": code or self.last_code()})

    def through_review(self, **info):
        """A new sitting up to the code sent to the citizen's phone."""
        self.start()
        for response in (self.info(**info), self.photos(), self.identity(), self.review()):
            assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return response

    def sitting(self, **info):
        """A whole sitting: the dossier is opened, received. Returns the done page's URL."""
        self.through_review(**info)
        response = self.verify(self.last_code(info.get("phone", "0912345678").replace(" ", "")))
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return response.headers["Location"]
