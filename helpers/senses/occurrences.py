"""One vector per word, or one per occurrence: duplicates, polysemy and context-dependent vectors.

A static word vector averages over every sentence the word appears in, so "mole" (the zoo animal and the spot on the
skin) gets one vector caught between its senses. Building a vector for each *occurrence* from its neighbours' vectors
lets the occurrences fall into groups again; a small seeded k-means (:mod:`helpers.senses.clustering`)
finds the groups and :func:`sense_agreement` scores them against the senses the toy world planted.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from ..params import check
from ..space.neighbors import WordVectors
from ..text.corpus import check_sentences, check_tokens
from ..text.windows import context_of
from ..validation import check_array, check_int

__all__ = [
    "find_occurrences", "context_words", "context_vector", "context_vectors", "context_count_similarity",
    "sense_agreement", "centroid", "position_between", "attention_weights",
]

Occurrence = tuple[int, int]  # (sentence index, token position)


def find_occurrences(sentences: Iterable[Sequence[str]], word: str) -> list[Occurrence]:
    """Every place ``word`` occurs, as ``(sentence index, token position)`` in reading order.

    Examples
    --------
    >>> find_occurrences([["a", "mole"], ["the", "mole", "and", "the", "mole"]], "mole")
    [(0, 1), (1, 1), (1, 4)]
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    return [(i, p) for i, sentence in enumerate(check_sentences(sentences)) for p, token in enumerate(sentence)
            if token == word]


def _position(sentence: list[str], position: object) -> int:
    if not sentence:
        raise ValueError("sentence is empty: it has no position to look at")
    return check_int("position", position, low=0, high=len(sentence) - 1)


def _window(window: object) -> int | None:
    """``window`` checked by its one declaration in :mod:`helpers.params` (as for the trainers); None: everything."""
    return None if window is None else check("window", window)


def context_words(sentence: Sequence[str], position: int, window: int | None = None) -> list[str]:
    """The words around ``sentence[position]``, at most ``window`` tokens to each side (None: the whole sentence).

    The course's one context rule (:func:`helpers.text.context_span`, the same as the skip-gram pairs'): every
    other position of the window counts, including other copies of the word itself; only the position itself is
    left out, since its own static vector is exactly what a context vector avoids.

    Examples
    --------
    >>> context_words("the doctor checked the mole on my hip".split(), 4, window=2)
    ['checked', 'the', 'on', 'my']

    Raises
    ------
    TypeError
        If ``sentence`` is a string (split it into tokens first) or holds a token that is not a string.
    ValueError
        If ``position`` or ``window`` is out of range.
    """
    sentence = check_tokens(sentence)
    return context_of(sentence, _position(sentence, position), _window(window))


def context_vector(wv: WordVectors, sentence: Sequence[str], position: int, window: int | None = None) -> np.ndarray:
    """Vector of one occurrence: the mean of its context words' vectors (:func:`context_words`), shape (d,).

    Context words missing from the vocabulary are skipped.

    Raises
    ------
    ValueError
        If no context word is in the vocabulary (the occurrence would have no vector at all).
    """
    sentence = check_tokens(sentence)
    return _context_vector(_word_vectors(wv), sentence, _position(sentence, position), _window(window))


def _word_vectors(wv: object) -> WordVectors:
    if not isinstance(wv, WordVectors):
        raise TypeError(f"wv must be a helpers.space.WordVectors, got {type(wv).__name__}")
    return wv


def _context_vector(wv: WordVectors, sentence: list[str], position: int, window: int | None) -> np.ndarray:
    rows = [wv.key_to_index[w] for w in context_of(sentence, position, window) if w in wv]
    if not rows:
        raise ValueError(f"no word around position {position} of {' '.join(sentence)!r} is in the vocabulary "
                         f"(window={window}); widen the window or train with a smaller min_count")
    return wv.vectors[rows].astype(np.float64).mean(axis=0)


