"""check_sgns_update (notebook 03) accepts a right answer and explains typical wrong ones; it never raises."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import check_sgns_update
from helpers.losses import negative_sampling_loss, sigmoid


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


def with_error(error_of, *, sign=1.0, use_lr=True, move_outputs=True, fresh_v=False):
    def update(v, u_context, u_noise, lr):
        step = lr if use_lr else 1.0
        scores = np.r_[u_context @ v, u_noise @ v]
        error = error_of(scores, np.r_[1.0, np.zeros(len(u_noise))])
        new_v = v - sign * step * (error[0] * u_context + error[1:] @ u_noise)
        if not move_outputs:
            return new_v, u_context, u_noise
        used = new_v if fresh_v else v
        return new_v, u_context - sign * step * error[0] * used, u_noise - sign * step * np.outer(error[1:], used)
    return update


def sig(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("answer", [right_update, handwritten_update])
def test_right_answers_are_accepted(answer):
    feedback = check_sgns_update(answer)
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("answer, words", [
    (with_error(lambda s, y: sig(s) - y, sign=-1.0), "uphill"),
    (with_error(lambda s, y: s - y), "sigmoid"),
    (with_error(lambda s, y: sig(s) - 1.0), "label 0"),
    (with_error(lambda s, y: y - sig(s)), "prediction minus truth"),
    (with_error(lambda s, y: sig(s) - y, use_lr=False), "learning rate"),
    (with_error(lambda s, y: sig(s) - y, move_outputs=False), "must move too"),
    (with_error(lambda s, y: sig(s) - y, fresh_v=True), "old vectors"),
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
