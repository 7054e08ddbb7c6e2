"""The schema of a saved game (version 1): every field's type and range, checked before use.

A save comes from disk, so it may be damaged, hand-edited or from another
program. Nothing is built from it until every field has been checked here: a
wrong type, a number out of range, an unknown action or card, a name of a
million characters. Each problem is reported by its place in the file
(`teams[1].actions[4].count`), its value and what is allowed.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import MISSING, fields
from typing import Any

from game import predictions
from game.cards import BY_ID, CARDS
from game.indicators import BY_KEY as BY_INDICATOR
from game.indicators import INDICATORS
from sim import limits
from sim.actions import ACTIONS, SetParam
from sim.capacity import LONGEST_LIST
from sim.domains import DOMAIN_KEYS, SILOS
from sim.errors import shorten
from sim.params import RunParams

MAX_TEAMS = 6
CAPACITY_DOMAINS = ("wijkteam", LONGEST_LIST, *DOMAIN_KEYS)  # where capacity can be bought
MAX_FACILITATED_TEAMS = 12  # a facilitator may branch every team once
MAX_ROUNDS = 52  # thirteen years of quarters: far more than a workshop plays
ROUND_WEEKS = 13
MAX_TEAM_NAME = 40  # the title screen allows 18; some room for names given on the command line
MAX_ACTIONS = 5_000  # per team; a full game of 52 rounds plays a few hundred
MAX_WEEK = RunParams.__dataclass_fields__["weeks"].metadata["hi"]
SEED_MAX = RunParams.__dataclass_fields__["seed"].metadata["hi"]

TOP_KEYS = {"format", "version", "scenario", "overrides", "seed", "rounds", "round",
            "team_index", "finished", "teams"}
TEAM_KEYS = {"name", "weeks_played", "actions", "pending", "cards", "predictions"}
PREDICTION_KEYS = {"round", "kpi", "start"}
# A prediction is a number (`value`, scored in `points` after its round); saves from
# before predictions were numbers hold a direction (+1 up, -1 down) instead.
PREDICTION_OPTIONAL = {"value", "direction", "end", "points"}
FACILITATOR_KEYS = {"locked", "paused", "revealed", "ready"}
KPI_KEYS = tuple(ind.key for ind in INDICATORS)
# The parameters a card may set: the only `set` actions a game writes.
SET_KEYS = tuple(sorted({c.action.key for c in CARDS if isinstance(c.action, SetParam)}))


class Invalid(Exception):
    """One field that is wrong: where it is, what it holds and what is allowed."""

    def __init__(self, where: str, value: Any, allowed: str) -> None:
        super().__init__(f"{where} = {_show(value)}: {allowed}")


class Missing(Invalid):
    def __init__(self, where: str) -> None:
        Exception.__init__(self, f"{where} is missing")


def _child(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) > 30:
        return f"{value[:30]!r}... ({len(value):,} characters)"
    try:
        return shorten(repr(value), 60)
    except (ValueError, RecursionError):  # an int of >4300 digits cannot be shown
        return f"<a {type(value).__name__}>"


# ---------------------------------------------------------------- single values


def whole(value: Any, where: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise Invalid(where, value, f"must be a whole number from {lo:,} to {hi:,}")
    return value


def number(value: Any, where: str, lo: float, hi: float, *, none: bool = False) -> Any:
    if value is None and none:
        return value
    ok = (isinstance(value, int | float) and not isinstance(value, bool)
          and math.isfinite(value) and lo <= value <= hi)
    if not ok:
        extra = " (or null)" if none else ""
        raise Invalid(where, value, f"must be a number from {lo:g} to {hi:g}{extra}")
    return value


def kpi_value(value: Any, where: str) -> Any:
    """A KPI as the game recorded it: a number, NaN (nothing measured yet) or null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return value
    return number(value, where, -1e15, 1e15)


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(where, value, "must be true or false")
    return value


def text(value: Any, where: str, most: int) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= most:
        raise Invalid(where, value, f"must be a text of 1 to {most:,} characters")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise Invalid(where, value, "must not contain control characters")
    return value


