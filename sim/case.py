"""The case trainer's model side: one family from a case file, placed in a running
neighbourhood, and the roles' decisions about it as ordinary logged actions.

The family is an ordinary row of `FamilyArrays`: after the neighbourhood's
warm-up a `case_family` action gives a calm household the case's children,
problems, protective factors and history, and from then on the model evolves
it like every other family (severity, stress, signals, waits, retold stories,
the caseloads of the professionals around it). Nothing here scripts an
outcome.

A role's decision is a `case_decision` action, applied to that one family
through the model's own mechanisms:

- `signal` (school, GP): the family reaches the wijkteam now, which triages it
  the way the scenario works (`sim.triage.triage`);
- `one_plan` / `separate_plans`: the family's `integral_plan` - one plan with
  root causes first (the rest held back, as at integral triage), or a plan
  per professional; this moves the plans' coherence, retelling at extra
  referrals and the trajectbegeleider's coordination hours;
- `coordinate_professional` / `coordinate_parent`: who coordinates
  (`self_managed`): the trajectbegeleider's network skill or the parent's
  self-reliance carries the plan, and a parent who carries it spends strength
  on it (`SamenspelModel._parent_strain`);
- `share_dossier` / `keep_closed`: the family's `consent`, the share of its
  dossier a new professional reads instead of hearing the story again; it
  acts only when the scenario has a shared dossier
  (`cooperation.shared_dossier`), otherwise the result says so;
- `refer` (a domain) / `help_lightly`: a referral to a specialist's waiting
  list or light help by the wijkteam;
- `activate_network`: the family's informal network grows while in care (and
  costs the wijkteam hours); like the plan, it belongs to the current episode;
- `wait`: nothing is done; the model goes on.

A decision that finds nothing to act on (the family has not reached the
wijkteam yet) changes nothing and says so in its result. All randomness is the
model's: the case's own draws come from a stream seeded by the run's seed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from sim import adversity, triage
from sim.actions import ACTIONS, Action, ActionError
from sim.domains import DOMAIN_KEYS, N_DOMAINS, ROOT_MASK, Domain
from sim.model import SamenspelModel
from sim.states import Channel, FamilyState
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.casefile import Case

CASE_STREAM = 1000  # the case's own random stream: default_rng([seed, CASE_STREAM])
OPEN = (FamilyState.WAITING, FamilyState.IN_CARE, FamilyState.SIGNAL, FamilyState.ESCALATED)

# Every choice, the mechanism it acts on (for the trainer's guide and the debrief).
CHOICES: dict[str, str] = {
    "signal": "the family reaches the wijkteam now and is triaged as the scenario works",
    "wait": "nothing is done this time; the model goes on",
    "one_plan": "one plan (integral_plan): root causes first, the rest held back",
    "separate_plans": "a plan per professional: coherence falls as more are involved",
    "coordinate_professional": "a trajectbegeleider coordinates (network skill, wijkteam hours)",
    "coordinate_parent": "the parent coordinates (self-reliance carries the plan, and "
                         "carrying it strains the parent)",
    "share_dossier": "the family shares its dossier as far as it consents (no retelling)",
    "keep_closed": "nothing is shared: each new professional hears the story again",
    "refer": "a referral to a specialist's waiting list in the moment's domain",
    "help_lightly": "light help by the wijkteam itself",
    "activate_network": "the family's informal network is activated while in care",
}
ROLE_CHOICES: dict[str, tuple[str, ...]] = {
    "wijkteam": ("one_plan", "separate_plans", "coordinate_professional", "coordinate_parent",
                 "refer", "help_lightly", "activate_network", "share_dossier", "wait"),
    "specialist": ("refer", "separate_plans", "share_dossier", "keep_closed", "wait"),
    "school": ("signal", "refer", "share_dossier", "wait"),
    "gp": ("signal", "refer", "share_dossier", "wait"),
    "parent": ("share_dossier", "keep_closed", "coordinate_parent", "activate_network",
               "signal", "wait"),
}
# What a decision's result says it did (the game words each one).
EFFECTS = ("triaged", "already_known", "none", "not_in_view", "one_plan", "separate_plans",
           "no_plan_to_coordinate", "parent", "professional", "no_shared_dossier", "shared",
           "closed", "already_referred", "referred", "already_helped", "light_help",
           "activated")
SIGNAL_CHANNEL = {"school": Channel.SCHOOL, "gp": Channel.GP, "parent": Channel.OWN_REQUEST}


# ---------------------------------------------------------------- actions


@dataclass(frozen=True)
class PlaceCaseFamily(Action):
    """The case's family moves into a calm household of the running neighbourhood."""

    kind: ClassVar[str] = "case_family"
    children: int = 2
    problems: tuple[tuple[str, float], ...] = ()
    network: float = 0.3
    self_reliance: float = 0.4
    consent: float = 0.8  # what the family will share when asked; nothing before that
    risk: float = 1.5
    retold_before: int = 0
    aces: tuple[str, ...] = ()  # kinds of adverse childhood experience, by domain key

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        if getattr(model, "case", None) is not None:
            raise ActionError("case_family: this model already holds a case family")
        f = _calm_household(model)
        fam = model.families
        fam.children[f] = self.children
        fam.multi_problem[f] = len(self.problems) >= 2
        fam.risk[f] = self.risk
        fam.network[f] = self.network
        fam.self_reliance[f] = self.self_reliance
        fam.consent[f] = 0.0
        fam.severity[f] = 0.0
        for key, value in self.problems:
            fam.severity[f, Domain.from_key(key)] = value
        kinds = self.aces if isinstance(self.aces, (list, tuple)) else [self.aces]
        if any(k not in adversity.ACE_KIND_KEYS for k in kinds):
            raise ActionError(f"case_family: aces {self.aces!r} is not allowed; allowed: a list of"
                              f" kinds out of {', '.join(adversity.ACE_KIND_KEYS)}")
        fam.ace_kinds[f] = adversity.bits_of(kinds)
        fam.toxic_weeks[f] = 0
        fam.retold[f] = self.retold_before
        model.kids.forget(np.array([f]))
        model.case = {"family": f, "consent": self.consent, "start": model.week}
        model.streams.setdefault("case", np.random.default_rng([model.seed, CASE_STREAM]))
        model.log(f, "new_family")
        return {"case_family": f}

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["problems"] = [list(p) for p in self.problems]
        data["aces"] = list(self.aces)
        return data


