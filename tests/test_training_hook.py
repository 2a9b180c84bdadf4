"""The gradient hook of StepTrainer and StepWidget (notebook 03): the helpers' loss and a learner's function go
through the same door, the default replays the trainer's behaviour draw for draw, a learner's broken function gets
a message naming it (and changes nothing), and a flipped sign is detected from the rising loss."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model import demo_trainer, negative_sampling_loss, sigmoid
from helpers.space import cosine_similarity
from helpers.model import GradientFunctionError, StepTrainer, TrainingDiverged
from helpers.widgets import StepWidget


def my_sgns(v, u_pos, U_neg):
    """Written as a learner would (notebook 03's solution), independently of helpers.model.losses."""
    s_pos, s_neg = u_pos @ v, U_neg @ v
    loss = -np.log(sigmoid(s_pos)) - np.log(sigmoid(-s_neg)).sum()
    e_pos, e_neg = sigmoid(s_pos) - 1.0, sigmoid(s_neg)
    return loss, e_pos * u_pos + e_neg @ U_neg, e_pos * v, np.outer(e_neg, v)


def flipped(v, u_pos, U_neg):
    loss, grad_v, grad_u, grad_U = my_sgns(v, u_pos, U_neg)
    return loss, -grad_v, -grad_u, -grad_U


def cat_dog(trainer: StepTrainer) -> float:
    index = trainer.vocab.key_to_index
    return cosine_similarity(trainer.W_in[index["cat"]], trainer.W_in[index["dog"]])


def test_loss_output_unpacks_to_the_learners_interface():
    rng = np.random.default_rng(0)
    v, u, U = rng.normal(size=3), rng.normal(size=3), rng.normal(size=(2, 3))
    out = negative_sampling_loss(v, u, U)
    loss, grad_v, grad_u, grad_U = out
    assert loss == out.loss
    assert grad_v is out.grads["target_in"] and grad_u is out.grads["context_out"]
    assert grad_U is out.grads["negatives_out"]


def test_default_gradient_is_the_helpers_loss_and_replays_every_draw():
    default, explicit = demo_trainer(), demo_trainer(gradient=negative_sampling_loss)
    assert default.gradient is negative_sampling_loss and explicit.gradient is negative_sampling_loss
    # Through the learner's path (a tuple, not a LossOutput), with the same arithmetic.
    as_tuple = demo_trainer(gradient=lambda v, u, U: tuple(negative_sampling_loss(v, u, U)))
    for _ in range(300):
        a, b, c = default.step(), explicit.step(), as_tuple.step()
        assert a.target_id == b.target_id == c.target_id and a.context_id == b.context_id == c.context_id
        assert np.array_equal(a.negative_ids, b.negative_ids) and np.array_equal(a.negative_ids, c.negative_ids)
        assert a.loss == b.loss
        np.testing.assert_allclose(c.loss, a.loss, rtol=1e-12)
        np.testing.assert_allclose(c.scores, a.scores, rtol=1e-12)
    assert default.rng.bit_generator.state == explicit.rng.bit_generator.state == as_tuple.rng.bit_generator.state
    np.testing.assert_array_equal(default.W_in, explicit.W_in)
    np.testing.assert_array_equal(default.W_out, explicit.W_out)
    np.testing.assert_allclose(as_tuple.W_in, default.W_in, rtol=1e-9, atol=1e-12)
    assert default.uphill == [] and default.uphill_warning() is None  # the default adds no work per update


def test_the_learners_right_gradient_trains_like_the_helpers():
    mine, helpers_ = demo_trainer(gradient=my_sgns), demo_trainer()
    mine.run(300)
    helpers_.run(300)
    np.testing.assert_allclose(mine.W_in, helpers_.W_in, rtol=1e-7, atol=1e-9)
    assert cat_dog(mine) > 0.8  # from -0.99: the learner's code brought cat and dog together
    assert sum(mine.uphill) <= 0.05 * len(mine.uphill) and len(mine.uphill) == 300
    assert mine.uphill_warning() is None


def test_a_flipped_sign_is_named_from_the_rising_loss():
    trainer = demo_trainer(gradient=flipped)
    with pytest.raises(TrainingDiverged):
        trainer.run(300)
    assert trainer.steps_done > 20
    assert all(trainer.uphill) and len(trainer.uphill) == trainer.steps_done  # probes do not add to it
    assert np.mean(trainer.loss_history[-20:]) > 10 * np.mean(trainer.loss_history[:20])
    warning = trainer.uphill_warning()
    assert warning is not None and "flipped" in warning and "sign" in warning and "rising" in warning
    assert cat_dog(trainer) < 0  # the right gradient brings them to +0.9 from the same start


@pytest.mark.parametrize("fn, words", [
    (lambda v, u, U: None, ["returned None", "four things"]),
    (lambda v, u, U: (1.0, v, u), ["four things"]),
    (lambda v, u, U: (1.0, v, u, (U @ v)), ["grad_U_neg", "(3,)", "(3, 2)"]),
    (lambda v, u, U: (1.0, U @ v, u, U), ["grad_v", "(3,)", "(2,)"]),
    (lambda v, u, U: (1.0, v, u, sigmoid(U @ v) * v), ["raised ValueError", "broadcast", "cell"]),
    (lambda v, u, U: undefined_name, ["raised NameError", "undefined_name"]),  # noqa: F821
])
def test_a_broken_gradient_function_is_named_and_changes_nothing(fn, words):
    trainer = demo_trainer(gradient=fn)
    state, w_in, w_out = trainer.rng.bit_generator.state, trainer.W_in.copy(), trainer.W_out.copy()
    with pytest.raises(GradientFunctionError) as caught:
        trainer.step()
    message = str(caught.value)
    assert "gradient function" in message and "update 1" in message
    for word in words:
        assert word in message
    assert trainer.steps_done == 0 and trainer.loss_history == []
    assert trainer.rng.bit_generator.state == state
    np.testing.assert_array_equal(trainer.W_in, w_in)
    np.testing.assert_array_equal(trainer.W_out, w_out)


def test_a_gradient_that_is_not_a_function_is_refused():
    with pytest.raises(TypeError, match="gradient must be a function"):
        demo_trainer(gradient="my_sgns")


def test_the_learners_function_cannot_edit_the_vectors_in_place():
    def vandal(v, u_pos, U_neg):
        out = my_sgns(v, u_pos, U_neg)
        v[:] = 1e6
        U_neg[:] = 1e6
        return out

    trainer, reference = demo_trainer(gradient=vandal), demo_trainer(gradient=my_sgns)
    trainer.run(20)
    reference.run(20)
    np.testing.assert_array_equal(trainer.W_in, reference.W_in)


def test_widget_trains_with_the_learners_gradient_and_says_when_the_loss_rises():
    widget = StepWidget(gradient=flipped)
    try:
        assert widget.trainer.gradient is flipped
        widget.step(100)
        assert "loss is rising" in widget.message.value and "flipped" in widget.message.value
        assert "gradient: flipped" in widget.summary() and "loss is rising" in widget.summary()
        widget.train_on_text("the cat is cute. the dog is cute.")
        assert widget.trainer.gradient is flipped  # the learner's own sentences keep the learner's gradient
    finally:
        widget.close()
    right = StepWidget(gradient=my_sgns)
    try:
        right.step(100)
        assert "rising" not in right.message.value and "gradient: my_sgns" in right.summary()
    finally:
        right.close()


def test_widget_shows_a_broken_gradient_in_place_and_lives_on():
    widget = StepWidget(gradient=lambda v, u, U: None)
    try:
        assert widget.step(5) == []
        assert "must return four things" in widget.message.value
        assert widget.trainer.steps_done == 0
    finally:
        widget.close()


def test_widget_takes_a_gradient_or_a_trainer_not_both():
    with pytest.raises(ValueError, match="give the gradient to the trainer"):
        StepWidget(demo_trainer(), gradient=my_sgns)
