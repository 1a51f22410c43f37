"""Command-line: `flask db …`, `flask seed`, `flask worker`, `flask maintenance`."""

import click
from flask.cli import AppGroup, with_appcontext

from vss.core import db as database

QUEUE_POLL_SECONDS = 2.0

db_cli = AppGroup("db", help="Database migrations (migrations/, playhouse.migrations).")


@db_cli.command("upgrade")
@click.argument("target", required=False)
def db_upgrade(target):
    """Apply pending migrations (up to TARGET)."""
    applied = database.upgrade(target)
    click.echo("\n".join(f"applied {name}" for name in applied) or "up to date")


@db_cli.command("downgrade")
@click.argument("target", required=False)
def db_downgrade(target):
    """Revert the newest migration (or every one back through TARGET)."""
    reverted = database.downgrade(target)
    click.echo("\n".join(f"reverted {name}" for name in reverted) or "nothing to revert")


@db_cli.command("status")
def db_status():
    """List migrations and when each was applied."""
    for name, applied in database.status():
        click.echo(f"{'[x]' if applied else '[ ]'} {name}{f'  {applied:%Y-%m-%d %H:%M}' if applied else ''}")


keys_cli = AppGroup("keys", help="Signing keys of the BHYT card QR.")


@keys_cli.command("rotate")
def keys_rotate():
    """Start signing with a new key; the old one stays published while its cards are valid."""

    from vss.cards import cards

    key = cards.rotate()
    click.echo(f"new signing key {key.kid}")


@keys_cli.command("list")
def keys_list():
    """The keys kiosks get (active and still-needed retired ones)."""
    from vss.cards import cards

    for key in cards.published_keys()["keys"]:
        click.echo(f"{key['kid']}  {'retired' if key['retired'] else 'active'}")


@click.command("seed")
@with_appcontext
@click.option("--people", default=2000, show_default=True, help="People in the synthetic registry.")
@click.option("--seed", "seed_value", default=2025, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the registry already has people.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def seed_command(people, seed_value, if_empty, quiet):
    """Fill the database with a deterministic synthetic registry and demo accounts."""
    from flask import current_app

    from vss.seed import demo, generator

    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError(
            "flask seed creates demo accounts with known passwords: never in production (VSS_ENV=production)"
        )
    if if_empty and generator.has_people():
        click.echo("registry already has people; not seeding")
        return
    generator.seed(people=people, seed=seed_value, progress=not quiet)
    for line in demo.create_demo_users(seed_value) + demo.create_demo_work(seed_value):
        click.echo(line)


@click.command("worker")
@with_appcontext
@click.option("--workers", default=2, show_default=True)
def worker_command(workers):
    """Run the Huey consumer (background jobs and the daily maintenance) and the outbox sweep."""
    import threading

    from flask import current_app

    from vss.core import jobs
    from vss.messages import delivery

    # An idle worker polls SqliteHuey at most every QUEUE_POLL_SECONDS (Huey's default backs off to
    # 10 s), so a message the sweep queues again is picked up at once (RedisHuey blocks instead).
    consumer = jobs.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=QUEUE_POLL_SECONDS
    )
    stop = threading.Event()
    sweeper = threading.Thread(
        target=delivery.run_sweeper,
        name="outbox-sweep",
        daemon=True,
        args=(stop, current_app.config["OUTBOX_SWEEP_SECONDS"]),
    )
    sweeper.start()
    try:
        consumer.run()
    finally:
        stop.set()
        sweeper.join(timeout=30)


@click.command("maintenance")
@with_appcontext
def maintenance_command():
    """Run the daily maintenance jobs now."""
    from vss.core import jobs

    for name, result in jobs.run_maintenance().items():
        click.echo(f"{name}: {result}")


def init_app(app):
    """Register the commands."""
    app.cli.add_command(db_cli)
    app.cli.add_command(keys_cli)
    for command in (seed_command, worker_command, maintenance_command):
        app.cli.add_command(command)
