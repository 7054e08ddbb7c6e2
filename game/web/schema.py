"""The messages a browser may send, and the check every message passes first.

Everything that arrives over the socket is untrusted. A message is one JSON
object of at most `MAX_MESSAGE_BYTES` with a `type` from `MESSAGES`, exactly
the fields that type allows, each of the right kind and within its range.
Anything else raises `Invalid`, which names the field, the value and what is
allowed, as a translation key with those three fields (the page shows it in
the player's language) and as an English sentence (for logs and tests). The
check changes nothing: the hub acts only on what passed it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from game.cards import EVENT_CARDS, POLICY_CARDS
from game.indicators import BY_KEY as INDICATORS
from game.predictions import allowed_range

MAX_MESSAGE_BYTES = 2048  # the largest real message (a join, a prediction) is under 200
MAX_TEXT_CHARS = 64
SHOWN_CHARS = 40  # a bad value is quoted back at most this long

POLICY_IDS = tuple(c.id for c in POLICY_CARDS)
EVENT_IDS = tuple(c.id for c in EVENT_CARDS)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, bool, number, policy_card, event_card, kpi, team, round
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True)
class Spec:
    roles: frozenset[str]  # guest (not joined yet), team, facilitator
    fields: tuple[Field, ...] = ()


GUEST, TEAM, FACILITATOR = "guest", "team", "facilitator"
_F = frozenset({FACILITATOR})
MESSAGES: dict[str, Spec] = {
    "join": Spec(frozenset({GUEST}), (Field("code", "text"),)),
    "ping": Spec(frozenset({GUEST, TEAM, FACILITATOR})),
    "play_card": Spec(frozenset({TEAM}), (Field("card", "policy_card"),)),
    "predict": Spec(frozenset({TEAM}), (Field("kpi", "kpi"), Field("value", "number"))),
    "ready": Spec(frozenset({TEAM}), (Field("on", "bool"),)),
    "lock": Spec(_F),
    "unlock": Spec(_F),
    "pause": Spec(_F),
    "resume": Spec(_F),
    "reveal": Spec(_F, (Field("on", "bool"),)),
    "start_round": Spec(_F),
    "undo_round": Spec(_F),
    "inject": Spec(_F, (Field("card", "event_card"),
                        Field("team", "team", required=False, nullable=True))),
    "branch": Spec(_F, (Field("team", "team"), Field("round", "round"),
                        Field("name", "text", required=False, nullable=True))),
}
MAX_ROUNDS = 52  # as a save allows (game.save_schema)


class Invalid(Exception):
    """A message refused: `key` is the translation key, `field`/`value`/`allowed` fill it."""

    def __init__(self, key: str, field: str, value: Any, allowed: str, message: str,
                 literal: bool = False) -> None:
        super().__init__(message)
        self.key, self.field, self.allowed = key, field, allowed
        # the value as JSON text ("teleport" in quotes), or as words when `literal` ("2100 bytes")
        self.value = _cut(value) if literal else quote(value)

    def to_message(self) -> dict[str, Any]:
        return {"type": "error", "key": self.key, "field": self.field, "value": self.value,
                "allowed": self.allowed, "message": str(self)}


def quote(value: Any) -> str:
    """A value as JSON text, cut short: safe to send back and to print."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def parse(raw: str | bytes, role: str, n_teams: int) -> tuple[str, dict[str, Any]]:
    """The message's type and fields, checked for a client in `role`; else `Invalid`."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_MESSAGE_BYTES:
        raise Invalid("web.error.size", "message", f"{size} bytes",
                      f"at most {MAX_MESSAGE_BYTES} bytes",
                      f"the message has {size} bytes; at most {MAX_MESSAGE_BYTES} are allowed",
                      literal=True)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        detail = str(exc) if isinstance(exc, ValueError) else "nested too deep"
        raise Invalid("web.error.json", "message", _cut(raw), "one JSON object",
                      f"the message is not valid JSON ({detail[:80]}); send one JSON object",
                      literal=True) from None
    if not isinstance(data, dict):
        raise Invalid("web.error.object", "message", data, "one JSON object with a 'type'",
                      f"the message is {quote(data)}, not a JSON object with a 'type'")
    kind = data.get("type")
    allowed = [t for t, spec in MESSAGES.items() if role in spec.roles]
    if kind not in MESSAGES:
        raise Invalid("web.error.type", "type", kind, ", ".join(allowed),
                      f"type {quote(kind)} is not a message this server knows; "
                      f"allowed: {', '.join(allowed)}")
    spec = MESSAGES[kind]
    if role not in spec.roles:
        raise Invalid("web.error.role", "type", kind, ", ".join(allowed),
                      f"type {quote(kind)} cannot be sent by a {role}; "
                      f"allowed: {', '.join(allowed)}")
    names = {f.name for f in spec.fields}
    for name in data:
        if name != "type" and name not in names:
            expected = ", ".join(sorted(names)) or "no fields"
            raise Invalid("web.error.extra", str(name)[:SHOWN_CHARS], data[name], expected,
                          f"field {quote(name)} is not part of a {kind!r} message; "
                          f"allowed fields: {expected}")
    fields = {}
    for f in spec.fields:
        if f.name not in data:
            if f.required:
                raise Invalid("web.error.missing", f.name, "", _describe(f, n_teams),
                              f"a {kind!r} message needs the field {f.name!r}: "
                              f"{_describe(f, n_teams)}", literal=True)
            fields[f.name] = None
            continue
        fields[f.name] = _check(f, data[f.name], n_teams, data)
    return kind, fields


def _cut(raw: str | bytes) -> str:
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def _describe(f: Field, n_teams: int) -> str:
    """What a field allows, in words (English; the page shows the same list)."""
    allowed = {
        "text": f"text of 1 to {MAX_TEXT_CHARS} characters",
        "bool": "true or false",
        "number": "a finite number",
        "policy_card": ", ".join(POLICY_IDS),
        "event_card": ", ".join(EVENT_IDS),
        "kpi": ", ".join(INDICATORS),
        "team": f"a team number from 0 to {n_teams - 1}",
        "round": f"a round number from 0 (the first) to {MAX_ROUNDS - 1}",
    }[f.kind]
    return f"{allowed} or null" if f.nullable else allowed


def _refuse(f: Field, value: Any, n_teams: int, why: str = "") -> Invalid:
    allowed = _describe(f, n_teams)
    return Invalid("web.error.value", f.name, value, allowed,
                   f"{f.name} = {quote(value)} {why or 'is not allowed'}; allowed: {allowed}")


def _check(f: Field, value: Any, n_teams: int, data: dict[str, Any]) -> Any:
    if value is None and f.nullable:
        return None
    kind = f.kind
    if kind == "text":
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_TEXT_CHARS \
                or any(ord(ch) < 32 for ch in value):
            raise _refuse(f, value, n_teams)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise _refuse(f, value, n_teams, "is not true or false")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            raise _refuse(f, value, n_teams, "is not a finite number")
        return _in_range(f, float(value), data.get("kpi"))
    if kind in ("team", "round"):
        top = n_teams if kind == "team" else MAX_ROUNDS
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < top:
            raise _refuse(f, value, n_teams, f"is no {kind}")
        return value
    choices = {"policy_card": POLICY_IDS, "event_card": EVENT_IDS, "kpi": tuple(INDICATORS)}
    if not isinstance(value, str) or value not in choices[kind]:
        raise _refuse(f, value, n_teams, f"is not a known {kind.replace('_', ' ')}")
    return value


def _in_range(f: Field, value: float, kpi: Any) -> float:
    """A prediction within what its KPI can be (a share 0..1, a rating 1..10)."""
    ind = INDICATORS.get(kpi) if isinstance(kpi, str) else None
    lo, hi = allowed_range(ind) if ind is not None else (-math.inf, math.inf)
    if not lo <= value <= hi:
        allowed = f"a number from {lo:g} to {hi:g}"
        raise Invalid("web.error.value", f.name, value, allowed,
                      f"{f.name} = {quote(value)} is out of range; allowed: {allowed}")
    return value
