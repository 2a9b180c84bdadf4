"""Exercise checks on vectors: one negative-sampling update (notebook 03), nearest neighbours (notebook 04),
Spearman's rank correlation (notebook 06). Re-exported by :mod:`helpers.exercises`, where notebooks find them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import Feedback, _call, never_raises, not_attempted, _is_stub, _to_float


@never_raises
def check_nearest_neighbours(answer: object, vectors: np.ndarray, words: list[str], word: str, k: int) -> Feedback:
    """Notebook 04: the ``k`` nearest neighbours of ``word`` by cosine, best first, the word itself left out.

    Parameters
    ----------
    answer : the learner's list of words
    vectors : ndarray, shape (V, d)
    words : list of str, length V (the word of each row)
    word : the query word
    k : int
    """
    if _is_stub(answer):
        return not_attempted("Your list of neighbours")
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, np.ndarray)):
        return Feedback(False, f"Give a list of {k} words, e.g. ['tiger', ...]; you gave {type(answer).__name__}.")
    answer = list(answer)
    if answer and all(isinstance(a, tuple) and len(a) == 2 for a in answer):
        answer = [a[0] for a in answer]  # (word, score) pairs as most_similar returns: keep the words
    if any(not isinstance(a, str) for a in answer):
        return Feedback(False, "Give the neighbours as words (strings); use words[i] to turn a row index into a word.")
    vectors = np.asarray(vectors, dtype=np.float64)
    row = words.index(word)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = unit @ unit[row]
    others = np.array([i for i in range(len(words)) if i != row])

    def best(scores: np.ndarray, n: int) -> list[str]:
        order = others[np.lexsort((others, -scores[others]))]
        return [words[i] for i in order[:n]]

    right = best(cosines, k)
    if answer == right:
        return Feedback(True, f"The {k} nearest neighbours of {word!r}: {', '.join(right)}. That was one "
                              f"matrix-vector product ({len(words)} x {vectors.shape[1]}) and a sort.")
    if word in answer:
        return Feedback(False, f"Leave {word!r} itself out: every word is its own nearest neighbour (cosine 1).")
    if len(answer) != k:
        return Feedback(False, f"Give exactly k = {k} words; you gave {len(answer)}.")
    if set(answer) == set(right):
        return Feedback(False, "The right words, in the wrong order: sort by cosine, largest first "
                               f"({', '.join(right)}).")
    if answer == best(vectors @ vectors[row], k):
        return Feedback(False, "You ranked by the raw dot product, which favours long vectors; divide each vector by "
                               "its length first (cosine similarity).")
    if answer == best(-cosines, k):
        return Feedback(False, "These are the *least* similar words: np.argsort sorts ascending, so take the "
                               "indices from the end (or sort -cosines).")
    found = [a for a in answer if a in right]
    return Feedback(False, f"{len(found)} of your {k} words are among the {k} nearest neighbours of {word!r}. "
                           "Normalise the rows, take the matrix-vector product with the query's unit vector, "
                           "leave the word itself out and keep the k largest.")


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


@never_raises
def check_spearman(answer: object, cosines: np.ndarray, ratings: np.ndarray) -> Feedback:
    """Notebook 06: Spearman's rank correlation between the model's ``cosines`` and people's ``ratings``, shape (P,).

    Accepts ranks with ties averaged (the textbook definition) or broken by position (``argsort`` of ``argsort``):
    the two differ only a little when ratings tie.
    """
    if _is_stub(answer):
        return not_attempted("Your rank correlation")
    value = _to_float(answer)
    if value is None:
        return Feedback(False, f"Give one number between -1 and 1 (not a string or a list); you gave "
                               f"{type(answer).__name__}.")
    if not np.isfinite(value):
        return Feedback(False, f"A correlation lies between -1 and 1; you gave {value}.")
    cosines, ratings = np.asarray(cosines, dtype=np.float64), np.asarray(ratings, dtype=np.float64)

    def ranks(x: np.ndarray, ties: bool) -> np.ndarray:
        order = np.argsort(x, kind="stable")
        r = np.empty(len(x))
        r[order] = np.arange(len(x), dtype=np.float64)
        if ties:
            for v in np.unique(x):
                same = x == v
                r[same] = r[same].mean()
        return r

    def pearson(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.corrcoef(a, b)[0, 1])

    averaged = pearson(ranks(cosines, True), ranks(ratings, True))
    by_position = pearson(ranks(cosines, False), ranks(ratings, False))
    explained = (f"Spearman's rho = {averaged:.3f}: the Pearson correlation of the two rankings. It only asks "
                 "whether the model orders the pairs as people do, not whether cosines match the ratings' scale.")
    if abs(value - averaged) < 1e-6:
        return Feedback(True, explained)
    # argsort(argsort(x)) breaks ties among equal ratings in some order instead of averaging their ranks
    if abs(value - by_position) < 1e-6 or abs(value - averaged) < 0.01:
        return Feedback(True, f"{explained} (Yours, {value:.3f}, ranks tied ratings one after another; "
                              "scipy.stats.spearmanr gives tied values their average rank.)")
    if abs(value - pearson(cosines, ratings)) < 1e-6:
        return Feedback(False, "That is the Pearson correlation of the raw values. Replace each list by its ranks "
                               "first (np.argsort(np.argsort(x)) gives them), then correlate the ranks.")
    if abs(value + averaged) < 1e-3 or abs(value + by_position) < 1e-3:
        return Feedback(False, "Right size, wrong sign: rank both lists in the same direction (both ascending).")
    if not -1.0 <= value <= 1.0:
        return Feedback(False, f"A correlation lies between -1 and 1; {value:.3g} does not. Use "
                               "np.corrcoef(a, b)[0, 1] on the two rank arrays.")
    return Feedback(False, f"Not quite: the answer is close to {averaged:.2f}. Rank the cosines, rank the ratings "
                           "(np.argsort(np.argsort(x))), then take np.corrcoef of the two rank arrays.")
