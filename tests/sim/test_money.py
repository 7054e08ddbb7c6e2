"""Money binds: budget cuts, caps, pooling, turnover ceilings, contracts, reserves, payers.

Paired runs on the same seeds (tests/sim/paired.py); each lever shows where it
helps and where it costs, for a mechanism named in the test.
"""

from __future__ import annotations

import statistics

import pytest
from paired import TOWN, TOWN_SCENARIO, paired
from paired import summary as plain_summary

from sim.actions import ActionError
from sim.agents import Organisation
from sim.contracts import ContractKind, kinds_for, terms_for
from sim.domains import SILOS, Domain
from sim.model import SamenspelModel
from sim.params import FundingParams, ProviderParams
from sim.payers import MUNICIPAL_SILOS
from sim.scenario import load_scenario

SEEDS = (1, 2, 3)
MORE_SEEDS = (1, 2, 3, 4, 5)  # where the seeds agree but three leave the interval wide
WEEKS, WARMUP = 156, 52
FAMILIES = 4000
DEBT, GGZ = int(Domain.SCHULDEN), int(Domain.OUDER_GGZ)
F = FundingParams()


def measure(model: SamenspelModel) -> dict[str, float]:
    """The summary, the mean wait per domain, and the weeks closed by ceilings."""
    out = plain_summary(model)
    warm = model.params.run.warmup_weeks
    for d in (DEBT, GGZ):
        waits = [s[1] for s in model.care.starts if s[0] >= warm and s[3] == d]
        out[f"wait_{Domain(d).key}"] = statistics.fmean(waits) if waits else 0.0
    out["ceiling_blocked_weeks"] = float(model.counters["ceiling_blocked_weeks"])
    out["debt_norm_openings"] = float(model.counters["debt_norm_openings"])
    out["debt_spent"] = float(model.budget.spent_total[SILOS.index("schuldhulp")])
    out["wmo_debt_spent"] = out["debt_spent"] + float(
        model.budget.spent_total[SILOS.index("wmo")])
    return out


def effect(key: str, base: tuple[str, ...], change: tuple[str, ...], actions: tuple = (),
           seeds: tuple[int, ...] = SEEDS):
    return paired(key, base, change, seeds=seeds, weeks=WEEKS, warmup=WARMUP,
                  actions=actions, measure=measure)


def budgets(share: float, **silo_share: float) -> tuple[str, ...]:
    """Explicit municipal budgets: `share` of the default, or per silo."""
    need = F.budget_per_family * FAMILIES
    return tuple(f"funding.budget_{s}={need * F.silo_split[s] * silo_share.get(s, share):.0f}"
                 for s in MUNICIPAL_SILOS)


HARD = ('funding.hard_silos=["jeugd", "wmo", "schuldhulp", "onderwijs"]',
        "funding.debt_response_weeks=0")


# -- a budget cut hurts families when caps are hard ----------------------------------------

@pytest.mark.slow
def test_a_budget_cut_with_hard_caps_makes_families_wait_and_spends_less():
    cut = budgets(0.6)
    blocked = effect("silo_blocked_waiting_weeks", HARD, cut, seeds=MORE_SEEDS)
    assert blocked.up, blocked
    wait = effect("mean_wait_weeks", HARD, cut, seeds=MORE_SEEDS)
    assert wait.up, wait
    # Youth care is a duty and overspends whatever its budget; the capped Wmo and debt
    # help are where a cut saves money (and where families wait for it).
    cost = effect("wmo_debt_spent", HARD, cut, seeds=MORE_SEEDS)
    assert cost.down, cost


