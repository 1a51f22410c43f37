"""What a scanned or pasted QR fills on the registration's information step (the page itself is
in test_registration.py): a BHYT card's code and name; a chip CCCD's number, name, date of birth,
sex and address, read into the 2025 units where it can be."""

import datetime as dt

import pytest

from vss.core.errors import UserError
from vss.dossiers import prefill

BHYT = (
    "HC4010123456789|"
    + "Trần Văn Bình".encode().hex()
    + "|01/02/1980|1|"
    + "Công ty X, Hà Nội".encode().hex()
    + "|01 - 065|01/01/2026|31/12/2026|01/01/2026|-|-|-| -|-|$"
)


def cccd(address, issued="10082025", name="Nguyễn Thị Hồng Nhung"):
    """A chip CCCD QR as scanners type it."""
    return f"001199012345|012345678|{name}|01011999|Nữ|{address}|{issued}"


def test_a_bhyt_card_fills_the_code_and_the_name_and_shows_its_address_only(app):
    found = prefill.read_qr(BHYT)
    assert found == {"bhxh_code": "0123456789", "full_name": "Trần Văn Bình", "address": "Công ty X, Hà Nội"}


def test_a_cccd_with_a_2025_address_fills_everything_the_form_asks(app):
    found = prefill.read_qr(cccd("Số 5 ngõ 7, Phường Láng, Thành phố Hà Nội"))
    assert (found["id_number"], found["full_name"]) == ("001199012345", "Nguyễn Thị Hồng Nhung")
    assert (found["birth_date"], found["sex"]) == (dt.date(1999, 1, 1), 2)
    assert (found["province_code"], found["street"], found["address_matched"]) == (1, "Số 5 ngõ 7", True)
    assert found["ward_code"] > 0
    assert str(found["address_note"]) == (
        "Đã điền địa chỉ theo CCCD: Phường Láng, Thành phố Hà Nội. Nếu bạn đang sống ở nơi khác, "
        "hãy sửa địa chỉ liên hệ."
    )


def test_a_cccd_with_an_old_address_fills_the_new_province_and_says_to_pick_the_ward(app):
    found = prefill.read_qr(cccd("Thôn 3, Xã An Thạnh, Huyện Bến Lức, Long An", issued="15062021"))
    assert (found["province_code"], found["ward_code"], found["street"]) == (80, 0, "Thôn 3")
    assert found["address_matched"] is False
    note = str(found["address_note"])
    assert "trước ngày 01/7/2025 (Xã An Thạnh, Huyện Bến Lức)" in note and "Tây Ninh" in note
    assert "chọn phường, xã mới" in note


def test_a_cccd_whose_province_is_not_recognised_fills_no_address(app):
    found = prefill.read_qr(cccd("Somewhere far away"))
    assert "province_code" not in found and "street" not in found
    assert found["address"] == "Somewhere far away" and found["address_matched"] is False
    assert "Không nhận ra tỉnh, thành phố" in str(found["address_note"])


def test_a_cccd_without_an_address_fills_the_rest(app):
    found = prefill.read_qr(cccd(""))
    assert found["id_number"] == "001199012345" and "address_note" not in found


@pytest.mark.parametrize("text", ["rác", "", "001199012345|x", "|" * 20 + "$"])
def test_a_bad_qr_is_refused_on_its_field(app, text):
    with pytest.raises(UserError) as caught:
        prefill.read_qr(text)
    assert caught.value.field == "qr"


def test_what_a_scanner_delivers_is_read_as_the_kiosk_reads_it(app):
    from tests.samples import scans

    # A scanner on a French keyboard, an AIM prefix and the scanner's CR/LF.
    assert prefill.read_qr(scans.typed(BHYT, "fr"))["full_name"] == "Trần Văn Bình"
    found = prefill.read_qr("]Q1079203001234||Trần Minh Quân|02092003|Nam|Ấp 3, Xã Tân Nhựt|25042022\r\n")
    assert (found["id_number"], found["full_name"]) == ("079203001234", "Trần Minh Quân")
    with pytest.raises(UserError) as caught:
        prefill.read_qr(BHYT[:30])
    assert caught.value.field == "qr" and "cắt ngang" in str(caught.value)
