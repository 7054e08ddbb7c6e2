"""What the model keeps per child (up to `MAX_CHILDREN` per family), in one place.

The episode involves some of a family's children; the yearly figures count
the children who had youth care or a placement during the year; repeat use
looks back at when each child last had care. Family-level state lives in
`FamilyArrays`; this is its per-child counterpart.
"""

from __future__ import annotations

import numpy as np

from sim.families import NEVER

MAX_CHILDREN = 4


class ChildRecords:
    """Per child (families x `MAX_CHILDREN`): involvement, last care, this year's care."""

    def __init__(self, families: int) -> None:
        shape = (families, MAX_CHILDREN)
        self.involved = np.zeros(shape, dtype=bool)  # in the family's current episode
        self.last_care = np.full(shape, NEVER, dtype=np.int32)  # week of the latest care
        self.youth_year = np.zeros(shape, dtype=bool)  # had youth care this year
        self.residential_year = np.zeros(shape, dtype=bool)  # was placed this year

    def mark(self, in_care: np.ndarray, placed: np.ndarray, week: int) -> None:
        """This week's children in youth care (`in_care`) and placed out of home."""
        self.youth_year |= in_care
        self.last_care[in_care] = week
        self.residential_year |= placed

    def close_year(self) -> tuple[int, int]:
        """Children who had youth care, and who were placed, this year; a new year begins."""
        counts = int(self.youth_year.sum()), int(self.residential_year.sum())
        self.youth_year[:] = False
        self.residential_year[:] = False
        return counts

    def forget(self, families: np.ndarray) -> None:
        """Families that moved away: their successors' children have no history."""
        self.last_care[families] = NEVER
        self.involved[families] = False
