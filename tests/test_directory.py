"""The 2025 administrative units and address formatting."""

from vss.registry import directory


def test_34_provinces_and_3321_wards():
    provinces = directory.provinces()
    assert len(provinces) == 34
    assert sum(len(directory.wards(code)) for code, _name, _phone in provinces) == 3321
    assert set(directory.PROVINCE_SEATS) == {code for code, _n, _p in provinces}


def test_ward_lookups():
    assert directory.ward_name(70) == "Phường Hoàn Kiếm"
    assert directory.ward_province(70) == 1
    assert directory.province_name(79) == "Thành phố Hồ Chí Minh"
    assert directory.province_phone_code(1) == 24
    assert directory.ward_name(999999) is None


def test_two_level_address():
    assert (
        directory.format_address("Số 1 Tràng Tiền", 70)
        == "Số 1 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội"
    )
    assert directory.format_address("", 70) == "Phường Hoàn Kiếm, Thành phố Hà Nội"
