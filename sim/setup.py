"""Building the network: initial problems, providers, wijkteams and their staff.

Specialist capacity per domain follows the scenario's procurement
(`capacity.domain_shares`); practices staffed with their own people get their
dedicated posts (sim/capacity.py). Also the levers that rebuild part of it:
hiring (contracting capacity, with a lead time), a new procurement (the same
staff contracted through more or fewer organisations) and a provider going
bankrupt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import capacity, region
from sim.agents import Organisation, Professional, Role
from sim.contracts import ContractKind, kinds_for, terms_for
from sim.domains import Domain
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel

START_RESERVE_WEEKS = 4  # a provider starts with reserves for this many weeks of staff cost


def initial_problems(model: SamenspelModel) -> None:
    """Some families start with problems, so the first years are not empty."""
    fam = model.families
    rng = model.streams["families"]
    if not model.params.problems.dynamics:
        return
    chance = np.clip(0.04 * fam.risk, 0, 0.8)[:, None]
    has = rng.random(fam.severity.shape) < chance
    fam.severity[has] = rng.uniform(0.1, 0.5, int(has.sum()))


def build_organisations(model: SamenspelModel) -> None:
    p = model.params
    model.providers = []
    model.wijkteams = []
    model.professionals = []
    domains = [Domain.from_key(k) for k in p.providers.domains]
    if p.arrivals.process == "poisson":
        domains = [Domain.OPVOEDING]
    count = p.providers.count
    for i in range(count):
        mine = [d for j, d in enumerate(domains) if j % count == i % count] \
            if count < len(domains) else [domains[i % len(domains)]]
        model.providers.append(Organisation(model, i, f"Aanbieder {i + 1}", mine))
    for n in range(p.population.neighbourhood_count):
        model.wijkteams.append(Organisation(model, count + n, f"Wijkteam {n + 1}", [LIGHT],
                                            wijkteam=True, neighbourhood=n))
    model.orgs = model.providers + model.wijkteams
    _staff_providers(model, domains)
    _staff_wijkteams(model)
    capacity.build_dedicated(model)
    assign_contracts(model)
    _set_reserves(model)
    model.org_of_prof = np.array([pro.org.number for pro in model.professionals])


def new_professional(model: SamenspelModel, org: Organisation, role: Role,
                     domain: int, skill: float | None = None) -> Professional:
    """A professional with a drawn skill, or `skill` (then nothing is drawn)."""
    if skill is None:
        rng = model.streams["staff"]
        skill = float(np.clip(rng.normal(model.params.staff.network_skill_mean, 0.15), 0, 1))
    pro = Professional(model, len(model.professionals), org, role, int(domain), skill)
    org.staff.append(pro)
    model.professionals.append(pro)
    return pro


def _staff_providers(model: SamenspelModel, domains: list[Domain]) -> None:
    p = model.params
    if p.arrivals.process == "poisson":  # servers spread over the providers
        for j in range(p.arrivals.servers):
            org = model.providers[j % len(model.providers)]
            new_professional(model, org, Role.SPECIALIST, domains[0])
        return
    total = p.providers.professionals or round(
        p.providers.professionals_per_1000_families * p.population.families / 1000)
    weights = capacity.domain_weights(p, domains)
    if weights.sum() <= 0:  # procured nothing in these domains: at least one each
        weights = np.ones(len(domains))
    per_domain = np.maximum(1, np.round(total * weights / weights.sum())).astype(int)
    regional = region.regional_domains(p)
    for d, n in zip(domains, per_domain, strict=True):
        orgs = [o for o in model.providers if d in o.domains]
        if int(d) in regional:  # the region's staff: every municipality's share together
            n *= p.region.municipalities
        for j in range(n):
            new_professional(model, orgs[j % len(orgs)], Role.SPECIALIST, d)


def _staff_wijkteams(model: SamenspelModel) -> None:
    p = model.params
    sizes = np.bincount(model.families.neighbourhood, minlength=p.population.neighbourhood_count)
    for team in model.wijkteams:
        need = p.wijkteam.generalists_per_1000_families * sizes[team.neighbourhood] / 1000
        n = 0 if p.arrivals.process == "poisson" else max(1, round(need))
        for _ in range(n):
            new_professional(model, team, Role.GENERALIST, LIGHT)


def assign_contracts(model: SamenspelModel) -> None:
    """Procurement: each provider's contract kind (balanced within domains), terms, role."""
    kinds = kinds_for(model.providers, model.params.funding.contract)
    for org, kind in zip(model.providers, kinds, strict=True):
        org.contract = kind
    renew_terms(model)
    head = model.params.providers.head_contractor and len(model.providers) > 1
    for i, org in enumerate(model.providers):
        org.sub = head and i > 0


