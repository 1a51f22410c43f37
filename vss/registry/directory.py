"""Directory: the 2025 administrative units, BHXH offices, facilities (CSKCB), employers, agents."""

import functools

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)
from vietnam_provinces import Province, Ward

from vss.core.db import BaseModel
from vss.registry.names import fold

# Seat of each provincial government after the 2025 merger (approximate city centre):
# where the provincial BHXH office is put on the map.
PROVINCE_SEATS = {
    1: (21.0285, 105.8542),
    4: (22.6657, 106.2570),
    8: (21.8236, 105.2140),
    11: (21.3860, 103.0230),
    12: (22.3964, 103.4582),
    14: (21.3256, 103.9188),
    15: (21.7229, 104.9113),
    19: (21.5942, 105.8482),
    20: (21.8537, 106.7610),
    22: (20.9517, 107.0800),
    24: (21.2731, 106.1946),
    25: (21.3227, 105.4019),
    31: (20.8449, 106.6881),
    33: (20.6464, 106.0511),
    37: (20.2506, 105.9745),
    38: (19.8067, 105.7852),
    40: (18.6796, 105.6813),
    42: (18.3428, 105.9057),
    44: (17.4689, 106.6223),
    46: (16.4637, 107.5909),
    48: (16.0544, 108.2022),
    51: (15.1214, 108.8044),
    52: (13.7820, 109.2196),
    56: (12.2388, 109.1967),
    66: (12.6667, 108.0500),
    68: (11.9404, 108.4583),
    75: (10.9574, 106.8429),
    79: (10.7769, 106.7009),
    80: (10.5359, 106.4137),
    82: (10.3600, 106.3600),
    86: (10.2537, 105.9722),
    91: (10.0125, 105.0809),
    92: (10.0452, 105.7469),
    96: (9.1769, 105.1524),
}


# --- administrative units (reference data from vietnam-provinces) --------------------------


@functools.cache
def provinces():
    """The 34 provinces as [(code, name, phone_code)], in code order."""
    return [(int(p.code), p.name, p.phone_code) for p in Province.iter_all()]


@functools.cache
def _province_index():
    return {code: (name, phone) for code, name, phone in provinces()}


@functools.cache
def wards(province_code):
    """The wards of a province as [(code, name)], in code order ([] for an unknown code)."""
    if province_name(province_code) is None:
        return []
    return [(int(w.code), w.name) for w in Ward.iter_by_province(Province.from_code(province_code).code)]


@functools.cache
def _ward_index():
    return {int(w.code): (w.name, int(w.province_code)) for w in Ward.iter_all()}


def province_name(code):
    """Name of a province code, or None."""
    entry = _province_index().get(code)
    return entry[0] if entry else None


def province_phone_code(code):
    """Telephone area code of a province, e.g. 24 for Hà Nội."""
    return _province_index()[code][1]


def ward_name(code):
    """Name of a ward code, or None."""
    entry = _ward_index().get(code)
    return entry[0] if entry else None


def ward_province(code):
    """Province code of a ward code, or None."""
    entry = _ward_index().get(code)
    return entry[1] if entry else None


def format_address(street, ward_code):
    """'street, ward, province' as printed on forms (the 2025 two-level address)."""
    ward = ward_name(ward_code)
    province = province_name(ward_province(ward_code)) if ward else None
    return ", ".join(part for part in (street, ward, province) if part)


# --- models -------------------------------------------------------------------------------


class Office(BaseModel):
    """A BHXH office: a provincial office (parent None) or one of its base offices (BHXH cơ sở)."""

    PROVINCE, BASE = "province", "base"

    code = CharField(max_length=5, unique=True)
    name = TextField()
    kind = CharField(max_length=8)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    province_code = SmallIntegerField(index=True)
    ward_code = IntegerField(null=True)
    street = TextField(default="")
    phone = CharField(max_length=20)
    latitude = DoubleField()
    longitude = DoubleField()

    @property
    def address(self):
        return format_address(self.street, self.ward_code)

    @property
    def map_url(self):
        """The office on OpenStreetMap (a link: no tile is fetched by our pages)."""
        lat, lon = f"{self.latitude:.5f}", f"{self.longitude:.5f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    @classmethod
    def provincial(cls):
        """The 34 provincial offices, by province code."""
        return cls.select().where(cls.kind == cls.PROVINCE).order_by(cls.province_code)

    @classmethod
    def in_province(cls, province_code):
        """The provincial office first, then its base offices by code."""
        return cls.select().where(cls.province_code == province_code).order_by(cls.kind.desc(), cls.code)


class Facility(BaseModel):
    """A health facility (CSKCB). Code: 2-digit province + 3 characters, printed 'PP - FFF'."""

    code = CharField(max_length=5, unique=True)
    name = TextField()
    province_code = SmallIntegerField(index=True)
    ward_code = IntegerField(null=True)
    street = TextField(default="")
    phone = CharField(max_length=20, default="")
    level = CharField(max_length=16)  # trung ương / tỉnh / cơ sở
    contracted_bhyt = BooleanField(default=True)
    issues_sick_leave = BooleanField(default=False)

    @property
    def address(self):
        return format_address(self.street, self.ward_code)

    @classmethod
    def in_province(cls, province_code, sick_leave=False):
        """Contracted facilities of a province (or those issuing sick-leave certificates)."""
        where = (cls.province_code == province_code) & (cls.contracted_bhyt == True)  # noqa: E712
        if sick_leave:
            where = (cls.province_code == province_code) & (cls.issues_sick_leave == True)  # noqa: E712
        return cls.select().where(where).order_by(cls.code)

    @property
    def printed_code(self):
        """'01 - 065', as printed on the BHYT card."""
        return f"{self.code[:2]} - {self.code[2:]}"


class Employer(BaseModel):
    """An employer (đơn vị tham gia BHXH), with what workers may watch of it (seed 003): how many
    contribute through it, and whether its contributions are paid up."""

    code = CharField(max_length=10, unique=True)
    name = TextField()
    tax_code = CharField(max_length=14, default="", index=True)
    province_code = SmallIntegerField(index=True)
    ward_code = IntegerField(null=True)
    street = TextField(default="")
    search_name = TextField(default="")  # the name folded (names.fold), what a name search reads
    workers = IntegerField(default=0)  # people contributing through it at `status_on`
    owed_months = SmallIntegerField(default=0)  # months of contributions unpaid; 0: paid up
    owed_amount = BigIntegerField(default=0)  # đồng owed
    status_on = DateField(null=True)  # the day the figures describe

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        return super().save(*args, **kwargs)

    @property
    def address(self):
        return format_address(self.street, self.ward_code)

    @property
    def paid_up(self):
        """No month of contributions owed."""
        return self.owed_months == 0


class CollectionAgent(BaseModel):
    """A collection point or agent (điểm thu, đại lý thu) and what it collects: voluntary BHXH
    (BHXH tự nguyện) and household BHYT (BHYT hộ gia đình)."""

    code = CharField(max_length=10, unique=True)
    name = TextField()
    province_code = SmallIntegerField(index=True)
    ward_code = IntegerField(null=True, index=True)
    street = TextField(default="")
    phone = CharField(max_length=20, default="")
    collects_voluntary = BooleanField(default=True)
    collects_household = BooleanField(default=True)

    @property
    def address(self):
        return format_address(self.street, self.ward_code)


MODELS = [Office, Facility, Employer, CollectionAgent]
