"""Friendly, specific feedback on a learner's exercise answers.

Every ``check_*`` function returns a :class:`Feedback` (shown as a coloured box in a notebook, plain text elsewhere)
and never raises: an empty stub or a wrong type gets a hint, so a check cell cannot crash the notebook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from .exercises_vectors import check_nearest_neighbours, check_sgns_update, check_spearman
from .feedback import Feedback, _call, _close, _describe, _is_stub, _to_float, never_raises, not_attempted
from .neighbors import WordVectors
from .senses import context_vector, context_words

__all__ = ["Feedback", "not_attempted", "never_raises",
           "check_sentence_count", "check_cosine_similarity", "check_pairs", "check_softmax_loss",
           "check_sgns_update", "check_nearest_neighbours", "check_context_vector", "check_spearman"]


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
        value, problem = _call(cosine, a.copy(), b.copy())
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


def _reference_pairs(tokens: list[str], window: int, *, left: bool = True, right: bool = True,
                     self_pairs: bool = False) -> Counter:
    pairs: Counter = Counter()
    for i, target in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if (j == i and not self_pairs) or (j < i and not left) or (j > i and not right):
                continue
            pairs[(target, tokens[j])] += 1
    return pairs


@never_raises
def check_pairs(make_pairs: object) -> Feedback:
    """Notebook 02: ``make_pairs(tokens, window)`` must return every (target, context) pair of a sliding window.

    The order of the pairs does not matter. Typical mistakes (a word as its own context, looking one way only,
    a window one too wide or too narrow) are named.
    """
    if _is_stub(make_pairs):
        return not_attempted("Your function make_pairs(tokens, window)")
    if not callable(make_pairs):
        return Feedback(False, "Give a function, e.g. `def make_pairs(tokens, window): ...`, not "
                               f"{type(make_pairs).__name__}.")
    sentence = ["i", "saw", "a", "mole", "at", "the", "zoo"]
    cases = [(sentence, 2), (sentence, 1), (["the", "cat", "and", "the", "dog"], 3), (["hello"], 2)]
    for tokens, window in cases:
        value, problem = _call(make_pairs, list(tokens), window)
        if problem is not None:
            return problem
        if value is None:
            return Feedback(False, "make_pairs returned None: collect the pairs in a list and `return` it.")
        if not hasattr(value, "__iter__"):
            items = value
        else:
            try:  # a generator (or the learner's own iterable) is read once; its own errors are its own
                items = list(value)
            except Exception as error:  # noqa: BLE001 - any learner bug must become feedback
                return Feedback(False, f"Reading the pairs make_pairs returned raised {_describe(error)}; "
                                       "return a plain list of (target, context) tuples.")
        try:
            got = Counter((t, c) for t, c in items)
        except (TypeError, ValueError):
            return Feedback(False, "make_pairs should return a list of (target, context) tuples, e.g. "
                                   f"[('i', 'saw'), ('i', 'a'), ...]; it returned {value!r:.80}.")
        if any(not (isinstance(t, str) and isinstance(c, str)) for t, c in got):
            return Feedback(False, "Each pair should hold two words (strings), e.g. ('mole', 'zoo'), not positions.")
        right = _reference_pairs(tokens, window)
        if got == right:
            continue
        shown = f"For {' '.join(tokens)!r} with window={window}"
        mistakes = [
            (_reference_pairs(tokens, window, self_pairs=True), "you paired a word with itself; the target is "
                                                                 "not its own context, skip position i."),
            (_reference_pairs(tokens, window, left=False), "you only looked to the right of the target; its "
                                                          "context includes the words on its left too."),
            (_reference_pairs(tokens, window, right=False), "you only looked to the left of the target; its "
                                                           "context includes the words on its right too."),
            (_reference_pairs(tokens, window + 1), f"your window reaches {window + 1} words on each side; it "
                                                   f"should reach {window} (check the end of your range)."),
            (_reference_pairs(tokens, window - 1), f"your window reaches only {window - 1} words on each side; "
                                                   f"it should reach {window} (range(i - window, i + window + 1))."),
        ]
        for pairs, hint in mistakes:
            if got == pairs and pairs != right:
                return Feedback(False, f"{shown}: {hint}")
        missing = sorted((right - got).elements())
        extra = sorted((got - right).elements())
        details = []
        if missing:
            details.append(f"missing {len(missing)}, e.g. {missing[0]}")
        if extra:
            details.append(f"{len(extra)} too many, e.g. {extra[0]}")
        return Feedback(False, f"{shown} there are {sum(right.values())} pairs, you gave {sum(got.values())}: "
                               f"{'; '.join(details)}.")
    return Feedback(True, "Every word pairs with each word up to `window` positions to its left and right "
                          f"({sum(_reference_pairs(sentence, 2).values())} pairs for the mole sentence with "
                          "window=2), never with itself.")


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


@never_raises
def check_sentence_count(answer: object, sentences: list[list[str]], word: str) -> Feedback:
    """Notebook 00: how many sentences contain ``word`` at least once?"""
    if answer is None or answer is Ellipsis:
        return not_attempted("Your count")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"Give a whole number, not {type(answer).__name__}.")
    right = sum(word in s for s in sentences)
    occurrences = sum(s.count(word) for s in sentences)
    if answer == right:
        return Feedback(True, f"{right} sentences mention {word!r}.")
    if answer == occurrences and occurrences != right:
        return Feedback(False, f"That counts every occurrence of {word!r}; some sentences contain it twice. "
                               "Count each sentence once.")
    return Feedback(False, f"Not {answer}. Loop over the sentences and count those with {word!r} in them.")


def _mean_known(wv: WordVectors, words: Sequence[str]) -> np.ndarray | None:
    """Mean of the vectors of the ``words`` in the vocabulary, or None if there are none."""
    rows = [np.asarray(wv[w], dtype=np.float64) for w in words if w in wv]
    return np.mean(rows, axis=0) if rows else None


@never_raises
def check_context_vector(answer: object, wv: WordVectors, sentence: Sequence[str], position: int,
                         window: int) -> Feedback:
    """Exercise: ``answer`` should be the context vector of ``sentence[position]``, the mean of the vectors of the
    words at most ``window`` tokens away, the word itself left out.

    Never raises: an empty stub gets a hint and typical mistakes (the word itself included, a sum instead of a
    mean, the whole sentence, a window one too wide or narrow, one side only) are named.
    """
    if answer is None or answer is Ellipsis:
        return not_attempted("Your context vector `answer`")
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return Feedback(False, f"`answer` should be a vector of {wv.vector_size} numbers (a numpy array), "
                               f"not {type(answer).__name__}.")
    if got.shape != (wv.vector_size,):
        hint = (" It looks like you stacked the vectors but did not average them: use np.mean(..., axis=0)."
                if got.ndim == 2 and got.shape[1] == wv.vector_size else "")
        return Feedback(False, f"`answer` should have shape ({wv.vector_size},), one number per dimension; "
                               f"it has shape {got.shape}.{hint}")
    if not np.all(np.isfinite(got)):
        return Feedback(False, "`answer` contains NaN or infinite values; did you divide by zero?")
    word = sentence[position]
    expected_words = context_words(sentence, position, window)
    right = context_vector(wv, sentence, position, window)
    if np.allclose(got, right, rtol=1e-5, atol=1e-7):
        return Feedback(True, f"This is the mean of the vectors of {', '.join(expected_words)}: the occurrence of "
                              f"{word!r} described by its neighbours only, without its own static vector.")
    lo, hi = max(0, position - window), min(len(sentence), position + window + 1)
    neighbours = [np.asarray(wv[w], dtype=np.float64) for w in expected_words if w in wv]
    # Typical wrong vectors, rebuilt from the same words, each with what to tell the learner.
    mistakes: list[tuple[np.ndarray | None, str]] = [
        (_mean_known(wv, sentence[lo:hi]), f"You included {word!r} itself. Its own static vector is what we want "
                                           "to avoid: average the neighbours only."),
        (np.sum(neighbours, axis=0), f"You added the {len(neighbours)} vectors up; divide by their number to get "
                                     "the mean."),
        (np.mean([v / np.linalg.norm(v) for v in neighbours if np.any(v)], axis=0),
         "You averaged unit-length vectors (wv.unit_vectors); average the vectors themselves, wv[word]."),
        (_mean_known(wv, context_words(sentence, position)),
         f"You averaged the whole sentence; keep only the words at most {window} tokens away from {word!r}."),
        (_mean_known(wv, sentence[lo:position]),
         f"You only used the words to the left of {word!r}; its context includes the right side too."),
        (_mean_known(wv, sentence[position + 1:hi]),
         f"You only used the words to the right of {word!r}; its context includes the left side too."),
    ]
    for other in (window - 1, window + 1):
        if other >= 1 and context_words(sentence, position, other) != expected_words:
            mistakes.append((_mean_known(wv, context_words(sentence, position, other)),
                             f"That is the context for window={other}; use window={window}: the words "
                             f"{', '.join(expected_words)}."))
    for wrong, message in mistakes:
        if wrong is not None and np.allclose(got, wrong, rtol=1e-5, atol=1e-7):
            return Feedback(False, message)
    cosine = float(got @ right / (np.linalg.norm(got) * np.linalg.norm(right))) if np.any(got) else 0.0
    if cosine > 0.999:
        return Feedback(False, "Right direction, wrong length: take the plain mean of the neighbours' vectors "
                               "(np.mean(..., axis=0)), without scaling or normalising.")
    return Feedback(False, f"Not the expected vector (cosine {cosine:.2f} with it). Average the vectors of "
                           f"{', '.join(expected_words)}: np.mean([wv[w] for w in ...], axis=0).")


@never_raises
def check_attention_row(answer: object, query: np.ndarray, keys: np.ndarray, position: int) -> Feedback:
    """Notebook 07: ``answer`` should be one attention row, ``softmax(keys @ query / sqrt(d))`` over every word except
    the hidden one at ``position`` (its weight 0).

    Never raises: an empty stub gets a hint, and typical mistakes (no softmax, no 1/sqrt(d), the hidden word left
    in, a wrong length) are named.
    """
    if _is_stub(answer):
        return not_attempted("Your attention row `answer`")
    query, keys = np.asarray(query, dtype=np.float64), np.asarray(keys, dtype=np.float64)
    n, d = keys.shape
    try:
        got = np.asarray(answer, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return Feedback(False, f"`answer` should be {n} numbers (a numpy array), not {type(answer).__name__}.")
    if got.shape != (n,):
        return Feedback(False, f"`answer` should hold one weight per word of the sentence ({n}); it has {got.size}.")
    if not np.all(np.isfinite(got)):
        return Feedback(False, "`answer` contains NaN or infinite values: subtract the largest score before np.exp, "
                               "and set the hidden word's weight to 0 rather than dividing by 0.")

    def softmax(scores: np.ndarray, skip: bool = True) -> np.ndarray:
        scores = scores.copy()
        if skip:
            scores[position] = -np.inf
        e = np.exp(scores - scores.max())
        return e / e.sum()

    raw = keys @ query
    right = softmax(raw / np.sqrt(d))
    if np.allclose(got, right, atol=1e-6):
        best = int(np.argmax(right))
        return Feedback(True, f"These are the weights: they sum to 1, the hidden word gets 0, and word {best} gets "
                              f"the most ({right[best]:.2f}).")
    mistakes = [
        (softmax(raw), "You forgot to divide the scores by sqrt(d) before the softmax (d = the length of the "
                       "query): without it, long vectors make the softmax too sharp."),
        (softmax(raw / np.sqrt(d), skip=False), "The hidden word itself got a weight: it offers nothing (it is "
                                                "the [mask]); give it score -inf, i.e. weight 0."),
        (softmax(raw / d), "Divide the scores by sqrt(d), not by d."),
    ]
    for wrong, message in mistakes:
        if np.allclose(got, wrong, atol=1e-6):
            return Feedback(False, message)
    others = np.arange(n) != position
    if any(np.allclose(got[others], scores[others], atol=1e-6) for scores in (raw, raw / np.sqrt(d))):
        return Feedback(False, "These are the scores; turn them into weights with a softmax: "
                               "np.exp(s - s.max()) / np.exp(s - s.max()).sum().")
    if not np.isclose(got.sum(), 1.0, atol=1e-6):
        return Feedback(False, f"Attention weights sum to 1; yours sum to {got.sum():.3f}. Divide by the sum of "
                               "the exponentials.")
    return Feedback(False, "Not the expected weights: scores = keys @ query / np.sqrt(d), the hidden word's "
                           "score set to -np.inf, then a softmax.")
