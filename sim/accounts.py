"""The week's money: what the payers pay, and what providers earn and spend.

Payments follow each provider's contract terms (sim/contracts.py): per hour
for every running trajectory, a fee per trajectory at its start whatever its
length, or a fixed weekly lump sum. Each payment is booked on the silo of its
domain, so the payer is the one the law names (sim/payers.py), and counts
against the provider's turnover ceiling. Under a head contractor,
sub-contractors' revenue passes through the head, which keeps its margin. The
wijkteams, placements and protection measures (priced by sim/protection.py)
and top-down projects are paid from the youth silo; alternative school
programmes by the samenwerkingsverband. A provider's reserve is its start
reserve plus revenue minus staff costs: below zero it is in distress, and it
recovers when its tariffs cover its costs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import reform
from sim.contracts import Payment
from sim.domains import SILO_INDEX, SILOS
from sim.states import FamilyState

if TYPE_CHECKING:
    from sim.agents import Organisation
    from sim.model import SamenspelModel

ALTERNATIVE_COST_PER_WEEK = 250.0  # euros per child in an alternative programme (assumption)


def pay(model: SamenspelModel, org: Organisation, slot: int, euros: float) -> None:
    """Pay a provider for care in `slot`, booked on that domain's silo."""
    model.budget.spend(int(SILO_INDEX[slot]), euros)
    model.budget.bill(org, euros)
    if slot in model.region.domains:
        model.region.own_paid_week += euros
    if org.sub and model.params.providers.head_contractor:
        margin = model.params.providers.head_margin
        model.providers[0].revenue += euros * margin
        euros *= 1 - margin
    org.revenue += euros


def pay_trajectory_fee(model: SamenspelModel, org: Organisation, slot: int) -> None:
    """Per trajectory (outputgericht): one fee when the trajectory starts."""
    pay(model, org, slot, org.terms.trajectory_fee)


def book_week(model: SamenspelModel) -> None:
    """The week's payments and costs, then the payers' review of what is committed."""
    if model.week == model.params.run.warmup_weeks:
        open_books(model)
    _providers_week(model)
    model.region.settle_week()
    _municipal_week(model)
    model.budget.review(model)


def open_books(model: SamenspelModel) -> None:
    """Providers' books open when the care system is warm.

    The model starts with nobody in care, so for the first year or two places
    stand empty while staff are paid: a loss that belongs to starting empty,
    not to the tariffs. At the end of the warm-up each provider starts again
    from its start reserve.
    """
    for org in model.providers:
        org.revenue = org.costs = 0.0
        org.reserve = org.start_reserve


def _providers_week(model: SamenspelModel) -> None:
    p = model.params
    hours = p.providers.hours_per_family
    for org in model.providers:
        terms = org.terms
        staff = sum(1 for pro in org.staff if pro.active)
        org.costs += staff * p.providers.hours_per_week * p.funding.staff_cost_per_hour
        if terms.payment == Payment.PER_HOUR:
            price = terms.weekly_care_price(hours)
            for d in org.domains:
                own = org.occupied[d] - org.external[d]
                if own:
                    pay(model, org, d, own * price)
                model.region.others_pay_week(org, d, price)
        elif terms.payment == Payment.LUMP_SUM:
            weekly = terms.weekly_lump_sum(len(org.staff), p.providers.hours_per_week,
                                           p.staff.base_admin_share)
            for d in org.domains:
                share = weekly / len(org.domains)
                if d in model.region.domains:
                    own = share * model.region.own_share_of_lump(org, d)
                    model.region.others_pay(org, share - own)
                    share = own
                pay(model, org, d, share)
        org.reserve = org.revenue - org.costs + org.start_reserve


def _municipal_week(model: SamenspelModel) -> None:
    p = model.params
    budget = model.budget
    jeugd = SILOS.index("jeugd")
    generalists = sum(len(t.staff) for t in model.wijkteams)
    budget.spend(jeugd, generalists * p.providers.hours_per_week
                 * p.funding.wijkteam_cost_per_hour)
    _placements(model)
    reform.book_contributions(model)
    alt = int((model.families.alternative_until > model.week).sum())
    budget.spend(SILOS.index("onderwijs"), alt * ALTERNATIVE_COST_PER_WEEK)
    for project in model.innovations.projects:
        if project.paid_weeks < project.pay_weeks:
            budget.spend(jeugd, project.weekly_cost)
            project.paid_weeks += 1
    model.yearly_youth_cost += float(budget.spent_week[jeugd])


def _placements(model: SamenspelModel) -> None:
    """Out-of-home placements and protection measures, as the protection chain prices them."""
    if hasattr(model, "protection"):
        from sim import protection

        for silo, euros in protection.weekly_cost(model).items():
            model.budget.spend(SILOS.index(silo), euros)
            model.counters["protection_cost_eur"] += euros
        return
    in_res = int((model.families.state == FamilyState.ESCALATED).sum())
    model.budget.spend(SILOS.index("jeugd"), in_res * model.params.residential.cost_per_week)
