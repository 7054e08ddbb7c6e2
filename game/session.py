"""One workshop session: the teams, their models, rounds and the cards they played.

Hot seat: every team plays the same starting neighbourhood (same scenario,
seed and warm-up) in its own model; in each round the teams take their turn
one after another. A turn is planning (cards, a prediction) and a quarter of
weeks running. Everything a model saw is in its action log, so a session is
plain data: scenario, seed, and per team the log - see `save.py`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from game import predictions
from game.cards import BY_ID, ROUND_BUDGET_EUR, provider_choice
from game.indicators import INDICATORS
from sim.actions import action_from_dict
from sim.model import SamenspelModel
from sim.scenario import load_scenario

ROUND_WEEKS = 13
DEFAULT_ROUNDS = 8


def snapshot(model: SamenspelModel) -> dict[str, float]:
    """The KPIs the game charts, plus the week, as plain floats."""
    row = {ind.key: float(model.kpi.get(ind.key, float("nan"))) for ind in INDICATORS}
    row["week"] = float(model.week)
    return row


@dataclass
class Team:
    name: str
    model: SamenspelModel
    history: list[dict[str, float]] = field(default_factory=list)
    cards: list[list[str]] = field(default_factory=list)  # card ids per round
    events: list[list[str]] = field(default_factory=list)  # facilitator's events per round
    predictions: list[dict[str, Any]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)  # {"week", "card", "action"}
    round_marks: list[int] = field(default_factory=list)  # len(model.events) at round start

    def budget_left(self, round_index: int) -> int:
        played = self.cards[round_index] if round_index < len(self.cards) else []
        return ROUND_BUDGET_EUR - sum(BY_ID[c].cost_eur for c in played)

    def played(self, round_index: int) -> list[str]:
        """The round's cards, then the events the facilitator injected in it."""
        def of(rounds: list[list[str]]) -> list[str]:
            return list(rounds[round_index]) if round_index < len(rounds) else []
        return of(self.cards) + of(self.events)

    def played_ever(self, card_id: str) -> bool:
        return any(card_id in r for r in self.cards) or any(
            p["card"] == card_id for p in self.pending)


def delayed(card_id: str, week: int) -> dict[str, Any] | None:
    """A card played in `week` that takes effect later: its entry in the team's pending list.

    None when it takes effect at once (or the model itself delays it, as a
    top-down project's roll-out).
    """
    card = BY_ID[card_id]
    action = card.action_dict()
    model_delay = action.get("rollout_weeks", 0)
    if card.delay_weeks <= model_delay:
        return None
    return {"week": week + card.delay_weeks - model_delay, "card": card_id, "action": action}


