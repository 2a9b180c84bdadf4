"""The fast trainer's compiled kernels hold to the model the course teaches, in float64, window by window.

Each kernel call is compared with :mod:`helpers.model.losses`' gradients applied as plain SGD steps: one step per window,
in order, each computed from the vectors as they are when its window starts (a window's pairs all from the same
vectors). CBOW follows word2vec.c's rule for the context words (each gets the whole gradient of the mean, m times
``cbow_loss``'s share); a test pins that rule and another pins that it differs from the true gradient. The kernels
are numba-compiled; numba compiles a float64 version for these tests and a float32 one for training.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model import cbow_loss, negative_sampling_loss
from helpers.word2vec import kernels
from helpers.word2vec.kernels import cbow_batch, skipgram_batch


def random_batch(seed: int, vocab: int = 9, dim: int = 4, windows: int = 5, width: int = 4, k: int = 4):
    """Small float64 vectors (output vectors non-zero, so every gradient term is non-zero) and windows with
    1..width context words, repeated words within and across windows, at least one noise word equal to its
    window's centre, and real word ids (not -1) after each window's context words: a kernel that read past
    ``counts`` would change the result."""
    rng = np.random.default_rng(seed)
    w_in = rng.normal(scale=0.7, size=(vocab, dim))
    w_out = rng.normal(scale=0.7, size=(vocab, dim))
    contexts = rng.integers(0, vocab, size=(windows, width)).astype(np.int32)
    counts = rng.integers(1, width + 1, size=windows).astype(np.int32)
    counts[0] = max(1, width - 1)  # at least one window with unread slots
    centres = rng.integers(0, vocab, size=windows).astype(np.int32)
    negatives = rng.integers(0, vocab, size=(windows, k))
    negatives[0, 1] = centres[0]  # a clash: skipped, as word2vec.c skips it
    contexts[-1, 0] = contexts[0, 0]  # the same context word in two windows
    if windows > 1 and width > 1:
        contexts[1, :2] = contexts[1, 0]  # and twice in one window: its two gradients add up
        counts[1] = max(counts[1], 2)
    return w_in, w_out, contexts, counts, centres, negatives


def sgd_reference(model: str, w_in, w_out, contexts, counts, centres, negatives, lr):
    """The windows as losses.py's gradients, one SGD step per window, in order. Returns new W_in, new W_out,
    the loss of each window and the largest absolute score, both taken before the window's step."""
    w_in, w_out, losses, largest = w_in.copy(), w_out.copy(), [], 0.0
    for ctx, m, centre, negs in zip(contexts, counts, centres, negatives):
        ctx, negs = ctx[:m], negs[negs != centre]  # a noise word equal to the true word is skipped
        words = np.r_[centre, negs]
        grad_in, grad_out = np.zeros_like(w_in), np.zeros_like(w_out)
        if model == "skipgram":
            for c in ctx:  # each context word's input vector predicts the centre
                out = negative_sampling_loss(w_in[c], w_out[centre], w_out[negs])
                grad_in[c] += out.grads["target_in"]
                grad_out[centre] += out.grads["context_out"]
                np.add.at(grad_out, negs, out.grads["negatives_out"])
            scores = w_in[ctx] @ w_out[words].T
            losses.append(sum(negative_sampling_loss(w_in[c], w_out[centre], w_out[negs]).loss for c in ctx))
        else:
            out = cbow_loss(w_in[ctx], w_out[centre], w_out[negs])
            # word2vec.c / gensim cbow_mean=1: each context word gets the whole gradient of the mean, which is
            # len(ctx) times cbow_loss's 1/len(ctx) share.
            np.add.at(grad_in, ctx, len(ctx) * out.grads["contexts_in"])
            grad_out[centre] += out.grads["target_out"]
            np.add.at(grad_out, negs, out.grads["negatives_out"])
            scores = w_in[ctx].mean(axis=0) @ w_out[words].T
            losses.append(out.loss)
        largest = max(largest, float(np.abs(scores).max()))
        w_in -= lr * grad_in
        w_out -= lr * grad_out
    return w_in, w_out, np.array(losses), largest


