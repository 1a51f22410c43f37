"""Facilities, admins and enrolled kiosks for the kiosk tests."""

import uuid

from tests.csrf import csrf
from tests.factories import make_card, make_person
from tests.staff_helpers import make_staff, offices
from vss.identity.accounts import StaffUser
from vss.kiosk import kiosks
from vss.registry.directory import Facility

ENROL = "/kiosk/ghi-danh"
CHECK_IN = "/kiosk/tiep-nhan"


def facilities():
    """Two contracted facilities in Hà Nội, one not contracted there, one in Hồ Chí Minh City."""
    return {
        "01065": Facility.create(
            code="01065", name="Trạm Y tế phường Hoàn Kiếm", province_code=1, ward_code=70, level="cơ sở"
        ),
        "01001": Facility.create(
            code="01001", name="Bệnh viện Bạch Mai", province_code=1, level="trung ương"
        ),
        "01C54": Facility.create(
            code="01C54", name="Phòng khám tư Hàng Bài", province_code=1, level="cơ sở", contracted_bhyt=False
        ),
        "79024": Facility.create(code="79024", name="Bệnh viện Quận 1", province_code=79, level="tỉnh"),
    }


def world():
    """Offices, facilities and an admin in Hà Nội (001) and in Hồ Chí Minh City (079)."""
    places = offices()
    return {
        "places": places,
        "facilities": facilities(),
        "admin": make_staff(places["001"], "quantri", role=StaffUser.ADMIN),
        "far_admin": make_staff(places["079"], "quantrihcm", role=StaffUser.ADMIN),
    }


def enrol_in(client, code):
    """The kiosk's browser enters `code` at the enrolment page."""
    return client.post(ENROL, data={"csrf_token": csrf(client, ENROL), "code": code})


def enrolled_kiosk(client, admin, facility="01065", name="Quầy 1"):
    """A kiosk enrolled by `admin`, its credential in `client`'s cookie; returns the kiosk."""
    kiosk, code = kiosks.enrol(admin, facility, name)
    response = enrol_in(client, kiosks.shown_code(code))
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk", response.get_data()
    return kiosks.Kiosk.get_by_id(kiosk.id)


def holder(bhxh_code="0198765432"):
    """A person with a BHYT card (DN, level 4); returns the card."""
    return make_card(make_person(bhxh_code=bhxh_code, cccd=f"00119{bhxh_code[-7:]}"))


def key():
    return str(uuid.uuid4())
