"""The learner's own gradient in the step trainer (notebook 03): call it safely, and notice when it goes uphill.

:class:`helpers.model.StepTrainer` takes ``gradient=fn``, a function ``fn(v, u_pos, U_neg) -> (loss, grad_v,
grad_u_pos, grad_U_neg)`` like :func:`helpers.model.losses.negative_sampling_loss`. These functions keep a learner's
mistake from reaching the vectors: a failure or a wrong shape becomes a message naming it, and a loss that keeps
rising names the likely cause, a flipped sign.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .losses import LossOutput, sigmoid

#: How many recent updates the uphill watch looks at, and the share of them that must have raised their pair's loss
#: before the trainer says so. With a right gradient at the demo's lr (0.2) none of the first 400 updates goes
#: uphill; with the sign flipped every one does (tests/test_training_hook.py).
UPHILL_WINDOW, UPHILL_SHARE = 20, 0.5


class GradientFunctionError(ValueError):
    """A gradient function given to :class:`StepTrainer` raised, or returned something that is not
    ``(loss, grad_v, grad_u_pos, grad_U_neg)`` with the shapes of its arguments. Nothing was updated."""


def call_own_gradient(fn: Callable[..., object], v: np.ndarray, u_pos: np.ndarray, u_neg: np.ndarray, *,
                      update: int) -> LossOutput:
    """Call the learner's ``fn`` on copies of ``v`` (d,), ``u_pos`` (d,), ``u_neg`` (k, d) and check what it returns.

    The loss, scores and probabilities returned are the course's (as :func:`negative_sampling_loss` computes them),
    the gradients are ``fn``'s: a wrong gradient cannot hide behind its own loss. ``update`` (1-based) is named in
    the messages. Raises :class:`GradientFunctionError` if ``fn`` raises or returns anything but four things with
    the shapes of its arguments.
    """
    name = getattr(fn, "__name__", type(fn).__name__)
    where = (f"your gradient function {name}(v, u_pos, U_neg), called by the trainer at update "
             f"{update} with shapes v {v.shape}, u_pos {u_pos.shape}, U_neg {u_neg.shape}")
    try:
        with np.errstate(divide="ignore"):  # its log(0) once scores blow up: only the gradients are used
            result = fn(v.copy(), u_pos.copy(), u_neg.copy())  # copies: it cannot edit the vectors in place
    except Exception as error:  # noqa: BLE001 - any failure of the learner's code gets a message naming it
        raise GradientFunctionError(f"{where} raised {type(error).__name__}: {error}. Fix it in the cell that "
                                    f"defines {name}, run that cell, then this one again.") from error
    result = tuple(result) if isinstance(result, (tuple, list, LossOutput)) else (result,)
    if len(result) != 4:
        raise GradientFunctionError(f"{where} returned {result[0] if len(result) == 1 else result!r:.80}; "
                                    "it must return four things: loss, grad_v, grad_u_pos, grad_U_neg")
    grads = {}
    for key, label, value, like in zip(("target_in", "context_out", "negatives_out"),
                                       ("grad_v", "grad_u_pos", "grad_U_neg"), result[1:], (v, u_pos, u_neg)):
        try:
            grad = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise GradientFunctionError(f"{where} returned a {label} that is not an array of numbers") from error
        if grad.shape != like.shape:
            raise GradientFunctionError(f"{where} returned {label} of shape {grad.shape}; it must have the shape "
                                        f"of what it is the gradient for, {like.shape}")
        grads[key] = grad
    scores = np.concatenate([[u_pos @ v], u_neg @ v])  # as negative_sampling_loss computes them
    labels = np.r_[1.0, np.zeros(len(u_neg))]
    loss = float(np.logaddexp(0.0, -(2.0 * labels - 1.0) * scores).sum())
    return LossOutput(loss=loss, scores=scores, probs=sigmoid(scores), grads=grads)


def uphill_message(uphill: Sequence[bool], fn: Callable[..., object], lr: float) -> str | None:
    """A message if most of the last :data:`UPHILL_WINDOW` updates with ``fn`` raised their pair's loss, else None.

    Gradient descent lowers the loss of the pair it serves (for a small enough step); an update that raises it
    went uphill. Most recent updates doing so names the likely cause: a flipped sign.
    """
    recent = uphill[-UPHILL_WINDOW:]
    if len(recent) < UPHILL_WINDOW // 2 or sum(recent) <= UPHILL_SHARE * len(recent):
        return None
    name = getattr(fn, "__name__", "your gradient function")
    return (f"The loss is rising: {sum(recent)} of the last {len(recent)} updates made their pair's loss bigger, "
            f"not smaller. Gradient descent goes downhill, so {name} probably points uphill: check its sign "
            f"(error = σ(score) − label; the update subtracts lr × gradient). A right gradient with too large a "
            f"learning rate (now {lr:g}) can do this too.")
