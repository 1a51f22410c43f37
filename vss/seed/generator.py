"""A deterministic synthetic national registry: `flask seed` fills the directory and the registry.

Same seed, people count and `as_of` date → the same rows with the same ids, on SQLite and on
PostgreSQL. People are generated in chunks, each from its own `random.Random` keyed by
(seed, chunk), so the result never depends on timing or on how many processes helped; rows
go in with raw DB-API `executemany` (PostgreSQL: `COPY`), one transaction per chunk, while
worker processes generate the next chunks. Knows nothing of Flask: it writes through the
bound `vss.core.db.db` proxy.
"""

import collections
import contextlib
import functools
import multiprocessing
import operator
import os
import sys
import time

from peewee import Column, Table

from vss.core import clock
from vss.core.db import db
from vss.registry import directory, registry
from vss.registry.registry import Person
from vss.seed import context, employers, people, places, writer

DIRECTORY_TABLES = ("office", "facility", "employer", "collection_agent")
REGISTRY_COLUMNS = {
    "person": (
        "id",
        "bhxh_code",
        "full_name",
        "birth_date",
        "sex",
        "cccd",
        "province_code",
        "ward_code",
        "street",
    ),
    "health_card": (
        "person_id",
        "number",
        "group_code",
        "benefit_level",
        "province_code",
        "facility_id",
        "valid_from",
        "valid_to",
        "five_years_on",
        "issued_on",
        "version",
    ),
    "participation_period": (
        "person_id",
        "scheme",
        "from_month",
        "to_month",
        "employer_id",
        "position",
        "workplace",
        "currency",
        "salary",
        "coefficient",
    ),
    "benefit": ("person_id", "kind", "regime", "from_date", "to_date", "amount", "unit_name"),
    "medical_visit": (
        "person_id",
        "card_number",
        "facility_id",
        "admitted_at",
        "discharged_at",
        "icd10",
        "diagnosis",
        "result",
        "total_cost",
        "fund_paid",
        "patient_paid",
    ),
}
COLUMNS = {**places.COLUMNS, **REGISTRY_COLUMNS}
MODELS = {model._meta.table_name: model for model in (*directory.MODELS, *registry.MODELS)}
# BHXH codes scramble the person's index bijectively in 8 digits.
MAX_PEOPLE = 10**8
# Below this, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 100_000


class SeedError(Exception):
    """The database is not in a state the generator may fill."""


def has_people():
    """True when the registry has at least one person."""
    return Person.select().exists()


def reset():
    """Delete the directory and the registry, and every row that refers to them (FK-safe order).

    Accounts, staff users, devices, dossiers … anything whose foreign keys lead (directly or
    through another such table) to the seeded tables goes first; rows whose reference is NULL
    (an outbox message without a person) stay.
    """
    database = db.obj
    database.connect(reuse_if_open=True)
    targets = set(DIRECTORY_TABLES) | set(REGISTRY_COLUMNS)
    tables = database.get_tables()
    references = {t: [fk for fk in database.get_foreign_keys(t)] for t in tables}
    doomed = set(targets)
    while True:  # the tables that reach a seeded table through foreign keys
        more = {
            t
            for t, fks in references.items()
            if t not in doomed and any(fk.dest_table in doomed for fk in fks)
        }
        if not more:
            break
        doomed |= more
    # Every row that refers to a deleted row is deleted first, so per-row checks are redundant.
    with writer.without_fk_checks(database), database.atomic():
        for name in _children_first(doomed, references):
            table = Table(name).bind(database)
            if name in targets:
                for fk in references[name]:
                    if fk.dest_table == name:  # a tree (office → parent): leaves first
                        table.delete().where(Column(table, fk.column).is_null(False)).execute()
                table.delete().execute()
            else:
                condition = functools.reduce(
                    operator.or_,
                    (
                        Column(table, fk.column).is_null(False)
                        for fk in references[name]
                        if fk.dest_table in doomed
                    ),
                )
                table.delete().where(condition).execute()
        registry.RegistryState.delete().execute()  # the data it dated is gone


def _children_first(tables, references):
    order, placed = [], set()
    while len(order) < len(tables):
        for table in sorted(tables - placed):
            children = {
                t for t in tables - placed - {table} if any(fk.dest_table == table for fk in references[t])
            }
            if not children:
                order.append(table)
                placed.add(table)
                break
        else:
            raise SeedError(f"foreign-key cycle among {sorted(tables - placed)}")
    return order


