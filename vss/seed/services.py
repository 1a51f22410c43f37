"""The directory's fixed tables: BHXH offices, health facilities and collection agents.

They are the same for every seed, so demo accounts and kiosks can name them."""

from vss.registry import directory
from vss.seed import land, medical, words
from vss.seed.rand import rng_for


def offices(provinces):
    """Each provincial BHXH office at the provincial seat, then its base offices (BHXH cơ sở)."""
    rng = rng_for("offices")
    rows = []
    for code, province in provinces.items():
        seat = next((w for w in province.wards if w.prefix == "Phường"), province.wards[0])
        lat, lon = directory.PROVINCE_SEATS[code]
        province.office_name = f"Bảo hiểm xã hội {province.label}"
        parent_id = len(rows) + 1
        # Codes as the BHXH office picker shows them: [001] for a province, [00101] for its base offices.
        rows.append(
            (
                parent_id,
                f"{code:03d}",
                province.office_name,
                "province",
                None,
                code,
                seat.code,
                land.street(rng, seat),
                land.phone(rng, code),
                lat,
                lon,
            )
        )
        count = min(20, max(3, len(province.wards) // 12))
        for n, ward in enumerate(land.spread(province.wards, count), start=1):
            rows.append(
                (
                    len(rows) + 1,
                    f"{code:03d}{n:02d}",
                    f"Bảo hiểm xã hội cơ sở {ward.short}",
                    "base",
                    parent_id,
                    code,
                    ward.code,
                    land.street(rng, ward),
                    land.phone(rng, code),
                    round(lat + rng.uniform(-0.12, 0.12), 5),
                    round(lon + rng.uniform(-0.12, 0.12), 5),
                )
            )
    return rows


def facilities(provinces):
    """Hospitals, district-area health centres, ward health stations and private clinics."""
    rng = rng_for("facilities")
    rows, central = [], []
    for code, province in provinces.items():
        k = len(province.wards)
        number = 0
        plan = [(name, "trung ương", "central", None) for name in medical.CENTRAL_HOSPITALS.get(code, [])]
        plan.append((f"Bệnh viện Đa khoa {province.label}", "tỉnh", "general", None))
        first = code % len(medical.SPECIALIST_HOSPITALS)
        specialists = medical.SPECIALIST_HOSPITALS[first:] + medical.SPECIALIST_HOSPITALS[:first]
        plan += [
            (f"{name} {province.label}", "tỉnh", "specialist", None)
            for name in specialists[: min(8, max(2, k // 20))]
        ]
        plan += [
            (f"Trung tâm Y tế khu vực {w.short}", "cơ sở", "centre", w)
            for w in land.spread(province.wards, min(12, max(3, k // 10)))
        ]
        plan += [
            (f"Trạm Y tế {w.titled}", "cơ sở", "station", w)
            for w in land.spread(province.wards, min(26, max(10, k // 6)), offset=1)
        ]
        trade = rng.sample(words.TRADE_NAMES, min(14, max(3, k // 12)))
        plan += [(f"Phòng khám đa khoa {name}", "cơ sở", "private", None) for name, _ in trade]
        private_number = 0
        for name, level, kind, ward in plan:
            if kind == "private":
                private_number += rng.randint(1, 6)
                facility_code = f"{code:02d}C{private_number:02d}"
            else:
                number += rng.randint(1, 9)
                facility_code = f"{code:02d}{number:03d}"
            ward = ward or province.wards[rng.randrange(k)]
            contracted = kind != "private" or rng.random() < 0.75
            sick_leave = kind in ("central", "general", "specialist", "centre") or (
                kind == "private" and rng.random() < 0.5
            )
            facility_id = len(rows) + 1
            rows.append(
                (
                    facility_id,
                    facility_code,
                    name,
                    code,
                    ward.code,
                    land.street(rng, ward),
                    land.phone(rng, code),
                    level,
                    contracted,
                    sick_leave,
                )
            )
            if not contracted:
                continue
            if kind == "central":
                central.append(facility_id)
            province.primary.append(
                (facility_id, {"station": 3, "centre": 3, "general": 1, "private": 1}.get(kind, 0))
            )
            province.visit.append(
                (
                    facility_id,
                    {
                        "central": 3,
                        "general": 4,
                        "specialist": 1.5,
                        "centre": 3,
                        "station": 1,
                        "private": 1.5,
                    }[kind],
                )
            )
    return rows, central


def agents(provinces):
    """Collection points and agents (điểm thu, đại lý thu): the provincial post office, then in
    every inhabited ward a cultural post office or an agent of the commune, and in some a second
    agent; each with what it collects (voluntary BHXH, household BHYT)."""
    rng = rng_for("agents")
    rows = []
    for code, province in provinces.items():
        serial = {"BD": 0, "DL": 0}
        spots = [(province.wards[0], "province")] + [
            (ward, kind)
            for ward in province.wards
            if ward.weight
            for kind in (("ward", "second") if rng.random() < 0.3 else ("ward",))
        ]
        for ward, kind in spots:
            prefix, name, voluntary, household = _agent(rng, kind, province, ward)
            serial[prefix] += 1
            rows.append(
                (
                    len(rows) + 1,
                    f"{code:02d}{prefix}{serial[prefix]:03d}",
                    name,
                    code,
                    ward.code,
                    land.street(rng, ward),
                    land.phone(rng, code),
                    voluntary,
                    household,
                )
            )
    return rows


def _agent(rng, kind, province, ward):
    """(code prefix, name, collects voluntary BHXH, collects household BHYT)."""
    if kind == "province":
        return "BD", f"Bưu điện {province.label}", True, True
    roll = rng.random()
    if kind == "ward":
        if roll < 0.45:
            return "BD", f"Bưu điện văn hóa {ward.titled}", True, True
        return "DL", f"Đại lý thu Ủy ban nhân dân {ward.titled}", True, True
    if roll < 0.6:  # a second agent in the ward
        return "DL", f"Đại lý thu Hội Liên hiệp Phụ nữ {ward.titled}", rng.random() < 0.5, True
    return "DL", f"Đại lý thu Hợp tác xã Dịch vụ {ward.short}", True, rng.random() < 0.5
