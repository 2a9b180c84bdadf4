"""Counting in disguise (helpers.space.pmi): pair counts against a brute-force count, PMI, shifted PPMI, the SVD space."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.space import pmi
from helpers.text import build_vocabulary

SENTENCES = [["a", "b", "c", "a", "d"], ["b", "c"], ["d", "a", "b", "e", "c", "a"]]


def brute_force_counts(sentences, vocab, window, dynamic):
    """Every (target, context) pair by two loops over each sentence, weighted as word2vec's dynamic window sees it."""
    counts = np.zeros((len(vocab), len(vocab)))
    for sentence in sentences:
        for i, target in enumerate(sentence):
            for j, context in enumerate(sentence):
                d = abs(i - j)
                if 0 < d <= window:
                    weight = (window - d + 1) / window if dynamic else 1.0
                    counts[vocab.key_to_index[target], vocab.key_to_index[context]] += weight
    return counts


@pytest.mark.parametrize("window", [1, 2, 3])
@pytest.mark.parametrize("dynamic", [True, False])
def test_pair_counts_match_a_brute_force_count(window, dynamic):
    vocab = build_vocabulary(SENTENCES)
    got = pmi.pair_counts(vocab.encode(SENTENCES), len(vocab), window, dynamic=dynamic)
    np.testing.assert_allclose(got, brute_force_counts(SENTENCES, vocab, window, dynamic), rtol=1e-12)
    np.testing.assert_allclose(got, got.T, rtol=1e-12)  # the window looks both ways


def test_dynamic_counts_are_the_average_over_drawn_windows():
    """word2vec draws each target's window from 1..window: the expected counts are the mean over those windows."""
    vocab = build_vocabulary(SENTENCES)
    encoded = vocab.encode(SENTENCES)
    mean = np.mean([pmi.pair_counts(encoded, len(vocab), w, dynamic=False) for w in (1, 2, 3)], axis=0)
    np.testing.assert_allclose(pmi.pair_counts(encoded, len(vocab), 3), mean, rtol=1e-12)


def test_pmi_matches_its_definition_and_marks_unseen_pairs():
    counts = np.array([[0.0, 4.0, 2.0], [4.0, 0.0, 1.0], [2.0, 1.0, 6.0]])
    got = pmi.pmi(counts)
    total = counts.sum()
    for t in range(3):
        for c in range(3):
            if counts[t, c] == 0:
                assert got[t, c] == -np.inf
            else:
                expected = np.log((counts[t, c] / total) / (counts[t].sum() / total * counts[:, c].sum() / total))
                assert got[t, c] == pytest.approx(expected, rel=1e-12)


def test_independent_words_have_zero_pmi():
    outer = np.outer([1.0, 2.0, 3.0], [4.0, 1.0, 5.0])  # P(t, c) = P(t) P(c) exactly
    np.testing.assert_allclose(pmi.pmi(outer), 0.0, atol=1e-12)


def test_context_smoothing_changes_only_the_context_term():
    counts = np.array([[1.0, 9.0], [9.0, 1.0]]) + np.array([[0.0, 0.0], [0.0, 30.0]])
    column = counts.sum(axis=0)
    smoothed = column**0.75 / (column**0.75).sum()
    shift = np.log(column / column.sum()) - np.log(smoothed)
    np.testing.assert_allclose(pmi.pmi(counts, power=0.75), pmi.pmi(counts) + shift[None, :], rtol=1e-12)


def test_shifted_ppmi_is_pmi_minus_log_k_clipped_at_zero():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 5, size=(6, 6)).astype(float)
    counts += counts.T
    P = pmi.pmi(counts, power=0.75)
    got = pmi.shifted_ppmi(counts, 5)
    assert np.all(got >= 0) and np.all(np.isfinite(got))
    positive = P - np.log(5) > 0
    np.testing.assert_allclose(got[positive], (P - np.log(5))[positive], rtol=1e-12)
    assert np.all(got[~positive] == 0)


def test_sgns_optimum_minimises_the_pair_loss():
    """The closed form is where the expected negative-sampling loss of a pair is lowest (checked on a grid)."""
    counts = np.array([[2.0, 7.0, 1.0], [7.0, 0.0, 3.0], [1.0, 3.0, 4.0]])
    word_counts = np.array([10, 8, 6])
    k = 3
    optimum = pmi.sgns_optimum(counts, k, word_counts)
    noise = word_counts**0.75 / (word_counts**0.75).sum()
    grid = np.linspace(-6, 6, 12001)
    for t, c in [(0, 1), (2, 2), (1, 2)]:
        loss = counts[t, c] * np.logaddexp(0, -grid) + k * counts[t].sum() * noise[c] * np.logaddexp(0, grid)
        assert grid[np.argmin(loss)] == pytest.approx(optimum[t, c], abs=2e-3)
    assert optimum[1, 1] == -np.inf


def test_svd_space_reconstructs_the_matrix_and_has_fixed_signs():
    rng = np.random.default_rng(1)
    base = rng.random((8, 8))
    matrix = base + base.T
    words = [f"w{i}" for i in range(8)]
    full = pmi.svd_space(matrix, words, dim=8)
    np.testing.assert_allclose(full.words.vectors @ full.words.output_vectors.T, matrix, atol=1e-10)
    small = pmi.svd_space(matrix, words, dim=3)
    assert small.words.vector_size == 3
    assert np.all(np.diff(small.singular_values) <= 0)
    s = np.linalg.svd(matrix, compute_uv=False)
    # the best rank-3 approximation leaves exactly the other singular values' energy
    residual = np.linalg.norm(matrix - small.words.vectors @ small.words.output_vectors.T)
    assert residual == pytest.approx(np.sqrt((s[3:] ** 2).sum()), rel=1e-9)
    u = small.words.vectors
    assert np.all(u[np.argmax(np.abs(u), axis=0), np.arange(3)] > 0)


def test_identical_rows_give_identical_vectors():
    """The toy world's twins have identical rows of counts, so the counted space makes them one point."""
    counts = np.array([[0, 3, 3, 1], [3, 0, 0, 2], [3, 0, 0, 2], [1, 2, 2, 0]], dtype=float)
    space = pmi.svd_space(pmi.shifted_ppmi(counts, 1), ["a", "twin1", "twin2", "b"], dim=2).words
    assert space.similarity("twin1", "twin2") == pytest.approx(1.0, abs=1e-9)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="square"):
        pmi.pmi(np.ones((2, 3)))
    with pytest.raises(ValueError, match="no pair"):
        pmi.pmi(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        pmi.pmi(np.array([[1.0, -1.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="infinite"):
        pmi.svd_space(pmi.pmi(np.array([[0.0, 1.0], [1.0, 1.0]])), ["a", "b"], dim=1)
    with pytest.raises(ValueError, match="dim"):
        pmi.svd_space(np.eye(2), ["a", "b"], dim=3)
    with pytest.raises(ValueError, match="vocab_size"):
        pmi.pair_counts([np.array([0, 5])], 3, 1)


def test_a_word_never_above_chance_gets_the_zero_vector_exactly():
    """A row of zeros (after the shift) must not become rounding noise, a random direction on each CPU."""
    counts = np.array([[0, 3, 3, 1], [3, 0, 1, 2], [3, 1, 0, 2], [1, 2, 2, 0]], dtype=float)
    table = pmi.shifted_ppmi(counts, 1)
    table[0] = table[:, 0] = 0.0
    space = pmi.svd_space(table, ["the", "a", "b", "c"], dim=2).words
    assert np.all(space["the"] == 0) and np.all(space.output_vectors[0] == 0)