@dataclass(frozen=True)
class CaseDecision(Action):
    """One role's decision about the case family at one of the case's moments."""

    kind: ClassVar[str] = "case_decision"
    moment: int = 0
    role: str = "wijkteam"
    choice: str = "wait"
    domain: str = ""

    def apply(self, model: SamenspelModel) -> dict[str, Any]:
        case = getattr(model, "case", None)
        if case is None:
            raise ActionError("case_decision: there is no case family in this model yet")
        if self.role not in ROLE_CHOICES:
            raise ActionError(f"case_decision: role = {self.role!r}; allowed: "
                              f"{', '.join(ROLE_CHOICES)}")
        if self.choice not in ROLE_CHOICES[self.role]:
            raise ActionError(f"case_decision: choice = {self.choice!r} for a {self.role}; "
                              f"allowed: {', '.join(ROLE_CHOICES[self.role])}")
        if self.choice == "refer" and self.domain not in DOMAIN_KEYS:
            raise ActionError(f"case_decision: domain = {self.domain!r}; allowed: "
                              f"{', '.join(DOMAIN_KEYS)}")
        f = case["family"]
        effect = VERBS[self.choice](model, f, self)
        model._touched.add(f)
        model.log(f, "case_decision", moment=self.moment, role=self.role, choice=self.choice,
                  effect=effect,
                  **({"domain": self.domain} if self.domain else {}))
        return {"role": self.role, "choice": self.choice, "effect": effect}


for _cls in (PlaceCaseFamily, CaseDecision):
    ACTIONS.setdefault(_cls.kind, _cls)


def _calm_household(model: SamenspelModel) -> int:
    """The first family with no problems, no open episode and no care: the case's home."""
    fam = model.families
    calm = np.flatnonzero((fam.state == FamilyState.HEALTHY) & (fam.severity.max(axis=1) < 0.05)
                          & (fam.care_prof.max(axis=1) < 0) & (fam.light_prof < 0))
    for f in calm.tolist():
        if not model.care.family_busy(f) and not model.protection.placed()[f].any():
            return int(f)
    raise ActionError("case_family: no calm household left in this neighbourhood")


# ---------------------------------------------------------------- verbs


def _in_episode(model: SamenspelModel, f: int) -> bool:
    return int(model.families.state[f]) in OPEN or model.care.family_busy(f)


def _time(model: SamenspelModel) -> float:
    return model.week + float(model.streams["case"].random())


