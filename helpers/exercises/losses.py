"""Exercise checks on the training objective: the softmax loss (notebook 02) and one negative-sampling update
(notebook 03). Re-exported by :mod:`helpers.exercises`, where notebooks find them. Like every check, they never raise.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import Feedback, _call, _close, _is_stub, _to_float, never_raises, not_attempted


def _softmax_inputs_problem(scores: object, context: object) -> str | None:
    """What is wrong with the ``scores`` and ``context`` given to :func:`check_softmax_loss` (the notebook's, not the
    learner's answer), or None."""
    fix = "call it as the notebook does: check_softmax_loss(your_loss, scores, context)"
    try:
        array = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        array = None
    if array is None or array.ndim != 1 or len(array) < 2:
        shown = ("None" if scores is None else type(scores).__name__) if array is None or array.ndim == 0 \
            else f"shape {array.shape}"
        return f"The check needs scores, one number per vocabulary word (shape (V,), V >= 2), got {shown}: {fix}."
    if not np.all(np.isfinite(array)):
        return f"The scores given to the check hold NaN or infinite values, so no loss can be checked: {fix}."
    if isinstance(context, bool) or not isinstance(context, (int, np.integer)) or not 0 <= context < len(array):
        return (f"The check needs context, the true word's index, between 0 and {len(array) - 1}, got "
                f"{context!r:.40}: {fix}.")
    return None


@never_raises
def check_softmax_loss(answer: object, scores: np.ndarray, context: int) -> Feedback:
    """Notebook 02: the full-softmax cross-entropy ``-log softmax(scores)[context]`` as a number.

    Parameters
    ----------
    answer : the learner's number
    scores : ndarray, shape (V,)
        Scores of every vocabulary word.
    context : int
        Index of the true context word.
    """
    problem = _softmax_inputs_problem(scores, context)
    if problem is not None:  # the check's own inputs: not the learner's answer's fault
        return Feedback(False, problem)
    if _is_stub(answer):
        return not_attempted("Your loss")
    value = _to_float(answer)
    if value is None:
        return Feedback(False, f"The loss is one number; you gave {type(answer).__name__}.")
    if not np.isfinite(value):
        return Feedback(False, f"Your loss is {value}: -log p is a finite number for any p > 0. Compute "
                               "p = exp(scores) / exp(scores).sum(), then -np.log(p[context]).")
    scores = np.asarray(scores, dtype=np.float64)
    shifted = scores - scores.max()
    log_p = shifted - np.log(np.exp(shifted).sum())
    right = float(-log_p[context])
    p = float(np.exp(log_p[context]))
    if _close(value, right, tol=1e-3):
        return Feedback(True, f"loss = -log p = -log {p:.3f} = {right:.3f}. A perfect model (p = 1) would have "
                              f"loss 0; knowing nothing (p = 1/V) gives log V = {np.log(len(scores)):.3f}.")
    log_sum = float(np.log(np.exp(shifted).sum()) + scores.max())
    mistakes = [
        (-right, "The sign is flipped: log p is negative, the loss is -log p (a positive number)."),
        (p, "That is the probability p of the true word; the loss is -log p."),
        (1 - p, "That is 1 - p; the cross-entropy loss is -log p."),
        (-scores[context], "That is minus the raw score; turn the scores into probabilities with the softmax "
                           "first (exp, then divide by the sum)."),
        (log_sum, "That is log Σ exp(scores), the normaliser; subtract the true word's score from it."),
        (float(np.log(len(scores))), "That is log V, the loss when all scores are equal; these scores are not."),
        (-np.log10(p) if p > 0 else np.nan, "You used log10; the loss uses the natural log, np.log."),
        (-np.log2(p) if p > 0 else np.nan, "You used log2; the loss uses the natural log, np.log."),
    ]
    for wrong, hint in mistakes:
        if _close(value, float(wrong), tol=1e-3):
            return Feedback(False, hint)
    others = [j for j in range(len(scores)) if j != context and _close(value, float(-log_p[j]), tol=1e-3)]
    if others:
        return Feedback(False, f"That is the loss for word {others[0]}; the true context word is number {context}.")
    if _close(value, right, tol=5e-2):
        return Feedback(False, f"Close ({value:.4f}); round less, the loss is {right:.4f} to 4 decimals.")
    return Feedback(False, f"Not {value:.4f}. Steps: p = exp(scores) / exp(scores).sum(), "
                           f"then loss = -np.log(p[{context}]).")


def _sgns_variants(v: np.ndarray, u_context: np.ndarray, u_noise: np.ndarray, lr: float) -> dict[str, tuple]:
    """The right negative-sampling update and the wrong ones learners typically write, keyed by the mistake."""

    def update(error_of: Callable[[np.ndarray, np.ndarray], np.ndarray], sign: float = 1.0, step: float = lr,
               move_outputs: bool = True, fresh_v: bool = False) -> tuple:
        scores = np.concatenate([[u_context @ v], u_noise @ v])
        labels = np.r_[1.0, np.zeros(len(u_noise))]
        error = error_of(scores, labels)
        new_v = v - sign * step * (error[0] * u_context + error[1:] @ u_noise)
        v_used = new_v if fresh_v else v
        if not move_outputs:
            return new_v, u_context.copy(), u_noise.copy()
        return (new_v, u_context - sign * step * error[0] * v_used,
                u_noise - sign * step * np.outer(error[1:], v_used))

    def sigmoid(x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-x))

    right = lambda s, y: sigmoid(s) - y  # noqa: E731 - a table of formulas reads best as lambdas
    return {
        "right": update(right),
        "sign": update(right, sign=-1.0),
        "no sigmoid": update(lambda s, y: s - y),
        "labels": update(lambda s, y: sigmoid(s) - 1.0),
        "no lr": update(right, step=1.0),
        "outputs fixed": update(right, move_outputs=False),
        "fresh v": update(right, fresh_v=True),
    }


