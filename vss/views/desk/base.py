"""What the desk's views share: the blueprint, the sitting guard (this staff member's own
sitting, the step open), and how a step is answered (whole, or its `step` block for htmx)."""

import functools

from flask import Blueprint, abort, g, make_response, redirect, request, url_for

from vss.dossiers import desk
from vss.views.render import page

bp = Blueprint("desk", __name__, url_prefix="/can-bo/ban-dang-ky")
STEP_VIEWS = {
    "thong-tin": "desk.info",
    "anh": "desk.photos_step",
    "xac-minh": "desk.identity",
    "xem-lai": "desk.review",
    "xac-thuc": "desk.verify",
}


@bp.app_context_processor
def desk_link():
    """Whether the workspace shows the desk to this member of staff (the domain's rule)."""
    return {"may_use_desk": desk.may_use}


def render(template, **context):
    """A step page, or its `step` block for htmx (pushing the step's URL)."""
    response = make_response(page(template, block="step", **context))
    if request.headers.get("HX-Request"):
        response.headers["HX-Push-Url"] = request.path
    return response


def goto(draft, step):
    """Redirect to a step of the sitting."""
    return redirect(url_for(STEP_VIEWS[step], draft_id=draft.id))


def own_sitting(draft_id):
    """This staff member's sitting, or 404 (another's, another office's, or none)."""
    draft = desk.sitting(g.staff, draft_id)
    if draft is None:
        abort(404)
    return draft


def sitting(step):
    """Under staff_required: the sitting is `g.draft`; a finished one goes to its result, a step
    not yet open to the first step still to do."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(draft_id, *args, **kwargs):
            g.draft = own_sitting(draft_id)
            if g.draft.dossier_id:
                return redirect(url_for("desk.done", draft_id=draft_id))
            if not desk.may_open(g.draft, step):
                return goto(g.draft, desk.first_open(g.draft))
            return view(draft_id, *args, **kwargs)

        return wrapper

    return decorator
