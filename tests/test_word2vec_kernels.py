"""The fast trainer's minibatch kernels hold to the model the course teaches, in float64, batch by batch.

Each kernel update is compared with :mod:`helpers.losses`' gradients applied as plain SGD steps: every pair (or
window) of the batch computed from the vectors as they were before the batch, the steps summed, as the kernel
sums them. CBOW follows word2vec.c's rule for the context words (each gets the whole gradient of the mean, m times
``cbow_loss``'s share); a test pins that rule and another pins that it differs from the true gradient.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.losses import cbow_loss, negative_sampling_loss
from helpers.word2vec import kernels
from helpers.word2vec.kernels import Workspace, add_products, cbow_batch, mean_rows, skipgram_batch


def random_batch(seed: int, vocab: int = 9, dim: int = 4, windows: int = 5, m: int = 3, k: int = 4):
    """Small float64 vectors (output vectors non-zero, so every gradient term is non-zero) and a batch of windows
    with repeated words across windows and at least one noise word equal to its window's centre."""
    rng = np.random.default_rng(seed)
    w_in = rng.normal(scale=0.7, size=(vocab, dim))
    w_out = rng.normal(scale=0.7, size=(vocab, dim))
    contexts = rng.integers(0, vocab, size=(windows, m))
    centres = rng.integers(0, vocab, size=windows)
    negatives = rng.integers(0, vocab, size=(windows, k))
    negatives[0, 1] = centres[0]  # a clash: skipped, as word2vec.c skips it
    contexts[-1, 0] = contexts[0, 0]  # the same context word in two windows: its updates add up
    return w_in, w_out, contexts, centres, negatives


def sgd_reference(model: str, w_in, w_out, contexts, centres, negatives, lr):
    """The batch as losses.py's gradients, one SGD step per pair (skip-gram) or window (CBOW), all from the
    vectors before the batch, summed. Returns new W_in, new W_out and the summed loss."""
    new_in, new_out, total = w_in.copy(), w_out.copy(), 0.0
    for ctx, centre, negs in zip(contexts, centres, negatives):
        negs = negs[negs != centre]  # a noise word equal to the true word is skipped
        if model == "skipgram":
            for c in ctx:  # each context word's input vector predicts the centre
                out = negative_sampling_loss(w_in[c], w_out[centre], w_out[negs])
                new_in[c] -= lr * out.grads["target_in"]
                new_out[centre] -= lr * out.grads["context_out"]
                np.add.at(new_out, negs, -lr * out.grads["negatives_out"])
                total += out.loss
        else:
            out = cbow_loss(w_in[ctx], w_out[centre], w_out[negs])
            # word2vec.c / gensim cbow_mean=1: each context word gets the whole gradient of the mean, which is
            # len(ctx) times cbow_loss's 1/len(ctx) share.
            np.add.at(new_in, ctx, -lr * len(ctx) * out.grads["contexts_in"])
            new_out[centre] -= lr * out.grads["target_out"]
            np.add.at(new_out, negs, -lr * out.grads["negatives_out"])
            total += out.loss
    return new_in, new_out, total


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("seed", range(6))
def test_kernel_is_losses_py_gradients_applied_as_summed_sgd_steps(model, seed):
    w_in, w_out, contexts, centres, negatives = random_batch(seed, m=1 + seed % 3)
    lr = 0.1 + 0.05 * seed
    want_in, want_out, want_loss = sgd_reference(model, w_in, w_out, contexts, centres, negatives, lr)
    got_in, got_out = w_in.copy(), w_out.copy()
    result = kernels.KERNELS[model](got_in, got_out, contexts, centres, negatives, lr, Workspace())
    np.testing.assert_allclose(got_in, want_in, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_out, want_out, rtol=1e-12, atol=1e-12)
    assert result.loss == pytest.approx(want_loss, rel=1e-12)
    pairs = contexts.size
    assert (result.examples, result.loss_examples) == ((pairs, pairs) if model == "skipgram" else (5, 5))


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_loss_is_taken_over_the_first_sampled_windows_only(model, monkeypatch):
    monkeypatch.setattr(kernels, "LOSS_WINDOWS", 2)
    w_in, w_out, contexts, centres, negatives = random_batch(11)
    _, _, want = sgd_reference(model, w_in, w_out, contexts[:2], centres[:2], negatives[:2], 0.1)
    result = kernels.KERNELS[model](w_in.copy(), w_out.copy(), contexts, centres, negatives, 0.1, Workspace())
    assert result.loss == pytest.approx(want, rel=1e-12)
    assert result.loss_examples == (2 * contexts.shape[1] if model == "skipgram" else 2)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_largest_score_is_the_largest_dot_product_of_the_batch(model):
    w_in, w_out, contexts, centres, negatives = random_batch(3)
    result = kernels.KERNELS[model](w_in.copy(), w_out.copy(), contexts, centres, negatives, 0.1, Workspace())
    inputs = w_in[contexts] if model == "skipgram" else w_in[contexts].mean(axis=1, keepdims=True)
    words = np.concatenate([centres[:, None], negatives], axis=1)
    scores = np.einsum("bmd,bkd->bmk", inputs, w_out[words])
    assert result.largest == pytest.approx(np.abs(scores).max(), rel=1e-12)


