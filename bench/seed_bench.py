"""Synthetic registry: wall time, rows per table, database size and rows/s of `flask seed`.

    .venv/bin/python bench/seed_bench.py                      # 1,000,000 people, temp SQLite
    .venv/bin/python bench/seed_bench.py --people 100000 --url postgresql://postgres@127.0.0.1/bench

A `--url` database must have an empty registry (or pass --reset to empty it first: it deletes
the directory, the registry and the accounts that refer to them).
"""

import argparse
import datetime as dt
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The date the data describes, fixed so runs are comparable (and identical for one seed).
AS_OF = dt.date(2026, 11, 22)


def _size(database, url, path):
    if path:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    if url.startswith("postgres"):
        return database.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
    return None


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--url", help="database URL (default: a fresh temporary SQLite file)")
    parser.add_argument("--workers", type=int, help="generator processes (default: automatic)")
    parser.add_argument("--reset", action="store_true", help="empty a --url database first")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args()

    from vss.core import db as vdb
    from vss.seed import generator

    folder = None if args.url else tempfile.mkdtemp(prefix="seed-bench-")
    path = Path(folder) / "bench.db" if folder else None
    url = args.url or f"sqlite:///{path}"
    database = vdb.make_database(url)
    vdb.db.initialize(database)
    database.connect()
    vdb.upgrade(database=database)
    if args.reset:
        generator.reset()

    started = time.perf_counter()
    counts = generator.seed(
        people=args.people, seed=args.seed, progress=True, as_of=AS_OF, workers=args.workers
    )
    elapsed = time.perf_counter() - started
    size = _size(database, url, path)
    database.close()

    total = sum(counts.values())
    print(f"\n{args.people:,} people, seed {args.seed}, as of {AS_OF:%d/%m/%Y}")
    print(f"database     {url.split('@')[-1]}")
    print(
        f"machine      {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    print(f"wall time    {elapsed:.1f} s")
    for table, count in counts.items():
        print(f"  {table:<22}{count:>12,}")
    print(f"  {'total':<22}{total:>12,}")
    if size is not None:
        print(f"database     {size / 2**20:,.0f} MiB")
    print(f"throughput   {total / elapsed:,.0f} rows/s, {args.people / elapsed:,.0f} people/s")
    if folder and not args.keep:
        for file in Path(folder).iterdir():
            file.unlink()
        os.rmdir(folder)
    elif folder:
        print(f"kept         {path}")


if __name__ == "__main__":
    main()
