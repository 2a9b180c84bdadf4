"""Brute-force nearest neighbours over arrays, in bounded memory: unit rows, top-k with stable ties, kNN by cosine.

:mod:`helpers.space.neighbors` (``WordVectors``) and :mod:`helpers.space.projection` both rank neighbours with these, so a
tie is always broken the same way (by the lower row) and no caller ever builds a (V, V) matrix at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..validation import check_int


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), shape unchanged.

    A row too long or too short for its squares (entries of 1e200 or 1e-200) is scaled to its largest entry first,
    so it gets its true direction rather than zeros.
    """
    with np.errstate(over="ignore", under="ignore"):
        norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    unsafe = ~np.isfinite(norms) | (norms < _TINY_NORM)
    if np.any(unsafe) and np.issubdtype(np.asarray(matrix).dtype, np.floating):
        matrix, norms = _rescaled(np.asarray(matrix), norms, unsafe[..., 0])
    return matrix / np.where(norms == 0, 1.0, norms)


#: A norm below this has lost digits to underflow (float64's smallest normal is 2.2e-308; float32's, 1.2e-38).
_TINY_NORM = 1e-150


def _rescaled(matrix: np.ndarray, norms: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``matrix`` and ``norms`` with the finite, non-zero ``rows`` divided by their largest entry (a copy of the
    same dtype: float32 stays float32)."""
    dtype = matrix.dtype
    matrix, norms = matrix.astype(np.float64), norms.astype(np.float64)
    flat, flat_norms = matrix.reshape(-1, matrix.shape[-1]), norms.reshape(-1, 1)
    picked = rows.reshape(-1)
    with np.errstate(invalid="ignore"):
        peak = np.max(np.abs(flat[picked]), axis=-1, keepdims=True) if flat.shape[-1] else np.zeros((0, 1))
    usable = np.isfinite(peak[:, 0]) & (peak[:, 0] > 0)
    chosen = np.flatnonzero(picked)[usable]
    flat[chosen] = flat[chosen] / peak[usable]
    flat_norms[chosen] = np.linalg.norm(flat[chosen], axis=-1, keepdims=True)
    return flat.reshape(matrix.shape).astype(dtype, copy=False), flat_norms.reshape(norms.shape).astype(dtype,
                                                                                                      copy=False)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest ``scores``, largest first, shape (k,).

    ``argpartition`` finds the top k in O(V) and only those k get sorted: O(V + k log k), not O(V log V).
    Ties are broken by the lower index so results never depend on the partition's internals.
    """
    k = min(k, len(scores))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k < len(scores):
        # argpartition keeps an arbitrary subset of the words tied at the k-th place: take all of them.
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
        part = np.flatnonzero(scores >= kth)
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))][:k]


def check_finite_rows(name: str, vectors: np.ndarray, index_to_key: Sequence[str] | None = None) -> None:
    """Raise a ``ValueError`` naming the first row of ``vectors`` (V, d) that holds NaN or an infinity."""
    bad = np.flatnonzero(~np.isfinite(vectors).all(axis=1)) if vectors.size else np.empty(0, dtype=np.int64)
    if len(bad):
        row = int(bad[0])
        label = f"row {row} ({index_to_key[row]!r})" if index_to_key is not None else f"row {row}"
        raise ValueError(f"{name} has {len(bad)} row(s) with NaN or infinite values, the first is {label}: "
                         "a cosine with them means nothing; train with a smaller lr or drop those rows")


# Largest similarity block computed at once (rows x V float64): keeps kNN over 50k words at about 64 MB
# instead of one (V, V) matrix (20 GB for V = 50k).
BLOCK_BYTES = 64 * 2**20


def block_rows(n_columns: int, bytes_per_cell: int = 8) -> int:
    """How many rows of an (rows, n_columns) float block fit in :data:`BLOCK_BYTES` (at least 1)."""
    return max(1, BLOCK_BYTES // max(1, n_columns * bytes_per_cell))


def top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """:func:`top_k` of every row of ``scores`` (n, V), shape (n, k): largest first, ties to the lower index."""
    if k >= scores.shape[1]:
        return np.stack([top_k(row, k) for row in scores]) if len(scores) else np.empty((0, k), np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(scores, part, axis=1).min(axis=1)
    out = np.take_along_axis(part, np.lexsort((part, -np.take_along_axis(scores, part, axis=1)), axis=1), axis=1)
    # A tie at the k-th place: argpartition kept an arbitrary one of the tied words; redo those rows exactly.
    tied = np.flatnonzero((scores >= kth[:, None]).sum(axis=1) > k)
    for i in tied:
        out[i] = top_k(scores[i], k)
    return out


def knn_indices(vectors: np.ndarray, k: int, rows: Sequence[int] | None = None,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
    """For each of ``rows`` (default: every row), the rows of its ``k`` nearest neighbours by cosine, itself
    excluded, shape (len(rows), k).

    Similarities are computed one block of rows at a time (at most :data:`BLOCK_BYTES` at once), so memory
    stays O(block x V) rather than O(V^2); ``progress``, if given, is called with the number of rows of each
    block done (for a progress bar).
    """
    vectors = np.asarray(vectors)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must have shape (V, d), got {vectors.shape}")
    k = check_int("k", k, low=1, high=max(1, len(vectors) - 1))
    check_finite_rows("vectors", vectors)
    unit = unit_rows(np.asarray(vectors, dtype=np.float64))
    rows = np.arange(len(unit)) if rows is None else np.asarray(rows, dtype=np.int64).reshape(-1)
    out = np.empty((len(rows), k), dtype=np.int64)
    step = block_rows(len(unit))
    for start in range(0, len(rows), step):
        block = rows[start:start + step]
        sims = unit[block] @ unit.T
        sims[np.arange(len(block)), block] = -np.inf
        out[start:start + step] = top_k_rows(sims, k)
        if progress is not None:
            progress(len(block))
    return out
