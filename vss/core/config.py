"""Configuration: safe development defaults, everything overridable from the environment."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
INSTANCE = Path(os.environ.get("VSS_INSTANCE_PATH", ROOT / "instance"))


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production settings; SECRET_KEY must come from the environment."""

    ENV_NAME = "production"
    SECRET_KEY = _env("SECRET_KEY")
    DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'vss.db'}")
    REDIS_URL = _env("REDIS_URL")
    HUEY_SQLITE_PATH = _env("VSS_HUEY_PATH", str(INSTANCE / "huey.db"))
    HUEY_IMMEDIATE = _bool("VSS_HUEY_IMMEDIATE")
    MIGRATE_ON_START = _bool("VSS_MIGRATE_ON_START", True)

    # Notifications: outbox (nothing leaves), smtp, http.
    SMS_BACKEND = _env("VSS_SMS_BACKEND", "outbox")
    EMAIL_BACKEND = _env("VSS_EMAIL_BACKEND", "outbox")
    SMTP_HOST = _env("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(_env("SMTP_PORT", "25"))
    SMTP_TLS = _env("SMTP_TLS", "none")  # none | starttls | ssl
    SMTP_USER = _env("SMTP_USER")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    MAIL_FROM = _env("VSS_MAIL_FROM", "VSS <no-reply@vss.local>")
    SMS_GATEWAY_URL = _env("VSS_SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = _env("VSS_SMS_GATEWAY_TOKEN")
    SMS_SENDER = _env("VSS_SMS_SENDER", "BHXHVN")
    DELIVERY_TIMEOUT = float(_env("VSS_DELIVERY_TIMEOUT", "10"))
    DELIVERY_MAX_ATTEMPTS = int(_env("VSS_DELIVERY_MAX_ATTEMPTS", "6"))
    # Delivery leases and the sweep every `flask worker` runs (vss/messages/delivery.py): a message whose
    # worker died is sent again within lease + sweep (+ the queue's poll, ≤ 2 s), well under 60 s.
    OUTBOX_LEASE_SECONDS = float(_env("VSS_OUTBOX_LEASE_SECONDS", "20"))
    OUTBOX_SWEEP_SECONDS = float(_env("VSS_OUTBOX_SWEEP_SECONDS", "5"))
    # A pending message whose job is older than this is queued again (its job was lost).
    OUTBOX_REQUEUE_SECONDS = float(_env("VSS_OUTBOX_REQUEUE_SECONDS", "30"))
    # The citizen's messages page looks back half a year; older rows are purged daily.
    OUTBOX_RETENTION_DAYS = int(_env("VSS_OUTBOX_RETENTION_DAYS", "180"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 30 * 24 * 3600  # a citizen on their own (bound) device
    # The bound-device session ends 30 days after sign-in whatever happens (checked server-side),
    # so the cookie need not be re-signed and re-sent on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("VSS_SECURE_COOKIES", True)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    DEV_OUTBOX = False
    # Dynamic responses: brotli where offered (HTTPS), gzip always (Chrome over plain HTTP).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "application/json", "text/plain", "image/svg+xml", "text/javascript"]
    COMPRESS_MIN_SIZE = 300
    COMPRESS_LEVEL = 6
    COMPRESS_BR_LEVEL = 5

    # One-time codes: 5 minutes by default (the real system uses 3); HMAC key derived from
    # SECRET_KEY unless given, so a database dump alone cannot reveal live codes.
    OTP_LIFETIME_MINUTES = int(_env("VSS_OTP_LIFETIME_MINUTES", "5"))
    OTP_HMAC_KEY = _env("VSS_OTP_HMAC_KEY")
    OTP_RESEND_SECONDS = int(_env("VSS_OTP_RESEND_SECONDS", "60"))
    # Codes sent per client (IP) and by the whole service, as "count/seconds". Many phones
    # share one carrier IP (CGNAT), so the client budget is generous; it stops one machine
    # pumping SMS, the global one caps what an attack on many IPs can cost.
    OTP_BUDGET_CLIENT = _env("VSS_OTP_BUDGET_CLIENT", "10/600")
    OTP_BUDGET_ALL = _env("VSS_OTP_BUDGET_ALL", "300/60")
    # Tra cứu mã số BHXH: look-ups per client and by the whole service; registration's check of
    # a declared BHXH code and name per client (vss/registry/codes.py), as "count/seconds".
    BHXH_LOOKUP_BUDGET_CLIENT = _env("VSS_BHXH_LOOKUP_BUDGET_CLIENT", "20/3600")
    BHXH_LOOKUP_BUDGET_ALL = _env("VSS_BHXH_LOOKUP_BUDGET_ALL", "600/60")
    REGISTRY_CHECK_BUDGET = _env("VSS_REGISTRY_CHECK_BUDGET", "30/3600")
    # Reverse proxies in front of VSS whose X-Forwarded-For/-Proto to trust (0: none), so
    # budgets count the real client, not the proxy.
    PROXY_HOPS = int(_env("VSS_PROXY_HOPS", "0"))

    # Uploaded files too big for a row (news videos); a shared volume when several machines serve.
    MEDIA_PATH = _env("VSS_MEDIA_PATH", str(INSTANCE / "media"))

    SUPPORT_HOTLINE = "1900 9068"
    SUPPORT_EMAIL = "hotro@vss.gov.vn"


class DevConfig(Config):
    """`make run`: SQLite, SqliteHuey, messages kept in the outbox and shown at /dev/outbox."""

    ENV_NAME = "development"
    SECRET_KEY = _env("SECRET_KEY")  # else one made for this installation: development_secret()
    SESSION_COOKIE_SECURE = _bool("VSS_SECURE_COOKIES", False)
    DEV_OUTBOX = True


class TestConfig(Config):
    """pytest: a fresh database per test, Huey immediate."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - tests only
    DATABASE_URL = _env("VSS_TEST_DATABASE_URL", "sqlite:///:memory:")
    REDIS_URL = _env("VSS_TEST_REDIS_URL")
    HUEY_IMMEDIATE = True
    MIGRATE_ON_START = False
    SESSION_COOKIE_SECURE = False
    SMS_BACKEND = "outbox"
    EMAIL_BACKEND = "outbox"
    DEV_OUTBOX = True


def development_secret(folder):
    """The development key of this installation: random, made on first start, readable by its
    owner only (a fixed key in the repository would let anyone forge sessions). Several
    processes may start at once: the file appears whole or not at all."""
    folder = Path(folder)
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    return path.read_text().strip()


CONFIGS = {"production": Config, "development": DevConfig, "test": TestConfig}


def load(name=None):
    """The config class for `name`, or for VSS_ENV (default: development)."""
    return CONFIGS[name or _env("VSS_ENV", "development")]
