"""Flattening word vectors to a 2-D map, and measuring how much of the neighbourhood structure the map keeps.

A map is a lossy summary: words that are neighbours in d dimensions can land far apart in 2-D and vice versa.
:func:`neighbour_faithfulness` puts a number on it, so a map is never read as more than it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_array, check_int
from .knn import block_rows, top_k_rows


@dataclass(frozen=True)
class Projection:
    """Result of :func:`pca`.

    Attributes
    ----------
    coords : ndarray, shape (V, n_components)
        Each word's coordinates along the principal components.
    explained_variance_ratio : ndarray, shape (n_components,)
        Share of the total variance each component keeps (sums to at most 1).
    """

    coords: np.ndarray
    explained_variance_ratio: np.ndarray


def _check_matrix(name: str, vectors: np.ndarray, min_rows: int) -> np.ndarray:
    return check_array(name, vectors, ndim=2, shape_text="(V, d)", min_rows=min_rows)


def pca(vectors: np.ndarray, n_components: int = 2) -> Projection:
    """Project rows onto their ``n_components`` directions of largest variance (PCA via the SVD).

    The sign of each component is fixed (its largest loading is positive), so the same vectors always give
    the same picture rather than a randomly mirrored one.

    Parameters
    ----------
    vectors : ndarray, shape (V, d)
    n_components : int, between 1 and min(V, d)

    Returns
    -------
    Projection
        ``coords`` (V, n_components) and ``explained_variance_ratio`` (n_components,).
    """
    vectors = _check_matrix("vectors", vectors, min_rows=2)
    n_components = check_int("n_components", n_components, low=1, high=min(vectors.shape))
    centred = vectors - vectors.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:n_components]
    signs = np.sign(components[np.arange(n_components), np.argmax(np.abs(components), axis=1)])
    components = components * np.where(signs == 0, 1.0, signs)[:, None]
    variance = singular**2
    total = variance.sum()
    ratio = variance[:n_components] / total if total > 0 else np.zeros(n_components)
    return Projection(coords=centred @ components.T, explained_variance_ratio=ratio)


def _nearest_euclidean(points: np.ndarray, k: int) -> np.ndarray:
    """Rows of each row's ``k`` nearest other rows by Euclidean distance, shape (V, k), ties to the lower index."""
    out = np.empty((len(points), k), dtype=np.int64)
    # One block of rows at a time (the (rows, V, m) differences fit in BLOCK_BYTES): 8k-50k words never
    # allocate the (V, V, m) array (tens of GB) at once. Exact differences, not |a|^2 + |b|^2 - 2ab, so that
    # duplicate points tie exactly.
    step = block_rows(len(points) * points.shape[1])
    for start in range(0, len(points), step):
        block = points[start:start + step]
        squared = np.square(block[:, None, :] - points[None, :, :]).sum(axis=-1)
        squared[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        out[start:start + step] = top_k_rows(-squared, k)
    return out


def neighbour_overlap(high: np.ndarray, low: np.ndarray, k: int = 5) -> np.ndarray:
    """For each word, the share of its ``k`` nearest neighbours in ``high`` that are also among its ``k`` nearest in
    ``low``.

    Both spaces use Euclidean distance, which is what the eye judges on a map. Give unit-length rows as ``high``
    (e.g. ``WordVectors.unit_vectors``) to compare with cosine neighbours: for unit vectors
    ``|a - b|^2 = 2 - 2 cos(a, b)``, so the Euclidean order is the cosine order.

    Parameters
    ----------
    high : ndarray, shape (V, d)
        The vectors themselves.
    low : ndarray, shape (V, m)
        Their projection (e.g. ``pca(high).coords``), same rows in the same order.
    k : int, between 1 and V - 1

    Returns
    -------
    ndarray of float64, shape (V,), values in {0, 1/k, ..., 1}
    """
    high = _check_matrix("high", high, min_rows=2)
    low = _check_matrix("low", low, min_rows=2)
    if len(high) != len(low):
        raise ValueError(f"high and low must have the same rows (words), got {len(high)} and {len(low)}")
    k = check_int("k", k, low=1, high=len(high) - 1)
    near_high, near_low = _nearest_euclidean(high, k), _nearest_euclidean(low, k)
    return np.array([len(set(a) & set(b)) / k for a, b in zip(near_high.tolist(), near_low.tolist())])


def neighbour_faithfulness(high: np.ndarray, low: np.ndarray, k: int = 5) -> float:
    """Average of :func:`neighbour_overlap`: 1 when the map keeps every word's ``k`` nearest neighbours, about
    ``k / (V - 1)`` when it keeps no more than chance."""
    return float(neighbour_overlap(high, low, k).mean())
