"""Development only: the outbox as a phone or a mailbox would show it, to this machine only.

The blueprint exists only with DEV_OUTBOX (development, tests), and even then answers 404 to any
request not from loopback: `make run` on a laptop in a café must not show its codes to the café.
A request that came through a proxy (X-Forwarded-For, Forwarded, X-Real-IP, Via…) is refused too: a proxy
on this machine would make anyone's request look local."""

import ipaddress

from flask import Blueprint, abort, request

from vss.messages import notify
from vss.views.render import page
from vss.web.security import no_store

bp = Blueprint("dev", __name__, url_prefix="/dev")
# Headers proxies add (nginx's X-Real-IP included): any of them means "not typed on this machine".
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_CLIENT_IP",
    "HTTP_VIA",
)


def from_loopback(environ):
    """True when the TCP peer (before any ProxyFix rewrite) is this machine and nothing forwarded."""
    if any(header in environ for header in PROXY_HEADERS):
        return False
    peer = environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or environ.get("REMOTE_ADDR")
    try:
        address = ipaddress.ip_address((peer or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@bp.before_request
def loopback_only():
    """Anyone else gets the 404 of a page that does not exist."""
    if not from_loopback(request.environ):
        abort(404)


@bp.get("/outbox")
@no_store
def outbox():
    """The 50 newest messages; delivered ones in full, as the dev mailbox received them."""
    return page("dev/outbox.html", messages=list(notify.for_developers(50)))
