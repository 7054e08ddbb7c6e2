"""Innovation from below and from above.

Bottom-up: professionals with experimentation time try small improvements.
Each idea has a true effect on how well care works, seen only through noise
after a trial; ideas judged good are adopted and spread over trust ties (more
across organisations with knowledge sharing); ideas judged bad die cheaply.
Control-style management leaves little time to try and little room to copy.

Transparency (network intelligence): teams see each other's results. Every
trial period the results of all users of an idea are pooled, so its visible
effect is measured with less noise the more professionals use it; an idea
that visibly fails is dropped everywhere, and one that visibly works spreads
faster. It costs registration time, and with few users the pooled result is
still noisy, so a good idea can be dropped too.

Top-down: one project (a system, a method) mandated everywhere at once. Its
fit with practice is hidden until it is used; commitment is low (0.4-0.6), so
even a good fit works at well under full strength; a fitting system takes
paperwork away, a badly fitting one adds it and costs morale. The project's
cost is paid whatever its fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.params import InnovationParams
from sim.trust import TrustNetwork

ADOPT_THRESHOLD = 0.0  # an idea is kept when its observed effect is positive


@dataclass
class Idea:
    id: int
    origin: int  # professional index
    effect: float  # true effect on care (hidden)
    started: int
    judged: bool = False
    adopted: bool = False
    visible: float | None = None  # pooled result of its users, when results are shared


@dataclass
class TopDownProject:
    start: int
    fit: float  # true effect on care at full commitment (hidden until used)
    commitment: float
    admin_share: float  # extra administration while it runs, when the fit is bad
    weekly_cost: float = 0.0  # paid during the roll-out (at least one week)
    paid_weeks: int = 0
    pay_weeks: int = 1
    revealed: bool = False


class Innovations:
    def __init__(self, n_professionals: int) -> None:
        self.ideas: list[Idea] = []
        self.adopters = np.zeros((0, n_professionals), dtype=bool)
        self.trying = np.full(n_professionals, -1, dtype=np.int64)
        self.projects: list[TopDownProject] = []
        self.tried = self.abandoned = 0

    def adopted_effect(self, cap: float) -> np.ndarray:
        """Each professional's gain in care effect from adopted ideas."""
        if not self.ideas:
            return np.zeros(self.adopters.shape[1])
        effects = np.array([i.effect for i in self.ideas])
        return np.clip(effects @ self.adopters, -cap, cap)

    def project_effect(self, week: int) -> tuple[float, float]:
        """(care effect, extra admin share) of the running top-down projects."""
        effect = admin = 0.0
        for p in self.projects:
            if week >= p.start:
                effect += p.fit * p.commitment
                admin += p.admin_share
        return effect, admin

    def try_ideas(self, rng: np.random.Generator, params: InnovationParams,
                  experiment_hours: np.ndarray, week: int) -> list[Idea]:
        """Professionals with experimentation time start trials of new ideas."""
        p_try = 1 - np.exp(-params.idea_rate * experiment_hours)
        free = self.trying < 0
        starts = np.flatnonzero(free & (rng.random(len(p_try)) < p_try))
        new = []
        for prof in starts:
            idea = Idea(len(self.ideas), int(prof),
                        float(rng.normal(params.effect_mean, params.effect_sd)), week)
            self.ideas.append(idea)
            self.trying[prof] = idea.id
            new.append(idea)
        if new:
            grow = np.zeros((len(new), self.adopters.shape[1]), dtype=bool)
            self.adopters = np.vstack([self.adopters, grow])
        self.tried += len(new)
        return new

    def judge(self, rng: np.random.Generator, params: InnovationParams, week: int) -> list[Idea]:
        """Trials that have run their course are kept or dropped on a noisy result."""
        done = []
        for prof in np.flatnonzero(self.trying >= 0).tolist():
            idea = self.ideas[self.trying[prof]]
            if week - idea.started < params.trial_weeks:
                continue
            seen = idea.effect + rng.normal(0.0, params.observation_noise)
            idea.judged, idea.adopted = True, seen > ADOPT_THRESHOLD
            self.adopters[idea.id, prof] = idea.adopted
            self.abandoned += not idea.adopted
            self.trying[prof] = -1
            done.append(idea)
        return done

    def review(self, rng: np.random.Generator, params: InnovationParams,
               week: int) -> list[Idea]:
        """Shared results: every trial period each adopted idea's users pool what they saw.

        The pooled result has noise sd / sqrt(users); an idea whose pooled
        result is not positive is dropped by all its users. Returns those ideas.
        """
        if not params.transparency or week % max(params.trial_weeks, 1):
            return []
        dropped = []
        for idea in self.ideas:
            if not idea.adopted:
                continue
            users = int(self.adopters[idea.id].sum())
            if users == 0:
                continue
            idea.visible = idea.effect + float(rng.normal(0.0, params.observation_noise
                                                          / np.sqrt(users)))
            if idea.visible <= ADOPT_THRESHOLD:
                idea.adopted = False
                self.adopters[idea.id] = False
                self.abandoned += 1
                dropped.append(idea)
        return dropped

    def spread(self, rng: np.random.Generator, trust: TrustNetwork, rate: float,
               sharing: float, climate: float, effect_sd: float = 1.0) -> int:
        """Adopted ideas pass over trust ties; returns how many adoptions spread.

        An idea whose shared result is visible spreads up to twice as fast when
        it visibly works; without shared results spread is blind to results.
        Ties across organisations carry an idea at `sharing` of their strength.
        """
        everyone = self.adopters.all(axis=1).tolist()  # per idea, in one reduction
        active = [idea for idea in self.ideas if idea.adopted and not everyone[idea.id]]
        if not active:
            return 0
        ids = [idea.id for idea in active]
        have = self.adopters[ids]
        # Every idea's pressure at once: entry (k, i) sums the weights of
        # professional i's ties to idea k's users.
        pressure = trust.pressure(have, sharing)
        pressure *= rate * climate
        for row, idea in enumerate(active):
            if idea.visible is not None:
                shown = idea.visible / max(effect_sd, 1e-9)
                pressure[row] *= 1.0 + min(max(shown, 0.0), 1.0)
        # one draw per professional per idea, in the ideas' order, as one block
        catch = ~have & (rng.random(have.shape) < 1 - np.exp(-pressure))
        self.adopters[ids] |= catch
        return int(catch.sum())

    def counts(self) -> dict[str, int]:
        kept = [i for i in self.ideas if i.adopted]
        adopted = len(kept)
        # Users other than the originator. Not `adopters.sum() - adopted`: when an
        # originator leaves, their column is cleared for the newcomer (sim.staffing),
        # so an adopted idea need not be held by its originator any more, and that
        # difference went negative on long runs.
        held_by_origin = int(self.adopters[[i.id for i in kept],
                                           [i.origin for i in kept]].sum()) if kept else 0
        spread = int(self.adopters.sum()) - held_by_origin
        return {"innovations_tried": self.tried, "innovations_adopted": adopted,
                "innovation_spread": spread, "innovations_abandoned": self.abandoned}
