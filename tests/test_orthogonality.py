"""helpers.space.orthogonality: notebook 01's random-pair cosines, the same numbers as one big draw, in little memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from helpers.space import BLOCK_NUMBERS, random_cosines


def one_draw(d: int, n_pairs: int, rng: np.random.Generator) -> np.ndarray:
    """What notebook 01 computed before: every pair drawn at once."""
    a, b = rng.normal(size=(2, n_pairs, d))
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.mark.parametrize("d, n_pairs", [(2, 5_000), (10, 5_000), (1000, 5_000), (3, 1), (BLOCK_NUMBERS + 1, 3)])
def test_same_numbers_and_same_generator_state_as_one_draw(d, n_pairs):
    mine, theirs = np.random.default_rng(7), np.random.default_rng(7)
    mine.normal(size=5), theirs.normal(size=5)  # a generator already in use, as in the notebook
    assert np.array_equal(random_cosines(d, n_pairs, mine), one_draw(d, n_pairs, theirs))
    assert mine.bit_generator.state == theirs.bit_generator.state  # later cells draw the same numbers


def test_cosines_of_random_pairs_spread_like_one_over_sqrt_d():
    cosines = random_cosines(400, 4_000, np.random.default_rng(0))
    assert np.all(np.abs(cosines) <= 1.0)
    assert cosines.std() == pytest.approx(1 / np.sqrt(400), rel=0.05)


def test_memory_stays_small_for_notebook_01s_largest_draw(measurements):
    """One draw of 5,000 pairs in 1,000 dimensions held 80 MB plus 40 MB of temporaries."""
    tracemalloc.start()
    try:
        random_cosines(1000, 5_000, np.random.default_rng(0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    measurements.append(f"random_cosines(1000, 5000): peak allocation {peak / 2**20:.1f} MB (one draw: ~120 MB)")
    assert peak < 16 * 2**20


@pytest.mark.parametrize("args, error, message", [
    ((0, 10, np.random.default_rng(0)), ValueError, "d must be an integer between 1 and 1000000"),
    ((10**9, 10, np.random.default_rng(0)), ValueError, "d must be an integer between 1 and 1000000"),
    ((2.5, 10, np.random.default_rng(0)), ValueError, "d must be an integer"),
    ((2, 0, np.random.default_rng(0)), ValueError, "n_pairs must be an integer between 1 and 10000000"),
    ((2, "5000", np.random.default_rng(0)), ValueError, "n_pairs must be an integer"),
    ((2, 10, 0), TypeError, r"rng must be a numpy.random.Generator \(np.random.default_rng\(seed\)\), got int"),
    ((2, 10, np.random.RandomState(0)), TypeError, "rng must be a numpy.random.Generator"),
])
def test_bad_input_gets_a_clear_message(args, error, message):
    with pytest.raises(error, match=message):
        random_cosines(*args)
