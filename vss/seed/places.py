"""The synthetic directory: BHXH offices, health facilities, employers and collection agents.

Offices, facilities and agents are the same for every seed (demo accounts and kiosks can
name them); employers depend on the seed and on the number of people. Rows are plain tuples
in the column order of `COLUMNS`, with explicit ids, ready for `executemany`.
"""

from vss.seed import employers as employer_table
from vss.seed import land, services

COLUMNS = {
    "office": (
        "id",
        "code",
        "name",
        "kind",
        "parent_id",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "latitude",
        "longitude",
    ),
    "facility": (
        "id",
        "code",
        "name",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "level",
        "contracted_bhyt",
        "issues_sick_leave",
    ),
    "employer": (
        "id",
        "code",
        "name",
        "tax_code",
        "province_code",
        "ward_code",
        "street",
        "search_name",
        "owed_months",
    ),
    "collection_agent": (
        "id",
        "code",
        "name",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "collects_voluntary",
        "collects_household",
    ),
}


def build(seed, people):
    """The whole directory for a seed and a people count (pure: no database)."""
    provinces = land.all_provinces()
    wards = [w for p in provinces.values() for w in p.wards]
    offices = services.offices(provinces)
    facilities, central = services.facilities(provinces)
    employers, meta = employer_table.employers(provinces, wards, seed, people)
    rows = {
        "office": offices,
        "facility": facilities,
        "employer": employers,
        "collection_agent": services.agents(provinces),
    }
    return land.Directory(rows, provinces, wards, meta, central)
