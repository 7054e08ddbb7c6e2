"""The staff's week: who is ill, who leaves, who is hired, and how hours are split.

Administration share per professional adds up from: a base share, contracts
and accountability (fixed hours per contract, shared by an organisation's
staff), time registration when paid per hour, control-style management, being
a sub-contractor, and a badly fitting top-down project. Coordination comes
from the families the organisation shares with others (separate plans cost
pairwise contacts, one plan costs one meeting); wijkteam generalists also
spend hours on triage, and on being trajectbegeleider, answering online help
and activating networks unless those practices have staff of their own
(sim/capacity.py): then the generalists carry only what that staff cannot.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim import capacity
from sim.agents import Organisation, plan_weeks, update_morales

if TYPE_CHECKING:
    from sim.model import SamenspelModel

ACTIVATION_HOURS = 0.5  # weekly wijkteam hours per family whose network is activated
NEWCOMER_SKILL = 0.25


def turnover(model: SamenspelModel) -> None:
    """Illness, recovery, leaving and replacement, one professional at a time."""
    week = model.week
    st = model.params.staff
    rng = model.streams["staff"]
    random, exp = rng.random, math.exp
    sick_per_week = st.sick_per_week
    leave_per_week = -st.leave_per_year / 52  # negated, as the expression below had it
    for pro in model.professionals:
        if not pro.active:
            if pro.vacant_until <= week:
                pro.active, pro.morale, pro.skill = True, 0.6, NEWCOMER_SKILL
                model.trust.reset(pro.index)
                model.innovations.adopters[:, pro.index] = False
                model.innovations.trying[pro.index] = -1
                model.log(None, "hired", professional=pro.unique_id, org=pro.org.name)
            continue
        # Sick leave and leaving rise as morale falls below its usual level (0.6).
        risk = exp(3.0 * (0.6 - pro.morale))
        if pro.sick_until <= week and random() < sick_per_week * risk:
            weeks = int(rng.geometric(1 / st.sick_mean_weeks))
            pro.sick_until = week + weeks
            model.counters["sick_starts"] += 1
        if random() < 1 - exp(leave_per_week * risk):
            pro.active = False
            pro.sick_until = -1
            pro.vacant_until = week + max(1, int(rng.poisson(st.vacancy_weeks)))
            model.counters["leavers"] += 1
            moved = model.care.hand_over(pro, week)
            model.log(None, "left", professional=pro.unique_id, org=pro.org.name,
                      families=moved)


def admin_share(model: SamenspelModel, org: Organisation, project_admin: float) -> float:
    p = model.params
    share = p.staff.base_admin_share + p.management.control_admin_share * (1 - p.management.style)
    if p.innovation.transparency:  # results are registered to be shared
        share += p.innovation.transparency_admin_share
    share = max(0.0, share + project_admin)
    if org.wijkteam:
        return share
    if org.contract == "per_hour":
        share += p.funding.admin_share_per_hour_contract
    if org.sub:
        share += p.funding.sub_contract_admin_share
    contracts = 0.0 if org.sub else 1.0
    staff_hours = max(1.0, len(org.staff) * p.providers.hours_per_week)
    return share + contracts * p.funding.admin_hours_per_contract / staff_hours


def plan_hours(model: SamenspelModel, project_admin: float) -> None:
    """Every professional's hours this week, and from them each organisation's places."""
    p = model.params
    style = p.management.style
    hours_per_week = p.providers.hours_per_week

    def experiment_of(org: Organisation) -> float:
        return 0.0 if org.in_distress else p.management.experimentation_hours * style

    # Dedicated staff carry their practice; what they cannot carry spills over.
    capacity.plan_dedicated(model, lambda org: admin_share(model, org, project_admin),
                            experiment_of, capacity.light_hours(model))
    for org in model.orgs:
        admin = admin_share(model, org, project_admin)
        org.admin_share_now = admin
        experiment = experiment_of(org)
        load = org.coordination_load
        if org.wijkteam:
            per_family = capacity.light_hours(model)
            load += model.capacity.spilled[org.neighbourhood]
        elif p.arrivals.process == "poisson":
            per_family = p.providers.hours_per_week
        else:
            per_family = p.providers.hours_per_family
        if org.contract == "lump_sum" and not org.wijkteam:
            # Prevention takes hours from care; an underfunded lump sum freezes hours.
            per_family /= max(1e-9, (1 - p.funding.lump_sum_prevention)
                              * min(1.0, p.funding.lump_sum_share))
        week = model.week
        staff = [pro for pro in org.staff if pro.domain != capacity.NO_SLOT]  # planned above
        available = sum([pro.active and pro.sick_until <= week for pro in staff])
        coord = load / max(1, available)
        plan_weeks(staff, hours_per_week, week, admin, coord, experiment,
                   p.staff.learning_hours, per_family)
        org.recount_capacity()


def update_morale(model: SamenspelModel, burden: float) -> None:
    norm = model.params.staff.caseload_norm
    for org in model.orgs:
        distress = 0.1 if org.in_distress else 0.0
        update_morales(org.staff, norm, org.admin_share_now, burden + distress)


def coordination_loads(model: SamenspelModel, k: np.ndarray | None = None) -> None:
    """Hours each organisation spends on coordination next week, from who shares families.

    `k`: professionals treating each family, when the caller has counted them already.
    """
    fam, p, m = model.families, model.params, model
    k = fam.in_care_count() if k is None else k
    rows = np.flatnonzero(k >= 2)
    for org in m.orgs:
        org.coordination_load = org.extra_coordination
        org.extra_coordination = 0.0
    org_of = m.org_of_prof
    if rows.size:
        profs = fam.care_prof[rows]
        integral = fam.integral_plan[rows]
        tie = m.trust.mean_cross_org()
        pair_hours = p.cooperation.pairwise_contact_hours * (1 - 0.5 * tie)
        per_prof = np.where(integral, p.cooperation.meeting_hours,
                            pair_hours * (k[rows] - 1))
        hours = np.repeat(per_prof, profs.shape[1]).reshape(profs.shape)
        mask = profs >= 0
        load = np.bincount(org_of[profs[mask]], weights=hours[mask],
                           minlength=len(m.orgs)).tolist()  # plain floats, read per org
        for org in m.orgs:
            org.coordination_load += load[org.number]
    # The wijkteam's own tasks: triage, trajectbegeleider, network activation.
    nb = fam.neighbourhood
    # A trajectbegeleider orders plans with more than one domain (unless parents do).
    tb = fam.integral_plan & ~fam.self_managed & (k >= 1) & (fam.plan_size >= 2)
    # Counts per neighbourhood as plain ints (read one by one below; the same products).
    tb_families = np.bincount(nb[tb], minlength=len(m.wijkteams)).tolist()
    activated = np.bincount(nb[fam.activated & (k >= 1)], minlength=len(m.wijkteams)).tolist()
    triaged = np.bincount(nb[fam.signal_week == model.week], minlength=len(m.wijkteams)).tolist()
    for team in m.wijkteams:
        n = team.neighbourhood
        team.coordination_load += triaged[n] * p.wijkteam.triage_hours
        # Practices go to their dedicated staff when they have them (sim/capacity.py).
        capacity.route_load(model, team, "trajectbegeleiding",
                            tb_families[n] * p.cooperation.trajectbegeleider_hours)
        capacity.route_load(model, team, "network_activation", activated[n] * ACTIVATION_HOURS)
        if capacity.online_staffed(model):
            capacity.route_load(model, team, "online_help", capacity.online_load(model, team))