def context_vectors(
    wv: WordVectors,
    sentences: Iterable[Sequence[str]],
    occurrences: Sequence[Occurrence],
    window: int | None = None,
) -> np.ndarray:
    """One context vector per occurrence (see :func:`context_vector`), shape (n, d).

    ``sentences`` is read once (a generator works); each occurrence is ``(sentence index, position)`` as
    :func:`find_occurrences` gives.
    """
    wv, sentences, window = _word_vectors(wv), check_sentences(sentences), _window(window)
    occurrences = list(occurrences)
    if len(occurrences) == 0:
        raise ValueError("occurrences is empty: give at least one (sentence index, position)")
    checked = []
    for item in occurrences:
        if not (isinstance(item, Sequence) and len(item) == 2):
            raise ValueError(f"each occurrence must be a (sentence index, position) pair, got {item!r:.60}")
        i = check_int("sentence index", item[0], low=0, high=len(sentences) - 1)
        checked.append((i, _position(sentences[i], item[1])))
    return np.stack([_context_vector(wv, sentences[i], p, window) for i, p in checked])


def context_count_similarity(sentences: Iterable[Sequence[str]], word_a: str, word_b: str, window: int) -> float:
    """Cosine similarity of two words' *context counts*: how often each word occurs within ``window`` tokens of them.

    This is the raw evidence word2vec learns from (the contexts of :func:`context_words`, the same rule as the
    skip-gram pairs): two words with identical contexts score 1 before any training.

    Examples
    --------
    >>> context_count_similarity([["a", "sofa", "here"], ["a", "couch", "here"]], "sofa", "couch", window=1)
    1.0
    """
    window = check("window", window)
    for name, word in (("word_a", word_a), ("word_b", word_b)):
        if not isinstance(word, str):
            raise TypeError(f"{name} must be a string, got {type(word).__name__}")
    counts: dict[str, Counter] = {word_a: Counter(), word_b: Counter()}
    for sentence in check_sentences(sentences):
        for p, token in enumerate(sentence):
            if token in counts:
                counts[token].update(context_of(sentence, p, window))
    if not counts[word_a] or not counts[word_b]:
        missing = word_a if not counts[word_a] else word_b
        raise ValueError(f"{missing!r} has no context in these sentences: is it spelled right?")
    shared = set(counts[word_a]) & set(counts[word_b])
    dot = sum(counts[word_a][w] * counts[word_b][w] for w in shared)
    # Integer sums and one square root: identical counts give exactly 1.0.
    squares_a = sum(c * c for c in counts[word_a].values())
    squares_b = sum(c * c for c in counts[word_b].values())
    return float(dot / np.sqrt(float(squares_a) * float(squares_b)))


def sense_agreement(labels: Sequence[int], senses: Sequence[str]) -> float:
    """Share of occurrences whose cluster matches their planted sense, under the best naming of the clusters.

    Each cluster gets a different sense name (the assignment that agrees with the most occurrences), so one
    cluster holding everything cannot score well. For two balanced senses, 1.0 is a perfect split and a random
    split scores about 0.5.

    Parameters
    ----------
    labels : sequence of int, length n
        Cluster of each occurrence.
    senses : sequence of str, length n
        Planted sense of each occurrence.

    Examples
    --------
    >>> sense_agreement([1, 1, 0, 0], ["skin", "skin", "animal", "animal"])
    1.0
    >>> sense_agreement([0, 1, 0, 1], ["skin", "skin", "animal", "animal"])
    0.5
    """
    labels = np.asarray(labels)
    senses = np.asarray(senses)
    if labels.ndim != 1 or senses.shape != labels.shape or len(labels) == 0:
        raise ValueError(f"labels and senses must be 1-D and of the same non-zero length, "
                         f"got {labels.shape} and {senses.shape}")
    clusters, names = np.unique(labels), np.unique(senses)
    if max(len(clusters), len(names)) > 8:
        raise ValueError(f"sense_agreement tries every naming of the clusters: at most 8 clusters and 8 senses, "
                         f"got {len(clusters)} clusters and {len(names)} senses")
    counts = np.array([[np.sum((labels == c) & (senses == s)) for s in names] for c in clusters])
    if len(clusters) <= len(names):
        best = max(sum(counts[i, j] for i, j in enumerate(perm))
                   for perm in itertools.permutations(range(len(names)), len(clusters)))
    else:
        best = max(sum(counts[i, j] for j, i in enumerate(perm))
                   for perm in itertools.permutations(range(len(clusters)), len(names)))
    return float(best / len(labels))


