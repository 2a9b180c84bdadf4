"""Random vectors in high dimension are almost orthogonal: the cosines of random pairs (notebook 01), in bounded memory.

Drawing every pair at once, ``a, b = rng.normal(size=(2, n_pairs, d))``, holds ``16 * n_pairs * d`` bytes and as
much again in temporaries: for notebook 01's 5,000 pairs in 1,000 dimensions that was 120 MB, half of the kernel's
peak. :func:`random_cosines` returns the same numbers, bit for bit, from a few rows at a time.
"""

from __future__ import annotations

import copy

import numpy as np

from ..validation import check_generator, check_int

#: Numbers drawn per block (2 MB of float64 for each of a and b); a block holds at least one pair.
BLOCK_NUMBERS = 2**18


def random_cosines(d: int, n_pairs: int, rng: np.random.Generator) -> np.ndarray:
    """Cosines of ``n_pairs`` random pairs of vectors in ``d`` dimensions with standard normal entries (so every
    direction is equally likely).

    The result, and the state ``rng`` is left in, are exactly those of drawing everything at once::

        a, b = rng.normal(size=(2, n_pairs, d))
        cosines = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))

    but only a block of rows of ``a`` and ``b`` is in memory at a time. The ``b`` rows come after all ``a`` rows in
    ``rng``'s stream, so a copy of ``rng`` reads the ``a`` rows while ``rng`` itself, moved past them first, reads
    the ``b`` rows (the ``a`` rows are drawn twice: twice the time, a fraction of the memory).

    Parameters
    ----------
    d : int, 1 to 1,000,000
        Dimension of the vectors.
    n_pairs : int, 1 to 10,000,000
        Number of pairs ``(a_i, b_i)``.
    rng : numpy.random.Generator
        Advanced by ``2 * n_pairs * d`` normal draws, as the single draw would.

    Returns
    -------
    ndarray, shape (n_pairs,)
        ``cos(a_i, b_i)``, each in [-1, 1].
    """
    d = check_int("d", d, low=1, high=1_000_000)
    n_pairs = check_int("n_pairs", n_pairs, low=1, high=10_000_000)
    check_generator(rng)
    rows = max(1, BLOCK_NUMBERS // d)
    blocks = [(start, min(rows, n_pairs - start)) for start in range(0, n_pairs, rows)]
    a_stream = copy.deepcopy(rng)
    for _, size in blocks:  # move rng past a_0 ... a_{n-1}, to where b_0 starts
        rng.normal(size=(size, d))
    cosines = np.empty(n_pairs)
    for start, size in blocks:
        a, b = a_stream.normal(size=(size, d)), rng.normal(size=(size, d))
        cosines[start:start + size] = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return cosines
