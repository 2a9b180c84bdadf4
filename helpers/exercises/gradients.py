"""Checks on the learner's own gradients (notebooks 02 and 03), the hand-over of their function to the step trainer,
and the reveals of the predict-then-reveal cells of 02 and 03.

The learner writes two functions with the interface of :mod:`helpers.model.losses` (unpacked as a tuple):

- ``softmax_grads(v, U, context) -> (loss, grad_v, grad_U)``, shapes (d,), (V, d), int -> float, (d,), (V, d);
- ``my_sgns(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, grad_U_neg)``, shapes (d,), (d,), (k, d), the interface
  of :attr:`helpers.model.StepTrainer.gradient`.

Each check compares the answer with the right formula and with the mistakes learners make (sign, sigmoid of the
wrong argument, no noise term, shapes, no outer product), runs :func:`helpers.model.check_gradient` on the
learner's own function, and never raises: an exception in the learner's code is named in the learner's terms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..model.losses import check_gradient, negative_sampling_loss, sigmoid
from .feedback import Feedback, _describe, _is_stub, _to_float, never_raises, not_attempted


def _name(fn: object, default: str) -> str:
    name = getattr(fn, "__name__", default)
    return default if name == "<lambda>" else name


def explain_exception(error: BaseException, name: str) -> Feedback:
    """What an exception raised inside the learner's function ``name`` most likely means, and where to fix it."""
    text = _describe(error)
    if isinstance(error, NameError):
        cause = (f"{getattr(error, 'name', None) or 'a name'} is not defined where {name} runs. A typo, a variable "
                 "from another cell, or an import: `sigmoid` and `np` come from the notebook's first cell; run it "
                 "again after a restart.")
    elif isinstance(error, ValueError) and "broadcast" in str(error):
        cause = ("numpy could not line up two arrays of different lengths. Most likely `errors * v`: k errors and "
                 "d numbers. Each noise word needs its own row errors[n] · v: `np.outer(errors, v)`, shape (k, d).")
    elif isinstance(error, ValueError) and ("matmul" in str(error) or "aligned" in str(error)):
        cause = ("a matrix product whose sizes do not line up. `U @ v` gives one score per row ((k, d) @ (d,) -> (k,)); "
                 "`errors @ U` adds up the rows weighted by the errors ((k,) @ (k, d) -> (d,)); `v @ U` does not fit.")
    elif isinstance(error, IndexError):
        cause = ("an index went past the end of an array. v has d entries and U has one row per word: use the whole "
                 "arrays (`U @ v`, `np.outer`) rather than loops with hand-made indices.")
    elif isinstance(error, (TypeError, ValueError)) and ("unpack" in str(error) or "iterable" in str(error)):
        cause = "something was unpacked into the wrong number of names; check each `a, b = ...` line."
    else:
        cause = f"{text}."
    return Feedback(False, f"Your function {name} raised {text}. Likely cause: {cause} Fix it in the cell that "
                           f"defines {name}, run that cell, then this one again.")


