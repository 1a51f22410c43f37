"""Budgets every worker shares: how many codes one client (IP) or the whole service may send, how
many reset attempts one client may make. Fixed windows counted in one atomic statement — an
UPSERT in the database, or INCR in Redis when REDIS_URL is set — so parallel requests in several
gunicorn workers on several machines see one count and exactly `limit` get through.

Database counters are written in the caller's transaction: a send that rolls back uncounts
itself, which is right, since nothing was sent. Redis counters are never rolled back: a refused
request still counts, which only makes the budget stricter."""

import datetime as dt
import hashlib
import ipaddress
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from peewee import CharField, DateTimeField, IntegerField

from vss.core import jobs
from vss.core.clock import utcnow
from vss.core.db import BaseModel
from vss.core.errors import UserError

_state = {"redis": None}


class Budget(NamedTuple):
    """At most `limit` events per `seconds` for one subject (a client, or 'all')."""

    name: str
    limit: int
    seconds: int
    message: object  # what the person is told when it is spent


class RateLimit(BaseModel):
    """A fixed-window counter (per IP, per account…), incremented in one UPSERT."""

    key = CharField(max_length=128)
    window = IntegerField()
    count = IntegerField(default=0)
    expires_at = DateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("key", "window"), True),)


MODELS = [RateLimit]

CLIENT_BUSY = _l("Mạng của bạn vừa yêu cầu gửi quá nhiều mã. Vui lòng thử lại sau ít phút.")
SERVICE_BUSY = _l(
    "Hệ thống đang gửi quá nhiều tin nhắn. Vui lòng thử lại sau ít phút; thông tin bạn nhập vẫn được giữ."
)
TOO_MANY_TRIES = _l("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau một giờ.")


def parse(spec, default):
    """'10/600' → (10, 600); `default` when empty. Used for the budgets' settings."""
    limit, _, seconds = (spec or default).partition("/")
    return int(limit), int(seconds)


def init_app(app):
    """Count in Redis when REDIS_URL is set (shared by every machine), else in the database."""
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        _state["redis"] = redis.Redis.from_url(url)
    else:
        _state["redis"] = None


def _stored_key(key):
    # Keys carry what people typed (a BHXH code, an IP): long ones are hashed to fit the column.
    return key if len(key) <= 96 else key[:32] + hashlib.sha256(key.encode()).hexdigest()


def hit(key, limit, seconds):
    """Count one event for `key` in the current window; True when it is over `limit`."""
    window = int(utcnow().timestamp()) // seconds
    key = _stored_key(f"{key}/{seconds}")
    client = _state["redis"]
    if client is not None:
        name = f"vss:limit:{key}:{window}"
        with client.pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, seconds + 60)
            count, _ = pipe.execute()
        return count > limit
    expires = dt.datetime.fromtimestamp((window + 1) * seconds, dt.UTC).replace(tzinfo=None)
    cursor = (
        RateLimit.insert(key=key, window=window, count=1, expires_at=expires)
        .on_conflict(
            conflict_target=[RateLimit.key, RateLimit.window], update={RateLimit.count: RateLimit.count + 1}
        )
        .returning(RateLimit.count)
        .execute()
    )
    return next(iter(cursor)).count > limit


def client_key(address):
    """Who a request comes from, for budgets: an IPv4 address, or the /64 of an IPv6 one (one
    home or phone gets a whole /64, so counting single IPv6 addresses counts nothing)."""
    if not address:
        return address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def spend(budget, subject):
    """Count one event of `budget` for `subject` (a client address, or 'all'); raises UserError
    when the budget is spent."""
    subject = client_key(subject) if subject != "all" else subject
    if subject is not None and hit(f"{budget.name}:{subject}", budget.limit, budget.seconds):
        raise UserError(budget.message, code="budget", retry_after=budget.seconds)


@jobs.maintenance
def purge():
    """Windows that are over (the daily job)."""
    return RateLimit.delete().where(RateLimit.expires_at < utcnow()).execute()
