"""Family state as arrays owned by the model, and the weekly problem dynamics.

Every week touches every family, so their state lives in numpy arrays (one
row per family) rather than in Python objects; `Family` is a thin view for
code that wants to read one family. The dynamics are a small stochastic
system per family and domain:

    s' = s + onset + (coupling * (s @ W) + self_growth * s * (1 - protection)) * (1 - s)
           - recovery * protection * s - care * s + noise

Problems cluster because of W (debt feeds parental stress feeds parenting
problems feeds school absence); protective factors (informal network,
self-reliance) speed recovery and slow growth; toxic stress leaves adverse
childhood experiences (ACEs, sim/adversity.py) that raise the risk of the
child's own problems.
"""

from __future__ import annotations

import numpy as np

from sim import adversity
from sim.domains import N_DOMAINS, Domain, coupling_matrix
from sim.params import Scenario
from sim.rows import row_any, row_count
from sim.states import FamilyState, Stress

NEVER = -10**6  # "week" of something that never happened
SQRT12 = 12**0.5  # a uniform draw on [-1/2, 1/2] times this has standard deviation 1


class FamilyArrays:
    """The state of all families, one row each."""

    def __init__(self, scenario: Scenario, rng: np.random.Generator) -> None:
        pop = scenario.population
        n = pop.families
        self.n = n
        self.children = np.clip(1 + rng.poisson(pop.mean_children - 1, n), 1, 4).astype(np.int16)
        self.neighbourhood = rng.integers(0, pop.neighbourhood_count, n).astype(np.int32)
        self.multi_problem = np.zeros(n, dtype=bool)
        self.risk = np.ones(n)
        self.network = np.zeros(n)
        self.self_reliance = np.zeros(n)
        self.consent = np.zeros(n)
        self.draw_traits(scenario, rng, np.arange(n))
        self.severity = np.zeros((n, N_DOMAINS))
        self.ace_kinds = np.zeros(n, dtype=np.uint8)  # bit mask over adversity.ACE_KINDS
        self.toxic_weeks = np.zeros(n, dtype=np.int32)
        self.toxic_this_year = np.zeros(n, dtype=bool)
        self.stress = np.zeros(n, dtype=np.int8)
        self.state = np.full(n, FamilyState.HEALTHY, dtype=np.int8)
        # Care as arrays: which provider and professional treat which domain, how well.
        self.care_rate = np.zeros((n, N_DOMAINS))
        self.care_prof = np.full((n, N_DOMAINS), -1, dtype=np.int32)
        self.light_rate = np.zeros(n)
        # An alternative programme while waiting (school, mental health): its effect and end.
        self.other_rate = np.zeros((n, N_DOMAINS))
        self.alternative_until = np.full(n, NEVER, dtype=np.int32)
        self.last_record = np.full(n, -1, dtype=np.int64)  # index of the latest episode record
        self.light_prof = np.full(n, -1, dtype=np.int32)
        self.self_managed = np.zeros(n, dtype=bool)
        self.integral_plan = np.zeros(n, dtype=bool)
        self.plan_size = np.zeros(n, dtype=np.int8)  # domains in the one plan
        self.plan_extensions = np.zeros(n, dtype=np.int8)
        self.misplaced = np.zeros(n, dtype=bool)  # in an alternative programme this episode
        self.activated = np.zeros(n, dtype=bool)
        # History, for relapse, repeat use and the timeline.
        self.last_end = np.full(n, NEVER, dtype=np.int32)
        self.episode_start = np.full(n, NEVER, dtype=np.int32)
        self.signal_week = np.full(n, NEVER, dtype=np.int32)
        self.state_since = np.zeros(n, dtype=np.int32)
        self.episodes = np.zeros(n, dtype=np.int32)
        self.retold = np.zeros(n, dtype=np.int32)
        self.episode_retold = np.zeros(n, dtype=np.int32)
        self.episode_plans = np.zeros(n, dtype=np.int32)
        self.episode_wait = np.zeros(n)
        self.episode_severity = np.zeros(n)
        self.episode_relapse = np.zeros(n, dtype=bool)
        self.channel = np.zeros(n, dtype=np.int8)
        self._w = coupling_matrix()
        self._scratch: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def draw_traits(self, scenario: Scenario, rng: np.random.Generator,
                    idx: np.ndarray) -> None:
        """Risk and protective factors of new families (at the start, or moving in)."""
        pop, k = scenario.population, idx.size
        self.multi_problem[idx] = rng.random(k) < pop.multi_problem_share
        sigma = pop.risk_spread
        self.risk[idx] = np.where(self.multi_problem[idx], pop.multi_problem_risk, 1.0) * (
            rng.lognormal(-sigma**2 / 2, sigma, k))
        self.network[idx] = _beta_around(rng, pop.informal_network_mean, k)
        self.self_reliance[idx] = _beta_around(rng, pop.self_reliance_mean, k)
        # Multi-problem families have weaker protective factors.
        self.network[idx] *= np.where(self.multi_problem[idx], 0.6, 1.0)
        self.self_reliance[idx] *= np.where(self.multi_problem[idx], 0.7, 1.0)
        self.consent[idx] = _beta_around(rng, scenario.cooperation.consent_share_mean, k)

    def reset_episode(self, f: int, week: int, activated: bool) -> None:
        """A new episode begins for family `f`: its per-episode counters start again."""
        self.episode_start[f] = week
        self.episodes[f] += 1
        self.episode_retold[f] = 0
        self.episode_plans[f] = 0
        self.episode_wait[f] = 0.0
        self.episode_severity[f] = self.severity[f].sum()
        self.integral_plan[f] = False
        self.plan_size[f] = 0
        self.plan_extensions[f] = 0
        self.misplaced[f] = False
        self.self_managed[f] = False
        self.activated[f] = activated

    def renew(self, scenario: Scenario, rng: np.random.Generator, idx: np.ndarray) -> None:
        """Children grew up and a new family lives here: fresh traits, no history."""
        self.draw_traits(scenario, rng, idx)
        self.children[idx] = np.clip(1 + rng.poisson(scenario.population.mean_children - 1,
                                                     idx.size), 1, 4)
        self.severity[idx] = 0.0
        self.ace_kinds[idx] = 0
        self.toxic_weeks[idx] = 0
        self.toxic_this_year[idx] = False
        self.last_end[idx] = NEVER
        self.episode_start[idx] = NEVER
        self.signal_week[idx] = NEVER
        self.episodes[idx] = 0
        self.retold[idx] = 0
        self.last_record[idx] = -1
        self.other_rate[idx] = 0.0
        self.alternative_until[idx] = NEVER

    # -- dynamics -------------------------------------------------------------

    @property
    def aces(self) -> np.ndarray:
        """The ACE score the risk follows: how many kinds each family's children lived
        through (derived from `ace_kinds`, its one record)."""
        return adversity.score(self.ace_kinds)

    def protection(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Protective factors in [0, 1]: informal network and self-reliance (of `rows`)."""
        return 0.5 * self.network[rows] + 0.5 * self.self_reliance[rows]

    def evolve(self, scenario: Scenario, rng: np.random.Generator, care_rate: np.ndarray,
               coherence: np.ndarray, onset_factor: np.ndarray,
               wait_damping: np.ndarray, strain: np.ndarray | None = None) -> None:
        """One week of problem growth, recovery, care and noise, for every family.

        `care_rate` is the weekly share of severity care removes per domain (as
        delivered this week); `coherence` scales it by how well plans fit;
        `strain` (None: nobody's) is the share of its protective factors a family
        spends this week on something else: parents who coordinate their own plan.
        """
        pr = scenario.problems
        s = self.severity
        feed, buf, u = self._work(s)
        prot = self.protection()
        if strain is not None:
            prot *= 1.0 - strain
        chance = pr.onset_per_week * (self.risk * onset_factor)
        # ACEs raise the onset of the child's own problems only (sim/adversity.py): those
        # columns have the chance times the ACE factor. Spelled out per cell first, in
        # `buf` (free until the growth below): one comparison of equal shapes.
        cell_chance = buf
        np.copyto(cell_chance, chance[:, None])
        raised = chance * (1.0 + pr.ace_risk * self.aces)
        cell_chance[:, adversity.RAISED_COLUMNS] = raised[:, None]
        rng.random(dtype=np.float32, out=u)
        onset = (s < 0.05) & (u < cell_chance)
        vulnerable = (pr.self_growth * np.sqrt(self.risk) * (1.0 - prot))[:, None]
        # The same arithmetic as written out in the module docstring, into reused buffers
        # (fresh temporaries of this size cost more than the sums themselves).
        np.matmul(s, self._w, out=feed)
        feed *= pr.coupling
        np.multiply(vulnerable, s, out=buf)
        feed += buf
        np.subtract(1.0, s, out=buf)
        if not (wait_damping == 1.0).all():  # times 1.0 changes nothing: most runs
            buf *= wait_damping[:, None]
        feed *= buf
        np.multiply(care_rate, coherence[:, None], out=buf)
        buf += (pr.recovery_per_week * prot)[:, None]
        buf *= s
        feed -= buf
        # Weekly noise: uniform with standard deviation `noise` (a Gaussian draw per family
        # and domain costs four times as much; over weeks the sum is Gaussian anyway).
        rng.random(dtype=np.float32, out=u)
        u -= 0.5
        u *= pr.noise * SQRT12
        np.add(s, 0.01, out=buf)
        np.sqrt(buf, out=buf)
        buf *= u
        feed += buf
        s += feed
        begins = np.flatnonzero(onset)  # the cells of `s[onset]`, in the same order
        s.reshape(-1)[begins] += rng.uniform(0.15, 0.4, begins.size)  # a view: s is C-ordered
        np.clip(s, 0.0, 1.0, out=s)

    def _work(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scratch arrays shaped like the severity matrix, made once."""
        if self._scratch is None or self._scratch[0].shape != s.shape:
            self._scratch = (np.empty_like(s), np.empty_like(s), np.empty(s.shape, np.float32))
        return self._scratch

    def update_stress(self, scenario: Scenario) -> None:
        """Classify child stress; a toxic week records the kinds of adversity present.

        Toxic stress is a strong, lasting stress response without an adult who
        buffers it: here, protective factors below 0.5 together with an unsafe
        home (`problems.unsafe_toxic_threshold`) or several severe problems at
        once (`problems.toxic_min_severe`).
        """
        pr = scenario.problems
        severe = row_count(self.severity > pr.severe_threshold)
        unsafe = self.severity[:, Domain.VEILIGHEID] >= pr.unsafe_toxic_threshold
        toxic = ((severe >= pr.toxic_min_severe) | unsafe) & (self.protection() < 0.5)
        tolerable = row_any(self.severity > pr.signal_threshold)
        # POSITIVE 0, TOLERABLE 1 (a problem above the threshold), then TOXIC over both.
        self.stress[:] = tolerable
        self.stress[toxic] = Stress.TOXIC
        self.toxic_weeks += toxic
        self.toxic_this_year |= toxic
        adversity.record(self.ace_kinds, toxic, self.severity, pr.signal_threshold)

    def close_toxic_year(self) -> int:
        """Children whose family had a toxic week this year; a new year begins."""
        count = int(self.children[self.toxic_this_year].sum())
        self.toxic_this_year[:] = False
        return count

    def set_state(self, idx: np.ndarray | int, state: FamilyState, week: int) -> None:
        self.state[idx] = state
        self.state_since[idx] = week

    def in_care_count(self) -> np.ndarray:
        """Professionals currently treating each family (one per domain, plus light help)."""
        return row_count(self.care_prof >= 0) + (self.light_prof >= 0)


def _beta_around(rng: np.random.Generator, mean: float, n: int, k: float = 8.0) -> np.ndarray:
    """Beta-distributed values in [0, 1] with the given mean (concentration k)."""
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * k, (1 - mean) * k, n)


class Family:
    """A read-only view of one family, for the timeline and the game."""

    def __init__(self, arrays: FamilyArrays, idx: int) -> None:
        self._a = arrays
        self.idx = idx

    @property
    def state(self) -> FamilyState:
        return FamilyState(int(self._a.state[self.idx]))

    @property
    def stress(self) -> Stress:
        return Stress(int(self._a.stress[self.idx]))

    @property
    def severity(self) -> np.ndarray:
        return self._a.severity[self.idx].copy()

    @property
    def children(self) -> int:
        return int(self._a.children[self.idx])

    @property
    def neighbourhood(self) -> int:
        return int(self._a.neighbourhood[self.idx])