def run_all(steps):
    """Exhaust a generator of progress steps and return what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


class Session:
    def __init__(self, scenario_name: str, seed: int, team_names: list[str],
                 rounds: int = DEFAULT_ROUNDS, overrides: list[str] | None = None) -> None:
        self.scenario_name = scenario_name
        self.overrides = list(overrides or [])
        self.scenario = load_scenario(scenario_name, self.overrides or None)
        self.seed = int(seed)
        self.rounds = int(rounds)
        self.warmup = int(self.scenario.run.warmup_weeks)
        self.round = 0
        self.team_index = 0
        self.finished = False
        # With a facilitator (`game.facilitator`) the teams play their rounds at the same
        # time, so each team's round follows from its own weeks; it also says when teams
        # may act (a lock, a round under way).
        self.facilitator = None
        self._week_run = None  # the week in progress (`begin_week`), as a stage iterator
        # The game reads no per-group tables: its models skip them (same runs, faster).
        self.teams = [Team(name, SamenspelModel(self.scenario, seed=self.seed,
                                                collect_groups=False))
                      for name in team_names]

    # -- rounds ---------------------------------------------------------------

    def weeks_played(self, team: Team) -> int:
        return team.model.week - self.warmup

    def round_of(self, team: Team) -> int:
        """A team's round: the one it plans or runs (the last one once it has played all)."""
        return min(self.weeks_played(team) // ROUND_WEEKS, self.rounds - 1)

    @property
    def round(self) -> int:
        """The round of the team whose turn it is (hot seat: everyone's round)."""
        return self.round_of(self.team) if self.facilitator else self._round

    @round.setter
    def round(self, value: int) -> None:
        self._round = value

    @property
    def finished(self) -> bool:
        if self.facilitator:
            return all(self.weeks_played(t) >= self.rounds * ROUND_WEEKS for t in self.teams)
        return self._finished

    @finished.setter
    def finished(self, value: bool) -> None:
        self._finished = value

    # -- building -------------------------------------------------------------

    def warm_up_steps(self, chunk: int = 26):
        """Run every team's model through the warm-up (the same for all), in chunks.

        A generator of progress fractions, so the loading screen stays responsive;
        it returns the session itself.
        """
        total, done = max(self.warmup * len(self.teams), 1), 0
        for team in self.teams:
            left = self.warmup
            while left > 0:
                k = min(chunk, left)
                team.model.run_weeks(k)
                left -= k
                done += k
                yield done / total
            team.history = [snapshot(team.model)]
        self._begin_turn()
        return self

    def warm_up(self) -> Session:
        return run_all(self.warm_up_steps())

    def restore_team_steps(self, team: Team, actions: list[dict], weeks_played: int,
                           chunk: int = 26):
        """Rebuild a team's model from its log: same warm-up, logged actions replayed."""
        self.finish_week()
        team.model = SamenspelModel(self.scenario, seed=self.seed, actions=actions,
                                    collect_groups=False)
        left = self.warmup
        while left > 0:
            k = min(chunk, left)
            team.model.run_weeks(k)
            left -= k
            yield
        team.history = [snapshot(team.model)]
        team.round_marks = []
        for week in range(weeks_played):
            if week % ROUND_WEEKS == 0:
                team.round_marks.append(len(team.model.events))
            team.model.step()
            team.history.append(snapshot(team.model))
            if week % chunk == chunk - 1:
                yield
        # actions taken in the week the save was made, before it ran (a facilitator's event)
        team.model.apply_due_actions()

    # -- turns ----------------------------------------------------------------

    @property
    def team(self) -> Team:
        return self.teams[self.team_index]

    @property
    def model(self) -> SamenspelModel:
        return self.team.model

    def turn_start_week(self) -> int:
        return self.warmup + self.round * ROUND_WEEKS

    def turn_end_week(self) -> int:
        return self.turn_start_week() + ROUND_WEEKS

    def weeks_into_turn(self) -> int:
        return self.model.week - self.turn_start_week()

    def turn_done(self) -> bool:
        return self.model.week >= self.turn_end_week()

    def _begin_turn(self, team: Team | None = None) -> None:
        """Open the round of `team` (the current team): its lists and where its events start."""
        team = team or self.team
        r = self.round_of(team) if self.facilitator else self.round
        while len(team.cards) <= r:
            team.cards.append([])
        while len(team.events) <= r:
            team.events.append([])
        if len(team.round_marks) <= r:
            team.round_marks.append(len(team.model.events))

    def can_play(self, card_id: str) -> str | None:
        """None when the card may be played now, else the translation key of the reason."""
        card = BY_ID[card_id]
        team = self.team
        if card.event:
            return "play.why.event"
        if self.facilitator and (reason := self.facilitator.refusal()):
            return reason
        if self.weeks_into_turn() > 0 or self.finished or self.turn_done():
            return "play.why.running"
        if card.once and team.played_ever(card_id):
            return "play.why.played"
        if card.needs_choice and not provider_choice(team.model):
            return "play.why.no_choice"
        if card.cost_eur > team.budget_left(self.round):
            return "play.why.budget"
        return None

    def play_card(self, card_id: str) -> str | None:
        """Play a card now (or schedule it after its delay); return a reason if refused."""
        self.finish_week()
        reason = self.can_play(card_id)
        if reason:
            return reason
        team = self.team
        later = delayed(card_id, self.model.week)
        if later is not None:
            team.pending.append(later)
        else:
            self.model.apply(BY_ID[card_id].action_dict())
        team.cards[self.round].append(card_id)
        return None

    def inject_event(self, card_id: str) -> str | None:
        """The facilitator's event, now, at any week of the turn: an ordinary logged action.

        Kept apart from the team's cards (it is not their choice and costs them
        nothing); returns the translation key of a reason when refused.
        """
        self.finish_week()
        card = BY_ID.get(card_id)
        if card is None or not card.event:
            return "play.why.not_event"
        if self.finished or self.turn_done():
            return "play.why.finished"
        self.model.apply(card.action_dict())
        self.team.events[self.round].append(card_id)
        return None

    def predict(self, kpi: str, value: float) -> str | None:
        """The team's prediction for this round: `kpi` will be `value` at its end.

        One per round (a new one replaces it), only before the round runs;
        returns the translation key of a reason when refused.
        """
        self.finish_week()
        reason = predictions.check(kpi, value)
        if reason is None and self.facilitator:
            reason = self.facilitator.refusal()
        if reason is None and (self.weeks_into_turn() > 0 or self.turn_done()):
            reason = "play.why.running"
        if reason:
            return reason
        team, r = self.team, self.round
        team.predictions = [p for p in team.predictions if p["round"] != r]
        team.predictions.append({"round": r, "kpi": kpi, "value": float(value),
                                 "start": team.history[-1].get(kpi)})
        return None

    def prediction(self, team: Team | None = None, round_index: int | None = None
                   ) -> dict[str, Any] | None:
        team = team or self.team
        r = self.round if round_index is None else round_index
        return next((p for p in team.predictions if p["round"] == r), None)

    def settle_round(self, team: Team, round_index: int) -> None:
        """The round has run: its prediction gets the outcome and its points."""
        self.finish_week()
        p = self.prediction(team, round_index)
        if p is not None and "end" not in p:
            predictions.settle(p, team.history[-1].get(p["kpi"]))

    # -- weeks -----------------------------------------------------------------
    #
    # A week of a large town takes longer than a frame, so the play scene runs it a
    # stage at a time between frames (`begin_week`, then `advance_week` with a
    # deadline). Whatever must see whole weeks - a card, an event, a prediction, a
    # save, the end of a turn - calls `finish_week` first; `step_week` is a whole
    # week at once.

    def begin_week(self) -> bool:
        """Start the next week of the team whose turn it is (its due cards first).

        A week still in progress is finished first. False when the turn is done.
        """
        self.finish_week()
        team = self.team
        if self.turn_done():
            return False
        due = [p for p in team.pending if p["week"] <= team.model.week]
        for p in due:
            team.pending.remove(p)
            team.model.apply(action_from_dict(p["action"]))
        self._week_run = self._week_stages(team)
        return True

    def _week_stages(self, team: Team):
        yield from team.model.step_stages()
        team.history.append(snapshot(team.model))

    @property
    def week_running(self) -> bool:
        """A week has begun and is not finished: the model is half-way through it."""
        return self._week_run is not None

    def advance_week(self, deadline: float) -> bool:
        """Run stages of the week in progress until it is done or `deadline` (perf_counter)
        has passed - at least one, so a week always moves on however slow the frames;
        True when no week is in progress any more."""
        self._week_run = run_stages(self._week_run, deadline)
        return self._week_run is None

    def finish_week(self) -> None:
        """Finish the week in progress, if any: the one way to reach a whole week."""
        self.advance_week(math.inf)

    def step_week(self) -> None:
        """One whole model week for the team whose turn it is."""
        if self.begin_week():
            self.finish_week()

    def end_turn(self) -> None:
        """Close the turn: settle the prediction; next team, or the next round."""
        self.finish_week()
        self.settle_round(self.team, self.round)
        self.team_index += 1
        if self.team_index >= len(self.teams):
            self.team_index = 0
            self.round += 1
        if self.round >= self.rounds:
            self.finished = True
            self.round = self.rounds - 1
            self.team_index = len(self.teams) - 1
            return
        self._begin_turn()

    def round_events(self, team: Team | None = None, round_index: int | None = None) -> list:
        team = team or self.team
        r = self.round if round_index is None else round_index
        start = team.round_marks[r] if r < len(team.round_marks) else len(team.model.events)
        end = team.round_marks[r + 1] if r + 1 < len(team.round_marks) else None
        return team.model.events[start:end]


def run_stages(stages: Iterator[None] | None, deadline: float) -> Iterator[None] | None:
    """Run `stages` until they are done or `deadline` (perf_counter) has passed - at least
    one, so a week always moves on however slow the frames; the stages still to run, or
    None when they are done."""
    while stages is not None:
        try:
            next(stages)
        except StopIteration:
            return None
        if time.perf_counter() >= deadline:
            break
    return stages
