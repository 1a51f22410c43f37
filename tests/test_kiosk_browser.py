"""The kiosk in Chromium: enrolled with its one-time code, it checks every kind of card online; with
VSS stopped it gives the same verdict from its kept keys and revocation list, queues the
check-ins, opens its page again from its service worker, and when VSS is back sends the queue —
each check-in recorded once, none lost, none doubled (a resend after a lost answer included)."""

import datetime as dt
import threading
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.browser import needs_chromium
from tests.factories import make_card, make_person
from tests.kiosk_helpers import world
from tests.samples import scans
from vss.cards import cards
from vss.kiosk import kiosks
from vss.kiosk.checkins import CheckIn

pytestmark = [pytest.mark.browser, needs_chromium]
KIOSK_SCREEN = {"width": 1024, "height": 768}


class RestartableServer:
    """The app on a fixed loopback port that can be stopped (VSS unreachable) and started again."""

    def __init__(self, app):
        self.app = app
        self.server = None
        self.port = None

    def start(self):
        self.server = make_server("127.0.0.1", self.port or 0, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        self.server = None


def _wait(page, script, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if page.evaluate(script):
                return
        except PlaywrightError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {script}")


def _scan(page, text):
    """Type the QR as a USB scanner does (the text, then Enter); the answer box's sentence and tone."""
    page.evaluate("document.getElementById('answer').replaceChildren()")
    page.fill("#qr", text)
    page.press("#qr", "Enter")
    page.wait_for_selector("#answer [data-answer]", timeout=15000)
    return page.evaluate(
        "(() => { const a = document.querySelector('#answer [data-answer]');"
        " return [a.querySelector('[data-f=say]').textContent.trim(),"
        " [...a.classList].find(c => c.startsWith('tone-'))]; })()"
    )


def _samples():
    """One QR of every verdict a counter meets, made from registry cards."""
    valid = make_card(make_person(bhxh_code="0100000101", cccd="001090000101"))
    expired = make_card(
        make_person(bhxh_code="0100000102", cccd="001090000102"),
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    reissued = make_card(make_person(bhxh_code="0100000103", cccd="001090000103"))
    signed = cards.issuance(valid).qr_text
    old = cards.issuance(reissued).qr_text
    cards.reissue(reissued)
    parts = signed[:-2].split("|")
    tampered = "|".join([parts[0], "Trần Văn Giả".encode().hex(), *parts[2:]]) + "|$"
    paper = "|".join(cards.card_fields(valid) + ["4e2d-1234"]) + "|$"
    return {
        "valid": signed,
        "expired": cards.issuance(expired).qr_text,
        "revoked": old,
        "tampered": tampered,
        "unsigned": paper,
        "azerty": scans.typed(signed, "fr"),
        "truncated": signed[: len(signed) // 2],
        "junk": "http://example.com/not-a-card",
    }


def test_the_kiosk_gives_the_same_verdict_offline_and_syncs_its_queue_once(app, browser):
    places = world()
    samples = _samples()
    _kiosk, code = kiosks.enrol(places["admin"], "01065", "Quầy 1")
    later = [
        make_card(make_person(bhxh_code=f"01000002{n:02d}", cccd=f"0010900002{n:02d}")) for n in range(3)
    ]
    later_qrs = [cards.issuance(card).qr_text for card in later]
    server = RestartableServer(app)
    base = server.start()
    context = browser.new_context(viewport=KIOSK_SCREEN)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + "/kiosk/ghi-danh")
        page.fill("#code", kiosks.shown_code(code))
        page.press("#code", "Enter")
        page.wait_for_url("**/kiosk")
        assert page.evaluate("document.activeElement.id") == "qr"  # the scanner types here at once
        _wait(page, "localStorage.getItem('vss-kiosk-trust') !== null")
        _wait(page, "navigator.serviceWorker.controller !== null || (location.reload(), false)")
        page.wait_for_selector("#qr")

        online = {name: _scan(page, text) for name, text in samples.items()}
        assert online["valid"][1] == "tone-ok" and "hợp lệ" in online["valid"][0]
        assert online["unsigned"][1] == "tone-warn"
        assert all(online[name][1] == "tone-bad" for name in ("expired", "revoked", "tampered", "junk"))
        assert online["azerty"] == online["valid"]
        recorded = CheckIn.select().count()

        server.stop()  # VSS cannot be reached
        offline = {name: _scan(page, text) for name, text in samples.items()}
        assert offline == online
        assert "Không kết nối được VSS" in page.inner_text("#answer")
        assert "cũ hơn 24 giờ" not in page.inner_text("#answer")
        # A list kept for more than a day is still used, with a warning.
        page.evaluate(
            "(() => { const t = JSON.parse(localStorage.getItem('vss-kiosk-trust'));"
            " t.fetched_at -= 25 * 3600 * 1000;"
            " localStorage.setItem('vss-kiosk-trust', JSON.stringify(t)); })()"
        )
        assert _scan(page, samples["valid"]) == online["valid"]
        assert "cũ hơn 24 giờ" in page.inner_text("#answer")
        for qr in later_qrs:
            _scan(page, qr)
            _scan(page, qr)  # scanned twice in the same visit
        queued = page.evaluate("JSON.parse(localStorage.getItem('vss-kiosk-queue')).length")
        assert queued == len(samples) - 1 + 2 * len(
            later_qrs
        )  # every card read (not the junk, not the cut scan), the valid one twice

        page.reload()  # the kiosk's browser restarts while VSS is down: the worker has the page
        page.wait_for_selector("#qr")
        assert "Quầy tiếp đón" in page.inner_text("h1")

        server.start()  # VSS is back
        page.evaluate("window.dispatchEvent(new Event('online'))")
        _wait(page, "JSON.parse(localStorage.getItem('vss-kiosk-queue') || '[]').length === 0", 30)
        new = CheckIn.select().where(CheckIn.id > 0).count() - recorded
        assert new == len(later)  # one per visit; the samples' cards were already in today
        keys = [row.idempotency_key for row in CheckIn.select().where(CheckIn.offline == True)]  # noqa: E712
        assert len(keys) == len(set(keys)) == len(later)

        # A resend after a lost answer (the same key again) is the same check-in.
        sent = CheckIn.select().where(CheckIn.offline == True).first()  # noqa: E712
        page.evaluate(
            "(item) => localStorage.setItem('vss-kiosk-queue', JSON.stringify([item]))",
            {
                "key": sent.idempotency_key,
                "card_number": sent.card_number,
                "bhxh_code": sent.bhxh_code,
                "status": sent.status,
                "scanned_at": sent.scanned_at.isoformat() + "Z",
                "offline": True,
            },
        )
        page.evaluate("window.dispatchEvent(new Event('online'))")
        _wait(page, "JSON.parse(localStorage.getItem('vss-kiosk-queue') || '[]').length === 0", 30)
        assert CheckIn.select().count() == recorded + len(later)
        assert errors == []
    finally:
        context.close()
        server.stop()
