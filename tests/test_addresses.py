"""Reading an address written as text (a chip CCCD's) into the 2025 province and ward: 2025
addresses get both, pre-reform ones their (merged) province only, anything else says what it
could not match."""

import datetime as dt

import pytest

from vss.registry import addresses, directory
from vss.registry.addresses import MATCHED, OLD_ADDRESS, PROVINCE_UNKNOWN, WARD_UNKNOWN, match_address

BEFORE, AFTER = dt.date(2021, 6, 15), dt.date(2025, 9, 1)


def _ward(province, name):
    return next(code for code, ward in directory.wards(province) if ward == name)


@pytest.mark.parametrize(
    "text, province, ward, street",
    [
        ("Tổ 13, Phường Cầu Giấy, Thành phố Hà Nội", 1, "Phường Cầu Giấy", "Tổ 13"),
        ("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội", 1, "Phường Hoàn Kiếm", "Số 1 Tràng Tiền"),
        # Old and new tone placement, no type word, a hyphen dropped, "Việt Nam" at the end.
        ("Thôn Đông, Xã Ứng Hoà, TP. Hà Nội, Việt Nam", 1, "Xã Ứng Hòa", "Thôn Đông"),
        ("Khu 5, P. Văn Miếu Quốc Tử Giám, Hà Nội", 1, "Phường Văn Miếu - Quốc Tử Giám", "Khu 5"),
        ("12 Lê Lợi, khu phố 3, Phường Sài Gòn, TP HCM", 79, "Phường Sài Gòn", "12 Lê Lợi, khu phố 3"),
        ("Phường Hoàn Kiếm, Hà Nội", 1, "Phường Hoàn Kiếm", ""),
    ],
)
def test_a_2025_address_gets_its_province_ward_and_street(text, province, ward, street):
    match = match_address(text, issued_on=AFTER)
    assert match == addresses.AddressMatch(MATCHED, province, _ward(province, ward), street)


@pytest.mark.parametrize(
    "text, issued_on, province, street, written",
    [
        # Named districts say it is old, whatever the date.
        (
            "Số 5 ngõ 7, Phường Láng Hạ, Quận Đống Đa, Hà Nội",
            None,
            1,
            "Số 5 ngõ 7",
            "Phường Láng Hạ, Quận Đống Đa",
        ),
        ("Thôn 3, Xã Tân Lập, Huyện Đan Phượng, Hà Nội", AFTER, 1, "Thôn 3", "Xã Tân Lập, Huyện Đan Phượng"),
        ("12 Lê Lợi, Phường 1, Quận 3, TP. Hồ Chí Minh", None, 79, "12 Lê Lợi", "Phường 1, Quận 3"),
        # No type words (as CCCDs print it): the issue date before 1/7/2025 says it is old, so
        # "Cầu Giấy" (the old district) is not taken for the 2025 ward of that name.
        ("Tổ 13, Dịch Vọng Hậu, Cầu Giấy, Hà Nội", BEFORE, 1, "Tổ 13", "Dịch Vọng Hậu, Cầu Giấy"),
        # A merged province lies whole in its new one.
        ("Ấp 2, Xã An Thạnh, Huyện Bến Lức, Long An", BEFORE, 80, "Ấp 2", "Xã An Thạnh, Huyện Bến Lức"),
        (
            "Số 9, Phường 7, Thành phố Vũng Tàu, Bà Rịa - Vũng Tàu",
            None,
            79,
            "Số 9",
            "Phường 7, Thành phố Vũng Tàu",
        ),
        ("Thôn Lai Xá, Kim Chung, Hoài Đức, Thừa Thiên Huế", None, 46, "Thôn Lai Xá", "Kim Chung, Hoài Đức"),
        ("Xã Yên Sở, Huyện Hoài Đức, Hà Nội", None, 1, "", "Xã Yên Sở, Huyện Hoài Đức"),
    ],
)
def test_an_old_address_gets_its_new_province_and_street_and_the_ward_as_written(
    text, issued_on, province, street, written
):
    match = match_address(text, issued_on=issued_on)
    assert match == addresses.AddressMatch(OLD_ADDRESS, province, None, street, written)


def test_a_2025_style_ward_not_in_the_province_is_named_back():
    match = match_address("Khu 5, Phường Không Có, Thành phố Hà Nội", issued_on=AFTER)
    assert match == addresses.AddressMatch(WARD_UNKNOWN, 1, None, "Khu 5", "Phường Không Có")
    # A ward of another province is not taken either.
    assert match_address("Phường Sài Gòn, Hà Nội", issued_on=AFTER).status == WARD_UNKNOWN


@pytest.mark.parametrize("text", ["", "   ", "Somewhere, Atlantis", "Ha Noi", ",,,", "Phường Hoàn Kiếm"])
def test_no_province_is_said_so(text):
    assert match_address(text, issued_on=AFTER) == addresses.AddressMatch(PROVINCE_UNKNOWN)


def test_every_province_old_and_new_is_known():
    for code, name, _phone in directory.provinces():
        assert addresses.province_of(name) == (code, False)
    for old, new in addresses.OLD_PROVINCES.items():
        assert addresses.province_of(f"Tỉnh {old}")[1] is True
        assert directory.province_name(addresses.province_of(old)[0]).endswith(new)
    assert len(addresses.OLD_PROVINCES) == 30  # 29 merged away, and Thừa Thiên Huế renamed


def test_every_ward_is_found_by_its_own_name_with_or_without_its_type():
    for province, _name, _phone in directory.provinces():
        for code, name in directory.wards(province):
            assert addresses.ward_of(province, name) == code
            bare = name.removeprefix("Phường ").removeprefix("Xã ").removeprefix("Đặc khu ")
            assert addresses.ward_of(province, bare) == code, name
