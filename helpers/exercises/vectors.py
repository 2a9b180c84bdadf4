"""Exercise checks on comparing vectors: cosine similarity (notebook 01), nearest neighbours (notebook 04),
Spearman's rank correlation with people's ratings (notebook 06). Re-exported by :mod:`helpers.exercises`, where
notebooks find them. Like every check, they never raise."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import Feedback, _close, _describe, _is_stub, _to_float, never_raises, not_attempted


# Wrong formulas learners often write for cosine similarity, with what to say about each.
_COSINE_MISTAKES: tuple[tuple[Callable[[np.ndarray, np.ndarray], float], str], ...] = (
    (lambda a, b: a @ b, "That is the dot product a·b. Divide it by the two lengths, |a| and |b| "
                         "(np.linalg.norm), so that only the direction counts."),
    (lambda a, b: a @ b / np.linalg.norm(a), "You divided by |a| only; divide by |b| as well."),
    (lambda a, b: a @ b / np.linalg.norm(b), "You divided by |b| only; divide by |a| as well."),
    (lambda a, b: a @ b / ((a @ a) * (b @ b)), "You divided by the squared lengths (a·a and b·b); "
                                               "the length is the square root: np.linalg.norm(a)."),
    (lambda a, b: 1 - a @ b / (np.linalg.norm(a) * np.linalg.norm(b)),
     "That is the cosine *distance* 1 - cos; the similarity is the cosine itself."),
    (lambda a, b: np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1)),
     "That is the angle (in radians); return its cosine, a·b / (|a| |b|), which is in [-1, 1]."),
    (lambda a, b: np.linalg.norm(a - b), "That is the Euclidean distance |a - b|; cosine similarity compares "
                                         "directions: a·b / (|a| |b|)."),
)


def _likely_cause(error: BaseException) -> str:
    """What a learner's exception inside ``cosine(a, b)`` most likely means, in their terms."""
    text = str(error)
    if isinstance(error, NameError):
        return (f" A name your function uses is not defined ({text}): check its spelling, and run the cell that "
                "defines it first (the notebook's first cell imports numpy as np).")
    if isinstance(error, AttributeError) and "norm" in text:
        return " The length of a vector is np.linalg.norm(a) (norm lives in np.linalg)."
    if isinstance(error, ValueError) and ("matmul" in text or "shape" in text or "broadcast" in text):
        return " The two vectors did not fit together: a @ b is the dot product of two vectors of the same length."
    if isinstance(error, TypeError) and "NoneType" in text:
        return " One of your steps gave None: check that every line computes a value (and the function returns one)."
    return ""


def _call_cosine(cosine: Callable[..., object], a: np.ndarray, b: np.ndarray) -> tuple[object, Feedback | None]:
    """Call the learner's ``cosine``; an exception becomes feedback that names its likely cause."""
    try:
        return cosine(a, b), None
    except Exception as error:  # noqa: BLE001 - any learner bug must become feedback, never a crash
        return None, Feedback(False, f"Your function raised {_describe(error)}.{_likely_cause(error)}")


@never_raises
def check_cosine_similarity(cosine: object) -> Feedback:
    """Notebook 01: ``cosine(a, b)`` must return the cosine similarity of two vectors of shape (d,).

    It is tried on vectors of different lengths and directions; typical wrong formulas (the bare dot product, one
    length only, the angle, the distance...) are named.
    """
    if _is_stub(cosine):
        return not_attempted("Your function cosine(a, b)")
    if not callable(cosine):
        return Feedback(False, "Give a function, e.g. `def cosine(a, b): return ...`, not "
                               f"{type(cosine).__name__}.")
    cases = [
        (np.array([3.0, 4.0]), np.array([6.0, 8.0])),  # same direction, different lengths: cosine 1
        (np.array([1.0, 2.0, 3.0]), np.array([-2.0, 0.5, 1.0])),
        (np.array([2.0, 0.0]), np.array([0.0, 5.0])),  # orthogonal: cosine 0
        (np.array([1.0, -1.0, 2.0, 0.5]), np.array([-2.0, 2.0, -4.0, -1.0])),  # opposite: cosine -1
    ]
    results = []
    for a, b in cases:
        value, problem = _call_cosine(cosine, a.copy(), b.copy())
        if problem is not None:
            return problem
        if value is None:
            return Feedback(False, "cosine(a, b) returned None: finish it with `return ...` and run the cell again.")
        number = _to_float(value)
        if number is None:
            return Feedback(False, f"cosine(a, b) should return one number; for a={a}, b={b} it returned {value!r}.")
        results.append(number)
    right = [float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))) for a, b in cases]
    if all(_close(r, t) for r, t in zip(results, right)):
        return Feedback(True, "cos([3, 4], [6, 8]) = 1: the cosine ignores length, only the direction counts. "
                              "Orthogonal vectors give 0 and opposite ones -1.")
    for formula, hint in _COSINE_MISTAKES:
        with np.errstate(all="ignore"):
            expected = [float(formula(a, b)) for a, b in cases]
        if all(_close(r, e) for r, e in zip(results, expected)):
            return Feedback(False, hint)
    a, b = cases[1]
    return Feedback(False, f"For a={a} and b={b} the cosine is {right[1]:.4f}, you returned {results[1]:.4f}. "
                           "Compute a·b / (|a| |b|) with np.dot and np.linalg.norm.")


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
                               "(np.argsort(-cosines) lists the rows from the largest cosine down).")
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
    return Feedback(False, f"Not quite: {value:.3f} is not the rank correlation. Rank the cosines, rank the ratings "
                           "(see Hint 2 for how to get ranks), then take np.corrcoef of the two rank arrays.")
