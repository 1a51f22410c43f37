"""Bước 2's prefill: what a scanned or pasted QR — a BHYT card's or a chip CCCD's — fills in the
registration's information step, for the applicant to check and complete."""

from flask_babel import lazy_gettext as _l

from vss.cards import cardqr
from vss.core.errors import UserError
from vss.registry import addresses, directory


def read_qr(text):
    """What a scanned or pasted QR carries, keyed as the information step's fields: a BHYT
    card's BHXH code, or a chip CCCD's number (with its date of birth and sex, which Mẫu 01 does
    not ask, for callers that do); the name; `address`, the card's address as written. A chip
    CCCD's address is also read into the 2025 units: `province_code`, `ward_code` (0 when it
    cannot be matched), `street`, and `address_note` saying what was matched and what the person
    must still pick (`address_matched` False then). A QR that cannot be read raises UserError
    on the 'qr' field."""
    try:
        qr = cardqr.parse_any(text)
    except cardqr.QrError as error:
        raise UserError(error.message, field="qr", code=error.code) from None
    if isinstance(qr, cardqr.BhytQr):
        # The address on a BHYT card is sometimes the employer's: shown, never filled in.
        return {"bhxh_code": qr.bhxh_code, "full_name": qr.full_name, "address": qr.address}
    found = {
        "id_number": qr.cccd,
        "full_name": qr.full_name,
        "birth_date": qr.birth_date,
        "sex": qr.sex,
        "address": qr.address,
    }
    if qr.address:
        found.update(_address(addresses.match_address(qr.address, issued_on=qr.issued_on)))
    return found


def address_note(match):
    """What the person is told about an AddressMatch: what was filled in, and what they must
    still pick."""
    names = {
        "ward": directory.ward_name(match.ward_code) or "",
        "province": directory.province_name(match.province_code) or "",
        "old": match.ward_text,
    }
    if match.status == addresses.MATCHED:
        return _l(
            "Đã điền địa chỉ theo CCCD: %(ward)s, %(province)s. Nếu bạn đang sống ở nơi khác, hãy "
            "sửa địa chỉ liên hệ.",
            **names,
        )
    if match.status == addresses.OLD_ADDRESS:
        return _l(
            "Địa chỉ trên CCCD là địa chỉ trước ngày 01/7/2025 (%(old)s). Đã chọn %(province)s; "
            "vui lòng chọn phường, xã mới.",
            **names,
        )
    if match.status == addresses.WARD_UNKNOWN:
        return _l(
            "Không tìm thấy “%(old)s” trong các phường, xã của %(province)s. Vui lòng chọn phường, xã.",
            **names,
        )
    return _l(
        "Không nhận ra tỉnh, thành phố trong địa chỉ trên CCCD. Vui lòng chọn tỉnh, thành phố và phường, xã."
    )


def _address(match):
    """The step's address fields and the note for an AddressMatch."""
    found = {"address_note": address_note(match), "address_matched": match.status == addresses.MATCHED}
    if match.province_code is not None:
        found.update(province_code=match.province_code, ward_code=match.ward_code or 0, street=match.street)
    return found
