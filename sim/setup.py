"""Building the network: initial problems, providers, wijkteams and their staff.

Also the levers that rebuild part of it: hiring, a new procurement (the same
staff contracted through more or fewer organisations) and a provider going
bankrupt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Organisation, Professional, Role
from sim.domains import Domain
from sim.staffing import NEWCOMER_SKILL
from sim.waiting_list import LIGHT

if TYPE_CHECKING:
    from sim.model import SamenspelModel

# Share of specialist staff per domain. Assumption: capacity has grown to follow the
# mix of referrals a fragmented system makes (measured in the baseline scenario).
STAFF_WEIGHTS = {
    Domain.OPVOEDING: 0.27, Domain.JEUGD_GGZ: 0.33, Domain.OUDER_GGZ: 0.09,
    Domain.SCHULDEN: 0.04, Domain.SCHOOLVERZUIM: 0.16, Domain.BEPERKING: 0.03,
    Domain.VEILIGHEID: 0.05, Domain.WONEN: 0.03,
}
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
    for n in range(p.population.neighbourhoods):
        model.wijkteams.append(Organisation(model, count + n, f"Wijkteam {n + 1}", [LIGHT],
                                            wijkteam=True, neighbourhood=n))
    model.orgs = model.providers + model.wijkteams
    _staff_providers(model, domains)
    _staff_wijkteams(model)
    assign_contracts(model)
    _set_reserves(model)
    model.org_of_prof = np.array([pro.org.number for pro in model.professionals])


def _new_professional(model: SamenspelModel, org: Organisation, role: Role,
                      domain: int) -> Professional:
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
            _new_professional(model, org, Role.SPECIALIST, domains[0])
        return
    total = p.providers.professionals or round(
        p.providers.professionals_per_1000_families * p.population.families / 1000)
    weights = np.array([STAFF_WEIGHTS[d] for d in domains])
    per_domain = np.maximum(1, np.round(total * weights / weights.sum())).astype(int)
    for d, n in zip(domains, per_domain, strict=True):
        orgs = [o for o in model.providers if d in o.domains]
        for j in range(n):
            _new_professional(model, orgs[j % len(orgs)], Role.SPECIALIST, d)


def _staff_wijkteams(model: SamenspelModel) -> None:
    p = model.params
    sizes = np.bincount(model.families.neighbourhood, minlength=p.population.neighbourhoods)
    for team in model.wijkteams:
        need = p.wijkteam.generalists_per_1000_families * sizes[team.neighbourhood] / 1000
        n = 0 if p.arrivals.process == "poisson" else max(1, round(need))
        for _ in range(n):
            _new_professional(model, team, Role.GENERALIST, LIGHT)


def assign_contracts(model: SamenspelModel) -> None:
    contract = model.params.funding.contract
    for i, org in enumerate(model.providers):
        if contract == "mixed":
            org.contract = "per_hour" if i % 2 == 0 else "per_trajectory"
        else:
            org.contract = contract
    head = model.params.providers.head_contractor and len(model.providers) > 1
    for i, org in enumerate(model.providers):
        org.sub = head and i > 0


def _set_reserves(model: SamenspelModel) -> None:
    p = model.params
    for org in model.providers:
        weekly = len(org.staff) * p.providers.hours_per_week * p.funding.staff_cost_per_hour
        org.start_reserve = START_RESERVE_WEEKS * weekly
        org.reserve = org.start_reserve


def hire(model: SamenspelModel, count: int, domain: str) -> None:
    """New staff: generalists spread over the wijkteams, or specialists in one domain."""
    from sim.actions import ActionError

    if domain == "wijkteam":
        teams = sorted(model.wijkteams, key=lambda t: len(t.staff))
        targets = [(teams[i % len(teams)], Role.GENERALIST, LIGHT) for i in range(count)]
    else:
        try:
            d = Domain.from_key(domain)
        except KeyError:
            keys = ", ".join(["wijkteam"] + [x.key for x in Domain])
            raise ActionError(f"hire: domain = {domain!r}; allowed: {keys}") from None
        orgs = [o for o in model.providers if d in o.domains]
        if not orgs:
            raise ActionError(f"hire: no provider is contracted for {domain!r}")
        targets = [(orgs[i % len(orgs)], Role.SPECIALIST, d) for i in range(count)]
    for org, role, slot in targets:
        pro = _new_professional(model, org, role, slot)
        pro.skill = NEWCOMER_SKILL
    _grow_networks(model)


def _grow_networks(model: SamenspelModel) -> None:
    """Widen the trust matrix and adoption table to the new staff count."""
    n_old = model.trust.ties.shape[0]
    n = len(model.professionals)
    model.org_of_prof = np.array([pro.org.number for pro in model.professionals])
    ties = np.zeros((n, n))
    ties[:n_old, :n_old] = model.trust.ties
    model.trust.ties = ties
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
        traj.org.occupied[traj.slot] += 1
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
