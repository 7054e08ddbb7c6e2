"""Trust ties between professionals: the network that carries coordination and ideas.

Ties grow with joint cases and with intervision across organisations, and fade
when not used; colleagues in one organisation keep a floor of trust from the
shared workplace. Few contracted partners therefore mean more shared
workplaces and stronger ties than many small providers do.

A tie is its floor (`WORKPLACE_FLOOR` between colleagues, 0 across
organisations) plus what shared work added. Only that addition is stored, one
entry per pair that ever worked together, sorted by pair: a professional
meets a few dozen others, not all of them, so the network grows with the
number of professionals and not with its square (a table of every pair made
a national run quadratic in its size). An addition that has faded below
`FORGOTTEN` is dropped.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse

JOINT_CASE_GAIN = 0.03  # per week of a shared family
INTERVISION_GAIN = 0.02  # per intervision contact
DECAY = 0.01  # weekly fading of unused ties
WORKPLACE_FLOOR = 0.3  # trust between colleagues of one organisation
FORGOTTEN = 1e-6  # an addition this small is gone (about 20 years after one contact)
# Weeks after which even a full tie's addition has faded below FORGOTTEN.
MEMORY_WEEKS = math.ceil(math.log(FORGOTTEN) / math.log(1 - DECAY))

_KEY = np.int64(2**31)  # pair (a, b), a < b, is stored under a * _KEY + b


class TrustNetwork:
    def __init__(self, org_of: np.ndarray) -> None:
        self._cached: tuple[int, float] | None = None
        self._version = 0
        self._a = np.zeros(0, dtype=np.int64)  # the pairs with an addition, a < b,
        self._b = np.zeros(0, dtype=np.int64)  # sorted by (a, b)
        self._x = np.zeros(0)  # the addition above the pair's floor
        self.org_of = np.zeros(0, dtype=np.int64)
        self.reassign(org_of)

    @property
    def size(self) -> int:
        """Professionals in the network."""
        return len(self.org_of)

    # -- reading ------------------------------------------------------------------------

    def floor(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The workplace floor of pairs (a, b)."""
        a, b = np.asarray(a), np.asarray(b)
        return np.where((self.org_of[a] == self.org_of[b]) & (a != b), WORKPLACE_FLOOR, 0.0)

    def is_cross(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether professionals a and b work for different organisations."""
        return self.org_of[np.asarray(a)] != self.org_of[np.asarray(b)]

    def tie(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The trust between professionals a and b (arrays of equal length)."""
        shape = np.shape(a)
        a = np.atleast_1d(np.asarray(a, dtype=np.int64))
        b = np.atleast_1d(np.asarray(b, dtype=np.int64))
        pos, found = self._find(np.minimum(a, b), np.maximum(a, b))
        extra = np.where(found, self._x[np.minimum(pos, len(self._x) - 1)]
                         if len(self._x) else 0.0, 0.0)
        return (self.floor(a, b) + extra).reshape(shape)

    def cross_ties(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, strength) of every tie across organisations above zero, a < b."""
        keep = self._cross
        return self._a[keep], self._b[keep], self._x[keep]

    def mean_cross_org(self) -> float:
        """Mean trust between professionals of different organisations (floor 0)."""
        if self._cached is None or self._cached[0] != self._version:
            value = (2 * float(self._x[self._cross].sum()) / self._n_cross
                     if self._n_cross else 0.0)
            self._cached = (self._version, value)
        return self._cached[1]

    def pressure(self, held: np.ndarray, sharing: float) -> np.ndarray:
        """Each professional's ties to the holders of each idea: `held` is ideas x
        professionals (0 or 1); entry (k, i) sums professional i's ties to idea k's
        holders, a tie across organisations counted at `sharing`, within one at 1.

        Within an organisation the floor is shared by all colleagues, so it is counted
        per organisation (the holders among i's colleagues), and only the stored
        additions are visited one by one.
        """
        held = np.asarray(held, dtype=float)
        order, starts = self._by_org
        per_org = (np.add.reduceat(held[:, order], starts, axis=1) if held.shape[1]
                   else np.zeros((held.shape[0], 0)))
        colleagues = per_org[:, self._org_rank] - held  # not oneself
        total = WORKPLACE_FLOOR * colleagues
        if len(self._x):
            w = self._x * np.where(self._cross, sharing, 1.0)
            n = self.size
            ties = sparse.csr_matrix((np.concatenate([w, w]),
                                      (np.concatenate([self._a, self._b]),
                                       np.concatenate([self._b, self._a]))), shape=(n, n))
            total += (ties @ held.T).T
        return total

    # -- changes ------------------------------------------------------------------------

    def reassign(self, org_of: np.ndarray) -> None:
        """Professionals changed organisation (a new procurement), or newcomers joined.

        A tie never drops below its new floor; colleagues who no longer share a
        workplace keep the trust they had, which then fades.
        """
        old = self.org_of
        new = np.asarray(org_of, dtype=np.int64).copy()
        if len(self._x):
            was = old[self._a] == old[self._b]
            now = new[self._a] == new[self._b]
            tie = self._x + np.where(was, WORKPLACE_FLOOR, 0.0)
            self._x = np.maximum(tie, np.where(now, WORKPLACE_FLOOR, 0.0)) \
                - np.where(now, WORKPLACE_FLOOR, 0.0)
        split_a, split_b = _split_pairs(old, new[:len(old)])
        self.org_of = new
        if len(split_a):  # colleagues before, not now, without an addition: floor kept
            pos, found = self._find(split_a, split_b)
            self._insert(pos[~found], split_a[~found], split_b[~found],
                         np.full(int((~found).sum()), WORKPLACE_FLOOR))
        self._drop(self._x > 0)
        self._refresh_orgs()

    def reset(self, i: int) -> None:
        """A newcomer replaces a leaver: no ties beyond the workplace."""
        self._drop((self._a != i) & (self._b != i))

    def joint_cases(self, pairs: np.ndarray) -> None:
        """Strengthen ties of professionals who share a family this week (pairs: k x 2).

        A pair named more than once (two shared families) gains once a week.
        """
        if len(pairs):
            self._strengthen(pairs[:, 0], pairs[:, 1], JOINT_CASE_GAIN)

    def intervision(self, rng: np.random.Generator, learning_hours: float,
                    sharing: float) -> None:
        """Cross-organisation intervision: random meetings, more with more learning time."""
        n = self.size
        meetings = rng.poisson(n * 0.05 * learning_hours * sharing)
        if meetings and n > 1:
            a = rng.integers(0, n, meetings)
            b = rng.integers(0, n, meetings)
            keep = self.is_cross(a, b)
            if keep.any():
                self._strengthen(a[keep], b[keep], INTERVISION_GAIN)

    def fade(self) -> None:
        """Unused trust fades towards the floor; what is nearly gone is forgotten."""
        self._x -= self._x * DECAY
        self._version += 1
        if len(self._x) and self._x.min() < FORGOTTEN:
            self._drop(self._x >= FORGOTTEN)

    # -- the store ----------------------------------------------------------------------

    def _find(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where pairs (a < b) are, or would be inserted, and whether they are there."""
        keys = a * _KEY + b
        pos = np.searchsorted(self._key, keys)
        found = pos < len(self._key)
        found[found] = self._key[pos[found]] == keys[found]
        return pos, found

    def _strengthen(self, a: np.ndarray, b: np.ndarray, gain: float) -> None:
        keys = np.unique(np.minimum(a, b).astype(np.int64) * _KEY
                         + np.maximum(a, b).astype(np.int64))
        lo, hi = keys // _KEY, keys % _KEY
        pos, found = self._find(lo, hi)
        floor = self.floor(lo, hi)
        at = pos[found]
        self._x[at] += gain * (1 - floor[found] - self._x[at])
        new = ~found
        self._insert(pos[new], lo[new], hi[new], gain * (1 - floor[new]))
        self._version += 1

    def _insert(self, pos: np.ndarray, a: np.ndarray, b: np.ndarray, x: np.ndarray) -> None:
        """Add pairs not yet stored; `pos` from `_find`, pairs sorted and distinct."""
        if len(pos):
            order = np.lexsort((b, a))
            pos, a, b, x = pos[order], a[order], b[order], x[order]
            self._a = np.insert(self._a, pos, a)
            self._b = np.insert(self._b, pos, b)
            self._x = np.insert(self._x, pos, x)
            self._refresh_pairs()

    def _drop(self, keep: np.ndarray) -> None:
        if not keep.all():
            self._a, self._b, self._x = self._a[keep], self._b[keep], self._x[keep]
            self._refresh_pairs()

    def _refresh_pairs(self) -> None:
        self._key = self._a * _KEY + self._b
        self._cross = self.org_of[self._a] != self.org_of[self._b]
        self._version += 1

    def _refresh_orgs(self) -> None:
        """Organisation sizes and the professionals in organisation order, for
        `pressure` and the cross-organisation mean; changed only by `reassign`."""
        _, rank, sizes = np.unique(self.org_of, return_inverse=True, return_counts=True)
        self._org_rank = rank
        n = self.size
        self._n_cross = int(n * n - (sizes * sizes).sum())
        order = np.argsort(rank, kind="stable")
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if len(sizes) else \
            np.zeros(0, dtype=np.int64)
        self._by_org = (order, starts)
        self._refresh_pairs()


def _split_pairs(old: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a < b) that shared an organisation under `old` and do not under `new`."""
    out_a, out_b = [], []
    for org in np.unique(old):
        members = np.flatnonzero(old == org)
        if len(members) < 2 or (new[members] == new[members[0]]).all():
            continue
        i, j = np.triu_indices(len(members), 1)
        split = new[members[i]] != new[members[j]]
        out_a.append(members[i][split])
        out_b.append(members[j][split])
    if not out_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)
