"""Tests of helpers.model.losses: analytic gradients against finite differences, losses against brute force.

Every loss is checked at random points for several seeds in float64; the checker itself is tested too, because a
checker that passes everything would make the other tests worthless.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from scipy.special import logsumexp

from helpers.model import (
    cbow_loss,
    check_gradient,
    log_softmax,
    negative_sampling_loss,
    sigmoid,
    softmax_skipgram_loss,
)

SEEDS = range(5)


def softmax_problem(seed: int, V: int = 7, d: int = 5):
    rng = np.random.default_rng(seed)
    params = {"target_in": rng.normal(size=d), "all_out": rng.normal(size=(V, d))}
    return params, int(rng.integers(V))


def negative_sampling_problem(seed: int, k: int = 3, d: int = 5):
    rng = np.random.default_rng(seed)
    return {"target_in": rng.normal(size=d), "context_out": rng.normal(size=d), "negatives_out": rng.normal(size=(k, d))}


def cbow_problem(seed: int, c: int = 4, k: int = 3, d: int = 5):
    rng = np.random.default_rng(seed)
    return {"contexts_in": rng.normal(size=(c, d)), "target_out": rng.normal(size=d),
            "negatives_out": rng.normal(size=(k, d))}


def log_sigmoid(x: float) -> float:
    """Brute force, for moderate x only."""
    return math.log(1.0 / (1.0 + math.exp(-x)))


# --------------------------------------------------------------------------------------------------------------
# Gradients against finite differences


def _softmax_case(seed: int):
    params, context = softmax_problem(seed)
    return functools.partial(softmax_skipgram_loss, context=context), params


#: Each loss the course teaches, with a random problem for it: seed -> (loss function, its array arguments).
GRADIENT_CASES = {
    "softmax skip-gram": _softmax_case,
    "negative sampling": lambda seed: (negative_sampling_loss, negative_sampling_problem(seed)),
    "cbow": lambda seed: (cbow_loss, cbow_problem(seed)),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", list(GRADIENT_CASES))
def test_gradient_matches_finite_differences(case, seed):
    loss, params = GRADIENT_CASES[case](seed)
    out = loss(**params)
    result = check_gradient(lambda **p: loss(**p).loss, params, out.grads)
    assert result.passed, f"{case}: {result.message}"
    assert result.relative_error < 1e-6


def test_negative_sampling_gradient_with_a_noise_word_drawn_twice():
    params = negative_sampling_problem(0)
    params["negatives_out"][2] = params["negatives_out"][0]
    out = negative_sampling_loss(**params)
    assert np.allclose(out.grads["negatives_out"][0], out.grads["negatives_out"][2])
    assert check_gradient(lambda **p: negative_sampling_loss(**p).loss, params, out.grads).passed


def test_cbow_single_context_word_is_negative_sampling():
    params = cbow_problem(1, c=1)
    cbow = cbow_loss(**params)
    ns = negative_sampling_loss(params["contexts_in"][0], params["target_out"], params["negatives_out"])
    assert cbow.loss == pytest.approx(ns.loss, rel=1e-12)
    np.testing.assert_allclose(cbow.grads["contexts_in"][0], ns.grads["target_in"], rtol=1e-12)


def test_cbow_needs_a_context_word():
    with pytest.raises(ValueError, match="context"):
        cbow_loss(np.empty((0, 3)), np.ones(3), np.ones((2, 3)))


# --------------------------------------------------------------------------------------------------------------
# The checker must be able to say no


def test_checker_fails_an_all_zero_gradient():
    params = negative_sampling_problem(2)
    zeros = {name: np.zeros_like(x) for name, x in params.items()}
    result = check_gradient(lambda **p: negative_sampling_loss(**p).loss, params, zeros)
    assert not result.passed and not result
    assert "zero" in result.message


def test_checker_fails_a_zero_gradient_even_where_the_true_gradient_is_zero():
    params = {"x": np.array([0.0, 0.0])}
    result = check_gradient(lambda x: float(x @ x), params, {"x": np.zeros(2)})
    assert not result.passed, "an all-zero gradient proves nothing, even when it is right"


@pytest.mark.parametrize("seed", SEEDS)
def test_checker_fails_a_sign_flip(seed):
    params, context = softmax_problem(seed)
    out = softmax_skipgram_loss(**params, context=context)
    flipped = {name: -g for name, g in out.grads.items()}
    result = check_gradient(lambda **p: softmax_skipgram_loss(**p, context=context).loss, params, flipped)
    assert not result.passed
    assert result.relative_error > 0.5
    assert "NOT" in result.message


def test_checker_fails_a_gradient_wrong_in_one_parameter_only():
    params = cbow_problem(3)
    out = cbow_loss(**params)
    # word2vec.c and gensim (cbow_mean=1) give every context word the whole error of the average, not 1/c of it:
    # a deliberate rule of theirs (and of our fast trainer), but not the gradient of this loss, so the checker
    # must reject it. cbow_loss teaches the true gradient.
    wrong = dict(out.grads, contexts_in=out.grads["contexts_in"] * len(params["contexts_in"]))
    result = check_gradient(lambda **p: cbow_loss(**p).loss, params, wrong)
    assert not result.passed
    assert result.relative_error > 1e-3


def test_checker_fails_a_slightly_scaled_gradient():
    params = negative_sampling_problem(4)
    out = negative_sampling_loss(**params)
    scaled = {name: 1.001 * g for name, g in out.grads.items()}
    assert not check_gradient(lambda **p: negative_sampling_loss(**p).loss, params, scaled).passed


def test_checker_restores_the_parameters():
    params = negative_sampling_problem(5)
    original = {name: x.copy() for name, x in params.items()}
    out = negative_sampling_loss(**params)
    check_gradient(lambda **p: negative_sampling_loss(**p).loss, params, out.grads)
    for name in params:
        assert np.array_equal(params[name], original[name])


def test_checker_numeric_gradient_is_returned():
    params = {"x": np.array([1.0, -2.0, 3.0])}
    result = check_gradient(lambda x: float(np.sum(x**3)), params, {"x": 3 * params["x"] ** 2})
    assert result.passed
    np.testing.assert_allclose(result.numeric["x"], [3.0, 12.0, 27.0], rtol=1e-8)


def test_checker_rejects_float32_mismatched_keys_and_shapes():
    with pytest.raises(TypeError, match="float64"):
        check_gradient(lambda x: float(x.sum()), {"x": np.ones(2, np.float32)}, {"x": np.ones(2)})
    with pytest.raises(ValueError, match="keys"):
        check_gradient(lambda x: float(x.sum()), {"x": np.ones(2)}, {"y": np.ones(2)})
    with pytest.raises(ValueError, match="shape"):
        check_gradient(lambda x: float(x.sum()), {"x": np.ones(2)}, {"x": np.ones(3)})


# --------------------------------------------------------------------------------------------------------------
# Losses against brute force


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_loss_equals_brute_force(seed):
    params, context = softmax_problem(seed)
    out = softmax_skipgram_loss(**params, context=context)
    scores = params["all_out"] @ params["target_in"]
    expected = -math.log(math.exp(scores[context]) / sum(math.exp(s) for s in scores))
    assert out.loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(out.scores, scores, rtol=1e-12)
    np.testing.assert_allclose(out.probs, np.exp(scores) / np.exp(scores).sum(), rtol=1e-12)
    assert out.probs.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("context, big", [(0, 1e4), (1, 1e4), (2, 1e4), (0, -1e4)])
def test_softmax_loss_is_exact_and_finite_for_huge_scores(context, big):
    # Scores [big, big - 5, -big]: exp(big) overflows, the loss must still be exact (no clamping at, say, log 1e-10).
    target_in = np.array([1.0, 0.0])
    all_out = np.array([[big, 0.0], [big - 5.0, 0.0], [-big, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = softmax_skipgram_loss(target_in, all_out, context)
    scores = all_out @ target_in
    expected = float(logsumexp(scores) - scores[context])
    assert math.isfinite(out.loss)
    assert out.loss == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert all(np.all(np.isfinite(g)) for g in out.grads.values())
    assert np.all(np.isfinite(out.probs)) and out.probs.sum() == pytest.approx(1.0)


def test_softmax_loss_of_a_hopeless_prediction_is_not_clamped():
    # The true word scores 2e4 below the best one: the loss is 2e4, not a capped value.
    out = softmax_skipgram_loss(np.array([1.0]), np.array([[1e4], [-1e4]]), context=1)
    assert out.loss == pytest.approx(2e4, rel=1e-12)


def test_log_softmax_matches_scipy():
    scores = np.random.default_rng(0).normal(scale=50, size=30)
    np.testing.assert_allclose(log_softmax(scores), scores - logsumexp(scores), rtol=1e-12, atol=1e-12)


def test_starting_softmax_loss_is_about_log_v():
    """With tiny random vectors every word gets probability about 1/V: the model knows nothing yet."""
    rng = np.random.default_rng(0)
    V, d = 500, 50
    w_in = (rng.random((V, d)) - 0.5) / d
    w_out = (rng.random((V, d)) - 0.5) / d
    losses = [softmax_skipgram_loss(w_in[t], w_out, int(c)).loss for t, c in rng.integers(V, size=(50, 2))]
    assert np.all(np.abs(np.array(losses) - math.log(V)) < 0.01)


@pytest.mark.parametrize("seed", SEEDS)
def test_negative_sampling_loss_equals_brute_force(seed):
    p = negative_sampling_problem(seed)
    out = negative_sampling_loss(**p)
    v = p["target_in"]
    expected = -log_sigmoid(p["context_out"] @ v) - sum(log_sigmoid(-(u @ v)) for u in p["negatives_out"])
    assert out.loss == pytest.approx(expected, rel=1e-12)
    assert out.scores[0] == pytest.approx(p["context_out"] @ v)
    np.testing.assert_allclose(out.scores[1:], p["negatives_out"] @ v, rtol=1e-12)
    np.testing.assert_allclose(out.probs, 1 / (1 + np.exp(-out.scores)), rtol=1e-12)


def test_negative_sampling_loss_is_exact_and_finite_for_huge_scores():
    v = np.array([1.0, 0.0])
    # True context scores -1e4 (a hopeless miss), one noise word +1e4 (another), one -1e4 (a perfect no).
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = negative_sampling_loss(v, np.array([-1e4, 0.0]), np.array([[1e4, 0.0], [-1e4, 0.0]]))
    assert out.loss == pytest.approx(2e4, rel=1e-12)
    assert all(np.all(np.isfinite(g)) for g in out.grads.values())
    # (sigmoid(s_c) - 1) u_c + sigmoid(s_1) u_1 + sigmoid(s_2) u_2 = (0 - 1)(-1e4) + 1 (1e4) + 0
    np.testing.assert_allclose(out.grads["target_in"], [2e4, 0.0], rtol=1e-12)


def test_starting_negative_sampling_loss_is_about_k_plus_one_log_two():
    """All scores near 0 give sigmoid 1/2 for every yes/no question: (1 + k) log 2."""
    rng = np.random.default_rng(1)
    d, k = 50, 5
    v, u, negs = ((rng.random(s) - 0.5) / d for s in [(d,), (d,), (k, d)])
    assert negative_sampling_loss(v, u, negs).loss == pytest.approx((1 + k) * math.log(2), abs=1e-3)


def test_cbow_loss_uses_the_average_of_the_context_vectors():
    p = cbow_problem(2)
    hidden = p["contexts_in"].mean(axis=0)
    expected = negative_sampling_loss(hidden, p["target_out"], p["negatives_out"]).loss
    assert cbow_loss(**p).loss == pytest.approx(expected, rel=1e-12)


def test_sigmoid_is_stable_at_the_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(np.array([-1e4, -40.0, 0.0, 40.0, 1e4]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert 0 < s[1] < 1e-17 and 1 - 1e-15 < s[3] <= 1