def renew_terms(model: SamenspelModel) -> None:
    """The terms of every provider's contract, from the current funding parameters."""
    f, pp = model.params.funding, model.params.providers
    for org in model.providers:
        org.terms = terms_for(ContractKind(org.contract), f, pp)


def _set_reserves(model: SamenspelModel) -> None:
    p = model.params
    for org in model.providers:
        weekly = len(org.staff) * p.providers.hours_per_week * p.funding.staff_cost_per_hour
        org.start_reserve = START_RESERVE_WEEKS * weekly
        org.reserve = org.start_reserve


def hire(model: SamenspelModel, count: int, domain: str) -> dict:
    """More staff: wijkteam generalists, or capacity contracted at a domain's providers.

    Either way the newcomers start after `capacity.lead_weeks` (sim/capacity.py).
    """
    return capacity.contract(model, domain, count)


def grow_networks(model: SamenspelModel) -> None:
    """Widen the trust network and adoption table to the new staff count."""
    n_old = model.trust.size
    n = len(model.professionals)
    model.org_of_prof = np.array([pro.org.number for pro in model.professionals])
    model.trust.reassign(model.org_of_prof)
    inn = model.innovations
    grown = np.zeros((inn.adopters.shape[0], n), dtype=bool)
    grown[:, :n_old] = inn.adopters
    inn.adopters = grown
    inn.trying = np.append(inn.trying, np.full(n - n_old, -1))


def reprocure(model: SamenspelModel, count: int, head: bool) -> None:
    """Contract the same specialist staff through `count` providers; lists are rebuilt."""
    from sim.scenario import with_setting

    model.params = with_setting(model.params, "providers.count", count)
    model.params = with_setting(model.params, "providers.head_contractor", head)
    domains = [Domain.from_key(k) for k in model.params.providers.domains]
    old = model.providers
    new = []
    for i in range(count):
        mine = [d for j, d in enumerate(domains) if j % count == i % count] \
            if count < len(domains) else [domains[i % len(domains)]]
        org = Organisation(model, i, f"Aanbieder {i + 1}", mine)
        new.append(org)
    specialists = [pro for org in old for pro in org.staff]
    for j, pro in enumerate(sorted(specialists, key=lambda x: x.index)):
        orgs = [o for o in new if pro.domain in o.domains]
        target = orgs[j % len(orgs)]
        pro.org = target
        target.staff.append(pro)
    for org in old:
        org.remove()
    offset = count
    for n, team in enumerate(model.wijkteams):
        team.number = offset + n
    model.providers = new
    model.orgs = new + model.wijkteams
    for traj in model.care.trajectories.values():
        traj.org = traj.prof.org
    for org in model.orgs:
        org.occupied[:] = 0
    for traj in model.care.trajectories.values():
        traj.org.occupied[traj.slot] += traj.weight  # stepped-up care takes two places
    assign_contracts(model)
    _set_reserves(model)
    model.org_of_prof = np.array([pro.org.number for pro in model.professionals])
    model.trust.reassign(model.org_of_prof)
    model.care.build_lists()


def bankrupt(model: SamenspelModel) -> str:
    """The weakest provider stops; its staff and families go to the other providers."""
    if len(model.providers) < 2:
        return ""
    weakest = min(model.providers, key=lambda o: o.reserve)
    name = weakest.name
    # Its staff move to the remaining providers with their families, so care goes on;
    # the organisation and its waiting lists are gone.
    reprocure(model, len(model.providers) - 1, model.params.providers.head_contractor)
    return name
