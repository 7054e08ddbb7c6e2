"""Every message from a browser is checked before anything acts on it.

Pure checks of `game.web.schema` and `game.web.codes`: no session, no socket.
"""

from __future__ import annotations

import json

import pytest

from game.web import schema
from game.web.codes import ALPHABET, TEAM_CODE_LENGTH, Codes, normalise, shown
from game.web.schema import FACILITATOR, GUEST, TEAM, Invalid


def refused(raw, role=TEAM, n_teams=3) -> Invalid:
    with pytest.raises(Invalid) as info:
        schema.parse(raw if isinstance(raw, str | bytes) else json.dumps(raw), role, n_teams)
    return info.value


def test_good_messages_pass_with_their_fields():
    assert schema.parse('{"type": "play_card", "card": "integral"}', TEAM, 3) == (
        "play_card", {"card": "integral"})
    assert schema.parse(b'{"type": "predict", "kpi": "mean_wait_weeks", "value": 9}',
                        TEAM, 3) == ("predict", {"kpi": "mean_wait_weeks", "value": 9.0})
    assert schema.parse('{"type": "inject", "card": "flu"}', FACILITATOR, 3) == (
        "inject", {"card": "flu", "team": None})
    assert schema.parse('{"type": "inject", "card": "crisis", "team": 2}', FACILITATOR, 3)[1] \
        == {"card": "crisis", "team": 2}


@pytest.mark.parametrize(("raw", "key", "field", "value"), [
    ("{not json", "web.error.json", "message", "{not json"),
    ('"play_card"', "web.error.object", "message", '"play_card"'),
    ('[1, 2]', "web.error.object", "message", "[1, 2]"),
    ('{"card": "integral"}', "web.error.type", "type", "null"),
    ('{"type": "fly"}', "web.error.type", "type", '"fly"'),
    ('{"type": "lock"}', "web.error.role", "type", '"lock"'),
    ('{"type": "play_card"}', "web.error.missing", "card", ""),
    ('{"type": "play_card", "card": "teleport"}', "web.error.value", "card", '"teleport"'),
    ('{"type": "play_card", "card": "flu"}', "web.error.value", "card", '"flu"'),
    ('{"type": "play_card", "card": 7}', "web.error.value", "card", "7"),
    ('{"type": "play_card", "card": "integral", "cost": 0}', "web.error.extra", "cost", "0"),
    ('{"type": "predict", "kpi": "happiness", "value": 1}', "web.error.value", "kpi",
     '"happiness"'),
    ('{"type": "predict", "kpi": "mean_wait_weeks", "value": "9"}', "web.error.value",
     "value", '"9"'),
    ('{"type": "predict", "kpi": "mean_wait_weeks", "value": true}', "web.error.value",
     "value", "true"),
    ('{"type": "predict", "kpi": "mean_wait_weeks", "value": NaN}', "web.error.value",
     "value", "NaN"),
    ('{"type": "predict", "kpi": "client_rating", "value": 11}', "web.error.value",
     "value", "11.0"),
    ('{"type": "ready", "on": "yes"}', "web.error.value", "on", '"yes"'),
])
def test_bad_messages_name_field_value_and_what_is_allowed(raw, key, field, value):
    exc = refused(raw)
    assert (exc.key, exc.field, exc.value) == (key, field, value)
    assert exc.allowed
    message = exc.to_message()
    assert message["type"] == "error" and message["message"] == str(exc)
    assert field in str(exc) and "allowed" in str(exc) or key in (
        "web.error.json", "web.error.object", "web.error.missing")


def test_unknown_card_lists_the_cards_a_team_may_play():
    exc = refused({"type": "play_card", "card": "teleport"})
    assert "integral" in exc.allowed and "flu" not in exc.allowed
    assert "teleport" in str(exc)


def test_facilitator_targets_a_team_that_exists():
    exc = refused({"type": "inject", "card": "flu", "team": 3}, FACILITATOR, 3)
    assert exc.field == "team" and "0 to 2" in exc.allowed
    assert refused({"type": "inject", "card": "integral"}, FACILITATOR).field == "card"


def test_a_guest_may_only_join():
    exc = refused({"type": "play_card", "card": "integral"}, GUEST)
    assert exc.key == "web.error.role" and exc.allowed == "join, ping"
    assert refused({"type": "join", "code": ""}, GUEST).field == "code"
    assert refused({"type": "join", "code": "x" * 65}, GUEST).field == "code"
    assert refused({"type": "join"}, TEAM).key == "web.error.role"


def test_size_limit_and_deep_nesting():
    exc = refused('{"type": "ping", "pad": "' + "x" * schema.MAX_MESSAGE_BYTES + '"}')
    assert exc.key == "web.error.size" and str(schema.MAX_MESSAGE_BYTES) in exc.allowed
    assert refused("[" * 1000 + "]" * 1000).key in ("web.error.json", "web.error.object")
    assert refused(b"\xff\xfe{}").key == "web.error.json"


def test_values_quoted_back_are_short():
    exc = refused({"type": "play_card", "card": "z" * 60})
    assert len(exc.value) <= schema.SHOWN_CHARS


def test_codes_are_random_distinct_and_survive_a_save():
    codes = Codes.new(6)
    assert len(set(codes.teams)) == 6
    assert all(len(c) == TEAM_CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes.teams)
    assert len(codes.facilitator) >= 20
    assert Codes.from_data(codes.to_data(), 6) == codes
    typed = shown(codes.teams[4]).lower()
    assert codes.role_of(typed) == ("team", 4)
    assert normalise(" k7p-m3x ") == "K7PM3X"
    assert codes.role_of(codes.facilitator) == ("facilitator", None)
    assert codes.role_of("AAAAAA" if "AAAAAA" not in codes.teams else "BBBBBB") is None
    with pytest.raises(ValueError, match="codes.teams"):
        Codes.from_data({"teams": ["0O0O0O"] * 6, "facilitator": codes.facilitator}, 6)
    with pytest.raises(ValueError, match="5 codes"):
        Codes.from_data(codes.to_data(), 5)