def run(model, w_in, w_out, contexts, counts, centres, negatives, lr):
    got_in, got_out = w_in.copy(), w_out.copy()
    result = kernels.KERNELS[model](got_in, got_out, contexts, counts, centres, negatives, lr)
    return got_in, got_out, result


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("seed", range(8))
def test_kernel_is_losses_py_gradients_applied_window_by_window(model, seed):
    batch = random_batch(seed, width=2 + seed % 3)
    lr = 0.1 + 0.05 * seed
    want_in, want_out, losses, largest = sgd_reference(model, *batch, lr)
    got_in, got_out, result = run(model, *batch, lr)
    np.testing.assert_allclose(got_in, want_in, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_out, want_out, rtol=1e-12, atol=1e-12)
    assert result.loss == pytest.approx(losses.sum(), rel=1e-12)
    assert result.largest == pytest.approx(largest, rel=1e-12)
    pairs = int(batch[3].sum())
    assert (result.examples, result.loss_examples) == ((pairs, pairs) if model == "skipgram" else (5, 5))


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_windows_are_stepped_in_order_not_all_from_the_same_vectors(model):
    """Two identical windows: the second is scored after the first's step (plain SGD), so applying the first
    window's step twice is wrong."""
    w_in, w_out, contexts, counts, centres, negatives = random_batch(4, windows=1)
    twice = tuple(np.repeat(a, 2, axis=0) for a in (contexts, counts, centres, negatives))
    got_in, _, _ = run(model, w_in, w_out, *twice, 0.3)
    once_in, _, _ = run(model, w_in, w_out, contexts, counts, centres, negatives, 0.3)
    want_in, _, _, _ = sgd_reference(model, w_in, w_out, *twice, 0.3)
    np.testing.assert_allclose(got_in, want_in, rtol=1e-12)
    assert not np.allclose(got_in - w_in, 2 * (once_in - w_in))


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_loss_is_taken_over_the_first_windows_only(model, monkeypatch):
    monkeypatch.setattr(kernels, "LOSS_WINDOWS", 2)
    batch = random_batch(11)
    _, _, losses, _ = sgd_reference(model, *batch, 0.1)
    result = run(model, *batch, 0.1)[2]
    assert result.loss == pytest.approx(losses[:2].sum(), rel=1e-12)
    assert result.loss_examples == (int(batch[3][:2].sum()) if model == "skipgram" else 2)


def test_cbow_gives_each_context_word_the_whole_error_not_the_true_gradient_of_the_mean():
    """The rule word2vec.c and gensim (cbow_mean=1) use, pinned for one window of two context words: each input
    vector moves by -lr * (gradient with respect to the mean), twice cbow_loss's true share."""
    w_in, w_out, contexts, counts, centres, negatives = random_batch(5, windows=1, width=2)
    contexts[0], counts[0] = [1, 2], 2
    negatives[0] = [n if n != centres[0] else (n + 1) % 9 for n in negatives[0]]
    lr = 0.2
    got = run("cbow", w_in, w_out, contexts, counts, centres, negatives, lr)[0]
    out = cbow_loss(w_in[[1, 2]], w_out[centres[0]], w_out[negatives[0]])
    grad_mean = negative_sampling_loss(w_in[[1, 2]].mean(axis=0), w_out[centres[0]], w_out[negatives[0]]).grads
    for word in (1, 2):
        np.testing.assert_allclose(got[word] - w_in[word], -lr * grad_mean["target_in"], rtol=1e-12)
        assert not np.allclose(got[word] - w_in[word], -lr * out.grads["contexts_in"][0]), \
            "cbow_loss's 1/m share is the true gradient; the kernel deliberately uses word2vec.c's rule"


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_float32_kernel_matches_the_float64_one(model):
    w_in, w_out, *batch = random_batch(8)
    exact_in, exact_out, _ = run(model, w_in, w_out, *batch, 0.1)
    fast_in, fast_out, _ = run(model, w_in.astype(np.float32), w_out.astype(np.float32), *batch, 0.1)
    assert fast_in.dtype == np.float32
    np.testing.assert_allclose(fast_in, exact_in, atol=1e-5)
    np.testing.assert_allclose(fast_out, exact_out, atol=1e-5)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nan_or_infinite_score_is_reported_not_hidden(model, bad):
    """fastmath is compiled without its no-NaN/no-inf assumptions, so the divergence signal survives."""
    w_in, w_out, *batch = random_batch(2)
    w_out[batch[2][-1]] = bad  # the last window's centre: scored after every other window's step
    result = run(model, w_in, w_out, *batch, 0.1)[2]
    assert np.isnan(result.largest)
