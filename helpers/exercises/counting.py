"""Exercise checks and predictions for what the vectors learn (notebook 04b) and the dials lab (06b).

Like every check, they never raise: an empty stub or a wrong type gets a hint, a wrong answer a named mistake.
"""

from __future__ import annotations

import numpy as np

from . import predictions
from .feedback import Feedback, _call, _is_stub, never_raises, not_attempted

_COUNTS = np.array([[0.0, 4.0, 2.0], [4.0, 0.0, 1.0], [2.0, 1.0, 6.0]])  # a small symmetric count matrix to try


def _pmi(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    with np.errstate(divide="ignore"):
        return np.log(counts * total / np.outer(counts.sum(axis=1), counts.sum(axis=0)))


def _array(value: object, shape: tuple[int, ...]) -> tuple[np.ndarray | None, Feedback | None]:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, Feedback(False, f"Return a numpy array of numbers, not {type(value).__name__}.")
    if array.shape != shape:
        return None, Feedback(False, f"Return an array of shape {shape}, one number per entry; yours has shape "
                                     f"{array.shape}.")
    return array, None


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal up to rounding, with the same infinities in the same places."""
    both_inf = np.isinf(a) & (a == b)
    finite = np.isfinite(a) & np.isfinite(b)
    return bool(np.all(both_inf | finite) and np.allclose(a[finite], b[finite], rtol=1e-6, atol=1e-9))


@never_raises
def check_pmi(my_pmi: object) -> Feedback:
    """Notebook 04b: ``my_pmi(counts)`` returns log(P(t, c) / (P(t) P(c))) for a (V, V) count matrix, -inf where a
    pair was never seen. Tried on a small matrix; common slips (no log, counts instead of probabilities, a
    marginal left out) are named."""
    if _is_stub(my_pmi):
        return not_attempted("Your function my_pmi(counts)")
    if not callable(my_pmi):
        return Feedback(False, f"Give a function, `def my_pmi(counts): ...`, not {type(my_pmi).__name__}.")
    with np.errstate(all="ignore"):
        value, problem = _call(my_pmi, _COUNTS.copy())
    if problem is not None:
        return problem
    if value is None:
        return Feedback(False, "my_pmi returned None: finish it with `return ...` and run the cell again.")
    got, problem = _array(value, _COUNTS.shape)
    if problem is not None:
        return problem
    right = _pmi(_COUNTS)
    if _same(got, right):
        return Feedback(True, f"PMI of the pair (0, 1): log({4 / 20:.2f} / ({6 / 20:.2f} x {5 / 20:.2f})) = "
                              f"{right[0, 1]:.3f} > 0: seen together more often than chance. The pair (0, 0) "
                              "was never seen: -inf, which is why the course clips PMI at 0 (PPMI).")
    total = _COUNTS.sum()
    rows, cols = _COUNTS.sum(axis=1, keepdims=True), _COUNTS.sum(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        slips = [
            (np.exp(right), "Those are the ratios P(t, c) / (P(t) P(c)); take their log (np.log)."),
            (np.log(_COUNTS / (rows * cols)), "Divide by probabilities, not raw counts: P(t, c) = count / total, "
                                               "P(t) = row sum / total, P(c) = column sum / total. Yours is "
                                               "off by log(total) everywhere."),
            (np.log(_COUNTS / total / (rows / total)), "You left out P(c): divide by the column's share too."),
            (np.log(_COUNTS / total / (cols / total)), "You left out P(t): divide by the row's share too."),
            (np.log(_COUNTS / total), "That is log P(t, c) alone; PMI compares it with chance, "
                                      "log P(t) + log P(c)."),
            (-right, "The sign is flipped: PMI is log P(t, c) minus log P(t) P(c)."),
        ]
    for expected, hint in slips:
        if _same(got, expected):
            return Feedback(False, hint)
    if np.all(np.isfinite(got)) and np.allclose(got[_COUNTS > 0], right[_COUNTS > 0], rtol=1e-6):
        return Feedback(False, "Right where pairs were seen; a pair never seen should be -inf (log 0), not a "
                               "finite number: leave np.log(0) as it is.")
    return Feedback(False, f"For the counts {_COUNTS.tolist()} the PMI of pair (0, 1) is {right[0, 1]:.3f}; yours "
                           f"is {got[0, 1]:.3f}. Divide each count by the total, then by the row's and the "
                           "column's shares (np.outer), and take the log.")


@never_raises
def check_neutralize(neutralize: object) -> Feedback:
    """Notebook 04b: ``neutralize(v, g)`` removes the component of ``v`` along the unit vector ``g`` and returns a
    unit vector (Bolukbasi et al.'s "neutralize" step)."""
    if _is_stub(neutralize):
        return not_attempted("Your function neutralize(v, g)")
    if not callable(neutralize):
        return Feedback(False, f"Give a function, `def neutralize(v, g): ...`, not {type(neutralize).__name__}.")
    g = np.array([0.6, 0.8, 0.0])
    v = np.array([2.0, 1.0, 2.0])
    value, problem = _call(neutralize, v.copy(), g.copy())
    if problem is not None:
        return problem
    if value is None:
        return Feedback(False, "neutralize returned None: finish it with `return ...`.")
    got, problem = _array(value, v.shape)
    if problem is not None:
        return problem
    removed = v - (v @ g) * g
    right = removed / np.linalg.norm(removed)
    if np.allclose(got, right, atol=1e-9):
        return Feedback(True, f"v·g was {v @ g:.1f}; after removing it, neutralize(v, g)·g = {got @ g:.0e} (zero "
                              "up to rounding) and the length is 1 again. The word no longer leans either way.")
    if np.allclose(got, removed, atol=1e-9):
        return Feedback(False, "The component is gone (v·g = 0), but the length changed: divide by "
                               "np.linalg.norm to give it length 1 again, as the other unit vectors have.")
    if np.allclose(got, (v @ g) * g, atol=1e-9) or np.allclose(got, (v @ g) * g / np.linalg.norm(v @ g * g)):
        return Feedback(False, "That is the part of v *along* g, the part to remove: subtract it from v.")
    if np.allclose(got / np.linalg.norm(got), (v + (v @ g) * g) / np.linalg.norm(v + (v @ g) * g), atol=1e-9):
        return Feedback(False, "You added the component along g instead of subtracting it.")
    return Feedback(False, f"For v = {v.tolist()} and g = {g.tolist()}: v·g = {v @ g:.1f}; subtract (v·g) g from v, "
                           f"then divide by the new length. Yours still has v·g = {got @ g:.2f}.")


@never_raises
def check_noise_distribution(noise: object, counts: np.ndarray) -> Feedback:
    """Notebook 06b: ``noise(counts, alpha)`` returns count^alpha normalised to sum to 1, for alpha in 0, 0.75, 1."""
    if _is_stub(noise):
        return not_attempted("Your function noise(counts, alpha)")
    if not callable(noise):
        return Feedback(False, f"Give a function, `def noise(counts, alpha): ...`, not {type(noise).__name__}.")
    counts = np.asarray(counts, dtype=np.float64)
    for alpha in (0.75, 1.0, 0.0):  # 0.75 first: at alpha = 0 every slip gives the same all-ones weights
        value, problem = _call(noise, counts.copy(), alpha)
        if problem is not None:
            return problem
        if value is None:
            return Feedback(False, "noise returned None: finish it with `return ...`.")
        got, problem = _array(value, counts.shape)
        if problem is not None:
            return problem
        right = counts**alpha / (counts**alpha).sum()
        if np.allclose(got, right, rtol=1e-6, atol=0):
            continue
        if np.allclose(got, counts**alpha, rtol=1e-6):
            return Feedback(False, f"With alpha = {alpha}: those are the weights count^alpha; divide by their sum so "
                                   "the probabilities add up to 1.")
        if np.allclose(got, (counts / counts.sum()) ** alpha, rtol=1e-6):
            return Feedback(False, f"With alpha = {alpha}: raise the counts to alpha first, then normalise; "
                                   "normalising first gives probabilities that no longer sum to 1.")
        return Feedback(False, f"With alpha = {alpha} the most frequent word should get {right.max():.4f}, yours "
                               f"gets {got[np.argmax(right)]:.4f}. Compute counts ** alpha, then divide by the sum.")
    top = np.argmax(counts)
    shares = ", ".join(f"{(counts**a / (counts**a).sum())[top]:.1%} at alpha = {a}" for a in (0.0, 0.75, 1.0))
    return Feedback(True, f"The most frequent word is drawn {shares}: alpha = 0 asks about rare words as often as "
                          "frequent ones, alpha = 1 mostly about the frequent ones.")


def reveal_number(guess: object, actual: float, *, what: str, explanation: str, tolerance: float) -> Feedback:
    """A **Predict** cell with a number, revealed by :func:`helpers.exercises.predictions.reveal_number`."""
    return predictions.reveal_number(guess, actual, tolerance, answer_text=f"{what} is {float(actual):.2f}",
                                     explanation=explanation)


def reveal_choice(guess: object, actual: str, *, options: tuple[str, ...], explanation: str) -> Feedback:
    """A **Predict** cell with a choice among ``options``, revealed by :func:`helpers.exercises.predictions.reveal_choice`."""
    return predictions.reveal_choice(guess, options, actual, answer_text=f"It is {actual!r}",
                                     explanation=explanation)
