"""The province and ward lists of the address pickers, built one way for every form (the
registration's Bước 2 and 4, the change of address, the htmx ward list)."""

from flask_babel import gettext as _

from vss.registry import directory
from vss.web.forms import choices


def province_choices():
    """The 34 provinces after a '— Chọn —' placeholder (value 0), as select choices."""
    return choices(
        [(0, _("— Chọn tỉnh, thành phố —"))] + [(code, name) for code, name, _p in directory.provinces()]
    )


def ward_choices(province):
    """The wards of `province` (none for no or an unknown province) after a placeholder."""
    return choices([(0, _("— Chọn phường, xã —"))] + (directory.wards(province) if province else []))


def fill_address(form):
    """Give a form's province_code and ward_code selects their lists (the wards of the
    province it carries)."""
    form.province_code.choices = province_choices()
    if hasattr(form, "ward_code"):
        form.ward_code.choices = ward_choices(form.province_code.data)
