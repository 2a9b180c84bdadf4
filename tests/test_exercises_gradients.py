"""The checks of the learner's own gradients (notebooks 02 and 03) accept right answers, name each planted mistake,
explain exceptions in the learner's terms, fall back to the helpers' function, and never raise; the reveals of the
predict cells explain with the measured numbers."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import (check_sgns_gradient, check_softmax_gradient, gradient_to_train_with,
                                         reveal_cos_after, reveal_flipped_loss, reveal_keep_probability,
                                         reveal_start_loss)
from helpers.model import negative_sampling_loss, sigmoid, softmax_skipgram_loss


def sgns(v, u_pos, U_neg, *, flip=1.0, noise_arg=1.0, context_arg=1.0, noise_label=0.0, use_sigmoid=True,
         noise_in_v=True, outer=np.outer, loss_noise=True):
    """A learner's my_sgns, with a switch for each mistake."""
    s_pos, s_neg = u_pos @ v, U_neg @ v
    loss = -np.log(sigmoid(s_pos)) - (np.log(sigmoid(-s_neg)).sum() if loss_noise else 0.0)
    f = sigmoid if use_sigmoid else (lambda x: x)
    e_pos, e_neg = f(context_arg * s_pos) - 1.0, f(noise_arg * s_neg) - noise_label
    grad_v = e_pos * u_pos + (e_neg @ U_neg if noise_in_v else 0.0)
    return loss, flip * grad_v, flip * e_pos * v, flip * outer(e_neg, v)


def softmax(v, U, context, *, flip=1.0, onehot=1.0, probs=True, outer=np.outer):
    scores = U @ v
    p = np.exp(scores) / np.exp(scores).sum()
    loss = -np.log(p[context])
    e = (p if probs else scores).copy()
    e[context] -= onehot
    return loss, flip * (e @ U), flip * outer(e, v)


def test_right_answers_pass_with_the_finite_difference_verdict():
    for fn in (sgns, negative_sampling_loss):
        feedback = check_sgns_gradient(fn)
        assert feedback.correct, feedback.message
        assert "matches finite differences" in feedback.message
    for fn in (softmax, softmax_skipgram_loss):
        feedback = check_softmax_gradient(fn)
        assert feedback.correct, feedback.message
        assert "matches finite differences" in feedback.message


@pytest.mark.parametrize("options, words", [
    (dict(flip=-1.0), ["wrong sign", "uphill", "does NOT match"]),
    (dict(noise_arg=-1.0), ["σ(−score)", "noise", "does NOT match"]),
    (dict(context_arg=-1.0), ["true context", "σ(−score) − 1"]),
    (dict(noise_label=1.0), ["label 1", "label 0"]),
    (dict(use_sigmoid=False), ["raw score"]),
    (dict(noise_in_v=False), ["grad_v misses the noise term"]),
    (dict(noise_in_v=False, loss_noise=False, outer=lambda e, x: np.zeros((len(e), len(x)))),
     ["noise words are missing"]),
    (dict(outer=lambda e, x: np.outer(x, e)), ["wrong way round", "np.outer(errors, v)"]),
    (dict(outer=lambda e, x: e), ["grad_U_neg has shape", "np.outer"]),
    (dict(outer=lambda e, x: e @ np.ones((len(e), len(x)))), ["added the rows up"]),
    (dict(outer=lambda e, x: e * x), ["raised ValueError", "broadcast", "np.outer(errors, v)", "cell that defines"]),
    (dict(loss_noise=False), ["gradients are right, but the loss is not"]),
])
def test_each_planted_sgns_mistake_is_named(options, words):
    def my_sgns(v, u_pos, U_neg):
        return sgns(v, u_pos, U_neg, **options)

    feedback = check_sgns_gradient(my_sgns)
    assert not feedback.correct
    for word in words:
        assert word in feedback.message, feedback.message


@pytest.mark.parametrize("options, words", [
    (dict(flip=-1.0), ["sign is flipped", "does NOT match"]),
    (dict(onehot=0.0), ["p alone"]),
    (dict(probs=False), ["raw scores"]),
    (dict(outer=lambda e, x: np.outer(x, e)), ["wrong way round"]),
    (dict(outer=lambda e, x: e), ["grad_U has shape", "np.outer"]),
])
def test_each_planted_softmax_mistake_is_named(options, words):
    feedback = check_softmax_gradient(lambda v, U, context: softmax(v, U, context, **options))
    assert not feedback.correct
    for word in words:
        assert word in feedback.message, feedback.message


