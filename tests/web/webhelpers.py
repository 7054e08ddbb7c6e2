"""Helpers of the web tests: a session of the small neighbourhood (a one-year warm-up)
behind Starlette's TestClient, and a socket reader that skips what a test does not ask for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from game.web.codes import Codes
from game.web.hub import Hub

OVERRIDES = ["run.warmup_weeks=52"]
TEAMS = ["Rood", "Blauw"]


def new_facilitator():
    from game.facilitator import Facilitator

    return Facilitator.new("neighbourhood", 3, TEAMS, rounds=3, overrides=OVERRIDES)


class Socket:
    """A test client's websocket with a reader that skips what a test does not ask for."""

    def __init__(self, ws) -> None:
        self.ws = ws

    def send(self, message: Any) -> None:
        if isinstance(message, bytes):
            self.ws.send_bytes(message)
        else:
            self.ws.send_text(message if isinstance(message, str) else json.dumps(message))

    def until(self, *types: str, limit: int = 50) -> dict[str, Any]:
        for _ in range(limit):
            message = self.ws.receive_json()
            if message["type"] in types:
                return message
        raise AssertionError(f"no {types} message within {limit}")

    def join(self, code: str) -> dict[str, Any]:
        """Join and return the first state."""
        self.send({"type": "join", "code": code})
        joined = self.until("joined", "error")
        assert joined["type"] == "joined", joined
        return self.until("state")


@dataclass
class Served:
    hub: Hub
    client: TestClient
    save: Path

    @property
    def codes(self) -> Codes:
        return self.hub.codes

    def connect(self):
        return self.client.websocket_connect("/ws")

    def data(self) -> str:
        """The whole session as its save would hold it, for before/after comparisons."""
        from game.web import store

        return json.dumps(store.to_data(self.hub.codes, self.hub.fac), sort_keys=True)
