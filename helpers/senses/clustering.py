"""Seeded k-means on unit vectors (cosine k-means), for grouping a word's occurrences into senses."""

from __future__ import annotations

import numpy as np

from ..space.knn import check_finite_rows, unit_rows
from ..validation import check_array, check_generator, check_int


def kmeans(
    points: np.ndarray, k: int, rng: np.random.Generator, *, n_init: int = 5, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster the rows of ``points`` into ``k`` groups by cosine (k-means on unit vectors).

    Each of the ``n_init`` runs starts from k-means++ seeds drawn with ``rng``; the run with the smallest
    within-cluster spread wins. The same generator state always gives the same answer.

    Parameters
    ----------
    points : ndarray, shape (n, d)
    k : int, between 1 and n
    rng : numpy.random.Generator
    n_init : int, >= 1
    max_iter : int, >= 1

    Returns
    -------
    labels : ndarray of int64, shape (n,)
        Cluster of each point, numbered in order of first appearance (the first point is in cluster 0), so the
        numbering does not depend on which seed was drawn first.
    centroids : ndarray, shape (k, d)
        Mean unit vector of each cluster, in the same numbering.
    """
    points = check_array("points", points, ndim=2, shape_text="(n, d)", min_rows=1, finite=False)
    if points.shape[1] == 0:
        raise ValueError(f"points must have shape (n, d) with d >= 1, got {points.shape}")
    check_finite_rows("points", points)
    k = check_int("k", k, low=1, high=len(points))
    n_init = check_int("n_init", n_init, low=1)
    max_iter = check_int("max_iter", max_iter, low=1)
    check_generator(rng)
    unit = unit_rows(points)
    distinct = len(np.unique(unit, axis=0))
    if distinct < k:  # k-means cannot make k groups out of fewer different directions
        raise ValueError(f"k={k} clusters asked for, but the points have only {distinct} different "
                         f"direction(s) (cosine k-means sees only directions); use k <= {distinct}")
    best: tuple[float, np.ndarray] | None = None
    for _ in range(n_init):
        labels = _lloyd(unit, _plus_plus_seeds(unit, k, rng), max_iter)
        spread = sum(float(np.square(unit[labels == c] - unit[labels == c].mean(axis=0)).sum()) for c in range(k)
                     if np.any(labels == c))
        if best is None or spread < best[0] - 1e-12:
            best = (spread, labels)
    labels = _renumber(best[1])
    if labels.max() + 1 < k:  # pragma: no cover - k-means++ seeds are distinct points, each keeps a point
        raise ValueError(f"k-means left a cluster empty; try k={labels.max() + 1} or another rng seed")
    centroids = np.stack([unit[labels == c].mean(axis=0) for c in range(k)])
    return labels, centroids


def _plus_plus_seeds(unit: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++: each new seed is drawn with probability proportional to its squared distance to the nearest seed."""
    seeds = [int(rng.integers(len(unit)))]
    for _ in range(1, k):
        dist = np.min(np.square(unit[:, None, :] - unit[seeds][None, :, :]).sum(axis=2), axis=1)
        total = dist.sum()
        # All points identical to a seed: any point is as good as another.
        seeds.append(int(rng.integers(len(unit))) if total == 0 else int(rng.choice(len(unit), p=dist / total)))
    return unit[seeds].copy()


def _lloyd(unit: np.ndarray, centroids: np.ndarray, max_iter: int) -> np.ndarray:
    """Alternate 'nearest centroid' and 'centroid = mean of its points' until no label changes."""
    labels = np.full(len(unit), -1)
    for _ in range(max_iter):
        new = np.argmin(np.square(unit[:, None, :] - centroids[None, :, :]).sum(axis=2), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for c in range(len(centroids)):
            if np.any(labels == c):  # an emptied cluster keeps its old centroid
                centroids[c] = unit[labels == c].mean(axis=0)
    return labels


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0, 1, ... in order of first appearance."""
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(labels.max() + 1, dtype=np.int64)
    mapping[np.unique(labels)[order]] = np.arange(len(order))
    return mapping[labels]
