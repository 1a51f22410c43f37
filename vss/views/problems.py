"""How every view shows a UserError (vss/core/errors.py): one way, whatever raised it.

    try:
        domain.act(...)
    except UserError as error:
        return page("area/page.html", form=form, error=shown(error, form)), status(error)

On its form field when the form has that field; otherwise as the page's `error` (templates show it
above the form); with no form at all, flashed for the page the view redirects to."""

from flask import flash

TOO_MANY = 429


def shown(error, form=None):
    """Attach `error` to its field and return None, or return its message for the page (no form:
    flash it and return None). A flash is stored as plain text, so whatever a message quotes is
    escaped when it is shown."""
    if form is None:
        flash(str(error.message), "error")  # plain text: a lazy string would be kept as Markup
        return None
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]
        return None
    return error.message


def status(error):
    """The HTTP status of a page that shows `error`: 429 when waiting is the remedy, else 200."""
    return TOO_MANY if error.retry_after else 200


def retry_headers(error):
    """Retry-After for an error that waiting cures (none otherwise)."""
    return {"Retry-After": str(int(error.retry_after))} if error.retry_after else {}
