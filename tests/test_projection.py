"""PCA to 2-D and the neighbour-faithfulness score of a map."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.space import neighbour_faithfulness, neighbour_overlap, pca, unit_rows


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


def test_faithfulness_of_many_words_never_holds_the_v_by_v_differences(monkeypatch, measurements):
    """The issue's 8k-50k words tried to allocate 18-24 GiB: (V, V, d) differences at once. Blocks of rows keep the
    peak to a few blocks, and give the neighbours of one full computation."""
    import tracemalloc

    from helpers.space import knn

    monkeypatch.setattr(knn, "BLOCK_BYTES", 2**20)  # 1 MB blocks keep the test small; the rule is the same
    rng = np.random.default_rng(0)
    V, d = 2000, 8
    high = unit_rows(rng.normal(size=(V, d)))
    low = pca(high).coords
    tracemalloc.start()
    try:
        score = neighbour_faithfulness(high, low, k=3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    all_at_once = V * V * d * 8  # 256 MB: the (V, V, d) differences of one unblocked pass
    measurements.append(f"neighbour_faithfulness of {V} words, d={d}: peak {peak / 2**20:.1f} MB "
                        f"(unblocked: {all_at_once / 2**20:.0f} MB)")
    assert peak < all_at_once / 16
    sample = rng.choice(V, size=50, replace=False)  # brute force on a sample of words: the same overlaps

    def brute_neighbours(space: np.ndarray) -> np.ndarray:
        distances = np.square(space[sample, None, :] - space[None, :, :]).sum(axis=-1)
        distances[np.arange(len(sample)), sample] = np.inf
        return np.argsort(distances, axis=1, kind="stable")[:, :3]

    brute = [len(set(a) & set(b)) / 3 for a, b in zip(brute_neighbours(high).tolist(), brute_neighbours(low).tolist())]
    assert neighbour_overlap(high, low, k=3)[sample].tolist() == brute
    assert 0.0 <= score <= 1.0
