"""The photo step (/dang-ky/anh) with hostile or oversized uploads: the person always lands back
on the step with a Vietnamese message and the form, never on a 500 or a dead-end page."""

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import photo_files as pf
from tests.registration_flow import Flow, jpeg, offices
from vss.dossiers.drafts import Photo, RegistrationDraft


@pytest.fixture
def flow(app, client):
    offices()
    flow = Flow(client)
    flow.start()
    flow.info()
    return flow


def _post(flow, **files):
    """The photo step's form as a browser sends it, answered. The body is built in memory: the
    test client spools a body over 500 KB to a temporary file that it leaves open."""
    fields = {kind: FileStorage(io.BytesIO(content), f"{kind}.jpg") for kind, content in files.items()}
    boundary, body = encode_multipart({"csrf_token": flow.token, **fields})
    response = flow.client.post(
        "/dang-ky/anh",
        data=body,
        headers=flow.headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    return response.status_code, response.get_data(as_text=True), response.headers


def _too_big(flow):
    """A 2 MB photo under a 1 MB limit."""
    return _post(flow, mat_truoc=bytes(2 << 20), mat_sau=jpeg())


def _on_the_photo_step(html):
    assert 'action="/dang-ky/anh"' in html and 'name="mat_truoc"' in html
    assert "Về trang chủ" not in html


def test_request_over_the_limit_without_javascript_stays_on_the_step(flow, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    status, html, headers = _too_big(flow)
    assert status == 413
    _on_the_photo_step(html)
    assert "10 MB" in html and 'class="error-summary"' in html
    assert headers["Cache-Control"].startswith("no-store")
    assert not RegistrationDraft.get().done("anh")


def test_request_over_the_limit_with_htmx_swaps_the_step(app, client):
    offices()
    flow = Flow(client, htmx=True)
    flow.start()
    flow.info()
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    status, html, _ = _too_big(flow)
    assert status == 200  # htmx swaps only a 2xx answer
    assert html.lstrip().startswith('<div id="step">')
    _on_the_photo_step(html)
    assert "10 MB" in html


def test_request_over_the_limit_elsewhere_gets_the_error_page(flow, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = flow.post("/dang-ky/thong-tin", {"street": "x" * 4096})
    assert response.status_code == 413
    assert "vượt quá dung lượng" in response.get_data(as_text=True)


def test_the_limit_is_said_next_to_the_file_inputs(flow):
    html = flow.client.get("/dang-ky/anh").get_data(as_text=True)
    assert "tối đa 10 MB mỗi ảnh" in html
    assert all(
        f'aria-describedby="photo-rules {kind}-size"' in html
        for kind in ("chan_dung", "mat_truoc", "mat_sau")
    )


def test_three_bombs_at_once_are_refused_one_by_one(flow):
    bomb = pf.png(7000, 7000)
    status, html, _ = _post(flow, chan_dung=bomb, mat_truoc=bomb, mat_sau=bomb)
    assert status == 200
    assert html.count("Ảnh có kích thước quá lớn") == 6  # in the summary and at each field
    assert Photo.select().count() == 0


def test_text_chunk_bomb_is_a_message_not_a_500(flow):
    data = pf.insert_chunks(pf.encode(pf.picture(800, 600), "PNG"), [pf.ztxt(b"c", b"a" * 2_000_000)])
    status, html, _ = _post(flow, mat_truoc=data, mat_sau=jpeg())
    assert status == 200 and "thông tin kèm theo" in html


def test_camera_mpo_is_accepted(flow):
    frames = [pf.picture(1200, 900, seed=seed) for seed in (1, 2)]
    mpo = pf.encode(frames[0], "MPO", save_all=True, append_images=frames[1:])
    assert _post(flow, mat_truoc=mpo, mat_sau=jpeg())[2]["Location"] == "/dang-ky/co-quan"


def test_a_photo_spooled_to_disk_is_read_from_there(flow):
    camera = pf.encode(pf.noise(1500, 1200), quality=95)
    assert len(camera) > 1024 * 1024  # Werkzeug keeps a part over 500 KB in a temporary file
    assert _post(flow, mat_truoc=camera, mat_sau=camera)[2]["Location"] == "/dang-ky/co-quan"
    assert {photo.kind for photo in Photo.select()} == {"mat_truoc", "mat_sau"}
