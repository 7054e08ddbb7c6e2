"""Pairs of professionals who share a family, for the trust network's joint cases."""

from __future__ import annotations

from functools import cache

import numpy as np


def shared_pairs(profs: np.ndarray) -> np.ndarray:
    """Pairs of professionals (k x 2) who share a family; rows of `profs` are families.

    Column pair by column pair (i < j), and within a pair the families in row order:
    the order the pairs reach `TrustNetwork.joint_cases` in, which matters when a pair
    comes twice. All column pairs are masked in one go instead of one pass per pair,
    which the weekly step did for 36 column pairs.
    """
    held = profs >= 0
    cols = profs.shape[1]
    first, second = _column_pairs(cols)  # (0, 1), (0, 2), ..., (1, 2), ...: i < j
    both = held[:, first] & held[:, second]  # families x column pairs
    pair, row = np.nonzero(both.T)  # by column pair, then by family
    if pair.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.column_stack([profs[row, first[pair]], profs[row, second[pair]]])


@cache
def _column_pairs(cols: int) -> tuple[np.ndarray, np.ndarray]:
    """`np.triu_indices(cols, k=1)`, made once per width (read-only: every caller reads it)."""
    first, second = np.triu_indices(cols, k=1)
    first.flags.writeable = second.flags.writeable = False
    return first, second
