"""The served session over Starlette's TestClient: joining, bad messages, a round, rejoining,
a restart from the save.
"""

from __future__ import annotations

import json

import pytest
from starlette.websockets import WebSocketDisconnect
from webhelpers import TEAMS, Socket

from game.cards import BY_ID
from game.session import ROUND_WEEKS
from game.web import schema, store
from game.web.codes import shown
from game.web.hub import Hub


def test_join_with_a_good_and_a_bad_code(served):
    with served.connect() as ws:
        s = Socket(ws)
        s.send({"type": "join", "code": "ZZZ-ZZZ" if "ZZZZZZ" not in served.codes.teams
                else "YYY-YYY"})
        error = s.until("error")
        assert (error["key"], error["field"]) == ("web.error.code", "code")
        assert "ZZZ" in error["value"] or "YYY" in error["value"]
        assert "letters and digits" in error["allowed"]
        # a code as typed from the projector: lower case, with its dash
        s.send({"type": "join", "code": shown(served.codes.teams[1]).lower()})
        joined = s.until("joined")
        assert (joined["role"], joined["team"], joined["name"]) == ("team", 1, "Blauw")
        catalogue = s.until("catalogue")
        assert {c["id"] for c in catalogue["cards"]} >= {"integral", "hire_wijkteam"}
        assert "flu" not in {c["id"] for c in catalogue["cards"]}
        state = s.until("state")
        assert (state["role"], state["team"], state["name"]) == ("team", 1, "Blauw")
        assert json.dumps(state["view"])  # plain JSON, no NaN
    with served.connect() as ws:
        state = Socket(ws).join(served.codes.facilitator)
        assert state["role"] == "facilitator"
        assert [t["name"] for t in state["teams"]] == TEAMS
        assert [t["code"] for t in state["teams"]] == [shown(c) for c in served.codes.teams]


BAD = [  # (message as sent, field the error names, key)
    ("{nope", "message", "web.error.json"),
    ('{"type": "play_card", "card": "' + "x" * schema.MAX_MESSAGE_BYTES + '"}', "message",
     "web.error.size"),
    ("[1]", "message", "web.error.object"),
    ('{"type": "dance"}', "type", "web.error.type"),
    ('{"type": "play_card", "card": "teleport"}', "card", "web.error.value"),
    ('{"type": "play_card", "card": 12}', "card", "web.error.value"),
    ('{"type": "play_card", "card": "flu"}', "card", "web.error.value"),
    ('{"type": "play_card", "card": "integral", "team": 0}', "team", "web.error.extra"),
    ('{"type": "predict", "kpi": "mean_wait_weeks", "value": "nine"}', "value",
     "web.error.value"),
    ('{"type": "predict", "kpi": "mood", "value": 3}', "kpi", "web.error.value"),
    ('{"type": "ready"}', "on", "web.error.missing"),
    ('{"type": "start_round"}', "type", "web.error.role"),
    ('{"type": "inject", "card": "flu"}', "type", "web.error.role"),
    ('{"type": "join", "code": "ABCDEF"}', "type", "web.error.role"),
]


def test_bad_messages_get_a_clear_error_and_change_nothing(served):
    before, saved = served.data(), served.save.read_bytes()
    with served.connect() as ws:
        s = Socket(ws)
        s.send({"type": "play_card", "card": "integral"})  # before joining
        assert s.until("error")["key"] == "web.error.role"
        s.join(served.codes.teams[0])
        for raw, field, key in BAD:
            s.send(raw)
            error = s.until("error", "state")
            assert error["type"] == "error", (raw, error)
            assert (error["field"], error["key"]) == (field, key), (raw, error)
            assert error["allowed"] and error["message"]
            assert len(error["value"]) <= schema.SHOWN_CHARS
        s.send(b'\xff{"type": "ping"}')  # not UTF-8, sent as a binary frame
        assert s.until("error")["key"] == "web.error.json"
        s.send({"type": "ping"})  # the connection still works
        assert s.until("pong", "error")["type"] == "pong"
    with served.connect() as ws:  # the facilitator's bad messages too
        s = Socket(ws)
        s.join(served.codes.facilitator)
        for raw, field in (('{"type": "inject", "card": "flu", "team": 7}', "team"),
                           ('{"type": "inject", "card": "integral"}', "card"),
                           ('{"type": "reveal", "on": 1}', "on"),
                           ('{"type": "play_card", "card": "integral"}', "type")):
            s.send(raw)
            error = s.until("error", "state")
            assert error["type"] == "error" and error["field"] == field, (raw, error)
    assert served.data() == before
    assert served.save.read_bytes() == saved


