"""Development only: the outbox as a phone or a mailbox would show it."""

from flask import Blueprint

from vss.notify import Outbox
from vss.security import no_store
from vss.views.render import page

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.get("/outbox")
@no_store
def outbox():
    """The 50 newest messages (nothing leaves the machine with the outbox backend)."""
    messages = Outbox.select().order_by(Outbox.id.desc()).limit(50)
    return page("dev/outbox.html", messages=messages)