@pytest.mark.slow
def test_a_municipal_cut_closes_debt_help_but_never_the_insurers_adult_mental_health_care():
    """Adult ggz is the insurer's (Zvw): a 40 % municipal cut with hard caps closes debt
    help for weeks, and its families wait for money, but the insurer's places stay open
    and no adult-ggz referral ever waits for money.

    The adult-ggz wait itself is not compared: in this town that queue runs at
    saturation (20-30 weeks) and moves by weeks between paired seeds whatever the
    town does, so an interval around zero said nothing.
    """
    scenario = load_scenario(TOWN_SCENARIO, [*TOWN, *HARD, *budgets(0.6),
                                             f"run.weeks={WEEKS}", f"run.warmup_weeks={WARMUP}"])
    model = SamenspelModel(scenario, seed=1)
    funding = model.params.funding
    closed_weeks = dict.fromkeys((DEBT, GGZ), 0)
    waiting_for_money = dict.fromkeys((DEBT, GGZ), 0)  # referral-weeks
    for _ in range(WEEKS):
        model.step()
        for domain in closed_weeks:
            closed_weeks[domain] += not model.budget.can_start(domain, funding)
        for refs in model.care.waiting.values():
            for ref in refs:
                if ref.domain in waiting_for_money and ref.blocked_weeks:
                    waiting_for_money[ref.domain] += 1
    assert closed_weeks[DEBT] > 0 and waiting_for_money[DEBT] > 0, closed_weeks
    assert closed_weeks[GGZ] == 0 and waiting_for_money[GGZ] == 0, waiting_for_money
    assert any(s.slot == GGZ for s in model.care.starts)  # adult-ggz care went on


# -- pooling helps where money is left elsewhere, costs where youth care drains the pot ------

@pytest.mark.slow
def test_pooling_helps_debt_help_when_its_silo_runs_dry_and_youth_has_money():
    capped = ("funding.debt_response_weeks=0", *budgets(1.0, jeugd=2.0, schuldhulp=0.3))
    wait = effect("wait_schulden", capped, ("funding.pooled=true",))
    assert wait.down, wait
    spent = effect("debt_spent", capped, ("funding.pooled=true",))
    assert spent.up, spent  # what the cap held back is now spent: weaker control


@pytest.mark.slow
def test_pooled_money_drained_by_youth_care_holds_debt_help_to_its_legal_norm():
    """Debt help has money of its own; youth care, budgeted low, overspends by duty.
    Pooled, that overspend empties the pot: debt help stops until a family has waited
    as long as the Wgs allows, which then forces the municipality to pay anyway, and
    the other capped fields (Wmo, school absence) wait for money.

    The debt-help wait itself is held to the norm by that rule, so it barely moves
    (about half a week, less than its spread between seeds); what shows is how often
    only the law opened the silo, and the waiting in the other capped fields.
    (Youth care budgeted at a third of what it spends: half its calibrated budget.)
    """
    own = budgets(1.0, jeugd=0.5, schuldhulp=3.0)
    eight = tuple(range(1, 9))  # how much the other fields wait varies much by seed
    opened = effect("debt_norm_openings", own, ("funding.pooled=true",), seeds=eight)
    assert opened.up and min(opened.base) == 0, opened
    blocked = effect("silo_blocked_waiting_weeks", own, ("funding.pooled=true",), seeds=eight)
    assert blocked.up, blocked


# -- turnover ceilings ------------------------------------------------------------------------

@pytest.mark.slow
def test_a_turnover_ceiling_stops_intake_and_families_wait_longer():
    ceiling = ("funding.turnover_ceiling=0.2",)
    closed = effect("ceiling_blocked_weeks", (), ceiling)
    assert closed.up, closed
    wait = effect("mean_wait_weeks", (), ceiling)
    assert wait.up, wait


def test_a_provider_at_its_ceiling_takes_no_one_new():
    scenario = load_scenario("baseline", [*TOWN, "run.weeks=60", "run.warmup_weeks=10",
                                          "funding.turnover_ceiling=0.05"])
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(30)
    closed = [o for o in model.providers if not model.budget.under_ceiling(o)]
    assert closed
    org = closed[0]
    domain = org.domains[0]
    assert not model.budget.can_start(domain, model.params.funding, org)
    before = sum(1 for s in model.care.starts)
    started_here = {t.id for t in model.care.trajectories.values() if t.org is org}
    model.run_weeks(4)
    if model.week // 52 == 0:  # still the same year: nobody new at the closed provider
        new = {t.id for t in model.care.trajectories.values() if t.org is org} - started_here
        assert not new
    assert len(model.care.starts) > before  # the others go on


