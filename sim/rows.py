"""Row-wise max and any over family arrays, column by column.

numpy reduces along a short last axis (eight domains, four children) slowly;
combining the columns with `np.maximum` / `np.logical_or` gives the same
values several times faster for the (families x domains) arrays the weekly
step scans. Exact: max and or do not round.
"""

from __future__ import annotations

import numpy as np


def row_max(a: np.ndarray) -> np.ndarray:
    """`a.max(axis=1)` for a 2-D array with at least one column."""
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        np.maximum(out, a[:, j], out=out)
    return out


def row_any(a: np.ndarray) -> np.ndarray:
    """`a.any(axis=1)` for a 2-D boolean array with at least one column."""
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        np.logical_or(out, a[:, j], out=out)
    return out