def test_cbow_gives_each_context_word_the_whole_error_not_the_true_gradient_of_the_mean():
    """The rule word2vec.c and gensim (cbow_mean=1) use, pinned for one window of two context words: each input
    vector moves by -lr * (gradient with respect to the mean), twice cbow_loss's true share."""
    w_in, w_out, contexts, centres, negatives = random_batch(5, windows=1, m=2)
    contexts[0] = [1, 2]
    negatives[0] = [n if n != centres[0] else (n + 1) % 9 for n in negatives[0]]
    lr = 0.2
    got = w_in.copy()
    cbow_batch(got, w_out.copy(), contexts, centres, negatives, lr, Workspace())
    out = cbow_loss(w_in[[1, 2]], w_out[centres[0]], w_out[negatives[0]])
    grad_mean = negative_sampling_loss(w_in[[1, 2]].mean(axis=0), w_out[centres[0]], w_out[negatives[0]]).grads
    for word in (1, 2):
        np.testing.assert_allclose(got[word] - w_in[word], -lr * grad_mean["target_in"], rtol=1e-12)
        assert not np.allclose(got[word] - w_in[word], -lr * out.grads["contexts_in"][0]), \
            "cbow_loss's 1/m share is the true gradient; the kernel deliberately uses word2vec.c's rule"


def test_float32_kernel_matches_the_float64_one():
    w_in, w_out, contexts, centres, negatives = random_batch(8)
    for kernel in (skipgram_batch, cbow_batch):
        exact_in, exact_out = w_in.copy(), w_out.copy()
        kernel(exact_in, exact_out, contexts, centres, negatives, 0.1, Workspace())
        fast_in, fast_out = w_in.astype(np.float32), w_out.astype(np.float32)
        kernel(fast_in, fast_out, contexts, centres, negatives, 0.1, Workspace())
        np.testing.assert_allclose(fast_in, exact_in, atol=1e-5)
        np.testing.assert_allclose(fast_out, exact_out, atol=1e-5)


# ----------------------------------------------------------------------------------------------------------------
# The compiled scatter and gather against numpy


@pytest.mark.parametrize("compiled", [True, False])
@settings(max_examples=30, deadline=None)
@given(vocab=st.integers(1, 400), n=st.integers(1, 200), per=st.integers(1, 4), dim=st.integers(1, 6),
       seed=st.integers(0, 2**32 - 1))
def test_add_products_sums_weighted_rows_like_add_at(compiled, vocab, n, per, dim, seed):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, max(1, vocab // (1 + seed % 5 * 50)), size=(n, per))  # often few distinct rows
    weights = rng.normal(size=(n, per))
    dense = rng.normal(size=(n, dim))
    matrix = rng.normal(size=(vocab, dim))
    expected = matrix.copy()
    np.add.at(expected, rows.ravel(), (weights[:, :, None] * dense[:, None, :]).reshape(-1, dim))
    with pytest.MonkeyPatch.context() as patch:
        if not compiled:  # the public scipy path, used if scipy's private kernel ever goes away
            patch.setattr(kernels, "_csc_matvecs", None)
        add_products(matrix, rows, weights, dense)
    np.testing.assert_allclose(matrix, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("compiled", [True, False])
def test_mean_rows_is_the_mean_of_the_gathered_rows(monkeypatch, compiled):
    if not compiled:
        monkeypatch.setattr(kernels, "_csr_matvecs", None)
    rng = np.random.default_rng(2)
    matrix = rng.normal(size=(50, 7))
    rows = rng.integers(0, 50, size=(30, 4))
    rows[3] = 5  # a window with one word four times
    out = np.full((30, 7), 99.0)  # stale contents must not leak into the result
    np.testing.assert_allclose(mean_rows(matrix, rows, out), matrix[rows].mean(axis=1), rtol=1e-12)


def test_add_products_refuses_a_matrix_it_cannot_update_in_place():
    with pytest.raises(ValueError, match="C-contiguous"):
        add_products(np.zeros((4, 3)).T, np.zeros((1, 1), int), None, np.zeros((1, 4)))
