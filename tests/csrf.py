"""The CSRF token of a page's form, read the one way every test reads it (a browser would send
the hidden field back)."""

import re

FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_in(html):
    """The token in a page's hidden csrf_token field ('' when the page has no form)."""
    match = FIELD.search(html)
    return match.group(1) if match else ""


def csrf(client, url):
    """Open `url` with a Flask test client and return its form's token (the session keeps it)."""
    token = token_in(client.get(url).get_data(as_text=True))
    assert token, f"no CSRF token on {url}"
    return token
