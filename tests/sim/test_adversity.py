"""Toxic stress and adverse childhood experiences (sim/adversity.py, ODD 7.2).

What a trainer would check: an ACE is a kind of adversity, counted once and
kept; toxic stress needs an unbuffered child; the harm lands on the child's own
problems.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import adversity
from sim.domains import N_DOMAINS, Domain
from sim.model import SamenspelModel
from sim.scenario import load_scenario
from sim.states import Stress


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.booleans(), min_size=6, max_size=6),
                          st.lists(st.floats(0, 1), min_size=6 * N_DOMAINS,
                                   max_size=6 * N_DOMAINS)),
                min_size=1, max_size=20))
def test_each_kind_counts_once_and_the_score_never_falls(weeks):
    """Over any run of weeks the score is the number of kinds seen in a toxic week: never
    more than three, never lower than the week before."""
    kinds = np.zeros(6, dtype=np.uint8)
    seen = np.zeros((6, adversity.MAX_ACES), dtype=bool)
    before = np.zeros(6)
    for toxic, flat in weeks:
        toxic = np.array(toxic)
        severity = np.array(flat).reshape(6, N_DOMAINS)
        adversity.record(kinds, toxic, severity, 0.35)
        score = adversity.score(kinds)
        for bit, domain in enumerate(adversity.ACE_KINDS):
            seen[:, bit] |= toxic & (severity[:, domain] >= 0.35)
        assert (score == seen.sum(axis=1)).all()
        assert (score >= before).all() and (score <= adversity.MAX_ACES).all()
        before = score


def _family_in(model: SamenspelModel, f: int, network: float, **severity: float) -> None:
    fam = model.families
    fam.network[f] = fam.self_reliance[f] = network
    fam.severity[f] = 0.0
    for key, value in severity.items():
        fam.severity[f, Domain.from_key(key)] = value


def test_an_unsafe_home_is_toxic_only_without_a_buffer():
    """The same unsafe home: with a strong network the child's stress is tolerable and
    leaves no mark; without one it is toxic and records violence at home, and the parent's
    mental illness that is present too."""
    model = SamenspelModel(load_scenario("neighbourhood"), seed=1)
    p = model.params
    _family_in(model, 0, 0.8, veiligheid=0.5, ouder_ggz=0.5)
    _family_in(model, 1, 0.2, veiligheid=0.5, ouder_ggz=0.5)
    _family_in(model, 2, 0.2, ouder_ggz=0.5)  # a parent's illness alone is not toxic here
    model.families.update_stress(p)
    fam = model.families
    assert list(fam.stress[:3]) == [Stress.TOLERABLE, Stress.TOXIC, Stress.TOLERABLE]
    assert list(fam.aces[:3]) == [0, 2, 0]
    # The home becomes safe: the stress goes, the mark stays.
    fam.severity[1] = 0.0
    fam.update_stress(p)
    assert fam.stress[1] == Stress.POSITIVE and fam.aces[1] == 2


def test_aces_raise_the_onset_of_the_childs_problems_not_the_parents():
    """Many identical calm families, half with three kinds of ACE: over a year their
    children's mental-health and school problems begin more often; debt and housing
    problems begin as often as the others'."""
    model = SamenspelModel(load_scenario("neighbourhood", ["problems.noise=0"]), seed=3)
    fam, p = model.families, model.params
    n = fam.n
    fam.risk[:] = 1.0
    fam.network[:] = fam.self_reliance[:] = 0.6
    marked = np.arange(n) % 2 == 0
    fam.ace_kinds[:] = np.where(marked, 0b111, 0)
    rng = np.random.default_rng(5)
    began = np.zeros((n, N_DOMAINS), dtype=bool)
    for _ in range(52):
        fam.severity[:] = 0.0
        fam.evolve(p, rng, np.zeros((n, N_DOMAINS)), np.ones(n), np.ones(n), np.ones(n))
        began |= fam.severity > 0.1
    marked_rate = began[marked].mean(axis=0)
    other_rate = began[~marked].mean(axis=0)
    for d in adversity.RAISED_DOMAINS:
        assert marked_rate[d] > other_rate[d] + 0.05, (Domain(d).key, marked_rate, other_rate)
    for d in (Domain.SCHULDEN, Domain.WONEN):
        assert abs(marked_rate[d] - other_rate[d]) < 0.1, (Domain(d).key, marked_rate,
                                                           other_rate)
