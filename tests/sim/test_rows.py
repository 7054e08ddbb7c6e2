"""The row-wise helpers the weekly step uses give exactly numpy's own reductions."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rows import row_any, row_count, row_max


@pytest.mark.parametrize("shape", [(1000, 8), (7, 8), (1, 8), (0, 8), (50, 3), (20, 16), (40, 4),
                                   (40, 2)])
def test_row_helpers_equal_numpy(shape):
    rng = np.random.default_rng(sum(shape))
    values = rng.random(shape)
    flags = values < 0.4
    assert np.array_equal(row_count(flags), flags.sum(axis=1))
    assert row_count(flags).dtype == np.int64
    if shape[1] and shape[0]:
        assert np.array_equal(row_max(values), values.max(axis=1))
        assert np.array_equal(row_any(flags), flags.any(axis=1))


def test_row_count_of_a_column_slice_and_of_full_rows():
    wide = np.ones((4, 16), dtype=bool)
    assert row_count(wide[:, :8]).tolist() == [8] * 4  # not contiguous: the plain sum
    assert row_count(wide[:, 8:]).tolist() == [8] * 4
    assert row_count(np.ones((3, 8), dtype=bool)).tolist() == [8] * 3


def test_row_any_of_words_and_of_a_column_slice():
    flags = np.zeros((3, 8), dtype=bool)
    flags[1, 7] = flags[2, 0] = True
    assert row_any(flags).tolist() == [False, True, True]  # one 64-bit word per row
    assert row_any(flags[:, :4]).tolist() == [False, False, True]  # not contiguous
    assert row_any(flags[np.array([], dtype=int)]).shape == (0,)
