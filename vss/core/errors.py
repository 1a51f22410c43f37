"""The one kind of error a person can cause or must wait out: domain code raises it, views turn it
into a form error or a flash. Anything else that escapes is a bug (a 500)."""


class UserError(Exception):
    """A rule said no. `message` is for the person (a lazily translated string), `field` is the
    form field it belongs to (None: the whole form), `code` is for code that must branch on the
    reason (never on the message's words), `retry_after` is seconds to wait when waiting helps.
    The message is translated when shown, not when raised: domain code may raise outside a
    request (a kiosk's verdict runs anywhere)."""

    def __init__(self, message, *, field=None, code=None, retry_after=None):
        super().__init__(message)
        self.message, self.field, self.code, self.retry_after = message, field, code, retry_after

    def __str__(self):
        return str(self.message)
