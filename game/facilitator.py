"""The facilitator's session: every team plays the same round at the same time.

At a workshop the facilitator runs the session for 4-6 teams: opens and locks
card play, starts the round for all teams at once, pauses it, steps back a
round, branches a team from an earlier round ("what if we had..."), injects an
event for all teams or one, and times when the teams see their KPIs. The
pygame console (`game.scenes.console`) and the server for teams on their own
laptops (`game.web`) both drive this one object; it holds no pixels and no
sockets.

Everything that changes a model is an ordinary logged action, so the
facilitator's state is plain data too: the hot-seat save (`game.save`) plus
the flags in its `facilitator` section. Undo and branch are replays: a team's
log up to the start of the round it goes back to, run again from the seed -
the same weeks, bit for bit.

Beside the teams runs the base run: the same scenario and seed with no new
decisions, so the scoreboard can say what a team's choices changed, not only
where it stands.

The views (`team_view`, `scoreboard`) are plain JSON-ready data: ids,
translation keys and numbers (a KPI not measured yet is NaN; the server sends
it as null). Each reader translates them itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from game import predictions, save, save_schema
from game.cards import BY_ID, POLICY_CARDS
from game.indicators import BY_KEY, INDICATORS, SHOWN_STEP
from game.session import (
    DEFAULT_ROUNDS,
    ROUND_WEEKS,
    Session,
    Team,
    delayed,
    run_all,
    run_stages,
    snapshot,
)

MAX_TEAMS = save_schema.MAX_FACILITATED_TEAMS  # six teams, and a branch of each
SCOREBOARD = ("mean_wait_weeks", "share_ended_without_further_help", "client_rating",
              "professional_satisfaction")


class Facilitator:
    """One facilitated session over a warmed-up `Session` (see `new` and `from_data`)."""

    def __init__(self, session: Session, base: Team | None = None,
                 state: dict[str, Any] | None = None) -> None:
        self.session = session
        session.facilitator = self
        state = state or {}
        self.locked = bool(state.get("locked", False))
        self.paused = bool(state.get("paused", False))
        self.revealed = bool(state.get("revealed", True))
        ready = state.get("ready") or []
        self.ready_flags = [bool(ready[i]) if i < len(ready) else False
                            for i in range(len(session.teams))]
        for team in session.teams:
            session._begin_turn(team)
        # a round saved part-way (the game was closed while it ran) waits, paused, where it was
        self.running = [i for i, team in enumerate(session.teams)
                        if session.weeks_played(team) % ROUND_WEEKS]
        self.paused = self.paused or bool(self.running)
        self.base = base if base is not None else run_all(base_steps(session))
        self._week_run: Iterator[None] | None = None  # a week of the round, in stages

    # -- building -------------------------------------------------------------

    @classmethod
    def new_steps(cls, scenario: str, seed: int, team_names: list[str],
                  rounds: int = DEFAULT_ROUNDS, overrides: list[str] | None = None
                  ) -> Iterator[float]:
        """A new session: every team and the base run through the warm-up (progress 0-1).

        Returns the session, as `Session.warm_up_steps` does; its `facilitator` is the
        new Facilitator.
        """
        session = Session(scenario, seed, team_names, rounds, overrides)
        n = len(team_names)
        for done in session.warm_up_steps():
            yield done * n / (n + 1)
        base = yield from base_steps(session)
        cls(session, base)
        return session

    @classmethod
    def new(cls, scenario: str, seed: int, team_names: list[str],
            rounds: int = DEFAULT_ROUNDS, overrides: list[str] | None = None) -> Facilitator:
        return run_all(cls.new_steps(scenario, seed, team_names, rounds, overrides)).facilitator

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Facilitator:
        """A saved session (`to_data`), checked and replayed; `save.SaveError` if it cannot be.

        `game.save.restore_steps` does the work (with progress, for a loading screen).
        """
        session = run_all(save.restore_steps(data))
        if session.facilitator is None:  # a hot-seat save: from now on, facilitated
            cls(session)
        return session.facilitator

    def to_data(self) -> dict[str, Any]:
        """The save: seed, logs, cards and predictions, and the facilitator's flags."""
        self.finish_week()
        return save.to_data(self.session)

    def state_data(self) -> dict[str, Any]:
        """The `facilitator` section of a save."""
        return {"locked": self.locked, "paused": self.paused, "revealed": self.revealed,
                "ready": list(self.ready_flags)}

    # -- who may act ------------------------------------------------------------

    def refusal(self, team: int | None = None) -> str | None:
        """Why a team may not play a card or predict now (a translation key), or None."""
        i = self.session.team_index if team is None else team
        if i in self.running:
            return "play.why.running"
        if self.locked:
            return "play.why.locked"
        return None

    @contextmanager
    def _as_team(self, i: int):
        """The session's per-team calls, for team `i`."""
        s = self.session
        old = s.team_index
        s.team_index = i
        try:
            yield s.teams[i]
        finally:
            s.team_index = old

    def _team_ok(self, team: Any) -> bool:
        return isinstance(team, int) and not isinstance(team, bool) \
            and 0 <= team < len(self.session.teams)

    # -- the teams' actions -----------------------------------------------------

    def play_card(self, team: int, card_id: str) -> str | None:
        self.finish_week()
        if not self._team_ok(team) or card_id not in BY_ID:
            return "facilitator.why.unknown"
        with self._as_team(team):
            return self.session.play_card(card_id)

    def predict(self, team: int, kpi: str, value: float) -> str | None:
        if not self._team_ok(team):
            return "facilitator.why.unknown"
        with self._as_team(team):
            return self.session.predict(kpi, value)

    def ready(self, team: int, on: bool = True) -> str | None:
        """A team says it has decided (or not yet); the console shows it."""
        if not self._team_ok(team):
            return "facilitator.why.unknown"
        self.ready_flags[team] = bool(on)
        return None

    # -- the facilitator's controls -----------------------------------------------

    def lock(self) -> None:
        self.locked = True

    def unlock(self) -> None:
        self.locked = False

    def pause(self) -> None:
        """Stop the running round where it is (the console stops ticking)."""
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def reveal(self, on: bool = True) -> None:
        """Show (or hide) the KPIs on the teams' screens and the scoreboard."""
        self.revealed = bool(on)

    def inject(self, card_id: str, team: int | None = None) -> str | None:
        """An event for one team, or for every team still playing: a logged action each."""
        self.finish_week()
        card = BY_ID.get(card_id)
        if card is None or not card.event:
            return "play.why.not_event"
        if team is not None and not self._team_ok(team):
            return "facilitator.why.unknown"
        targets = [team] if team is not None else range(len(self.session.teams))
        reasons = []
        for i in targets:
            with self._as_team(i):
                reasons.append(self.session.inject_event(card_id))
        return None if any(r is None for r in reasons) else reasons[0]

    # -- rounds -------------------------------------------------------------------

    def start_round(self) -> str | None:
        """Every team that has rounds left runs its next quarter (see `step_week`)."""
        if self.running:
            return "facilitator.why.running"
        s = self.session
        todo = [i for i, team in enumerate(s.teams)
                if s.weeks_played(team) < s.rounds * ROUND_WEEKS]
        if not todo:
            return "facilitator.why.finished"
        self.running = todo
        self.paused = False
        return None

    def step_week(self) -> bool:
        """One week for every running team (and the base run); False when the round is over.

        A team that reaches the end of its quarter has its prediction scored and
        its next round opened.
        """
        if self.begin_week():
            self.finish_week()
        return bool(self.running)

    def begin_week(self) -> bool:
        """Begin the round's next week for every running team and the base run, to be run
        in stages by `advance_week` (the console does, between frames). A week in
        progress is finished first; False when no team is running."""
        self.finish_week()
        if not self.running:
            return False
        self._week_run = self._week_stages()
        return True

    @property
    def week_running(self) -> bool:
        """A week has begun and is not finished: some team's model is half-way through it."""
        return self._week_run is not None

    def advance_week(self, deadline: float) -> bool:
        """Run stages of the week in progress until it is done or `deadline` (perf_counter)
        has passed - at least one; True when no week is in progress any more."""
        self._week_run = run_stages(self._week_run, deadline)
        return self._week_run is None

    def finish_week(self) -> None:
        """Finish the week in progress, if any: what reads or changes a team needs it whole."""
        self.advance_week(math.inf)

    def _week_stages(self) -> Iterator[None]:
        """The teams one after the other, a model stage at a time, then the base run."""
        s = self.session
        done = []
        for i in list(self.running):
            with self._as_team(i):
                began = s.begin_week()
            while began and not s.advance_week(-math.inf):  # one stage a call
                yield
            with self._as_team(i) as team:
                weeks = s.weeks_played(team)
                if weeks % ROUND_WEEKS == 0:
                    s.settle_round(team, weeks // ROUND_WEEKS - 1)
                    done.append(i)
                    self.ready_flags[i] = False
                    if weeks < s.rounds * ROUND_WEEKS:
                        s._begin_turn(team)
        furthest = max(t.model.week for t in s.teams)
        while self.base.model.week < furthest:
            yield from self.base.model.step_stages()
            self.base.history.append(snapshot(self.base.model))
        # The round is over for a team only once the whole week is (the base run too).
        self.running = [i for i in self.running if i not in done]

    def start_round_steps(self) -> Iterator[float]:
        """The whole round at once, as progress fractions (the server runs it in a thread)."""
        if self.start_round() is not None:
            return
        s = self.session
        left = max(ROUND_WEEKS - s.weeks_played(s.teams[i]) % ROUND_WEEKS for i in self.running)
        done = 0
        while self.step_week():
            done += 1
            yield min(done / left, 1.0)

    def undo_round(self) -> str | None:
        """Every team back to the start of its round (when it has run part of it) or of the
        round before: its log up to then, replayed from the seed."""
        self.finish_week()
        if self.running and not self.paused:
            return "facilitator.why.running"
        s = self.session
        back = [(team, self._undo_target(team)) for team in s.teams]
        if all(r is None for _, r in back):
            return "facilitator.why.start"
        for team, r in back:
            if r is not None:
                run_all(self._rewind(team, r))
        self.running = []
        self.paused = False
        self.ready_flags = [False] * len(s.teams)
        return None

    def _undo_target(self, team: Team) -> int | None:
        weeks = self.session.weeks_played(team)
        if weeks % ROUND_WEEKS:
            return weeks // ROUND_WEEKS
        return weeks // ROUND_WEEKS - 1 if weeks else None

    def branch(self, team: int, round_index: int, name: str | None = None) -> str | None:
        """A new team: `team` as it stood at the start of `round_index`, to play on from there.

        The team itself plays on unchanged, so the branch shows what another
        choice would have changed. The branch is behind: "start the round"
        runs its rounds alongside the others.
        """
        self.finish_week()
        s = self.session
        if not self._team_ok(team):
            return "facilitator.why.unknown"
        if self.running:
            return "facilitator.why.running"
        if len(s.teams) >= MAX_TEAMS:
            return "facilitator.why.full"
        source = s.teams[team]
        if not isinstance(round_index, int) or not 0 <= round_index <= s.round_of(source):
            return "facilitator.why.round"
        label = (name or f"{source.name} ↳ {round_index + 1}")[:save_schema.MAX_TEAM_NAME - 3]
        taken = {t.name for t in s.teams}
        k = 2
        while label in taken:  # a second branch from the same round gets a number
            label = label.rsplit(" #", 1)[0] + f" #{k}"
            k += 1
        new = Team(label, source.model)
        new.cards = [list(r) for r in source.cards]
        new.events = [list(r) for r in source.events]
        new.predictions = [dict(p) for p in source.predictions]
        new.pending = [dict(p) for p in source.pending]
        actions = source.model.action_log + source.model.pending_actions
        run_all(self._rewind(new, round_index, actions))
        s.teams.append(new)
        self.ready_flags.append(False)
        return None

    def _rewind(self, team: Team, r: int, actions: list[dict] | None = None):
        """Rebuild `team` as it stood at the start of round `r`: a replay of its log.

        Actions logged from that week on are dropped; a card played before it
        that takes effect later waits again in the team's pending list.
        """
        s = self.session
        start = s.warmup + r * ROUND_WEEKS
        if actions is None:
            actions = team.model.action_log + team.model.pending_actions
        kept = [dict(a) for a in actions if a["week"] < start]
        pending = []
        for k in range(r):
            for card_id in team.cards[k] if k < len(team.cards) else []:
                later = delayed(card_id, s.warmup + k * ROUND_WEEKS)
                if later is not None and later["week"] >= start:
                    pending.append(later)
        team.pending = pending
        team.cards = [list(c) for c in team.cards[:r]]
        team.events = [list(e) for e in team.events[:r]]
        team.predictions = [p for p in team.predictions if p["round"] < r]
        yield from s.restore_team_steps(team, kept, r * ROUND_WEEKS)
        s._begin_turn(team)

    # -- views --------------------------------------------------------------------

    def base_at(self, weeks: int) -> dict[str, float]:
        """The base run's KPIs after `weeks` weeks of play."""
        history = self.base.history
        return history[min(max(weeks, 0), len(history) - 1)]

    def phase(self, i: int) -> str:
        s, team = self.session, self.session.teams[i]
        if i in self.running:
            return "paused" if self.paused else "running"
        if s.weeks_played(team) >= s.rounds * ROUND_WEEKS:
            return "finished"
        return "locked" if self.locked else "planning"

    def team_view(self, i: int, everything: bool = False) -> dict[str, Any]:
        """What team `i` sees: its round, budget, cards and why not, prediction and KPIs.

        KPIs are None while the facilitator hides them (`everything` shows them
        anyway, for the facilitator). Keys:
        name, round (0-based), rounds, week (into the round, 0-13), phase
        (planning, locked, running, paused, finished), locked, paused, revealed,
        ready, budget_left (euros), cards and events (ids this round), pending
        ([{card, week}]: cards still to take effect, week into the game),
        refusals ({card id: translation key or None} for every policy card),
        prediction (this round's, or None) and predictions (all, each
        {round, kpi, value or direction, start, end, points}), points (the
        prediction points so far), kpis and base ({KPI key: value} now, for
        the team and the base run at the same week), and rounds_kpis (the
        KPIs at the start of every round so far and now, oldest first).
        """
        s, team = self.session, self.session.teams[i]
        weeks = s.weeks_played(team)
        r = s.round_of(team)
        shown = self.revealed or everything
        with self._as_team(i):
            refusals = {c.id: s.can_play(c.id) for c in POLICY_CARDS}
            budget = team.budget_left(r)
        marks = team.history[::ROUND_WEEKS]
        if weeks % ROUND_WEEKS:
            marks.append(team.history[-1])
        return {
            "name": team.name, "round": r, "rounds": s.rounds,
            "week": weeks - r * ROUND_WEEKS, "phase": self.phase(i),
            "locked": self.locked, "paused": self.paused, "revealed": self.revealed,
            "ready": self.ready_flags[i], "budget_left": budget,
            "cards": list(team.cards[r]) if r < len(team.cards) else [],
            "events": list(team.events[r]) if r < len(team.events) else [],
            "pending": [{"card": p["card"], "week": p["week"] - s.warmup} for p in team.pending],
            "refusals": refusals,
            "prediction": dict(s.prediction(team, r) or {}) or None,
            "predictions": [dict(p) for p in team.predictions],
            "points": predictions.total(team.predictions),
            "kpis": _kpis(team.history[-1]) if shown else None,
            "base": _kpis(self.base_at(weeks)) if shown else None,
            "rounds_kpis": [_kpis(h) for h in marks] if shown else None,
        }

    def scoreboard(self, everything: bool = False) -> dict[str, Any]:
        """Every team against the targets and against the base run at the same week.

        Per team: name, round, week, kpis, base, versus_base ({key: team minus
        base, as the values are shown}), better ({key: +1 better than the base run, -1 worse, 0 the
        same as shown}), meets ({key: True/False against the target, None
        without one}), points. KPI values are None while hidden.
        """
        s = self.session
        shown = self.revealed or everything
        rows = []
        for i, team in enumerate(s.teams):
            weeks = s.weeks_played(team)
            now, base = team.history[-1], self.base_at(weeks)
            row = {"index": i, "name": team.name, "round": s.round_of(team),
                   "week": weeks - s.round_of(team) * ROUND_WEEKS, "phase": self.phase(i),
                   "points": predictions.total(team.predictions),
                   "kpis": None, "base": None, "versus_base": None, "better": None,
                   "meets": None}
            if shown:
                row.update(
                    kpis={k: now[k] for k in SCOREBOARD}, base={k: base[k] for k in SCOREBOARD},
                    versus_base={k: difference(k, base[k], now[k]) for k in SCOREBOARD},
                    better={k: better(k, base[k], now[k]) for k in SCOREBOARD},
                    meets={k: meets(k, now[k]) for k in SCOREBOARD})
            rows.append(row)
        return {"kpis": list(SCOREBOARD), "revealed": self.revealed,
                "targets": {k: BY_KEY[k].target for k in SCOREBOARD}, "teams": rows}


def base_steps(session: Session, chunk: int = 26):
    """The base run: the session's scenario and seed, no decisions, as far as the furthest team.

    A generator (progress for a loading screen) that returns the base run as a `Team`.
    """
    base = Team("base", session.teams[0].model)  # its own model is built by the replay
    for _ in session.restore_team_steps(base, [], 0, chunk):
        yield 1.0
    advance_base(base, session)
    return base


def advance_base(base: Team, session: Session) -> None:
    """The base run keeps up with the team that is furthest."""
    furthest = max(t.model.week for t in session.teams)
    while base.model.week < furthest:
        base.model.step()
        base.history.append(snapshot(base.model))


def difference(key: str, base: float, now: float) -> float:
    """`now` minus `base` as the screen shows them (5,8 against 5,9 is -0,1, never -0,0)."""
    if not (math.isfinite(base) and math.isfinite(now)):
        return math.nan
    step = SHOWN_STEP.get(BY_KEY[key].fmt, 1.0)
    return (round(now / step) - round(base / step)) * step


def better(key: str, base: float, now: float) -> int | None:
    """+1 when `now` is better than `base` as the screen shows them, -1 worse, 0 the same."""
    diff = difference(key, base, now)
    if not math.isfinite(diff):
        return None
    return 0 if diff == 0 else (1 if diff * BY_KEY[key].better > 0 else -1)


def meets(key: str, value: float) -> bool | None:
    ind = BY_KEY[key]
    if ind.target is None or not math.isfinite(value):
        return None
    return value <= ind.target if ind.better < 0 else value >= ind.target


def _kpis(row: dict[str, float]) -> dict[str, float]:
    return {ind.key: row.get(ind.key, math.nan) for ind in INDICATORS}