def test_refused_card_says_why_and_changes_nothing(served):
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.teams[0])
        s.send({"type": "play_card", "card": "top_down"})  # 200K of the 250K budget
        s.until("state")
        before = served.data()
        s.send({"type": "play_card", "card": "hire_ggz"})  # 100K: over what is left
        refused = s.until("refused", "state")
        assert refused["type"] == "refused" and refused["key"] == "play.why.budget"
        assert refused["card"] == "hire_ggz"
        assert served.data() == before


def test_a_card_then_the_round_for_all(served):
    fac = served.hub.fac
    start = [t.model.week for t in fac.session.teams]
    with served.connect() as team_ws, served.connect() as fac_ws:
        team, console = Socket(team_ws), Socket(fac_ws)
        team.join(served.codes.teams[0])
        console.join(served.codes.facilitator)
        team.send({"type": "play_card", "card": "integral"})
        team.send({"type": "predict", "kpi": "mean_wait_weeks", "value": 9.5})
        team.send({"type": "ready", "on": True})
        for _ in range(3):
            team.until("state")
        console.send({"type": "start_round"})
        message = console.until("progress", "error")  # the round is under way ...
        assert message["busy"] == "start_round", message
        message = console.until("state", "error")  # ... and over
        assert message["type"] == "state" and not message["flags"]["busy"], message
        view = team.until("state")["view"]
        while view["round"] == 0:
            view = team.until("state")["view"]
    weeks = [t.model.week for t in fac.session.teams]
    assert weeks == [w + ROUND_WEEKS for w in start]
    assert (view["round"], view["week"], view["phase"]) == (1, 0, "planning")
    assert view["predictions"][0]["value"] == 9.5 and "points" in view["predictions"][0]
    red = fac.session.teams[0]
    assert "integral" in red.cards[0]
    assert {**BY_ID["integral"].action_dict(), "week": start[0]} in [
        dict(a) for a in red.model.action_log]
    assert not any(a.get("value") == "integral" for a in fac.session.teams[1].model.action_log)
    saved = json.loads(served.save.read_text())
    assert saved["facilitator"] == json.loads(json.dumps(fac.to_data()))


def test_a_team_that_drops_out_rejoins_and_finds_its_state(served):
    code = served.codes.teams[1]
    with served.connect() as ws:
        s = Socket(ws)
        s.join(code)
        s.send({"type": "play_card", "card": "pull"})
        s.send({"type": "predict", "kpi": "client_rating", "value": 7.5})
        s.until("state")
        last = s.until("state")
    assert served.hub.connected() == [0, 0]
    with served.connect() as ws:
        again = Socket(ws).join(shown(code))
        assert again["view"] == last["view"]
        assert served.hub.connected() == [0, 1]


def test_a_restarted_server_resumes_from_its_save(served, tmp_path):
    from game.facilitator import Facilitator

    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.teams[0])
        s.send({"type": "play_card", "card": "pull"})
        view = s.until("state")["view"]
    codes, facilitator = store.restore(served.save, Facilitator)
    assert codes == served.codes
    assert json.dumps(facilitator.to_data(), sort_keys=True) == json.dumps(
        served.hub.fac.to_data(), sort_keys=True)
    from starlette.testclient import TestClient

    from game.web.app import create_app

    with TestClient(create_app(Hub(facilitator, codes, served.save))) as client, \
            client.websocket_connect("/ws") as ws:
        assert Socket(ws).join(served.codes.teams[0])["view"] == view


