"""/dev/outbox: development only, loopback only, the whole text a phone or mailbox received."""

import pytest

from vss.messages import notify


@pytest.mark.parametrize("address", ["203.0.113.9", "10.0.0.5", "192.168.1.20", "::ffff:203.0.113.9"])
def test_dev_outbox_answers_only_to_loopback(app, client, address):
    assert client.get("/dev/outbox", environ_base={"REMOTE_ADDR": address}).status_code == 404


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_dev_outbox_shows_the_whole_delivered_text_on_loopback(app, client, address):
    notify.send_code("0912345678", "048213", 5)
    html = client.get("/dev/outbox", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    assert "048213 la ma xac thuc VSS" in html


def test_a_message_not_delivered_yet_shows_no_secret_even_there(app, client):
    from tests.servers import free_port

    app.config.update(
        SMS_BACKEND="http", SMS_GATEWAY_URL=f"http://127.0.0.1:{free_port()}/sms", DELIVERY_TIMEOUT=1
    )
    notify.send_code("0912345678", "048213", 5)  # the gateway is down: failed, to be retried
    html = client.get("/dev/outbox").get_data(as_text=True)
    assert "●●●●●● la ma xac thuc VSS" in html and "048213" not in html and "failed" in html


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP", "Via", "X-Client-IP"])
def test_a_request_through_a_local_proxy_is_not_local(app, client, header):
    assert client.get("/dev/outbox", headers={header: "203.0.113.9"}).status_code == 404
