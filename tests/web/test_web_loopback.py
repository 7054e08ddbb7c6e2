"""Over loopback: a real uvicorn server on 127.0.0.1 (in a thread), a plain websocket client.

A team drops out and rejoins with its code and finds the same state; a frame
larger than the server takes is refused by uvicorn itself and the server goes
on serving. Runs without a browser.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import uvicorn
from webhelpers import TEAMS, new_facilitator
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from game.web.app import create_app
from game.web.cli import WS_MAX_BYTES
from game.web.codes import Codes
from game.web.hub import Hub


@pytest.fixture
def live(tmp_path):
    hub = Hub(new_facilitator(), Codes.new(len(TEAMS)), tmp_path / "session.json")
    hub.save()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(hub), log_level="warning", lifespan="off",
                            ws_max_size=WS_MAX_BYTES)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    try:
        yield hub, f"ws://127.0.0.1:{sock.getsockname()[1]}/ws"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def until(ws, kind: str) -> dict:
    for _ in range(50):
        message = json.loads(ws.recv(timeout=10))
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message")


def join(ws, code: str) -> dict:
    ws.send(json.dumps({"type": "join", "code": code}))
    return until(ws, "state")


def test_a_team_drops_out_and_rejoins_over_loopback(live):
    hub, url = live
    code = hub.codes.teams[0]
    with connect(url) as ws:
        join(ws, code)
        ws.send(json.dumps({"type": "play_card", "card": "parents_lead"}))
        ws.send(json.dumps({"type": "predict", "kpi": "client_rating", "value": 6.5}))
        until(ws, "state")
        before = until(ws, "state")["view"]
    # the socket is gone (a laptop closed, a network dropped): the server notices
    deadline = time.monotonic() + 5
    while hub.connected()[0] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.connected() == [0, 0]
    with connect(url) as ws:
        after = join(ws, code)["view"]
    assert after == before
    assert after["cards"] == ["parents_lead"] and after["prediction"]["value"] == 6.5


def test_a_frame_too_large_is_refused_and_the_server_goes_on(live):
    hub, url = live
    with connect(url, max_size=None) as ws:
        join(ws, hub.codes.teams[1])
        with pytest.raises(ConnectionClosed):
            ws.send("x" * (WS_MAX_BYTES + 1))
            ws.recv(timeout=10)
    with connect(url) as ws:  # the next connection is served as ever
        assert join(ws, hub.codes.teams[1])["name"] == "Blauw"