def centroid(wv: WordVectors, words: Sequence[str]) -> np.ndarray:
    """Mean of the unit vectors of ``words``, shape (d,): the centre of a group of words by cosine."""
    wv = _word_vectors(wv)
    if isinstance(words, str) or not isinstance(words, Iterable):
        raise TypeError(f"words must be a list of words, e.g. ['cat', 'dog'], got {type(words).__name__}"
                        + (" (one string: wrap it in a list)" if isinstance(words, str) else ""))
    words = list(words)
    if len(words) == 0:
        raise ValueError("words is empty: give at least one word")
    return wv.unit_vectors[[wv.get_index(w) for w in words]].mean(axis=0)


def position_between(vector: np.ndarray, centre_a: np.ndarray, centre_b: np.ndarray) -> float:
    """Where ``vector`` lies on the way from ``centre_a`` to ``centre_b``: 0 at a, 1 at b, 0.5 half way.

    The vector is scaled to length 1 first (like the centres of :func:`centroid`) and projected onto the line
    through the two centres; values below 0 or above 1 lie beyond a centre.
    """
    vector, centre_a, centre_b = (check_array(name, x, ndim=1, shape_text="(d,)")
                                  for name, x in (("vector", vector), ("centre_a", centre_a), ("centre_b", centre_b)))
    if not vector.shape == centre_a.shape == centre_b.shape:
        raise ValueError(f"vector, centre_a and centre_b must all have shape (d,), "
                         f"got {vector.shape}, {centre_a.shape}, {centre_b.shape}")
    gap = centre_b - centre_a
    if not np.any(gap):
        raise ValueError("centre_a and centre_b are the same point: there is no 'between'")
    norm = np.linalg.norm(vector)
    unit = vector / norm if norm else vector
    return float((unit - centre_a) @ gap / (gap @ gap))


def attention_weights(wv: WordVectors, sentence: Sequence[str], position: int) -> np.ndarray:
    """A glimpse of self-attention: how much each token of ``sentence`` counts for the token at ``position``.

    The weights are ``softmax(q . k_j / sqrt(d))`` with the word's own vector as the query ``q`` and every token's
    vector (the word itself included) as a key ``k_j``. A transformer computes the same softmax, but with
    queries and keys made by learned matrices, many times in parallel and layer after layer; here the static
    word2vec vectors stand in for them.

    Returns
    -------
    ndarray, shape (len(sentence),)
        Non-negative weights that sum to 1; the word's context-dependent vector is ``weights @ vectors``.
    """
    wv, sentence = _word_vectors(wv), check_tokens(sentence)
    position = _position(sentence, position)
    vectors = np.stack([wv[w] for w in sentence]).astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        scores = vectors @ vectors[position] / np.sqrt(wv.vector_size)
    if not np.all(np.isfinite(scores)):  # vectors so long (1e200) that their dot products overflow
        return _softmax_of_huge(vectors, position)
    weights = np.exp(scores - scores.max())  # shifting by the max keeps exp from overflowing
    return weights / weights.sum()


def _softmax_of_huge(vectors: np.ndarray, position: int) -> np.ndarray:
    """:func:`attention_weights`' softmax when the scores overflow: the dot products of the vectors scaled to
    their largest entry ``s``, whose gaps to the largest are then multiplied back by ``s**2 / sqrt(d)`` (one factor at
    a time: a gap may become -inf, whose exp is the right 0; the largest score's gap stays exactly 0)."""
    scale = float(np.max(np.abs(vectors)))
    unit = vectors / scale
    scores = unit @ unit[position]
    gaps = scores - scores.max()
    with np.errstate(over="ignore"):
        gaps = np.where(gaps == 0, 0.0, gaps * scale / np.sqrt(vectors.shape[1]) * scale)
    weights = np.exp(gaps)
    return weights / weights.sum()