def _answer(fn: Callable[..., Any], args: tuple, name: str, parts: tuple[str, ...],
            shapes: tuple[tuple[int, ...], ...]) -> tuple[tuple | None, Feedback | None]:
    """Call the learner's function; (loss, *gradients) as float and float64 arrays, or the feedback to give."""
    try:
        result = fn(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    except Exception as error:  # noqa: BLE001 - a learner's bug becomes feedback
        return None, explain_exception(error, name)
    if _is_stub(result):
        return None, not_attempted(f"Your function {name} (it returns None)")
    try:
        result = tuple(result)
    except TypeError:
        result = (result,)
    if len(result) != len(parts):
        return None, Feedback(False, f"{name} returned {len(result)} things; return {len(parts)}: "
                                     f"`return {', '.join(parts)}`.")
    loss = _to_float(result[0])
    if loss is None or not np.isfinite(loss):
        return None, Feedback(False, f"The loss (the first thing {name} returns) should be one finite number; "
                                     f"yours is {result[0]!r:.60}.")
    grads = []
    for part, value, shape in zip(parts[1:], result[1:], shapes):
        try:
            grad = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return None, Feedback(False, f"{part} should be a numpy array of numbers.")
        if grad.shape != shape:
            return None, Feedback(False, _shape_hint(part, grad.shape, shape))
        grads.append(grad)
    return (loss, *grads), None


def _shape_hint(part: str, got: tuple[int, ...], want: tuple[int, ...]) -> str:
    base = f"{part} has shape {got}; a gradient has the shape of its vector, {want}."
    if len(want) == 2 and got == want[:1]:
        return (base + " One number per word is the error; each word's gradient is a vector, error × v, so stack "
                       "them: `np.outer(errors, v)`.")
    if len(want) == 2 and got == want[1:]:
        return base + " You added the rows up (that is the noise part of grad_v); keep one row per word: `np.outer`."
    if len(want) == 2 and got == want[::-1]:
        return base + " The outer product is the wrong way round: `np.outer(errors, v)`, errors first."
    if len(want) == 1 and got != want:
        return base + " The target's gradient adds up the output vectors weighted by their errors: `errors @ U`."
    return base


def _check(fn: object, name: str, cases: list[tuple], parts: tuple[str, ...], shapes_of: Callable,
           variants_of: Callable, hints: dict[str, str], keys: tuple[str, ...], praise: str) -> Feedback:
    if _is_stub(fn):
        return not_attempted(f"Your function {name}")
    if not callable(fn):
        return Feedback(False, f"Give a function, `def {name}({', '.join(keys)}): ...`, not {type(fn).__name__}.")
    name = _name(fn, name)
    answers = []
    for case in cases:
        answer, problem = _answer(fn, case, name, parts, shapes_of(*case))
        if problem is not None:
            return problem
        answers.append(answer)

    def same(grads: tuple, expected: tuple) -> bool:
        return all(np.shape(a) == np.shape(e) and np.allclose(a, e, rtol=1e-6, atol=1e-9)
                   for a, e in zip(grads, expected))

    first = cases[0]
    arrays = {k: np.array(a, dtype=np.float64) for k, a in zip(keys, first) if isinstance(a, np.ndarray)}
    others = [a for a in first if not isinstance(a, np.ndarray)]

    def loss_at(**point: np.ndarray) -> float:
        value = _to_float(tuple(fn(*point.values(), *others))[0])
        return float("nan") if value is None else value

    try:
        fd = check_gradient(loss_at, arrays, dict(zip(arrays, answers[0][1:])))
        fd_text = f" check_gradient on your function: {fd.message}."
    except Exception as error:  # noqa: BLE001 - the loss alone may fail: say so, go on with the comparison
        fd_text = f" (check_gradient could not evaluate your loss: {_describe(error)}.)"
    variants = [variants_of(*case) for case in cases]
    if all(same(answer[1:], v["right"][1:]) for answer, v in zip(answers, variants)):
        if not all(np.isclose(answer[0], v["right"][0], rtol=1e-6) for answer, v in zip(answers, variants)):
            right = variants[0]["right"][0]
            return Feedback(False, f"Your gradients are right, but the loss is not: {answers[0][0]:.4f} where "
                                   f"{right:.4f} is expected for the first test case. {hints['loss']}")
        return Feedback(True, praise + fd_text)
    for mistake, hint in hints.items():
        if mistake != "loss" and all(same(answer[1:], v[mistake][1:]) for answer, v in zip(answers, variants)):
            return Feedback(False, hint + fd_text)
    return Feedback(False, f"Your gradients are not the formula's yet.{fd_text} Go through the derivation line by "
                           "line: errors = prediction − truth, then each vector's gradient from the errors.")


# ----- negative sampling (notebook 03) --------------------------------------------------------------------------

def _sgns_variants(v: np.ndarray, u_pos: np.ndarray, u_neg: np.ndarray) -> dict[str, tuple]:
    """(loss, grad_v, grad_u_pos, grad_U_neg) of the right formula and of each planted mistake."""
    s_c, s_n = float(u_pos @ v), u_neg @ v
    loss = float(np.logaddexp(0.0, -s_c) + np.logaddexp(0.0, s_n).sum())

    def grads(e_c: float, e_n: np.ndarray, noise_in_v: bool = True, outer: Any = np.outer) -> tuple:
        grad_v = e_c * u_pos + (e_n @ u_neg if noise_in_v else 0.0)
        return loss, grad_v, e_c * v, outer(e_n, v)

    right_c, right_n = float(sigmoid(s_c)) - 1.0, sigmoid(s_n)
    return {
        "right": grads(right_c, right_n),
        "sign": tuple([loss] + [-g for g in grads(right_c, right_n)[1:]]),
        "sigmoid argument": grads(right_c, sigmoid(-s_n)),
        "sigmoid argument context": grads(float(sigmoid(-s_c)) - 1.0, right_n),
        "noise labels": grads(right_c, right_n - 1.0),
        "no sigmoid": grads(s_c - 1.0, s_n),
        "no noise term": grads(right_c, right_n, noise_in_v=False),
        "no noise at all": grads(right_c, right_n, noise_in_v=False, outer=lambda e, x: np.zeros((len(e), len(x)))),
    }


_SGNS_HINTS = {
    "sign": "Every gradient has the wrong sign: it points uphill, and SGD would make the loss grow. The error is "
            "σ(score) − label (prediction minus truth), not label − σ(score).",
    "sigmoid argument": "The noise words' errors use σ(−score). Their loss term is −log σ(−s), but its derivative "
                        "is σ(s) − 0 = σ(+s): the minus sign went into the wrong place.",
    "sigmoid argument context": "The true context's error uses σ(−score) − 1. Its derivative is σ(s) − 1, "
                                "with the score as it is.",
    "noise labels": "You gave the noise words label 1, like the true context. Noise words have label 0: their "
                    "error is σ(score) − 0.",
    "no sigmoid": "You used the raw score as the prediction. The prediction is σ(score), a probability: "
                  "error = σ(score) − label.",
    "no noise term": "grad_v misses the noise term: the target is pushed away from every noise word too, "
                     "grad_v = e_c · u_pos + Σ_n e_n · u_n = e_c * u_pos + errors @ U_neg.",
    "no noise at all": "The noise words are missing: grad_U_neg is all zeros and grad_v has no noise term. Each "
                       "noise word n adds −log σ(−u_n · v) to the loss, so grad_v gets errors @ U_neg and "
                       "grad_U_neg = np.outer(errors, v).",
    "loss": "L = −log σ(u_pos · v) − Σ_n log σ(−u_n · v): both terms, natural log, minus signs included.",
}


def _sgns_shapes(v: np.ndarray, u_pos: np.ndarray, u_neg: np.ndarray) -> tuple:
    return v.shape, u_pos.shape, u_neg.shape


@never_raises
def check_sgns_gradient(fn: object) -> Feedback:
    """Notebook 03: ``fn(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, grad_U_neg)`` for one pair and k noise words.

    Tried on three random cases (d = 3, k = 2; d = 4, k = 3; d = k = 3). Names a flipped sign, σ of the wrong argument, noise labelled 1, no sigmoid, a missing noise term, a
    reversed outer product and wrong shapes; reports ``check_gradient`` on the learner's own function.
    """
    rng = np.random.default_rng(3)
    cases = [(rng.normal(size=d), rng.normal(size=d), rng.normal(size=(k, d))) for d, k in ((3, 2), (4, 3), (3, 3))]
    return _check(fn, "my_sgns", cases, ("loss", "grad_v", "grad_u_pos", "grad_U_neg"), _sgns_shapes,
                  _sgns_variants, _SGNS_HINTS, ("v", "u_pos", "U_neg"),
                  "Your loss and all three gradients match the formula: the target is pulled towards u_pos and "
                  "pushed away from each noise vector, and each output vector moves along its error × v.")


# ----- full softmax (notebook 02) -------------------------------------------------------------------------------

def _softmax_variants(v: np.ndarray, u_all: np.ndarray, context: int) -> dict[str, tuple]:
    scores = u_all @ v
    shifted = scores - scores.max()
    p = np.exp(shifted) / np.exp(shifted).sum()
    loss = float(np.log(np.exp(shifted).sum()) - shifted[context])
    onehot = np.eye(len(scores))[context]

    def grads(e: np.ndarray) -> tuple:
        return loss, u_all.T @ e, np.outer(e, v)

    return {"right": grads(p - onehot), "sign": grads(onehot - p), "no onehot": grads(p),
            "no softmax": grads(scores - onehot), "onehot only": grads(-onehot)}


_SOFTMAX_HINTS = {
    "sign": "The sign is flipped: the error is p − onehot (prediction minus truth), not onehot − p.",
    "no onehot": "You used p alone. The true context's score must also get the −1 from −log: error = p − onehot.",
    "no softmax": "You used the raw scores as predictions; the predictions are the softmax probabilities p.",
    "onehot only": "That is the derivative of −s_context alone: the log Σ exp part adds p. error = p − onehot.",
    "loss": "The loss is −log p[context] with p = softmax(U @ v).",
}


@never_raises
def check_softmax_gradient(fn: object) -> Feedback:
    """Notebook 02: ``fn(v, U, context) -> (loss, grad_v, grad_U)`` of the full-softmax loss ``-log p[context]``.

    Names a flipped sign, a missing one-hot, raw scores instead of probabilities, the one-hot alone, a transposed
    outer product and wrong shapes; reports ``check_gradient`` on the learner's own function.
    """
    rng = np.random.default_rng(5)
    cases = [(rng.normal(size=d), rng.normal(size=(n, d)), c) for d, n, c in ((3, 5, 1), (4, 6, 4), (4, 4, 0))]
    return _check(fn, "softmax_grads", cases, ("loss", "grad_v", "grad_U"),
                  lambda v, u_all, context: (v.shape, u_all.shape), _softmax_variants, _SOFTMAX_HINTS,
                  ("v", "U", "context"),
                  "Your loss and both gradients match the formula: every score moves by p − onehot, so the true "
                  "context's vector is pulled towards v and every other word's pushed away, in proportion to p.")


# ----- the hand-over to the trainer (notebook 03) ---------------------------------------------------------------

def gradient_to_train_with(fn: object) -> tuple[Callable[..., Any], str]:
    """The learner's ``my_sgns`` if it passes :func:`check_sgns_gradient`, else the helpers' own
    :func:`helpers.model.negative_sampling_loss` (same interface), with a sentence saying which and why."""
    feedback = check_sgns_gradient(fn)
    if feedback.correct:
        return fn, f"Training with your own function {_name(fn, 'my_sgns')}."
    why = "is still empty" if _is_stub(fn) or "still empty" in feedback.message else "does not pass its check yet"
    return negative_sampling_loss, (f"Your my_sgns {why}, so the trainer uses the helpers' negative_sampling_loss "
                                    "(the same interface). Finish the exercise, run its cells, then this one again.")


# ----- predict, then reveal (notebooks 02 and 03) ----------------------------------------------------------------

def _prediction(answer: object, why: str) -> tuple[float | None, Feedback | None]:
    """The learner's guess as a number, or the feedback: no guess yet (then the explanation anyway), or not a number."""
    if _is_stub(answer):
        return None, Feedback(False, f"No prediction recorded (my_prediction is still None), so there is nothing to "
                                     f"compare; next time write a guess first, it makes the answer stick. {why}")
    value = _to_float(answer)
    if value is None or not np.isfinite(value):
        return None, Feedback(False, f"Give your prediction as one number, not {answer!r:.40}, and run it again.")
    return value, None


@never_raises
def reveal_start_loss(my_prediction: object, average_loss: float, V: int) -> Feedback:
    """Notebook 02: the learner's guess of the average softmax loss at the random start, against the measured one."""
    why = (f"The measured average is {average_loss:.4f}, and log V = log {V} = {np.log(V):.4f}: random, tiny "
           f"vectors give every word the same probability 1/V, and −log(1/V) = log V.")
    guess, problem = _prediction(my_prediction, why)
    if problem is not None:
        return problem
    if abs(guess - average_loss) <= 0.1 * average_loss:
        return Feedback(True, f"You said {guess:g}. {why}")
    if guess <= 0.1:
        return Feedback(False, f"You said {guess:g}: a loss near 0 means the model is sure and right. {why}")
    if abs(guess - 1 / V) < 0.01:
        return Feedback(False, f"You said {guess:g}: that is the probability 1/V; the loss is −log of it. {why}")
    return Feedback(False, f"You said {guess:g}. {why}")


@never_raises
def reveal_keep_probability(my_prediction: object, keep: float, share: float, sample: float) -> Feedback:
    """Notebook 02: the learner's guess of the chance that one occurrence of "the" survives subsampling."""
    why = (f"Each occurrence is kept with probability √(t/f) + t/f = √({sample:g}/{share:.4f}) + {sample:g}/{share:.4f}"
           f" = {keep:.2f}: a word that is {share:.2%} of the text keeps about one occurrence in {round(1 / keep)}.")
    guess, problem = _prediction(my_prediction, why)
    if problem is not None:
        return problem
    if guess > 1:
        guess /= 100  # a percentage
    return Feedback(abs(guess - keep) <= 0.05, f"You said {guess:.2f}. {why}")


@never_raises
def reveal_cos_after(my_prediction: object, start: float, end: float, steps: int) -> Feedback:
    """Notebook 03: the learner's guess of cos(cat, dog) after ``steps`` updates, against the measured value."""
    why = (f"It went from {start:+.3f} after the first update to {end:+.3f} after {steps}: the same context vectors "
           "(cute, fluffy...) kept pulling both, though no update ever compares cat with dog.")
    guess, problem = _prediction(my_prediction, why)
    if problem is not None:
        return problem
    if not -1 <= guess <= 1:
        return Feedback(False, f"A cosine lies between −1 and +1; {guess:g} cannot happen. Guess again.")
    return Feedback(abs(guess - end) <= 0.25, f"You said {guess:+.2f}. {why}")


@never_raises
def reveal_flipped_loss(my_prediction: object, first: float, last: float, uphill: int, updates: int) -> Feedback:
    """Notebook 03: the learner's guess ("fall", "stay" or "rise") of what a sign-flipped gradient does to the loss."""
    why = (f"The loss rose after {uphill} of {updates} updates, from {first:.2f} (mean of the first 20) to "
           f"about {round(last, -2):.0f} (the last 20): minus a flipped gradient is a step uphill, every time.")
    if _is_stub(my_prediction):
        return _prediction(None, why)[1]
    guess = str(my_prediction).strip().lower()
    if guess not in ("fall", "stay", "rise"):
        return Feedback(False, f'Predict one of "fall", "stay" or "rise", not {my_prediction!r:.40}.')
    return Feedback(guess == "rise", f"You said {guess!r}. {why}")
