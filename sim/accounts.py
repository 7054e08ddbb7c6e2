"""The week's money: what the municipality pays, and what providers earn and spend.

Payments follow the contract: per hour for every running trajectory, a fee
per trajectory at its start, or a fixed weekly lump sum. Under a head
contractor, sub-contractors' revenue passes through the head, which keeps its
margin. The wijkteams, residential care, alternative programmes and top-down
projects are paid from their silos too. A provider's reserve is its start
reserve plus revenue minus staff costs; below zero it is in distress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.domains import SILO_INDEX, SILOS
from sim.states import FamilyState

if TYPE_CHECKING:
    from sim.agents import Organisation
    from sim.model import SamenspelModel

ALTERNATIVE_COST_PER_WEEK = 250.0  # euros per child in an alternative programme (assumption)


def pay(model: SamenspelModel, org: Organisation, slot: int, euros: float) -> None:
    """Pay a provider for care in `slot`, booked on that domain's silo."""
    model.budget.spend(int(SILO_INDEX[slot]), euros)
    if org.sub and model.params.providers.head_contractor:
        margin = model.params.providers.head_margin
        model.providers[0].revenue += euros * margin
        euros *= 1 - margin
    org.revenue += euros


def pay_trajectory_fee(model: SamenspelModel, org: Organisation, slot: int) -> None:
    """Per trajectory (outputgericht): one fee when the trajectory starts."""
    f = model.params.funding
    fee = f.trajectory_fee_weeks * model.params.providers.hours_per_family * f.hourly_rate
    pay(model, org, slot, fee)


def book_week(model: SamenspelModel) -> None:
    """The week's payments and costs: providers, wijkteams, residential, programmes."""
    p = model.params
    f = p.funding
    hours = p.providers.hours_per_family
    for org in model.providers:
        staff = sum(1 for pro in org.staff if pro.active)
        org.costs += staff * p.providers.hours_per_week * f.staff_cost_per_hour
        if org.contract == "per_hour":
            for d in org.domains:
                if org.occupied[d]:
                    pay(model, org, d, org.occupied[d] * hours * f.hourly_rate)
        elif org.contract == "lump_sum":
            weekly = (f.lump_sum_share * len(org.staff) * p.providers.hours_per_week
                      * (1 - p.staff.base_admin_share) * f.hourly_rate)
            for d in org.domains:
                pay(model, org, d, weekly / len(org.domains))
        org.reserve = org.revenue - org.costs + org.start_reserve
    budget = model.budget
    jeugd = SILOS.index("jeugd")
    generalists = sum(len(t.staff) for t in model.wijkteams)
    budget.spend(jeugd, generalists * p.providers.hours_per_week * f.wijkteam_cost_per_hour)
    in_res = int((model.families.state == FamilyState.ESCALATED).sum())
    budget.spend(jeugd, in_res * p.residential.cost_per_week)
    alt = int((model.alternative_until > model.week).sum())
    budget.spend(SILOS.index("onderwijs"), alt * ALTERNATIVE_COST_PER_WEEK)
    for project in model.innovations.projects:
        if project.paid_weeks < project.pay_weeks:
            budget.spend(jeugd, project.weekly_cost)
            project.paid_weeks += 1
    model.yearly_youth_cost += float(budget.spent_week[jeugd])
