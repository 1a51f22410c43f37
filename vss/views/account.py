"""The signed-in citizen's own pages (the records come with their own feature)."""

from flask import Blueprint, g

from vss import signin
from vss.views.auth import citizen_required
from vss.views.render import page

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")


@bp.get("")
@citizen_required
def home():
    """Quản lý cá nhân: who is signed in, and the account's actions."""
    return page("account/home.html", account=g.account, person=g.account.person,
                old_password=signin.password_is_old(g.account), shared=g.citizen_session.shared)
