"""The trust network stores only what shared work added; it must read as the full table.

The reference below is the plain professionals x professionals table the network
once was. Random weeks of joint cases, intervision, fading, leavers and
procurements must give the same ties, the same means and the same pressure of
ideas in both, to rounding.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import trust as tr
from sim.trust import TrustNetwork


class TableReference:
    """Every pair's tie in one dense table: simple, quadratic in the staff."""

    def __init__(self, org_of: np.ndarray) -> None:
        self.ties = np.zeros((0, 0))
        self.reassign(org_of)

    def reassign(self, org_of: np.ndarray) -> None:
        n = len(org_of)
        grown = np.zeros((n, n))
        old = len(self.ties)
        grown[:old, :old] = self.ties
        self.org_of = np.asarray(org_of).copy()
        same = self.org_of[:, None] == self.org_of[None, :]
        self.cross = ~same
        self.floor = np.where(same, tr.WORKPLACE_FLOOR, 0.0)
        np.fill_diagonal(self.floor, 0.0)
        grown[old:, :] = self.floor[old:, :]
        grown[:, old:] = self.floor[:, old:]
        self.ties = np.maximum(grown, self.floor)

    def reset(self, i: int) -> None:
        self.ties[i, :] = self.floor[i, :]
        self.ties[:, i] = self.floor[:, i]

    def strengthen(self, a: np.ndarray, b: np.ndarray, gain: float) -> None:
        self.ties[a, b] += gain * (1 - self.ties[a, b])
        self.ties[b, a] = self.ties[a, b]

    def fade(self) -> None:
        self.ties -= (self.ties - self.floor) * tr.DECAY

    def mean_cross_org(self) -> float:
        return float((self.ties * self.cross).sum() / self.cross.sum())

    def pressure(self, held: np.ndarray, sharing: float) -> np.ndarray:
        weights = self.ties * np.where(self.cross, sharing, 1.0)
        return (weights @ held.T.astype(float)).T


def _random_orgs(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, max(1, n // 4), n)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 30), weeks=st.integers(1, 60))
def test_the_stored_network_reads_as_the_full_table_after_any_weeks(seed, n, weeks):
    rng = np.random.default_rng(seed)
    org_of = _random_orgs(rng, n)
    net, ref = TrustNetwork(org_of), TableReference(org_of)
    for _ in range(weeks):
        event = rng.random()
        if event < 0.05:  # a procurement: staff move between organisations
            org_of = _random_orgs(rng, len(org_of))
            net.reassign(org_of)
            ref.reassign(org_of)
        elif event < 0.10:  # newcomers
            org_of = np.concatenate([org_of, _random_orgs(rng, int(rng.integers(1, 4)))])
            net.reassign(org_of)
            ref.reassign(org_of)
        elif event < 0.15:  # a leaver replaced
            i = int(rng.integers(0, len(org_of)))
            net.reset(i)
            ref.reset(i)
        size = len(org_of)
        pairs = rng.integers(0, size, (int(rng.integers(0, 3 * size)), 2))
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        net.joint_cases(pairs)
        if len(pairs):
            ref.strengthen(pairs[:, 0], pairs[:, 1], tr.JOINT_CASE_GAIN)
        net.fade()
        ref.fade()
    a, b = np.triu_indices(len(org_of), 1)
    np.testing.assert_allclose(net.tie(a, b), ref.ties[a, b], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(net.is_cross(a, b), ref.cross[a, b])
    if ref.cross.any():
        assert abs(net.mean_cross_org() - ref.mean_cross_org()) < 1e-9
    held = rng.random((3, len(org_of))) < 0.3
    np.testing.assert_allclose(net.pressure(held, 0.4), ref.pressure(held, 0.4),
                               rtol=0, atol=1e-9)


def test_intervision_only_ties_people_of_different_organisations():
    org_of = np.repeat(np.arange(5), 6)
    net = TrustNetwork(org_of)
    before = net.mean_cross_org()
    net.intervision(np.random.default_rng(3), learning_hours=4.0, sharing=1.0)
    a, b, strength = net.cross_ties()
    assert len(a) and (strength > 0).all() and net.is_cross(a, b).all()
    assert net.mean_cross_org() > before
    same = np.flatnonzero(org_of == 0)
    assert (net.tie(same[:-1], same[1:]) == tr.WORKPLACE_FLOOR).all()


def test_a_tie_nobody_uses_is_forgotten_and_stops_taking_room():
    net = TrustNetwork(np.array([0, 1, 2]))
    net.joint_cases(np.array([[0, 1]]))
    assert net.tie([0], [1])[0] > 0
    weeks = 0
    while len(net.cross_ties()[0]) and weeks < 5000:
        net.fade()
        weeks += 1
    assert net.tie([0], [1])[0] == 0.0
    assert 1000 < weeks <= tr.MEMORY_WEEKS  # years after the last shared family, not weeks
