"""Trust ties between professionals: the network that carries coordination and ideas.

Ties grow with joint cases and with intervision across organisations, and fade
when not used; colleagues in one organisation keep a floor of trust from the
shared workplace. Few contracted partners therefore mean more shared
workplaces and stronger ties than many small providers do.
"""

from __future__ import annotations

import numpy as np

JOINT_CASE_GAIN = 0.03  # per week of a shared family
INTERVISION_GAIN = 0.02  # per intervision contact
DECAY = 0.01  # weekly fading of unused ties
WORKPLACE_FLOOR = 0.3  # trust between colleagues of one organisation


class TrustNetwork:
    def __init__(self, org_of: np.ndarray) -> None:
        n = len(org_of)
        self.org_of = org_of.copy()
        self._cached: tuple[int, float] | None = None
        self._version = 0
        self.ties = np.zeros((n, n))
        self._refresh_floor()
        self.ties[:] = self.floor

    # The mean cross-organisation tie is read twice a week (coordination and the
    # plans' coherence) over a professionals x professionals matrix; every change
    # of the ties goes through these methods or the setter, which bump a version,
    # so an unchanged network is not summed again.
    @property
    def ties(self) -> np.ndarray:
        return self._ties

    @ties.setter
    def ties(self, value: np.ndarray) -> None:
        self._ties = value
        self._version += 1

    def _refresh_floor(self) -> None:
        same = self.org_of[:, None] == self.org_of[None, :]
        self.cross = ~same
        self._n_cross = int(self.cross.sum())
        self._version += 1
        self.floor = np.where(same, WORKPLACE_FLOOR, 0.0)
        np.fill_diagonal(self.floor, 0.0)

    def reassign(self, org_of: np.ndarray) -> None:
        """Professionals changed organisation (a new procurement)."""
        self.org_of = org_of.copy()
        self._refresh_floor()
        np.maximum(self.ties, self.floor, out=self.ties)
        self._version += 1

    def reset(self, i: int) -> None:
        """A newcomer replaces a leaver: no ties beyond the workplace."""
        self.ties[i, :] = self.floor[i, :]
        self.ties[:, i] = self.floor[:, i]
        self._version += 1

    def joint_cases(self, pairs: np.ndarray) -> None:
        """Strengthen ties of professionals who share a family this week (pairs: k x 2)."""
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            self.ties[a, b] += JOINT_CASE_GAIN * (1 - self.ties[a, b])
            self.ties[b, a] = self.ties[a, b]
            self._version += 1

    def intervision(self, rng: np.random.Generator, learning_hours: float,
                    sharing: float) -> None:
        """Cross-organisation intervision: random meetings, more with more learning time."""
        n = len(self.org_of)
        meetings = rng.poisson(n * 0.05 * learning_hours * sharing)
        if meetings and n > 1:
            a = rng.integers(0, n, meetings)
            b = rng.integers(0, n, meetings)
            keep = self.cross[a, b]
            a, b = a[keep], b[keep]
            self.ties[a, b] += INTERVISION_GAIN * (1 - self.ties[a, b])
            self.ties[b, a] = self.ties[a, b]
            self._version += 1

    def scratch(self) -> np.ndarray:
        """A professionals x professionals work array, reused week after week.

        A fresh temporary of this size each time costs more than the arithmetic
        (at 100,000 families it is tens of megabytes); the values computed into
        it are the same.
        """
        shape = self._ties.shape
        if getattr(self, "_scratch", None) is None or self._scratch.shape != shape:
            self._scratch = np.empty(shape)
        return self._scratch

    def fade(self) -> None:
        gap = np.subtract(self.ties, self.floor, out=self.scratch())
        gap *= DECAY
        self._ties -= gap
        self._version += 1

    def mean_cross_org(self) -> float:
        """Mean trust between professionals of different organisations."""
        if self._cached is None or self._cached[0] != self._version:
            n_cross = self._n_cross
            value = (float(np.multiply(self.ties, self.cross, out=self.scratch()).sum()
                           / n_cross) if n_cross else 0.0)
            self._cached = (self._version, value)
        return self._cached[1]

    def mean_tie(self) -> float:
        n = len(self.org_of)
        return float(self.ties.sum() / (n * (n - 1))) if n > 1 else 0.0