def test_onehot_alone_is_named():
    def onehot_only(v, U, context):
        loss = softmax(v, U, context)[0]
        e = -np.eye(len(U))[context]
        return loss, e @ U, np.outer(e, v)

    assert "−s_context alone" in check_softmax_gradient(onehot_only).message


@pytest.mark.parametrize("body, words", [
    (lambda v, u, U: sigmoidd(u @ v), ["NameError", "sigmoidd is not defined", "cell that defines my_sgns"]),  # noqa: F821
    (lambda v, u, U: v @ U, ["matrix product", "`U @ v`"]),
    (lambda v, u, U: v[len(v) + 3], ["IndexError", "past the end"]),
    (lambda v, u, U: 1 / 0, ["ZeroDivisionError"]),
])
def test_exceptions_are_explained_in_the_learners_terms(body, words):
    def my_sgns(v, u_pos, U_neg):
        return body(v, u_pos, U_neg)

    feedback = check_sgns_gradient(my_sgns)
    assert not feedback.correct and "raised" in feedback.message
    for word in words:
        assert word in feedback.message, feedback.message


class Hostile:
    def __iter__(self):
        raise RuntimeError("no")

    def __len__(self):
        raise RuntimeError("no")


@pytest.mark.parametrize("answer", [None, ..., 3, "my_sgns", lambda v, u, U: None, lambda v, u, U: ...,
                                    lambda v, u, U: (1.0, 2.0), lambda v, u, U: Hostile(),
                                    lambda v, u, U: ("x", v, u, U), lambda v, u, U: (np.nan, v, u, U),
                                    lambda v, u, U: (1.0, "a", u, U), lambda *a, **k: (_ for _ in ()).throw(KeyError)])
def test_stubs_and_broken_answers_get_feedback_never_a_crash(answer):
    for check in (check_sgns_gradient, check_softmax_gradient):
        feedback = check(answer)
        assert not feedback.correct and feedback.message


def test_empty_stubs_say_so():
    assert "still empty" in check_sgns_gradient(None).message
    assert "still empty" in check_sgns_gradient(lambda v, u, U: None).message
    assert "still empty" in check_softmax_gradient(lambda v, U, c: None).message


def test_the_trainer_gets_the_learners_function_only_when_it_passes():
    fn, text = gradient_to_train_with(sgns)
    assert fn is sgns and "your own function sgns" in text
    for stub, why in ((None, "still empty"), (lambda v, u, U: None, "still empty"),
                      (lambda v, u, U: sgns(v, u, U, flip=-1.0), "does not pass")):
        fn, text = gradient_to_train_with(stub)
        assert fn is negative_sampling_loss and why in text and "negative_sampling_loss" in text


def test_reveals_explain_with_the_measured_numbers_guess_or_not():
    none = reveal_start_loss(None, 4.9488, 141)
    assert not none.correct and "No prediction" in none.message and "4.9488" in none.message
    assert reveal_start_loss(5, 4.9488, 141).correct
    assert "sure and right" in reveal_start_loss(0, 4.9488, 141).message
    assert "probability 1/V" in reveal_start_loss(1 / 141, 4.9488, 141).message
    assert "one number" in reveal_start_loss("a lot", 4.9488, 141).message
    keep = reveal_keep_probability(0.08, keep=0.082, share=0.1725, sample=1e-3)
    assert keep.correct and "0.08" in keep.message and "17.25%" in keep.message
    assert reveal_keep_probability(8, keep=0.082, share=0.1725, sample=1e-3).correct  # a percentage
    assert not reveal_keep_probability(0.5, keep=0.082, share=0.1725, sample=1e-3).correct
    assert reveal_cos_after(0.9, start=-0.992, end=0.922, steps=400).correct
    assert not reveal_cos_after(-1, start=-0.992, end=0.922, steps=400).correct
    assert "cannot happen" in reveal_cos_after(2, start=-0.992, end=0.922, steps=400).message
    assert "+0.922" in reveal_cos_after(None, start=-0.992, end=0.922, steps=400).message
    assert reveal_flipped_loss(" Rise", first=2.78, last=1629.2, uphill=113, updates=113).correct
    assert not reveal_flipped_loss("fall", first=2.78, last=1629.2, uphill=113, updates=113).correct
    assert '"fall", "stay" or "rise"' in reveal_flipped_loss(3, first=2.78, last=1629.2, uphill=113,
                                                             updates=113).message
    assert "113 of 113" in reveal_flipped_loss(None, first=2.78, last=1629.2, uphill=113, updates=113).message
