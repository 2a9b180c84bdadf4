"""Starting vectors: every word begins as a random point (word2vec's initialisation), for both trainers."""

from __future__ import annotations

import numpy as np

from ..validation import check_choice

__all__ = ["init_vectors"]


def init_vectors(
    vocab_size: int, dim: int, rng: np.random.Generator, *, output: str = "zeros", dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Starting vectors: input vectors uniform in [-0.5/d, 0.5/d) as in word2vec; output vectors zero or random.

    Returns
    -------
    W_in, W_out : ndarray, shape (V, d) each
    """
    check_choice("output", output, ("zeros", "random"))
    w_in = _uniform_rows(vocab_size, dim, rng, dtype)
    w_out = np.zeros_like(w_in) if output == "zeros" else _uniform_rows(vocab_size, dim, rng, dtype)
    return w_in, w_out


def _uniform_rows(vocab_size: int, dim: int, rng: np.random.Generator, dtype: type) -> np.ndarray:
    """(V, d) uniform in [-0.5/d, 0.5/d), drawn in float64 a block of rows at a time: the same numbers as one
    draw of the whole matrix, without a float64 temporary twice the size of a float32 result."""
    out = np.empty((vocab_size, dim), dtype)
    rows = max(1, (1 << 17) // max(dim, 1))  # 1 MB of float64 per block
    for lo in range(0, vocab_size, rows):
        out[lo:lo + rows] = (rng.random((min(rows, vocab_size - lo), dim)) - 0.5) / dim
    return out