def seed(people=2000, seed=2025, progress=True, as_of=None, workers=None):
    """Fill an empty directory and registry; returns {table: rows inserted}.

    `as_of` (default: today in Vietnam) is the date the data describes: cards valid this year,
    visits in the three years before. `workers` = processes generating people while this one
    writes (default: none for small seeds; else one fewer than the CPUs, at most two).
    Raises SeedError if the registry already has people or the directory has rows.
    """
    if not 0 <= people <= MAX_PEOPLE:
        raise SeedError(f"people must be 0 … {MAX_PEOPLE:,} (the BHXH codes' 8-digit space)")
    database = db.obj
    database.connect(reuse_if_open=True)
    if has_people():
        raise SeedError("the registry already has people; run reset() first")
    for model in directory.MODELS:
        if model.select().exists():
            raise SeedError(f"the directory already has rows ({model._meta.table_name}); run reset() first")
    as_of = as_of or clock.vn_today()
    chunk = max(context.PEOPLE_PER_CHUNK, -(-people // context.MAX_CHUNKS))
    plan = [(i, start, min(chunk, people - start)) for i, start in enumerate(range(0, people, chunk))]
    if workers is None:
        # The writer is the bottleneck: one generating process keeps it busy, two leave slack.
        workers = min(2, (os.cpu_count() or 1) - 1) if people >= PARALLEL_THRESHOLD else 0
    counts = dict.fromkeys(COLUMNS, 0)
    bar = _Progress(people, progress)
    try:
        with writer.bulk_load(database):
            built = places.build(seed, people)
            out = writer.Writer(database, COLUMNS, MODELS)
            with database.atomic():
                for table, rows in built.rows.items():
                    counts[table] += out.insert(table, rows)
            for rows in _chunks(plan, built, seed, people, as_of, workers):
                with database.atomic():
                    for table, table_rows in rows.items():
                        counts[table] += out.insert(table, table_rows)
                bar.advance(len(rows["person"]))
            with database.atomic():
                employers.tally(database, as_of)
                registry.loaded(as_of)
            out.finish()
    except BaseException:
        bar.close()
        # All or nothing: never leave half a registry behind. If even that fails, the
        # original error is the one worth reporting; seed() will then ask for reset().
        with contextlib.suppress(Exception):
            reset()
        raise
    bar.close()
    return counts


def _chunks(plan, built, seed, people, as_of, workers):
    """Generated chunks in plan order: inline, or from a pool of worker processes."""
    if not workers:
        ctx = context.Context(built, seed, as_of)
        for chunk_index, start, count in plan:
            yield people_rows(ctx, chunk_index, start, count)
        return
    # fork where there is one: spawn would re-run a calling script that lacks a __main__ guard.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
        workers, initializer=_init_worker, initargs=(seed, people, as_of)
    ) as pool:
        # A bounded window of chunks in flight: workers outrun the writer, and an unbounded
        # queue of finished chunks would hold the whole registry in memory.
        pending = collections.deque()
        for task in plan:
            pending.append(pool.apply_async(_work, (task,)))
            if len(pending) > workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_worker_ctx = None


def _init_worker(seed, people, as_of):
    global _worker_ctx
    _worker_ctx = context.Context(places.build(seed, people), seed, as_of)


def _work(task):
    return people_rows(_worker_ctx, *task)


def people_rows(ctx, chunk_index, start, count):
    """One chunk of the registry (see vss.seed.people.generate)."""
    return people.generate(ctx, chunk_index, start, count)


class _Progress:
    """A one-line progress bar on stderr, redrawn when the percentage changes."""

    def __init__(self, total, enabled):
        self.total, self.enabled = max(total, 1), enabled and total > 0
        self.done, self.started, self.shown = 0, time.monotonic(), -1
        self._draw()

    def advance(self, count):
        self.done += count
        self._draw()

    def _draw(self):
        percent = self.done * 100 // self.total
        if not self.enabled or percent == self.shown:
            return
        self.shown = percent
        filled = percent * 30 // 100
        elapsed = time.monotonic() - self.started
        sys.stderr.write(
            f"\rSeeding [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% "
            f"{self.done:,}/{self.total:,} people  {elapsed:.0f}s"
        )
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            self.enabled = False
