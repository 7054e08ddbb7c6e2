"""Row-wise max, any and count over family arrays, column by column.

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
    """`a.any(axis=1)` for a 2-D boolean array with at least one column.

    A C-contiguous row of 2, 4 or 8 booleans is one 16-, 32- or 64-bit word of
    0/1 bytes, nonzero exactly when a column is true: one comparison per row
    (the children's four columns, the domains' eight).
    """
    word = _WORDS.get(a.shape[1])
    if word is not None and a.dtype == np.bool_ and a.flags.c_contiguous:
        return a.view(word).reshape(a.shape[0]) != 0
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        np.logical_or(out, a[:, j], out=out)
    return out


_WORDS = {2: np.uint16, 4: np.uint32, 8: np.uint64}  # a row of booleans as one word
_BYTE_SUM = np.uint64(0x0101010101010101)


def row_count(a: np.ndarray) -> np.ndarray:
    """`a.sum(axis=1)` as int64 for a 2-D boolean array (how many columns are true).

    With eight columns (the domains) a row of booleans is one 64-bit word of
    0/1 bytes; multiplying by 0x0101...01 adds the bytes into the top byte, so
    the count costs one multiplication per row instead of a reduction. Exact.
    """
    rows, cols = a.shape
    if cols == 8 and a.dtype == np.bool_ and a.flags.c_contiguous:
        words = a.view(np.uint64).reshape(rows)
        return ((words * _BYTE_SUM) >> np.uint64(56)).astype(np.int64)
    return a.sum(axis=1, dtype=np.int64)
