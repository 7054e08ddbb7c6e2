"""A region that procures jointly: the others' children in the books, pooling, the cost key.

Lever tests are paired runs (tests/sim/paired.py): the same seeds alone and in
a region, asserted on the 95 % interval of the differences.
"""

from __future__ import annotations

import pytest
from paired import paired

from sim.actions import ActionError, SetParam
from sim.domains import Domain
from sim.model import SamenspelModel
from sim.scenario import ScenarioError, load_scenario

WEEKS, WARMUP = 260, 104
SEEDS = (1, 2, 3, 4, 5)
REGION = ("region.municipalities=4",)
GGZ = int(Domain.JEUGD_GGZ)


def measure(model: SamenspelModel) -> dict[str, float]:
    s = model.summary()
    return {"ggz_wait_weeks": s["wait_by_domain"]["jeugd_ggz"]["total"],
            "cost_per_year_eur": s["cost_per_year_eur"]}


def pair(key: str, change: tuple[str, ...], base: tuple[str, ...] = (),
         seeds: tuple[int, ...] = SEEDS):
    return paired(key, base, change, seeds=seeds, weeks=WEEKS, warmup=WARMUP, measure=measure)


def small(*overrides: str, seed: int = 3) -> SamenspelModel:
    return SamenspelModel(load_scenario("baseline", [
        "population.families=1500", "population.neighbourhoods=3", "providers.count=8",
        "run.warmup_weeks=40", *overrides]), seed=seed)


def test_the_others_children_are_counted_in_every_caseload_and_place() -> None:
    """Week by week: the others' children per professional add up to the provider's, they
    are part of its occupied places, and no place is given twice."""
    model = small(*REGION, "region.other_demand=1.2")
    for _ in range(120):
        model.step()
        for org in model.providers:
            for d in org.domains:
                pros = [p for p in org.staff if p.domain == d]
                assert sum(p.external for p in pros) == org.external[d]
                assert 0 <= org.external[d] <= org.occupied[d]
                assert org.occupied[d] == sum(p.caseload for p in pros)
    assert model.region.waits, "no child of the region started care"
    assert all(org.external[d] == 0 for org in model.providers for d in org.domains
               if d not in model.region.domains)


def test_the_municipality_pays_its_population_share_of_the_regional_spend() -> None:
    """Money balances: own payments plus the key's adjustment are 1/M of what the whole
    region paid the providers for those domains."""
    model = small(*REGION, "region.cost_key=population", "region.other_demand=1.2")
    model.run_weeks(100)
    r = model.region
    assert r.others_paid > 0 and r.adjusted != 0
    assert r.own_paid + r.adjusted == pytest.approx((r.own_paid + r.others_paid) / 4)
    by_use = small(*REGION, "region.cost_key=use", "region.other_demand=1.2")
    by_use.run_weeks(100)
    assert by_use.region.adjusted == 0


def test_a_region_of_unknown_domains_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(ScenarioError, match="region.domains.*'jeugd_gz' is not a domain"):
        load_scenario("baseline", ['region.domains=["jeugd_gz"]'])
    model = small()
    with pytest.raises(ActionError, match="region.municipalities"):
        model.apply(SetParam("region.municipalities", 3))


def test_a_municipality_alone_has_no_region() -> None:
    model = small()
    model.run_weeks(30)
    assert not model.region.active and model.region.summary(0) == {}
    assert "region_others_wait_weeks" not in model.summary()


@pytest.mark.slow
def test_a_region_like_the_municipality_shortens_its_mental_health_wait() -> None:
    """Pooling: a quiet week here lends places, a busy one borrows the neighbours'."""
    effect = pair("ggz_wait_weeks", REGION)
    assert effect.down, str(effect)


@pytest.mark.slow
def test_heavier_neighbours_take_the_places_and_the_population_key_charges_for_them() -> None:
    """When the neighbours refer more than their share of places can serve, their children
    take places the municipality had alone; and sharing costs by population, it pays
    for their use."""
    heavy = (*REGION, "region.other_demand=1.3", "region.cost_key=population")
    # The wait lies two half-widths from zero with five seeds (one seed's list stays short),
    # the cost five with three.
    effect = pair("ggz_wait_weeks", heavy)
    assert effect.up, str(effect)
    cost = pair("cost_per_year_eur", ("region.cost_key=population",),
                base=(*REGION, "region.other_demand=1.3"), seeds=SEEDS[:3])
    assert cost.up, str(cost)
