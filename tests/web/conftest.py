"""The web tests' fixture: `served`, a fresh hub (two teams, three rounds) behind
Starlette's TestClient, saving to a file in the test's folder (see webhelpers)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from webhelpers import TEAMS, Served, new_facilitator

from game.web.app import create_app
from game.web.codes import Codes
from game.web.hub import Hub


@pytest.fixture
def served(tmp_path):
    hub = Hub(new_facilitator(), Codes.new(len(TEAMS)), tmp_path / "session.json")
    hub.save()
    with TestClient(create_app(hub)) as client:
        yield Served(hub, client, tmp_path / "session.json")
