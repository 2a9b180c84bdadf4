"""check_sgns_update (notebook 03) accepts a right answer and explains typical wrong ones; it never raises."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import check_sgns_update
from helpers.model import negative_sampling_loss, sigmoid


def right_update(v, u_context, u_noise, lr):
    out = negative_sampling_loss(v, u_context, u_noise)
    return (v - lr * out.grads["target_in"], u_context - lr * out.grads["context_out"],
            u_noise - lr * out.grads["negatives_out"])


def handwritten_update(v, u_context, u_noise, lr):
    """What a learner writes from the notebook's steps, in place, without the helpers."""
    e_c = sigmoid(u_context @ v) - 1
    e_n = sigmoid(u_noise @ v)
    grad_v = e_c * u_context + e_n @ u_noise
    u_context -= lr * e_c * v
    u_noise -= lr * np.outer(e_n, v)
    v -= lr * grad_v
    return v, u_context, u_noise


# Each wrong answer is written out by hand, the way a learner would write it: none is generated from the checker's
# own table of variants (helpers.exercises.losses._sgns_variants), so a mistake in that table cannot hide here.


def sig(x):
    return 1 / (1 + np.exp(-x))


def uphill(v, u_context, u_noise, lr):  # adds the gradient instead of subtracting it
    e_c, e_n = sig(u_context @ v) - 1, sig(u_noise @ v)
    return v + lr * (e_c * u_context + e_n @ u_noise), u_context + lr * e_c * v, u_noise + lr * np.outer(e_n, v)


def truth_minus_prediction(v, u_context, u_noise, lr):  # error = label - sigma, still subtracted
    e_c, e_n = 1 - sig(u_context @ v), 0 - sig(u_noise @ v)
    return v - lr * (e_c * u_context + e_n @ u_noise), u_context - lr * e_c * v, u_noise - lr * np.outer(e_n, v)


def no_sigmoid(v, u_context, u_noise, lr):
    e_c, e_n = u_context @ v - 1, u_noise @ v
    return v - lr * (e_c * u_context + e_n @ u_noise), u_context - lr * e_c * v, u_noise - lr * np.outer(e_n, v)


def noise_labelled_one(v, u_context, u_noise, lr):
    e_c, e_n = sig(u_context @ v) - 1, sig(u_noise @ v) - 1
    return v - lr * (e_c * u_context + e_n @ u_noise), u_context - lr * e_c * v, u_noise - lr * np.outer(e_n, v)


def no_learning_rate(v, u_context, u_noise, lr):
    e_c, e_n = sig(u_context @ v) - 1, sig(u_noise @ v)
    return v - (e_c * u_context + e_n @ u_noise), u_context - e_c * v, u_noise - np.outer(e_n, v)


def outputs_left_alone(v, u_context, u_noise, lr):
    e_c, e_n = sig(u_context @ v) - 1, sig(u_noise @ v)
    return v - lr * (e_c * u_context + e_n @ u_noise), u_context, u_noise


def new_v_reused(v, u_context, u_noise, lr):
    e_c, e_n = sig(u_context @ v) - 1, sig(u_noise @ v)
    v = v - lr * (e_c * u_context + e_n @ u_noise)  # v is overwritten before the outputs use it
    return v, u_context - lr * e_c * v, u_noise - lr * np.outer(e_n, v)


@pytest.mark.parametrize("answer", [right_update, handwritten_update])
def test_right_answers_are_accepted(answer):
    feedback = check_sgns_update(answer)
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("answer, words", [
    (uphill, "uphill"),
    (no_sigmoid, "sigmoid"),
    (noise_labelled_one, "label 0"),
    (truth_minus_prediction, "prediction minus truth"),
    (no_learning_rate, "learning rate"),
    (outputs_left_alone, "must move too"),
    (new_v_reused, "you updated v first"),
    (lambda v, u, n, lr: (v + 1.0, u, n), "should be"),
])
def test_typical_wrong_answers_get_specific_feedback(answer, words):
    feedback = check_sgns_update(answer)
    assert not feedback.correct
    assert words in feedback.message


@pytest.mark.parametrize("answer, words", [
    (None, "still empty"),
    (lambda v, u, n, lr: None, "returns None"),
    (42, "Give a function"),
    (lambda v, u, n, lr: v, "three"),
    (lambda v, u, n, lr: (v, u, n[0]), "Shapes"),
    (lambda v, u, n, lr: 1 / 0, "ZeroDivisionError"),
    (lambda v, u, n, lr: ("a", "b", "c"), "numpy arrays"),
])
def test_stubs_and_broken_answers_get_a_hint_not_a_crash(answer, words):
    feedback = check_sgns_update(answer)
    assert not feedback.correct
    assert words in feedback.message
