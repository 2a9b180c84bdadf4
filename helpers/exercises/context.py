"""Exercise checks on one vector per occurrence: a context vector (notebook 05) and one attention row (notebook 07).

Re-exported by :mod:`helpers.exercises`, where notebooks find them. Like every check, they never raise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..senses.occurrences import context_vector, context_words
from ..space.neighbors import WordVectors
from .feedback import Feedback, _is_stub, never_raises, not_attempted


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
                             f"That is the context for window={other}; use window={window}: {window} tokens on "
                             f"each side of {word!r}, fewer where the sentence ends."))
    for wrong, message in mistakes:
        if wrong is not None and np.allclose(got, wrong, rtol=1e-5, atol=1e-7):
            return Feedback(False, message)
    cosine = float(got @ right / (np.linalg.norm(got) * np.linalg.norm(right))) if np.any(got) else 0.0
    if cosine > 0.999:
        return Feedback(False, "Right direction, wrong length: take the plain mean of the neighbours' vectors "
                               "(np.mean(..., axis=0)), without scaling or normalising.")
    return Feedback(False, f"Not the expected vector (cosine {cosine:.2f} with it). Take the words at most {window} "
                           f"tokens away from {word!r} on either side, without it, and average their vectors: "
                           "np.mean([wv[w] for w in ...], axis=0).")


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
