"""Slow links for browser tests: Chromium's network emulation (DevTools
`Network.emulateNetworkConditions`) on one page, and a meter of what that page received.

Profiles (issue 15): Chrome's "Slow 3G" and an EDGE-like 2G link. Latency is added to every
request; bytes are limited per second each way."""

import time
from typing import NamedTuple


class Profile(NamedTuple):
    name: str
    latency_ms: int
    down: int  # bytes per second
    up: int


SLOW_3G = Profile("Slow 3G", 2000, 50_000, 50_000)
EDGE = Profile("EDGE", 800, 30_000, 15_000)
PROFILES = {"slow3g": SLOW_3G, "edge": EDGE}


class Link:
    """One page on a slow link, counting the requests it made and the bytes it received (as
    Chromium counts them: headers and compressed bodies)."""

    def __init__(self, context, page, profile):
        self.profile = profile
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": profile.latency_ms,
                "downloadThroughput": profile.down,
                "uploadThroughput": profile.up,
            },
        )
        self.received = 0
        self.requests = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.started = time.monotonic()

    def _finished(self, event):
        self.received += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def restart(self):
        """Start counting again (after the set-up steps of a flow)."""
        self.received = self.requests = 0
        self.started = time.monotonic()

    def figures(self):
        """(seconds since the start, requests, bytes received)."""
        return round(time.monotonic() - self.started, 1), self.requests, self.received