def test_a_save_that_is_not_ours_is_refused_and_left_alone(tmp_path):
    from game.facilitator import Facilitator

    path = tmp_path / "other.json"
    path.write_text('{"format": "samenspel-save", "version": 1}')
    with pytest.raises(store.StoreError, match="not a save of `samenspel serve`"):
        store.restore(path, Facilitator)
    assert path.read_text() == '{"format": "samenspel-save", "version": 1}'


def test_a_flood_is_cut_short(served):
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.teams[0])
        for _ in range(40):
            s.send({"type": "ping"})
        assert s.until("error", limit=60)["key"] == "web.error.rate"


def test_a_page_of_another_site_cannot_open_the_socket(served):
    with pytest.raises(WebSocketDisconnect), served.client.websocket_connect(
            "/ws", headers={"origin": "http://elsewhere.example"}) as ws:
        ws.receive_json()


def test_pages_script_and_translations_are_served(served):
    c = served.client
    for path in ("/", "/facilitator"):
        page = c.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert "http" not in page.text.replace('http-equiv', '')  # nothing from elsewhere
    assert c.get("/static/samenspel.js").status_code == 200
    from game.i18n import load

    assert c.get("/i18n/en.json").json() == load("en")
    assert c.get("/i18n/xx.json").status_code == 404
    assert c.get("/static/../hub.py").status_code == 404


def test_flags_and_an_event_survive_a_restart(served):
    from game.facilitator import Facilitator

    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.facilitator)
        for message in ({"type": "lock"}, {"type": "reveal", "on": False},
                        {"type": "inject", "card": "crisis", "team": 1}):
            s.send(message)
            state = s.until("state", "error", "refused")
            assert state["type"] == "state", state
    assert state["flags"]["locked"] and not state["flags"]["revealed"]
    blue = served.hub.fac.session.teams[1]
    assert blue.events[0] == ["crisis"] and served.hub.fac.session.teams[0].events[0] == []
    assert any(a["kind"] == BY_ID["crisis"].action_dict()["kind"]
               for a in blue.model.action_log)
    _, again = store.restore(served.save, Facilitator)
    assert (again.locked, again.revealed) == (True, False)
    assert again.session.teams[1].events[0] == ["crisis"]
    with served.connect() as ws:  # a locked session: the team is told why
        s = Socket(ws)
        view = s.join(served.codes.teams[0])["view"]
        assert view["kpis"] is None and view["refusals"]["integral"] == "play.why.locked"
        s.send({"type": "play_card", "card": "integral"})
        assert s.until("refused")["key"] == "play.why.locked"


def test_undo_a_round_over_the_socket(served):
    fac = served.hub.fac
    start = fac.session.teams[0].model.week
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.facilitator)
        s.send({"type": "undo_round"})  # nothing to undo yet
        assert s.until("refused")["key"] == "facilitator.why.start"
        s.send({"type": "start_round"})
        s.until("progress")
        s.until("state")
        assert fac.session.teams[0].model.week == start + ROUND_WEEKS
        s.send({"type": "undo_round"})
        assert s.until("progress")["busy"] == "undo_round"
        state = s.until("state")
    assert [t.model.week for t in fac.session.teams] == [start, start]
    assert [t["view"]["round"] for t in state["teams"]] == [0, 0]


def test_resume_runs_the_rest_of_a_round_stopped_part_way(served):
    fac = served.hub.fac
    start = fac.session.teams[0].model.week
    assert fac.start_round() is None
    for _ in range(5):
        fac.step_week()
    fac.pause()
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.facilitator)
        s.send({"type": "start_round"})  # the round is still under way
        assert s.until("refused")["key"] == "facilitator.why.running"
        s.send({"type": "resume"})
        s.until("progress")
        state = s.until("state")
    assert [t.model.week for t in fac.session.teams] == [start + ROUND_WEEKS] * 2
    assert not state["flags"]["paused"] and state["teams"][0]["view"]["phase"] == "planning"


