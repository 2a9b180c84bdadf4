"""kNN purity: how often a word's nearest neighbours share its class (the course's measure of a learned space).

It reads the space with :func:`helpers.space.knn.knn_indices`, block by block; the toy world's known classes are
the ground truth. Used by notebooks 01, 04, 04b and 05, and by the tests that check that training learns.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from ..params import check
from ..plots.progress import shows_bar
from ..validation import check_int
from .knn import knn_indices
from .neighbors import UnknownWordError, WordVectors

__all__ = ["knn_purity"]


def knn_purity(wv: WordVectors, classes: dict[str, str], k: int = 5, words: Iterable[str] | str | None = None,
               progress: bool | str = "auto") -> float:
    """Average share of each word's ``k`` nearest neighbours that belong to the word's own class.

    Parameters
    ----------
    wv : WordVectors
        At least 2 words (a word's neighbours are the other words).
    classes : dict of word to class
        Ground truth. A neighbour without a class counts as a miss.
    k : int, between 1 and V - 1
    words : str or iterable of str, optional
        Words to score (default: every word of ``wv`` that has a class); one string is one word. Each must be in
        ``wv`` and have a class.
    progress : True, False or "auto"
        A progress bar over the scored words ("auto": for a computation of more than about a second, e.g. 50,000
        words). The similarities are computed a block of rows at a time (:func:`helpers.space.knn_indices`), so
        memory stays bounded whatever V.

    Returns
    -------
    float in [0, 1]; about (class size - 1) / V for random vectors, 1 when every neighbour shares the class.

    Raises
    ------
    UnknownWordError
        For a word of ``words`` that is not in ``wv`` (with suggestions).
    ValueError
        For fewer than 2 words in ``wv``, ``k`` of V or more, a word of ``words`` without a class, or no word to
        score.
    """
    if not isinstance(wv, WordVectors):
        raise TypeError(f"wv must be a helpers.space.WordVectors, got {type(wv).__name__}")
    if len(wv) < 2:
        raise ValueError(f"knn_purity needs at least 2 words: a word's neighbours are the other words, and this space "
                         f"has {len(wv)}")
    if isinstance(k, numbers.Integral) and not isinstance(k, bool) and k >= len(wv):
        raise ValueError(f"k={k} neighbours asked for, but with {len(wv)} words each word has only {len(wv) - 1} "
                         f"others: use k <= {len(wv) - 1}")
    k = check_int("k", k, low=1)
    progress = check("progress", progress)
    if words is None:
        words = [w for w in wv.index_to_key if w in classes]
        if not words:
            raise ValueError("no word of the vocabulary has a class: nothing to score (are classes and the "
                             "vectors from the same corpus?)")
    else:
        words = WordVectors._words("words", words)
        for w in words:
            wv.get_index(w)  # UnknownWordError with "did you mean"
        unclassed = [w for w in words if w not in classes]
        if unclassed:
            raise ValueError(f"{len(unclassed)} of words have no class in classes (the first: {unclassed[0]!r}), so "
                             "their neighbours cannot be scored: leave them out, or add their class")
        if not words:
            raise ValueError("words is empty: give at least one word to score, or words=None for every classed word")
    rows = [wv.key_to_index[w] for w in words]
    bar = None
    if shows_bar(progress, len(rows) * len(wv) * wv.vector_size):
        from ..plots.progress import Progress

        bar = Progress(len(rows), f"kNN purity of {len(rows):,} words", show=True, unit="words")
    # Only the scored words need their neighbours: a few classed words in a big vocabulary stay cheap.
    neighbours = knn_indices(wv.vectors, k, rows=rows, progress=None if bar is None else bar.update)
    if bar is not None:
        bar.close("done")
    hits = [np.mean([classes.get(wv.index_to_key[j]) == classes[w] for j in near])
            for w, near in zip(words, neighbours)]
    return float(np.mean(hits))
