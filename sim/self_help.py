"""Online self-help for families on a waiting list: who uses it, what it does, what it costs.

A municipality can offer waiting families an online self-help programme
(modules, a forum, a chat with a moderator). It is not free and it does not
reach everyone:

- a family uses it in proportion to its self-reliance: the families that can
  organise themselves log in, the overburdened ones rarely do. The expected
  use, not a drawn one, so paired runs stay aligned;
- for a user it slows the decline of its problems while it waits by
  `participation.self_help_effect` (the same damping the waiting families'
  dynamics already take);
- each user-week costs a licence (`self_help_cost_per_user_week`, youth silo)
  and moderation by the wijkteam (`self_help_moderation_hours_per_100_users`
  a week), booked like the trajectbegeleider's hours: the team has fewer
  hours for its own light help, and its list grows.

So the programme helps most where self-reliance is high; where waiting
families are mostly overburdened few use it, and it changes, and costs, little
(licences and moderation follow use). Whether it pays for itself rests on
`self_help_effect`, an assumption: at the default its licences are a few per cent of
what slower decline while waiting saves in care (ODD 7.8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.domains import SILOS
from sim.states import FamilyState

if TYPE_CHECKING:
    from sim.model import SamenspelModel

_JEUGD = SILOS.index("jeugd")


def uptake(model: SamenspelModel) -> np.ndarray:
    """Each family's expected use of the programme this week (0 when it is not waiting)."""
    fam = model.families
    use = np.zeros(fam.n)
    if model.params.participation.online_self_help:
        waiting = fam.state == FamilyState.WAITING
        use[waiting] = fam.self_reliance[waiting]
    return use


def week(model: SamenspelModel, use: np.ndarray) -> float:
    """Pay the licences and book the moderators' hours for this week's use; return users."""
    users = float(use.sum())
    if users <= 0:
        return 0.0
    pp = model.params.participation
    model.budget.spend(_JEUGD, users * pp.self_help_cost_per_user_week)
    per_team = np.bincount(model.families.neighbourhood, weights=use,
                           minlength=len(model.wijkteams))
    for team in model.wijkteams:
        team.extra_coordination += (pp.self_help_moderation_hours_per_100_users
                                    * per_team[team.neighbourhood] / 100)
    model.counters["self_help_user_weeks"] += users
    return users