def test_a_bug_in_an_action_is_reported_and_the_session_goes_back(served, monkeypatch, capsys):
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.teams[0])
        s.send({"type": "play_card", "card": "integral"})
        s.until("state")
        before = served.data()

        def broken(team, card_id):
            served.hub.fac.session.teams[0].cards[0].append("pull")  # half done, then fails
            raise RuntimeError("a bug")

        monkeypatch.setattr(served.hub.fac, "play_card", broken)
        s.send({"type": "play_card", "card": "pull"})
        error = s.until("error")
        assert error["key"] == "web.error.internal" and error["value"] == '"play_card"'
        assert served.data() == before
        s.send({"type": "ping"})
        assert s.until("pong")
    assert "RuntimeError: a bug" in capsys.readouterr().err


def test_a_bug_in_a_view_is_reported_and_the_socket_stays(served, monkeypatch, capsys):
    def broken(i, everything=False):
        raise ValueError("a bug in a view")

    monkeypatch.setattr(served.hub.fac, "team_view", broken)
    with served.connect() as ws:
        s = Socket(ws)
        s.send({"type": "join", "code": served.codes.teams[0]})
        assert s.until("error")["key"] == "web.error.internal"
        s.send({"type": "ping"})
        assert s.until("pong")
    assert "a bug in a view" in capsys.readouterr().err


def test_pause_stops_a_running_round_and_resume_finishes_it(served, monkeypatch):
    import time

    fac = served.hub.fac
    start = fac.session.teams[0].model.week
    step = fac.step_week

    def slow_week():  # a week as slow as a big scenario's, so the pause lands mid-round
        time.sleep(0.04)
        return step()

    monkeypatch.setattr(fac, "step_week", slow_week)
    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.facilitator)
        s.send({"type": "start_round"})
        s.until("progress")
        s.send({"type": "pause"})
        while not s.until("progress").get("pausing"):  # progress goes on until the pause
            pass
        state = s.until("state")
        weeks = fac.session.teams[0].model.week - start
        assert 0 < weeks < ROUND_WEEKS
        assert state["flags"]["paused"] and not state["flags"]["busy"]
        assert state["teams"][0]["view"]["phase"] == "paused"
        s.send({"type": "play_card", "card": "integral"})  # not for the console
        assert s.until("error")["key"] == "web.error.role"
        s.send({"type": "resume"})
        s.until("progress")
        state = s.until("state")
    assert [t.model.week for t in fac.session.teams] == [start + ROUND_WEEKS] * 2
    assert not state["flags"]["paused"]


def test_a_branch_is_a_new_team_with_its_own_code(served):
    from game.facilitator import Facilitator

    with served.connect() as ws:
        s = Socket(ws)
        s.join(served.codes.facilitator)
        s.send({"type": "branch", "team": 0, "round": 1, "name": None})  # not reached yet
        assert s.until("refused")["key"] == "facilitator.why.round"
        s.send({"type": "branch", "team": 0, "round": 60})
        assert s.until("error")["field"] == "round"
        s.send({"type": "start_round"})
        s.until("progress")
        s.until("state")
        s.send({"type": "branch", "team": 0, "round": 0, "name": "Rood opnieuw"})
        assert s.until("progress")["busy"] == "branch"
        state = s.until("state")
    assert [t["name"] for t in state["teams"]] == [*TEAMS, "Rood opnieuw"]
    assert len(served.codes.teams) == 3 and len(set(served.codes.teams)) == 3
    assert state["teams"][2]["code"] == shown(served.codes.teams[2])
    with served.connect() as ws:
        view = Socket(ws).join(served.codes.teams[2])["view"]
        assert (view["name"], view["round"]) == ("Rood opnieuw", 0)
    codes, again = store.restore(served.save, Facilitator)
    assert codes == served.codes and len(again.session.teams) == 3
