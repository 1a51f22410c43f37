"""What the registration's views share: the blueprint, the draft cookie, the step guard and
how a step page is answered (whole, or its `step` block for htmx)."""

import functools

from flask import Blueprint, g, make_response, redirect, request, url_for

from vss.dossiers import drafts
from vss.views.render import page
from vss.web.security import no_store

bp = Blueprint("register", __name__, url_prefix="/dang-ky")
COOKIE = "vss_draft"
STEP_VIEWS = {
    "loai": "register.start",
    "thong-tin": "register.info",
    "anh": "register.photos_step",
    "co-quan": "register.office",
    "xem-lai": "register.review",
    "xac-thuc": "register.verify",
}


def render(template, **context):
    """A step page, or its `step` block for htmx (pushing the step's URL)."""
    response = make_response(page(template, block="step", **context))
    if request.headers.get("HX-Request"):
        response.headers["HX-Push-Url"] = request.path
    return response


def goto(step):
    """Redirect to a step's page."""
    return redirect(url_for(STEP_VIEWS[step]))


def cookie_draft():
    """This browser's draft (from its cookie), or None."""
    return drafts.draft_for(request.cookies.get(COOKIE))


def step_view(step):
    """Load the draft from the cookie; send the user to the first incomplete step if they
    jump ahead; the draft is `g.draft`."""

    def decorator(view):
        @functools.wraps(view)
        @no_store
        def wrapper(*args, **kwargs):
            g.draft = cookie_draft()
            if g.draft is None:
                return redirect(url_for("register.start"))
            if g.draft.dossier_id:
                return redirect(url_for("register.done"))
            if not g.draft.may_open(step):
                return goto(g.draft.first_incomplete())
            return view(*args, **kwargs)

        return wrapper

    return decorator
