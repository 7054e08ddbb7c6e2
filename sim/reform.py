"""The Hervormingsagenda Jeugd's levers: reach, an eigen bijdrage, residential places.

The agenda (2023) wants to keep youth care affordable by narrowing what
counts as jeugdhulp, by asking parents with an income a contribution, by
building down residential groups in favour of family-like places, and by
strong local teams. Each lever here acts through a mechanism the rest of
the model already runs, so each can lose:

- **Reach** (`reform.jeugdhulp_reach`): a youth problem (parenting, child
  mental health, disability, safety) whose severity is below the reach is
  not specialist jeugdhulp, whoever refers it. At the wijkteam's triage the
  family gets the wijkteam's light help instead (if nothing else in its plan
  is within reach); a GP points it to the voorliggend veld (advice, no
  care). Specialist places and money go to heavier problems, but the
  wijkteam carries more, and untreated problems keep their own dynamics:
  some families knock again later, worse.
- **Eigen bijdrage** (`reform.own_contribution_per_week`): a family above the
  income limit (families with debt problems are below it) pays for every
  week of specialist youth care. Offered a referral, it may decline it,
  more often when the problem is mild. Contributions come back to the youth
  silo, less the cost of levying them; declined problems go on untreated.
- **Residential places** (`reform.residential_places_per_10000_children`):
  a child drawn for a residential group when the places are full goes to a
  foster or family home instead. That is cheaper, but a mismatched
  placement can break down, more likely the more severe the child's own
  problems; a breakdown moves the child again and harms it (see
  sim/protection.py).
- **Strong local teams** (`reform.generalist_teams`) change triage itself:
  see `generalist_help` below and sim/triage.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import SILOS, YOUTH_MASK, Domain
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel

_JEUGD = SILOS.index("jeugd")
REFERENCE_CONTRIBUTION = 50.0  # euros a week at which `reform.decline_when_mild` holds
_YOUTH = np.flatnonzero(YOUTH_MASK)


class Incomes:
    """Each family's place in the income distribution (0-1), drawn from its own stream.

    A separate stream keeps every other draw of a run unchanged: the
    contribution lever compares with the status quo on common random numbers.
    """

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rank = rng.random(n)

    def renew(self, families: np.ndarray) -> None:
        self.rank[families] = self.rng.random(families.size)


def below_reach(model: SamenspelModel, f: int, slot: int) -> bool:
    """A youth problem too mild to count as specialist jeugdhulp under the reach."""
    reach = model.params.reform.jeugdhulp_reach
    return (reach > 0 and slot != LIGHT and bool(YOUTH_MASK[slot])
            and float(model.families.severity[f, slot]) < reach)


def generalist_help(model: SamenspelModel, sev: np.ndarray) -> bool:
    """With strong local teams, a moderate family stays with the wijkteam's generalist."""
    r = model.params.reform
    return r.generalist_teams and float(sev.max()) < r.generalist_threshold


def above_income_limit(model: SamenspelModel, idx: np.ndarray | int) -> np.ndarray | bool:
    """Families above the income limit (`idx`: one family or an index array); families
    with a debt problem are below it."""
    thr = model.params.problems.signal_threshold
    return ((model.incomes.rank[idx] < model.params.reform.paying_share)
            & (model.families.severity[idx, Domain.SCHULDEN] <= thr))


def light_spread(model: SamenspelModel, f: int) -> float:
    """Over how many problems light help's hours are divided: a generalist of a strong
    local team works on each domain above the signal threshold; otherwise one."""
    if not model.params.reform.generalist_teams:
        return 1.0
    above = model.families.severity[f] > model.params.problems.signal_threshold
    return float(max(int(above.sum()), 1))


def pays(model: SamenspelModel, f: int) -> bool:
    """A contribution is asked of family `f`."""
    return model.params.reform.own_contribution_per_week > 0 and bool(
        above_income_limit(model, f))


def declines(model: SamenspelModel, f: int, slot: int) -> bool:
    """A paying family turns down specialist youth care: likelier when the problem is mild."""
    if slot == LIGHT or not YOUTH_MASK[slot] or not pays(model, f):
        return False
    thr = model.params.problems.signal_threshold
    sev = float(model.families.severity[f, slot])
    mild = min(max((1.0 - sev) / (1.0 - thr), 0.0), 1.0) if thr < 1 else 0.0
    r = model.params.reform
    price = r.own_contribution_per_week / REFERENCE_CONTRIBUTION
    chance = min(r.decline_when_mild * price, 1.0) * mild
    if model.incomes.rng.random() >= chance:
        return False
    model.counters["declined_referrals"] += 1
    model.log(f, "declined", domain=Domain(slot).key,
              contribution=model.params.reform.own_contribution_per_week)
    return True


def book_contributions(model: SamenspelModel) -> None:
    """The week's contributions for specialist youth care, less the cost of levying them."""
    r = model.params.reform
    if r.own_contribution_per_week <= 0:
        return
    weeks = (model.families.care_prof[:, _YOUTH] >= 0).sum(axis=1)
    paying = (weeks > 0) & above_income_limit(model, slice(None))
    received = float(weeks[paying].sum()) * r.own_contribution_per_week
    levied = float(paying.sum()) * r.collection_cost_per_week
    model.counters["contributions_eur"] += received
    model.counters["collection_cost_eur"] += levied
    model.budget.spend(_JEUGD, levied - received)
