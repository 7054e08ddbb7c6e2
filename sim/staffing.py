"""The staff's week: who is ill, who leaves, who is hired, and how hours are split.

Administration share per professional adds up from: a base share, contracts
and accountability (fixed hours per contract, shared by an organisation's
staff), time registration when paid per hour, control-style management, being
a sub-contractor, and a badly fitting top-down project. Coordination comes
from the families the organisation shares with others (separate plans cost
pairwise contacts, one plan costs one meeting); wijkteam generalists also
spend hours on triage, on being trajectbegeleider and on activating networks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Organisation

if TYPE_CHECKING:
    from sim.model import SamenspelModel

ACTIVATION_HOURS = 0.5  # weekly wijkteam hours per family whose network is activated
NEWCOMER_SKILL = 0.25


def turnover(model: SamenspelModel) -> None:
    """Illness, recovery, leaving and replacement, one professional at a time."""
    week = model.week
    st = model.params.staff
    rng = model.streams["staff"]
    for pro in model.professionals:
        if not pro.active:
            if pro.vacant_until <= week:
                pro.active, pro.morale, pro.skill = True, 0.6, NEWCOMER_SKILL
                model.trust.reset(pro.index)
                model.innovations.adopters[:, pro.index] = False
                model.innovations.trying[pro.index] = -1
                model.log(None, "hired", professional=pro.unique_id, org=pro.org.name)
            continue
        risk = pro.risk_factor()
        if pro.sick_until <= week and rng.random() < st.sick_per_week * risk:
            weeks = int(rng.geometric(1 / st.sick_mean_weeks))
            pro.sick_until = week + weeks
            model.counters["sick_starts"] += 1
        if rng.random() < 1 - math.exp(-st.leave_per_year / 52 * risk):
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
    for org in model.orgs:
        available = [pro for pro in org.staff if pro.available] or [None]
        n = len(available)
        admin = admin_share(model, org, project_admin)
        org.admin_share_now = admin
        coord = org.coordination_load / n
        experiment = 0.0 if org.in_distress else p.management.experimentation_hours * style
        if org.wijkteam:
            light = p.wijkteam.light_hours_per_family
            if p.participation.online_help:
                share = p.participation.online_share_light
                light = (1 - share) * light + share * p.participation.online_hours_per_family
            per_family = light
        elif p.arrivals.process == "poisson":
            per_family = p.providers.hours_per_week
        else:
            per_family = p.providers.hours_per_family
        if org.contract == "lump_sum" and not org.wijkteam:
            # Prevention takes hours from care; an underfunded lump sum freezes hours.
            per_family /= max(1e-9, (1 - p.funding.lump_sum_prevention)
                              * min(1.0, p.funding.lump_sum_share))
        for pro in org.staff:
            pro.plan_week(admin, coord, experiment, p.staff.learning_hours, per_family)
        org.recount_capacity()


def update_morale(model: SamenspelModel, burden: float) -> None:
    style = model.params.management.style
    for org in model.orgs:
        distress = 0.1 if org.in_distress else 0.0
        for pro in org.staff:
            if pro.active:
                pro.update_morale(org.admin_share_now, style, burden + distress)


def coordination_loads(model: SamenspelModel) -> None:
    """Hours each organisation spends on coordination next week, from who shares families."""
    fam, p, m = model.families, model.params, model
    k = fam.in_care_count()
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
        load = np.bincount(org_of[profs[mask]], weights=hours[mask], minlength=len(m.orgs))
        for org in m.orgs:
            org.coordination_load += float(load[org.number])
    # The wijkteam's own tasks: triage, trajectbegeleider, network activation.
    nb = fam.neighbourhood
    # A trajectbegeleider orders plans with more than one domain (unless parents do).
    tb = fam.integral_plan & ~fam.self_managed & (k >= 1) & (fam.plan_size >= 2)
    tb_families = np.bincount(nb[tb], minlength=len(m.wijkteams))
    activated = np.bincount(nb[fam.activated & (k >= 1)], minlength=len(m.wijkteams))
    triaged = np.bincount(nb[fam.signal_week == model.week], minlength=len(m.wijkteams))
    for team in m.wijkteams:
        n = team.neighbourhood
        team.coordination_load += (tb_families[n] * p.cooperation.trajectbegeleider_hours
                                   + activated[n] * ACTIVATION_HOURS
                                   + triaged[n] * p.wijkteam.triage_hours)

