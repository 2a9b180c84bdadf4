"""Which words a training run sees: frequent-word subsampling and noise words for negative sampling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..params import check
from ..validation import check_generator, check_int


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """Probability of keeping each occurrence of a word under word2vec's frequent-word subsampling.

    A word that makes up a fraction ``f`` of the corpus is kept with probability
    ``(sqrt(f / sample) + 1) * sample / f`` (capped at 1): rare words are always kept, "the" often dropped.
    ``sample=0`` keeps everything.

    Parameters
    ----------
    counts : ndarray, shape (V,)
    sample : float, >= 0

    Returns
    -------
    ndarray of float64, shape (V,)
    """
    sample = check("sample", sample)
    counts = _counts(counts)
    if sample == 0:
        return np.ones_like(counts)
    threshold = sample * counts.sum()
    return np.minimum(1.0, (np.sqrt(counts / threshold) + 1.0) * threshold / counts)


def _counts(counts: object) -> np.ndarray:
    """``counts`` as a float64 array (V,), or a ``ValueError`` saying what a count array must be."""
    try:
        array = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        array = np.empty(0)
    if array.ndim != 1 or len(array) == 0 or not np.all(np.isfinite(array)) or np.any(array < 0) \
            or array.sum() == 0:
        raise ValueError("counts must be a non-empty 1-D array of finite non-negative numbers with a positive sum "
                         "(e.g. vocab.counts)")
    return array


def subsample(
    encoded: Sequence[np.ndarray], keep: np.ndarray, rng: np.random.Generator
) -> list[np.ndarray]:
    """Drop each token with probability ``1 - keep[token]``; sentence boundaries stay where they are."""
    return [s[rng.random(len(s)) < keep[s]] for s in encoded]


class NoiseSampler:
    """Draws negative ("noise") words from the unigram distribution raised to ``power``.

    ``power=0.75`` (word2vec's choice) flattens the distribution: frequent words are drawn less often than
    their share of the text, rare words more often. A precomputed table makes each draw one random index.

    Parameters
    ----------
    counts : ndarray, shape (V,)
    rng : numpy.random.Generator
    power : float, >= 0
    table_size : int
        Entries of the sampling table; each word gets about ``table_size * p(word)`` of them.
    """

    def __init__(
        self, counts: np.ndarray, rng: np.random.Generator, power: float = 0.75, table_size: int = 1_000_000
    ) -> None:
        power = check("power", power)
        table_size = check_int("table_size", table_size, low=1, high=10**8)
        check_generator(rng)
        counts = _counts(counts)
        weights = np.where(counts > 0, counts**power, 0.0)
        self.probabilities = weights / weights.sum()
        repeats = np.maximum(np.round(self.probabilities * table_size), counts > 0).astype(np.int64)
        self.table = np.repeat(np.arange(len(counts), dtype=np.int32), repeats)
        self.rng = rng

    def sample(self, size: int | tuple[int, ...], exclude: np.ndarray | int | None = None) -> np.ndarray:
        """Draw noise word ids of shape ``size``.

        ``exclude`` (broadcastable to ``size``, e.g. shape (n, 1) for ``size=(n, k)``) holds the true context
        word of each row: draws equal to it are redrawn, so a real context word is never used as a negative.
        Pass ``exclude=None`` to allow such "false negatives".
        """
        draws = self.table[self.rng.integers(0, len(self.table), size=size)]
        if exclude is None:
            return draws
        exclude = np.broadcast_to(np.asarray(exclude), draws.shape)
        if np.count_nonzero(self.probabilities) == 1 and np.any(self.probabilities[exclude] > 0):
            raise ValueError("only one word can be drawn as noise, so it cannot be excluded; use a larger vocabulary")
        bad = draws == exclude
        while bad.any():
            draws[bad] = self.table[self.rng.integers(0, len(self.table), size=int(bad.sum()))]
            bad = draws == exclude
        return draws
