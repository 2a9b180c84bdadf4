"""PCA to 2-D and the neighbour-faithfulness score of a map."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.neighbors import unit_rows
from helpers.projection import neighbour_faithfulness, neighbour_overlap, pca


def test_pca_matches_the_top_eigenvectors_of_the_covariance(rng):
    x = rng.normal(size=(40, 6)) * np.array([5.0, 3.0, 1.0, 0.5, 0.2, 0.1])
    result = pca(x, n_components=2)
    centred = x - x.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred.T, bias=True))
    top = eigenvectors[:, ::-1][:, :2]
    # Same subspace up to sign: the absolute projections agree.
    np.testing.assert_allclose(np.abs(result.coords), np.abs(centred @ top), atol=1e-9)
    np.testing.assert_allclose(result.explained_variance_ratio, eigenvalues[::-1][:2] / eigenvalues.sum())


def test_pca_keeps_all_variance_of_planar_data_and_is_deterministic(rng):
    plane = rng.normal(size=(30, 2)) @ rng.normal(size=(2, 5))  # rank-2 data in 5-D
    first, second = pca(plane), pca(plane.copy())
    assert first.explained_variance_ratio.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(first.coords, second.coords)
    # Pairwise distances survive a projection that loses no variance.
    def distances(p):
        return np.linalg.norm(p[:, None] - p[None], axis=-1)
    np.testing.assert_allclose(distances(first.coords), distances(plane), atol=1e-9)


def test_faithfulness_is_one_for_a_lossless_map_and_about_chance_for_a_random_one(rng):
    points = rng.normal(size=(60, 2))
    assert neighbour_faithfulness(points, points.copy(), k=5) == 1.0
    high = unit_rows(rng.normal(size=(200, 50)))
    unrelated = rng.normal(size=(200, 2))
    chance = 5 / 199
    assert neighbour_faithfulness(high, unrelated, k=5) < 3 * chance


def test_overlap_counts_shared_neighbours_per_word():
    # On a line 0, 1, 3, 10 the nearest neighbours are 0->1, 1->0, 2->1, 3->2. The map moves word 0 far out
    # (to 20): words 0 and 1 lose their nearest neighbour, words 2 and 3 keep theirs.
    high = np.array([[0.0], [1.0], [3.0], [10.0]])
    low = np.array([[20.0], [1.0], [3.0], [10.0]])
    overlap = neighbour_overlap(high, low, k=1)
    assert overlap.tolist() == [0.0, 0.0, 1.0, 1.0]


def test_pca_of_structured_vectors_is_more_faithful_than_of_random_ones(rng):
    centres = rng.normal(size=(4, 20)) * 3
    clustered = unit_rows(np.repeat(centres, 15, axis=0) + rng.normal(size=(60, 20)) * 0.3)
    random = unit_rows(rng.normal(size=(60, 20)))
    assert neighbour_faithfulness(clustered, pca(clustered).coords) > neighbour_faithfulness(random, pca(random).coords)


@pytest.mark.parametrize("call, message", [
    (lambda: pca(np.ones(5)), r"vectors must have shape \(V, d\) with at least 2 rows, got \(5,\)"),
    (lambda: pca(np.ones((4, 3)), n_components=4), "n_components must be an integer between 1 and 3"),
    (lambda: pca(np.array([[0.0, np.nan], [1.0, 2.0]])), "NaN"),
    (lambda: neighbour_overlap(np.ones((4, 3)), np.ones((5, 2))), "same rows"),
    (lambda: neighbour_overlap(np.eye(4), np.eye(4)[:, :2], k=4), "k must be an integer between 1 and 3"),
])
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()
