"""VSS — the web edition of the digital social-insurance service."""

import hashlib
import hmac
import logging

from flask import Flask, g
from flask_compress import Compress
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from werkzeug.routing import IntegerConverter

csrf = CSRFProtect()
htmx = Htmx()
login_manager = LoginManager()
compress = Compress()


class BoundedInt(IntegerConverter):
    """Werkzeug's int converter, capped at the largest id the database holds."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def signed_in_user(user_id):
    """Flask-Login's user loader. A citizen page has already read the account with its live
    session (vss.views.auth.citizen_required sets `g.account`), so `current_user` in its
    templates costs no second query; anyone else is loaded by `accounts.load_user`."""
    from vss.identity.accounts import load_user

    account = g.get("account")
    if account is not None and account.get_id() == user_id:
        return account
    return load_user(user_id)


def create_app(config=None, **overrides):
    """Application factory: `config` is a config name or class; `overrides` win over both."""
    from vss import cli
    from vss.core import config as configs
    from vss.core import db, jobs
    from vss.core.settings import settings
    from vss.web import assets, htmx_use, i18n, links, security

    app = Flask(__name__, static_folder=None, instance_path=str(configs.INSTANCE))
    # Ids in URLs fit the database's integers: /ho-so/99999999999999999999 is a 404, not a 500.
    app.url_map.converters["int"] = BoundedInt
    app.static_url_path = "/static"
    config_class = configs.load(config) if config is None or isinstance(config, str) else config
    app.config.from_object(config_class)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY") and app.config["ENV_NAME"] == "development":
        app.config["SECRET_KEY"] = configs.development_secret(app.instance_path)
    if app.config["ENV_NAME"] == "production" and app.config["HUEY_IMMEDIATE"]:
        # Jobs inline would put their work (e.g. the reset-code look-up) back on the request path.
        raise RuntimeError("VSS_HUEY_IMMEDIATE is for tests and loopback servers, never production")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (environment variable SECRET_KEY)")
    if not app.config.get("OTP_HMAC_KEY"):
        app.config["OTP_HMAC_KEY"] = hmac.new(
            app.config["SECRET_KEY"].encode(), b"vss-otp", hashlib.sha256
        ).hexdigest()
    from vss.core import limits

    settings.init_app(app)
    limits.init_app(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    if app.config["MIGRATE_ON_START"]:
        db.upgrade()
        db.db.close()
    jobs.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(signed_in_user)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    htmx_use.init_app(app)
    links.init_app(app)
    cli.init_app(app)

    from vss.views import (
        account,
        assistant,
        auth,
        card_page,
        desk,
        errors,
        feedback,
        feedback_staff,
        kiosk,
        kiosk_admin,
        kiosk_auth,
        lookups,
        me,
        news,
        news_desk,
        password,
        public,
        record_pages,
        register,
        staff,
        staff_admin,
        staff_auth,
    )

    for blueprint in (
        public.bp,
        register.bp,
        auth.bp,
        password.bp,
        account.bp,
        me.bp,
        staff_auth.bp,
        staff.bp,
        staff_admin.bp,
        kiosk_auth.bp,
        kiosk.bp,
        kiosk_admin.bp,
        desk.bp,
        assistant.bp,
        feedback.bp,
        feedback_staff.bp,
        lookups.bp,
        news.bp,
        news_desk.bp,
    ):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    app.wsgi_app = card_page.StoredCardPage(app, app.wsgi_app)
    app.wsgi_app = record_pages.StoredRecordPages(app, app.wsgi_app)
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["DEV_OUTBOX"]:
        from vss.views import dev

        app.register_blueprint(dev.bp)
    return app