def one_of(value: Any, where: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(allowed[:8]) + (f", ... ({len(allowed)} in all)"
                                          if len(allowed) > 8 else "")
        raise Invalid(where, value, f"must be one of {shown}")
    return value


def items(value: Any, where: str, most: int) -> list:
    if not isinstance(value, list) or len(value) > most:
        raise Invalid(where, value, f"must be a list of at most {most:,} items")
    return value


def table(value: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise Invalid(where or "the save", value, "must be a table ({...})")
    missing = sorted(required - set(value))
    if missing:
        raise Missing(_child(where, missing[0]))
    unknown = sorted(set(value) - required - set(optional))
    if unknown:
        raise Invalid(_child(where, shorten(str(unknown[0]), 40)), value[unknown[0]],
                      "is not a field of a saved game")
    return value


# ---------------------------------------------------------------- actions

# What each action's fields may hold. A game only writes what its cards make,
# and the model's own top-down project; the ranges are wide around those.
_FIELD_CHECKS: dict[str, dict[str, Any]] = {
    "set": {"key": lambda v, w: one_of(v, w, SET_KEYS), "value": None},
    "top_down_project": {"cost_eur": lambda v, w: number(v, w, 0, 1e10),
                         "fit": lambda v, w: number(v, w, -5, 5, none=True),
                         "rollout_weeks": lambda v, w: whole(v, w, 0, 520)},
    "hire": {"count": lambda v, w: whole(v, w, 1, 1_000),
             "domain": lambda v, w: one_of(v, w, CAPACITY_DOMAINS)},
    "budget": {"silo": lambda v, w: one_of(v, w, SILOS),
               "euros": lambda v, w: number(v, w, -1e12, 1e12)},
    "procure": {"providers": lambda v, w: whole(v, w, 1, 500),
                "head_contractor": flag},
    "flu_wave": {"share": lambda v, w: number(v, w, 0, 1),
                 "weeks": lambda v, w: whole(v, w, 1, 52)},
    "crisis": {"families": lambda v, w: whole(v, w, 0, 10_000)},
    "bankrupt": {},
    "contract_capacity": {"domain": lambda v, w: one_of(v, w, CAPACITY_DOMAINS),
                          "professionals": lambda v, w: whole(v, w, 1, 1_000),
                          "lead_weeks": lambda v, w: whole(v, w, -1, 520)},
    "staff_practice": {"practice": lambda v, w: one_of(
                           v, w, ("trajectbegeleiding", "online_help", "network_activation")),
                       "staffed": lambda v, w: one_of(v, w, ("new", "moved")),
                       "per_1000_families": lambda v, w: number(v, w, -1, 50),
                       "lead_weeks": lambda v, w: whole(v, w, -1, 520)},
}


def _required(kind: str) -> set[str]:
    cls = ACTIONS[kind]
    return {f.name for f in fields(cls)
            if f.default is MISSING and f.default_factory is MISSING}


def action(value: Any, where: str) -> dict:
    """One logged action: a known kind, a week, and its own fields within range."""
    kind = one_of(value.get("kind") if isinstance(value, dict) else value, f"{where}.kind",
                  tuple(_FIELD_CHECKS))
    checks = _FIELD_CHECKS[kind]
    table(value, where, {"week", "kind"} | _required(kind), set(checks))
    whole(value["week"], f"{where}.week", 0, MAX_WEEK)
    for name, check in checks.items():
        if name in value and check is not None:
            check(value[name], f"{where}.{name}")
    if kind == "set":
        _set_value(value, where)
    return value


def _set_value(value: dict, where: str) -> None:
    """A `set` action's value is checked like the same key in a scenario file."""
    from sim.params import Scenario
    from sim.scenario import ScenarioError, with_setting

    try:
        with_setting(Scenario(), value["key"], value["value"])
    except ScenarioError as exc:
        raise Invalid(f"{where}.value", value["value"], str(exc)) from None


# ---------------------------------------------------------------- a team, a save


def _pending(value: Any, where: str) -> None:
    table(value, where, {"week", "card", "action"})
    whole(value["week"], f"{where}.week", 0, MAX_WEEK)
    one_of(value["card"], f"{where}.card", tuple(BY_ID))
    action({"week": value["week"], **value["action"]} if isinstance(value["action"], dict)
           else value["action"], f"{where}.action")


def _cards(value: Any, where: str, rounds: int) -> None:
    for r, played in enumerate(items(value, where, rounds)):
        for k, card in enumerate(items(played, f"{where}[{r}]", len(CARDS))):
            one_of(card, f"{where}[{r}][{k}]", tuple(BY_ID))


def _events(value: Any, where: str, rounds: int) -> None:
    """The facilitator's events per round (saves from before events were kept apart lack it)."""
    events = tuple(c.id for c in CARDS if c.event)
    for r, injected in enumerate(items(value, where, rounds)):
        for k, card in enumerate(items(injected, f"{where}[{r}]", MAX_ACTIONS)):
            one_of(card, f"{where}[{r}][{k}]", events)


def _predictions(value: Any, where: str, rounds: int) -> None:
    for k, p in enumerate(items(value, where, rounds)):
        at = f"{where}[{k}]"
        table(p, at, PREDICTION_KEYS, PREDICTION_OPTIONAL)
        whole(p["round"], f"{at}.round", 0, rounds - 1)
        one_of(p["kpi"], f"{at}.kpi", KPI_KEYS)
        if ("value" in p) == ("direction" in p):
            raise Invalid(at, p, "must hold a predicted value or (older saves) a direction, "
                                 "not both")
        if "value" in p:
            lo, hi = predictions.allowed_range(BY_INDICATOR[p["kpi"]])
            number(p["value"], f"{at}.value", lo, hi)
        else:
            whole(p["direction"], f"{at}.direction", -1, 1)
        kpi_value(p["start"], f"{at}.start")
        if "end" in p:
            kpi_value(p["end"], f"{at}.end")
        if "points" in p and p["points"] is not None:
            whole(p["points"], f"{at}.points", 0, predictions.MAX_POINTS)


def _weeks_played(value: Any, where: str, data: dict, i: int) -> None:
    """Teams before the one whose turn it is have played one quarter more than those after.

    With a facilitator the teams play at the same time, and a branch may be behind:
    any week of the game.
    """
    done = ROUND_WEEKS * (data["round"] + (1 if i < data["team_index"] else 0))
    most = done + (ROUND_WEEKS if i == data["team_index"] else 0)
    if "facilitator" in data:
        done, most = 0, ROUND_WEEKS * data["rounds"]
    if isinstance(value, bool) or not isinstance(value, int) or not done <= value <= most:
        span = f"{done}" if most == done else f"from {done} to {most}"
        raise Invalid(where, value, f"must be {span} in round {data['round'] + 1} with team "
                                    f"{data['team_index'] + 1} to play")


def team(value: Any, where: str, data: dict, i: int) -> None:
    table(value, where, TEAM_KEYS, {"events"})
    text(value["name"], f"{where}.name", MAX_TEAM_NAME)
    _weeks_played(value["weeks_played"], f"{where}.weeks_played", data, i)
    for k, a in enumerate(items(value["actions"], f"{where}.actions", MAX_ACTIONS)):
        action(a, f"{where}.actions[{k}]")
    for k, p in enumerate(items(value["pending"], f"{where}.pending", MAX_ACTIONS)):
        _pending(p, f"{where}.pending[{k}]")
    _cards(value["cards"], f"{where}.cards", data["rounds"])
    if "events" in value:
        _events(value["events"], f"{where}.events", data["rounds"])
    _predictions(value["predictions"], f"{where}.predictions", data["rounds"])


def _facilitator(value: Any, n_teams: int) -> None:
    table(value, "facilitator", FACILITATOR_KEYS)
    for name in ("locked", "paused", "revealed"):
        flag(value[name], f"facilitator.{name}")
    for k, on in enumerate(items(value["ready"], "facilitator.ready", n_teams)):
        flag(on, f"facilitator.ready[{k}]")


def check(data: Any) -> None:
    """Raise Invalid for the first field of a save that is not as a game writes it."""
    table(data, "", TOP_KEYS, {"facilitator"})
    text(data["scenario"], "scenario", limits.MAX_PATH_CHARS)
    for k, o in enumerate(items(data["overrides"], "overrides", limits.MAX_OVERRIDES)):
        text(o, f"overrides[{k}]", limits.MAX_OVERRIDE_CHARS)
    whole(data["seed"], "seed", 0, SEED_MAX)
    rounds = whole(data["rounds"], "rounds", 1, MAX_ROUNDS)
    whole(data["round"], "round", 0, rounds - 1)
    flag(data["finished"], "finished")
    most = MAX_FACILITATED_TEAMS if "facilitator" in data else MAX_TEAMS
    teams = items(data["teams"], "teams", most)
    if not teams:
        raise Invalid("teams", teams, f"must hold 1 to {most} teams")
    whole(data["team_index"], "team_index", 0, len(teams) - 1)
    if "facilitator" in data:
        _facilitator(data["facilitator"], len(teams))
    for i, t in enumerate(teams):
        team(t, f"teams[{i}]", data, i)
