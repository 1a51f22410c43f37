"""The staff dossier list with 1,000,000 dossiers: p50/p95 of the first page and of every
filter, for a reviewer (one office) and a supervisor (a province), with the query plans.

    .venv/bin/python bench/staff_list_bench.py [--dossiers 1000000] [--runs 40]
        [--url postgresql://postgres@127.0.0.1:5432/vss_bench]
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import fresh_database  # noqa: E402 - after the path is set

STATUSES = (
    [("cho_tiep_nhan", None)] * 8
    + [("da_tiep_nhan", None)] * 7
    + [("da_duyet", "hop_le")] * 65
    + [("da_duyet", "khong_hop_le")] * 15
    + [("da_xoa", None)] * 5
)


def fill(database, count, seed=1):
    """Offices in three provinces and `count` dossiers spread over two years."""
    from tests.factories import make_office
    from vss.core.db import is_postgres
    from vss.registry.directory import Office

    offices = []
    for province, code in ((1, "001"), (79, "079"), (48, "048")):
        parent = make_office(code, province_code=province, name=f"BHXH {code}")
        offices.append(parent)
        for n in range(1, 21):
            offices.append(
                make_office(
                    f"{code}{n:02d}",
                    province_code=province,
                    kind=Office.BASE,
                    parent=parent,
                    name=f"BHXH cơ sở {code}{n:02d}",
                )
            )
    rng = random.Random(seed)
    start = dt.datetime(2024, 11, 1)
    span = 2 * 365 * 24 * 3600
    columns = (
        "number",
        "office_id",
        "office_province",
        "year",
        "seq",
        "status",
        "evaluation",
        "bhxh_code",
        "full_name",
        "contact_person",
        "id_kind",
        "id_number",
        "province_code",
        "ward_code",
        "street",
        "phone",
        "email",
        "submission_method",
        "channel",
        "ivan_name",
        "pending_bhxh",
        "pending_phone",
        "owner_token_hash",
        "submitted_at",
        "reason",
    )
    marker = "%s" if is_postgres(database) else "?"
    sql = f"INSERT INTO dossier ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"  # noqa: S608 - fixed column names
    seqs = {}
    batch = []
    cursor = database.cursor()
    for n in range(count):
        office = offices[int(rng.random() ** 1.5 * len(offices))]
        status, evaluation = rng.choice(STATUSES)
        submitted = start + dt.timedelta(seconds=n * span // count + rng.randrange(60))
        seq = seqs[office.id] = seqs.get(office.id, 0) + 1
        code, phone = f"{rng.randrange(10**10):010d}", f"09{n:08d}"
        pending = status in ("cho_tiep_nhan", "da_tiep_nhan")
        batch.append(
            (
                f"{seq:05d}.GD/{submitted.year}/{office.code}-{n}",
                office.id,
                office.province_code,
                submitted.year,
                seq,
                status,
                evaluation,
                code,
                "Nguyễn Văn An",
                "Nguyễn Văn An",
                "cccd",
                f"{n:012d}",
                office.province_code,
                70,
                "Số 1 phố Tràng Tiền",
                phone,
                None,
                "tai_co_quan",
                "cong_bhxh",
                "",
                f"{n:010d}" if pending else None,
                phone if pending else None,
                "x" * 64,
                submitted,
                "",
            )
        )
        if len(batch) == 20000:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
    return offices


def timed(runs, func):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--url")
    args = parser.parse_args()

    from vss.core import db as vdb
    from vss.dossiers import review
    from vss.dossiers.dossiers import Dossier
    from vss.identity.accounts import StaffUser

    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/list.db"
    database = fresh_database(url)
    started = time.perf_counter()
    with database.atomic():
        offices = fill(database, args.dossiers)
    if vdb.is_postgres(database):
        database.execute_sql("ANALYZE")
    else:
        database.execute_sql("ANALYZE")
    print(
        f"{'PostgreSQL' if vdb.is_postgres(database) else 'SQLite'}: {args.dossiers:,} dossiers loaded in "
        f"{time.perf_counter() - started:.0f} s"
    )

    reviewer = StaffUser.create(
        office=offices[1], username="r", full_name="r", role="reviewer", password_hash="x"
    )
    supervisor = StaffUser.create(
        office=offices[0], username="s", full_name="s", role="supervisor", password_hash="x"
    )
    sample = Dossier.select().where(Dossier.office == offices[1]).order_by(Dossier.id.desc()).first()
    cases = {
        "first page": {},
        "page 2 (cursor)": "cursor",
        "Tình trạng: chờ tiếp nhận": {"status": "cho_tiep_nhan"},
        "Tình trạng: đã tiếp nhận": {"status": "da_tiep_nhan"},
        "Tình trạng: đã duyệt": {"status": "da_duyet"},
        "Tình trạng: đã xoá": {"status": "da_xoa"},
        "Trạng thái: hợp lệ": {"evaluation": "hop_le"},
        "Trạng thái: không hợp lệ": {"evaluation": "khong_hop_le"},
        "từ ngày / đến ngày (a week)": {"date_from": dt.date(2025, 6, 1), "date_to": dt.date(2025, 6, 7)},
        "Số hồ sơ": {"number": sample.number},
        "Mã số BHXH": {"bhxh_code": sample.bhxh_code},
    }
    print(f"{'case':34} {'reviewer p50/p95 ms':>22} {'supervisor p50/p95 ms':>24}")
    worst = 0
    for name, filters in cases.items():
        cells = []
        for staff in (reviewer, supervisor):
            if filters == "cursor":
                _, cursor = review.search(staff)
                p50, p95 = timed(args.runs, lambda s=staff, c=cursor: review.search(s, before=c))
            else:
                p50, p95 = timed(args.runs, lambda s=staff, f=filters: review.search(s, **f))
            worst = max(worst, p95)
            cells.append(f"{p50:6.1f} / {p95:6.1f}")
        print(f"{name:34} {cells[0]:>22} {cells[1]:>24}")
    print(f"worst p95: {worst:.1f} ms ({'within' if worst <= 50 else 'OVER'} the 50 ms budget)")
    print("\nQuery plans (supervisor, first page and 'đã xoá'):")
    for filters in ({}, {"status": "da_xoa"}):
        where = review.scoped(supervisor)
        if filters:
            where &= Dossier.status == filters["status"]
        query = (
            Dossier.select().where(where).order_by(Dossier.submitted_at.desc(), Dossier.id.desc()).limit(51)
        )
        sql, params = query.sql()
        explain = "EXPLAIN " if vdb.is_postgres(database) else "EXPLAIN QUERY PLAN "
        for row in database.execute_sql(explain + sql, params).fetchall():
            print("  ", row[-1] if not vdb.is_postgres(database) else row[0])


if __name__ == "__main__":
    main()