def _signal(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    if _in_episode(model, f):
        return "already_known"
    fam = model.families
    fam.channel[f] = SIGNAL_CHANNEL.get(d.role, Channel.OWN_REQUEST)
    fam.signal_week[f] = model.week
    fam.set_state(f, FamilyState.SIGNAL, model.week)
    triage.triage(model, f)
    return "triaged"


def _wait(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    return "none"


def _one_plan(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    if not _in_episode(model, f):
        return "not_in_view"
    fam, p = model.families, model.params
    fam.integral_plan[f] = True
    fam.episode_plans[f] = 1
    open_sev = triage.uncovered_row(model, f)
    need = [x for x in range(N_DOMAINS) if open_sev[x] >= p.wijkteam.referral_threshold]
    roots = [x for x in need if ROOT_MASK[x]]
    now, later = (roots, [x for x in need if not ROOT_MASK[x]]) if roots else (need, [])
    t = _time(model)
    for x in now:
        model.care.refer(f, x, t)
    if later:
        model.care.hold_back(f, sorted(set(model.care.pending.get(f, [])) | set(later)))
    covered = int((fam.care_prof[f] >= 0).sum()) + len(model.care.waiting.get(f, ()))
    fam.plan_size[f] = max(covered + len(later), 1)
    return "one_plan"


def _separate(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    if not _in_episode(model, f):
        return "not_in_view"
    fam = model.families
    fam.integral_plan[f] = False
    plans = int((fam.care_prof[f] >= 0).sum()) + len(model.care.waiting.get(f, ()))
    fam.episode_plans[f] = max(int(fam.episode_plans[f]), plans, 1)
    return "separate_plans"


def _coordinate(parent: bool):
    def verb(model: SamenspelModel, f: int, d: CaseDecision) -> str:
        if not _in_episode(model, f):
            return "not_in_view"
        model.families.self_managed[f] = parent
        if not model.families.integral_plan[f] and not parent:
            return "no_plan_to_coordinate"
        return "parent" if parent else "professional"
    return verb


def _share(share: bool):
    def verb(model: SamenspelModel, f: int, d: CaseDecision) -> str:
        model.families.consent[f] = model.case["consent"] if share else 0.0
        if not model.params.cooperation.shared_dossier:
            return "no_shared_dossier"
        return "shared" if share else "closed"
    return verb


def _refer(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    fam = model.families
    x = int(Domain.from_key(d.domain))
    if fam.care_prof[f, x] >= 0 or any(r.domain == x for r in model.care.waiting.get(f, ())):
        return "already_referred"
    if not _in_episode(model, f):
        fam.channel[f] = SIGNAL_CHANNEL.get(d.role, Channel.OWN_REQUEST)
        fam.signal_week[f] = model.week
        fam.set_state(f, FamilyState.SIGNAL, model.week)
        model.begin_episode(f)
    model.care.refer(f, x, _time(model))
    if fam.integral_plan[f]:
        fam.plan_size[f] += 1
    else:
        fam.episode_plans[f] += 1
    return "referred"


def _light(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    fam = model.families
    if fam.light_prof[f] >= 0 or any(r.domain == LIGHT for r in model.care.waiting.get(f, ())):
        return "already_helped"
    if not _in_episode(model, f):
        return "not_in_view"
    model.care.refer(f, LIGHT, _time(model))
    fam.episode_plans[f] += 0 if fam.integral_plan[f] else 1
    return "light_help"


def _activate(model: SamenspelModel, f: int, d: CaseDecision) -> str:
    """The network is activated within an episode (a new episode starts it afresh, and it
    grows only while help runs), so outside one there is nothing to act on."""
    if not _in_episode(model, f):
        return "not_in_view"
    model.families.activated[f] = True
    return "activated"


VERBS = {
    "signal": _signal, "wait": _wait, "one_plan": _one_plan, "separate_plans": _separate,
    "coordinate_professional": _coordinate(False), "coordinate_parent": _coordinate(True),
    "share_dossier": _share(True), "keep_closed": _share(False), "refer": _refer,
    "help_lightly": _light, "activate_network": _activate,
}


# ---------------------------------------------------------------- a run of a case


NEIGHBOURHOOD_KPIS = ("mean_wait_weeks", "waiting_families", "coordination_time_share",
                      "retold_per_episode", "client_rating", "professional_satisfaction",
                      "cost_per_week_eur")


def place_action(case: Case) -> PlaceCaseFamily:
    fam = case.family
    return PlaceCaseFamily(fam.children, tuple(sorted(fam.problems.items())), fam.network,
                           fam.self_reliance, fam.consent, fam.risk, fam.retold_before,
                           fam.aces)


def decision_action(case: Case, moment: int, choice: str) -> CaseDecision:
    m = case.moments[moment]
    if choice not in m.choices:
        raise ActionError(f"moment {moment}: choice = {choice!r}; allowed: "
                          f"{', '.join(m.choices)}")
    return CaseDecision(moment, m.role, choice, m.domain if choice == "refer" else "")


class CaseRun:
    """One play of a case: the neighbourhood warmed up, the family placed, week by week.

    `trace` holds, per case week, what the family's kitchen table and the
    debrief show; it is read from the model after each step, never written to it.
    """

    def __init__(self, case: Case, seed: int | None = None,
                 warm: SamenspelModel | None = None, adopt: bool = False) -> None:
        """`warm`: the neighbourhood after its warm-up (`warm_model`), copied so it can
        serve several paths, or taken over as it is with `adopt`."""
        self.case = case
        self.seed = case.seed if seed is None else int(seed)
        self.scenario = case.load_scenario()
        if warm is not None:
            self.model = warm if adopt else copy.deepcopy(warm)
        else:
            self.model = SamenspelModel(self.scenario, self.seed, collect_groups=False)
            self.model.run_weeks(case.warmup_weeks)
        self.start = self.model.week
        self.model.apply(place_action(case))
        self.family = self.model.case["family"]
        self.trace: list[dict[str, Any]] = [self._observe()]
        self.decided: dict[int, str] = {}

    @property
    def week(self) -> int:
        """Weeks since the case started."""
        return self.model.week - self.start

    @property
    def finished(self) -> bool:
        return self.week >= self.case.weeks

    def due_moments(self) -> list[int]:
        """Moments of this week not decided yet, in the file's order."""
        return [i for i, m in enumerate(self.case.moments)
                if m.week <= self.week and i not in self.decided]

    def decide(self, moment: int, choice: str) -> dict[str, Any]:
        """A role's decision, applied now as an ordinary logged action."""
        if moment in self.decided:
            raise ActionError(f"moment {moment} is already decided")
        result = self.model.apply(decision_action(self.case, moment, choice))
        self.decided[moment] = choice
        return result

    def step(self) -> None:
        """One week; moments still open this week are left as they are (no choice made)."""
        self.model.step()
        self.trace.append(self._observe())

    def actions(self) -> list[dict[str, Any]]:
        return [dict(a) for a in self.model.action_log]

    def _observe(self) -> dict[str, Any]:
        m, f = self.model, self.family
        fam = m.families
        waiting = m.care.waiting.get(f, ())
        profs = [int(p) for p in fam.care_prof[f] if p >= 0]
        if fam.light_prof[f] >= 0:
            profs.append(int(fam.light_prof[f]))
        loads = [m.professionals[p].caseload / max(m.professionals[p].places, 1) for p in profs]
        return {
            "week": self.week,
            "severity": [round(float(x), 6) for x in fam.severity[f]],
            "burden": float(fam.severity[f].sum()),
            "stress": int(fam.stress[f]),
            "state": int(fam.state[f]),
            "waiting": len(waiting),
            "retold": int(fam.retold[f]),
            "plans": int(fam.episode_plans[f]),
            "professionals": len(profs),
            "caseload": float(np.mean(loads)) if loads else 0.0,
            "integral": bool(fam.integral_plan[f]),
            "consent": float(fam.consent[f]),
            "network": float(fam.network[f]),
            "toxic_weeks": int(fam.toxic_weeks[f]),
            "aces": [k for bit, k in enumerate(adversity.ACE_KIND_KEYS)
                     if int(fam.ace_kinds[f]) >> bit & 1],
            "placed": bool(m.protection.placed()[f].any()),
            "kpi": {k: _plain(m.kpi.get(k, float("nan"))) for k in NEIGHBOURHOOD_KPIS},
        }


def _plain(x: Any) -> float | None:
    """A KPI as a plain float; None where the week defines none (e.g. no rating yet)."""
    x = float(x)
    return x if np.isfinite(x) else None


def play(case: Case, seed: int | None, choices: dict[int, str],
         warm: SamenspelModel | None = None) -> CaseRun:
    """A whole run with the given choice per moment (a moment left out is not decided)."""
    run = CaseRun(case, seed, warm)
    while not run.finished:
        for i in run.due_moments():
            if i in choices:
                run.decide(i, choices[i])
            else:
                run.decided[i] = ""
        run.step()
    return run


def replay(case: Case, seed: int, actions: list[dict[str, Any]]) -> SamenspelModel:
    """The model rebuilt from seed and action log alone, run to the case's end."""
    model = SamenspelModel(case.load_scenario(), seed, actions=actions, collect_groups=False)
    model.run_weeks(case.warmup_weeks + case.weeks)
    return model


# ---------------------------------------------------------------- counterfactuals


def outcome(run: CaseRun) -> dict[str, float]:
    """What the debrief compares for the family and its neighbourhood, over the case."""
    trace = run.trace[1:] or run.trace
    last = trace[-1]
    out = {
        "burden_end": last["burden"],
        "burden_mean": float(np.mean([t["burden"] for t in trace])),
        "weeks_waiting": float(sum(t["waiting"] > 0 for t in trace)),
        "retold": float(last["retold"] - run.trace[0]["retold"]),
        "plans_max": float(max(t["plans"] for t in trace)),
        "professionals_max": float(max(t["professionals"] for t in trace)),
        "toxic_weeks": float(last["toxic_weeks"] - run.trace[0]["toxic_weeks"]),
        "placed_weeks": float(sum(t["placed"] for t in trace)),
    }
    for k in NEIGHBOURHOOD_KPIS:
        vals = [t["kpi"][k] for t in trace if t["kpi"][k] is not None]
        out[k] = float(np.mean(vals)) if vals else float("nan")
    return out


FAMILY_OUTCOMES = ("burden_end", "burden_mean", "weeks_waiting", "retold", "plans_max",
                   "professionals_max", "toxic_weeks", "placed_weeks")


@dataclass
class Counterfactual:
    """One path not taken: moment `moment` decided `choice` instead of `taken`."""

    moment: int
    taken: str
    choice: str
    run: CaseRun
    diff: dict[str, float]  # counterfactual minus the trainee's path, this seed
    seeds: int = 0  # other seeds tried
    same_sign: int = 0  # of them, seeds where the family's mean burden moved the same way
    mean_diff: dict[str, float] | None = None  # mean difference over the other seeds


def warm_model(case: Case, seed: int) -> SamenspelModel:
    """The neighbourhood after its warm-up, before the family arrives (shared by all paths)."""
    model = SamenspelModel(case.load_scenario(), seed, collect_groups=False)
    model.run_weeks(case.warmup_weeks)
    return model


def alternatives(case: Case, choices: dict[int, str]) -> list[tuple[int, str]]:
    """Every (moment, other choice) of the moments the trainee decided."""
    return [(i, c) for i, taken in sorted(choices.items()) if taken
            for c in case.moments[i].choices if c != taken]


def _diff(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: b[k] - a[k] for k in a}


def counterfactuals(case: Case, seed: int, choices: dict[int, str], other_seeds: list[int],
                    only: list[tuple[int, str]] | None = None):
    """Yield progress in [0, 1]; return the Counterfactual of every path not taken.

    A path not taken is the trainee's own choices with one moment decided
    otherwise: up to that moment's week its action log is the trainee's. Each
    seed's neighbourhood is warmed up once and copied for every path.
    """
    paths = only if only is not None else alternatives(case, choices)
    work = (1 + len(paths)) * (1 + len(other_seeds))
    done = 0
    warm = warm_model(case, seed)
    base = outcome(play(case, seed, choices, warm))
    done += 1
    yield done / work
    results = []
    for moment, choice in paths:
        alt = play(case, seed, {**choices, moment: choice}, warm)
        results.append(Counterfactual(moment, choices[moment], choice, alt,
                                      _diff(base, outcome(alt))))
        done += 1
        yield done / work
    diffs: list[list[dict[str, float]]] = [[] for _ in paths]
    for s in other_seeds:
        w = warm_model(case, s)
        b = outcome(play(case, s, choices, w))
        done += 1
        for j, (moment, choice) in enumerate(paths):
            diffs[j].append(_diff(b, outcome(play(case, s, {**choices, moment: choice}, w))))
            done += 1
            yield done / work
    for cf, ds in zip(results, diffs, strict=True):
        cf.seeds = len(ds)
        sign = np.sign(cf.diff["burden_mean"])
        cf.same_sign = sum(np.sign(d["burden_mean"]) == sign for d in ds)
        cf.mean_diff = {k: float(np.nanmean([d[k] for d in ds])) if ds else float("nan")
                        for k in cf.diff}
    return results