# -- contracts: per hour versus per trajectory on the same domains ----------------------------

def test_mixed_contracts_are_balanced_within_each_domain():
    orgs = [Organisation.__new__(Organisation) for _ in range(30)]
    for i, org in enumerate(orgs):
        org.domains = [i % 8]
    kinds = kinds_for(orgs, "mixed")
    for d in range(8):
        mine = {k for o, k in zip(orgs, kinds, strict=True) if o.domains[0] == d}
        assert mine == {ContractKind.INSPANNINGSGERICHT, ContractKind.OUTPUTGERICHT}


def test_contract_kinds_keep_their_scenario_strings_and_dutch_names():
    assert ContractKind.parse("taakgericht") == "lump_sum"
    assert ContractKind.parse("per_hour") is ContractKind.INSPANNINGSGERICHT
    terms = terms_for(ContractKind.OUTPUTGERICHT, F, ProviderParams())
    assert terms.trajectory_fee == pytest.approx(
        F.trajectory_fee_weeks * ProviderParams().hours_per_family * F.hourly_rate)
    assert terms.admin_share == 0 and terms_for(
        ContractKind.INSPANNINGSGERICHT, F, ProviderParams()).admin_share > 0
    scenario = load_scenario("baseline", [*TOWN, "funding.contract=outputgericht"])
    assert ContractKind.parse(scenario.funding.contract) is ContractKind.OUTPUTGERICHT


@pytest.mark.slow
# -- provider reserves ------------------------------------------------------------------------

def test_provider_reserves_fall_under_a_low_tariff_and_recover_when_it_covers_costs():
    # Books open at the end of the warm-up (week 104), when caseloads are normal.
    scenario = load_scenario("baseline", [*TOWN, "run.weeks=190", "run.warmup_weeks=104",
                                          "funding.contract=per_hour"])
    # Staff cost 32 h x EUR 50 a week; about six places of 3 h: EUR 60 an hour is a loss,
    # EUR 130 covers costs with room to spare.
    model = SamenspelModel(scenario, seed=2, actions=[
        {"week": 105, "kind": "set", "key": "funding.hourly_rate", "value": 60.0},
        {"week": 145, "kind": "set", "key": "funding.hourly_rate", "value": 130.0}])

    def reserve() -> float:
        return sum(o.reserve for o in model.providers)

    model.run_weeks(105)
    start = reserve()
    model.run_weeks(40)
    low_end = reserve()
    model.run_weeks(40)
    assert low_end < start
    assert reserve() > low_end


# -- payers by law ------------------------------------------------------------------------------

def test_the_municipality_cannot_change_the_insurers_budget_nor_pool_it():
    scenario = load_scenario("baseline", [*TOWN, "funding.pooled=true",
                                          'funding.hard_silos=["wmo"]'])
    model = SamenspelModel(scenario, seed=1)
    with pytest.raises(ActionError, match="not the municipality's money"):
        model.apply({"kind": "budget", "silo": "zvw", "euros": 1e6})
    model.budget.spent_year[:] = 1e12  # every pot spent: adult ggz still starts
    assert model.budget.can_start(GGZ, model.params.funding)
    assert not model.budget.can_start(int(Domain.WONEN), model.params.funding)


def test_the_debt_norm_opens_a_spent_silo_for_a_family_waiting_too_long():
    scenario = load_scenario("baseline", [*TOWN, "run.weeks=60", "run.warmup_weeks=10",
                                          *budgets(1.0, schuldhulp=0.05)])
    model = SamenspelModel(scenario, seed=1)
    model.run_weeks(52)
    assert model.counters["debt_norm_openings"] > 0
    assert any(e["kind"] == "debt_norm_overspend" for e in model.events)
