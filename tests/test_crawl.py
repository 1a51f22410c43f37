"""Crawl every public GET page from the start page: no 5xx, ≤ 12 KB compressed HTML, and nothing
loaded from (or posted to) another host."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import get_gzip, html_of, wire_size
from vss.seed import generator

PAGE_BUDGET = 12 * 1024
# A link out is no request of ours: the page fetches nothing from another host (the offices'
# map is a link to OpenStreetMap, nothing embedded).
OFF_SITE_OK = ("tel:", "mailto:", "geo:", "data:", "https://www.openstreetmap.org/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.loads, self.forms = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        if tag == "form":
            self.forms.append((attrs.get("method", "get").lower(), attrs.get("action", "")))
        for name in ("data-hx-get", "data-hx-post", "data-hx-put", "data-hx-delete"):
            if attrs.get(name):
                self.loads.append(attrs[name])


def _is_local(url):
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


@pytest.fixture
def seeded(app):
    generator.seed(people=40, seed=7, progress=False)
    return app


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_crawl_public_pages(seeded, client, lang):
    client.get(f"/ngon-ngu/{lang}")
    queue, seen, pages = ["/"], set(), 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = get_gzip(client, url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302, 303):
            queue.append(response.headers["Location"])
            continue
        if response.mimetype != "text/html":
            continue
        pages += 1
        assert wire_size(response) <= PAGE_BUDGET, (url, wire_size(response))
        html = html_of(response)
        parser = _Links()
        parser.feed(html)
        for load in parser.loads:
            assert _is_local(load) or load.startswith("data:"), (url, load)
        for _method, action in parser.forms:
            assert _is_local(action), (url, action)
        for link in parser.links:
            if link.startswith(OFF_SITE_OK) or link.startswith("#"):
                continue
            assert _is_local(link), (url, link)
            target = urljoin(url, link)
            if "/ngon-ngu/" in target or target.startswith("/dev/"):
                continue
            queue.append(target)
        # Forms that GET are followed with their first option, as a user would pick one.
        if 'name="tinh"' in html:
            first = re.search(r'<option value="(\d+)"', html)
            path = urlsplit(url).path
            queue.append(f"{path}?tinh={first.group(1)}" + ("&nghi-viec=1" if "nghi-viec=1" in url else ""))
    assert pages >= 8