_SGNS_HINTS = {
    # Flipping the error to label − σ(score) gives exactly this update too, so one hint covers both.
    "sign": "Your vectors moved uphill: the loss grew. The error is σ(score) − label (prediction minus truth) "
            "and gradient descent *subtracts* lr × gradient.",
    "no sigmoid": "You used the raw score as the prediction. The error is σ(score) − label, with the sigmoid "
                  "σ(x) = 1 / (1 + e^-x) turning the score into a probability first.",
    "labels": "You treated the noise words like the true context (label 1). Noise words have label 0: their "
              "error is σ(score) − 0.",
    "no lr": "Right direction, but the step is the whole gradient: multiply it by the learning rate lr.",
    "outputs fixed": "The target moved correctly, but the context and noise vectors must move too: "
                     "u_c -= lr · error_c · v and u_n -= lr · error_n · v.",
    "fresh v": "Almost: you updated v first and then used the *new* v for the output vectors. Compute every "
               "gradient from the old vectors, then apply them all.",
}


@never_raises
def check_sgns_update(update: object) -> Feedback:
    """Notebook 03: ``update(v, u_context, u_noise, lr)`` must return the vectors after one negative-sampling step.

    Shapes: ``v`` (d,), ``u_context`` (d,), ``u_noise`` (k, d); the answer is ``(new_v, new_u_context,
    new_u_noise)`` with the same shapes. Typical mistakes (wrong sign, no sigmoid, noise labelled 1, no learning
    rate, output vectors left alone, the new v reused) are named.
    """
    if _is_stub(update):
        return not_attempted("Your function sgns_update")
    if not callable(update):
        return Feedback(False, "Give a function, `def sgns_update(v, u_context, u_noise, lr): ...`, not "
                               f"{type(update).__name__}.")
    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=3), rng.normal(size=3), rng.normal(size=(2, 3)), 0.1),
             (rng.normal(size=4), rng.normal(size=4), rng.normal(size=(3, 4)), 0.5)]
    answers = []
    for v, u_context, u_noise, lr in cases:
        result, problem = _call(update, v.copy(), u_context.copy(), u_noise.copy(), lr)
        if problem is not None:  # a Feedback is falsy when not correct: test for None
            return problem
        if result is None:
            return not_attempted("Your function sgns_update (it returns None)")
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            return Feedback(False, "Return three things: `return new_v, new_u_context, new_u_noise`.")
        try:
            arrays = tuple(np.asarray(r, dtype=np.float64) for r in result)
        except (TypeError, ValueError, OverflowError):
            return Feedback(False, "Return three numpy arrays: new_v, new_u_context, new_u_noise.")
        shapes = (v.shape, u_context.shape, u_noise.shape)
        if tuple(a.shape for a in arrays) != shapes:
            return Feedback(False, f"Shapes should be {shapes} (like the inputs); yours are "
                                   f"{tuple(a.shape for a in arrays)}.")
        answers.append(arrays)

    def matches(name: str) -> bool:
        return all(all(np.allclose(a, e, rtol=1e-6, atol=1e-9) for a, e in zip(answer, _sgns_variants(*case)[name]))
                   for answer, case in zip(answers, cases))

    if matches("right"):
        return Feedback(True, "One SGD step: the target moved towards its context vector and away from the noise "
                              "vectors, and each output vector moved along error × v. That is all of word2vec's "
                              "training, repeated millions of times.")
    for name, hint in _SGNS_HINTS.items():
        if matches(name):
            return Feedback(False, hint)
    v, u_context, u_noise, lr = cases[0]
    expected = _sgns_variants(v, u_context, u_noise, lr)["right"][0]
    return Feedback(False, f"For the first test case new_v should be {np.round(expected, 4)}, yours is "
                           f"{np.round(answers[0][0], 4)}. Follow the steps of 'One update, every number': scores, σ, error = "
                           "σ − label, gradients from the old vectors, then subtract lr × gradient.")
