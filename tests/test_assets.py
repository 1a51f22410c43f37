"""Static files: hashed names, precompressed, cached for a year; budgets for CSS and JS."""

import gzip
import re

import brotli

from tests.registration_flow import Flow
from vss.web import assets

CSS_BUDGET = 8 * 1024
JS_BUDGET = 20 * 1024
# Loaded on demand by the camera QR scanner (components/scanner.html), never with a page.
SCANNER_BUDGET = 2 * 1024
DECODER_BUDGET = 16 * 1024


def _get(client, url, encoding="gzip, deflate"):
    """GET a static file and close it (WhiteNoise streams from an open file)."""
    response = client.get(url, headers={"Accept-Encoding": encoding})
    response.get_data()
    response.close()
    return response


def _static_urls(client, path="/dang-ky"):
    """The statics of a page that uses htmx (the start page links only app.js)."""
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_reference_hashed_names(client):
    urls = _static_urls(client)
    assert len(urls) == 2  # htmx and app.js; the stylesheet is in the page
    assert len(_static_urls(client, "/")) == 1  # no htmx where nothing uses it (tests/test_htmx_use.py)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url


def test_static_is_immutable_for_a_year_and_gzip_always_available(client):
    for url in _static_urls(client):
        response = _get(client, url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Accept-Encoding" in response.headers["Vary"]
        gzip.decompress(response.get_data())


def test_brotli_when_offered(client):
    url = next(u for u in _static_urls(client) if "htmx" in u)
    response = _get(client, url, "br, gzip")
    assert response.headers["Content-Encoding"] == "br"
    assert b"htmx" in brotli.decompress(response.get_data())


def test_unhashed_names_are_not_served(client):
    assert client.get("/static/css/app.css").status_code == 404


def test_css_and_js_budgets(client):
    sizes = {"css": 0, "js": 0}
    for url in _static_urls(client):
        response = _get(client, url)
        sizes[url.rsplit(".", 1)[1]] += len(response.get_data())
    assert sizes["css"] <= CSS_BUDGET, sizes
    assert sizes["js"] <= JS_BUDGET, sizes


def test_the_scanner_page_loads_its_scripts_only_on_demand(client):
    """The registration's information step (the camera scanner's page) loads the same scripts as
    every page; js/scanner.js comes at the first tap on "Quét bằng camera", and the vendored
    decoder only where the browser's BarcodeDetector cannot read QR codes (so neither counts in
    a page's JS budget; each has its own)."""
    Flow(client).start()
    html = client.get("/dang-ky/thong-tin").get_data(as_text=True)
    loaded = re.findall(r'<script src="(/static/[^"]+)"', html)
    assert len(loaded) == 2 and sum(len(_get(client, url).get_data()) for url in loaded) <= JS_BUDGET
    later = dict(re.findall(r'data-(script|decoder)="(/static/js/[^"]+)"', html))
    sizes = {name: len(_get(client, url).get_data()) for name, url in later.items()}
    print(f"on demand, gzip: {sizes}")
    assert sizes["script"] <= SCANNER_BUDGET and sizes["decoder"] <= DECODER_BUDGET, sizes
    assert b"Paul Miller" in gzip.decompress(_get(client, later["decoder"]).get_data())


def test_build_is_idempotent_and_hashes_follow_content(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "a.css").write_text("body{color:red}" * 50)
    first = assets.build(source, tmp_path / "dist")
    assert first == assets.build(source, tmp_path / "dist")
    hashed = tmp_path / "dist" / first["css/a.css"]
    assert hashed.exists() and hashed.with_name(hashed.name + ".gz").exists()
    assert hashed.with_name(hashed.name + ".br").exists()
    (source / "css" / "a.css").write_text("body{color:blue}" * 50)
    assert assets.build(source, tmp_path / "dist")["css/a.css"] != first["css/a.css"]
