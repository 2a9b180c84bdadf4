"""Reading a trained space: cosine similarity, k nearest neighbours, analogies.

Training never calls anything here: kNN is only how we *query* the vectors once they exist.
The names follow gensim's ``KeyedVectors`` so that what learners meet here carries over.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

from ..params import check
from ..validation import check_int
from .knn import check_finite_rows, knn_indices, top_k, unit_rows

__all__ = ["UnknownWordError", "WordVectors", "cosine_similarity",
           # re-exported: the array-level kNN these are built on
           "check_finite_rows", "knn_indices", "top_k", "unit_rows"]


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary; the message names the closest words that are."""

    def __init__(self, word: str, suggestions: Sequence[str]) -> None:
        self.word = word
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{word!r} is not in the vocabulary.{hint}")

    def __str__(self) -> str:  # KeyError would quote the whole message again
        return str(self.args[0])


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b / (|a| |b|)`` for two vectors of shape (d,); 0 if either is the zero vector.

    Vectors too long or too short for their squares (entries of 1e200 or 1e-200) are scaled to their largest
    entry first, so they get the right cosine, not NaN or 0.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a numeric vector, their shapes differ, or an entry is NaN or infinite (the message
        names the vector and the entry).

    Examples
    --------
    >>> round(cosine_similarity(np.array([1e-200, 1e-200]), np.array([2e-200, 2e-200])), 12)
    1.0
    """
    a, b = _vector("a", a), _vector("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (d,), got {a.shape} and {b.shape}")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        na, nb = np.linalg.norm(a), np.linalg.norm(b)
        product, dot = na * nb, a @ b
        if not (np.isfinite(product) and np.isfinite(dot) and product > _TINY) and np.any(a) and np.any(b):
            a, b = a / np.max(np.abs(a)), b / np.max(np.abs(b))  # largest entry 1: squares neither overflow nor vanish
            na, nb = np.linalg.norm(a), np.linalg.norm(b)
            product, dot = na * nb, a @ b
    # Rounding can give 1.0000000000000002 for parallel vectors; arccos and "in [-1, 1]" checks need the clip.
    return float(np.clip(dot / product, -1.0, 1.0)) if na and nb else 0.0


#: Below this, |a| |b| has lost digits to underflow (the smallest normal float is 2.2e-308): scale first.
_TINY = 1e-290


def _vector(name: str, value: object) -> np.ndarray:
    """``value`` as a finite float vector, or a ValueError naming ``name`` and the first bad entry."""
    try:
        vector = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a vector of numbers, shape (d,), got {type(value).__name__}") from None
    if vector.ndim != 1:
        raise ValueError(f"{name} must be a vector of shape (d,), got shape {vector.shape}; for a word's vector "
                         "use wv[word] or trainer.W_in[row]")
    bad = np.flatnonzero(~np.isfinite(vector))
    if len(bad):
        raise ValueError(f"{name} has {len(bad)} NaN or infinite entr{'y' if len(bad) == 1 else 'ies'} (the first: "
                         f"entry {bad[0]} = {vector[bad[0]]}), so it has no direction to compare; the training "
                         "that made it diverged: train again with a smaller lr")
    return vector


class WordVectors:
    """A vocabulary and one vector per word, with gensim-style lookups.

    The arrays are copied (unless ``copy=False``) and made read-only, so the cached unit vectors always match
    ``vectors``: to change the vectors, assign a new array (``wv.vectors = new``), which is checked and clears the
    cache.

    Parameters
    ----------
    vectors : ndarray, shape (V, d)
        Finite numbers only (a NaN or infinite row is rejected with its word named).
    index_to_key : sequence of str, length V
        Distinct words, the word of each row.
    output_vectors : ndarray, shape (V, d), optional
        The trainer's output (context) vectors W', if it has them; ``None`` otherwise.
    counts : ndarray of int, shape (V,), optional
        How often each word occurs in the training text; ``None`` if unknown.
    loss_history : list, optional
        What the trainer recorded while training (its format is the trainer's: see its docs); ``[]`` if none.
    copy : bool, default True
        ``False`` keeps ``vectors`` and ``output_vectors`` as they are when they are already arrays, and makes them
        read-only in place: for a trainer handing over arrays it no longer uses (a copy would double the model's
        memory at the end of training).

    Examples
    --------
    >>> wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    >>> wv["dog"]
    array([0., 1., 0.])
    >>> wv["cta"]
    Traceback (most recent call last):
    ...
    helpers.space.UnknownWordError: 'cta' is not in the vocabulary. Did you mean: cat?
    """

    def __init__(
        self,
        vectors: np.ndarray,
        index_to_key: Sequence[str],
        *,
        output_vectors: np.ndarray | None = None,
        counts: np.ndarray | None = None,
        loss_history: Sequence | None = None,
        copy: bool = True,
    ) -> None:
        if isinstance(index_to_key, str) or not isinstance(index_to_key, Iterable):
            raise TypeError(f"index_to_key must be a list of words, got {type(index_to_key).__name__}")
        self.index_to_key = list(index_to_key)
        if any(not isinstance(w, str) for w in self.index_to_key):
            raise TypeError("index_to_key must hold strings (one word per row)")
        self.key_to_index = {w: i for i, w in enumerate(self.index_to_key)}
        if len(self.key_to_index) != len(self.index_to_key):
            raise ValueError("index_to_key contains a word twice")
        self._unit: np.ndarray | None = None
        self._vectors = self._frozen("vectors", vectors, copy)
        self.output_vectors = None if output_vectors is None else self._frozen("output_vectors", output_vectors,
                                                                                copy)
        if counts is not None:
            counts = np.array(counts)
            if counts.shape != (len(self),) or not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 0):
                raise ValueError(f"counts must be {len(self)} non-negative integers (one per word), "
                                 f"got shape {counts.shape} of {counts.dtype}")
            counts.flags.writeable = False
        self.counts = counts
        self.loss_history = list(loss_history) if loss_history is not None else []

    def _frozen(self, name: str, vectors: object, copy: bool = True) -> np.ndarray:
        """``vectors`` read-only (a copy, unless ``copy`` is False) after checking shape (V, d), a numeric type and
        finite values."""
        try:
            array = np.array(vectors) if copy else np.asarray(vectors)
        except (TypeError, ValueError, OverflowError) as error:
            raise ValueError(f"{name} must be a numeric array of shape (V, d): {error}") from None
        if array.ndim != 2 or array.shape[0] != len(self.index_to_key):
            raise ValueError(f"{name} must have shape (V, d) with V = {len(self.index_to_key)} words, "
                             f"got {array.shape}")
        if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
            raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}")
        check_finite_rows(name, array, self.index_to_key)
        array.flags.writeable = False  # an in-place edit would leave the cached unit rows stale
        return array

    @property
    def vectors(self) -> np.ndarray:
        """The vectors, shape (V, d), read-only: assign a new array to change them."""
        return self._vectors

    @vectors.setter
    def vectors(self, value: np.ndarray) -> None:
        self._vectors = self._frozen("vectors", value)
        self._unit = None

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        try:
            return word in self.key_to_index
        except TypeError:  # an unhashable "word" (a list) is simply not in the vocabulary
            return False

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words, {self.vector_size} dimensions)"

    @property
    def vector_size(self) -> int:
        return self.vectors.shape[1]

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows of ``vectors`` normalised to length 1, shape (V, d), read-only; recomputed after ``vectors`` is
        assigned."""
        if self._unit is None:
            unit = unit_rows(self.vectors.astype(np.float64))
            unit.flags.writeable = False
            self._unit = unit
        return self._unit

    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Vocabulary words that look most like ``word`` (by spelling)."""
        return difflib.get_close_matches(str(word), self.index_to_key, n=n, cutoff=0.5)

    def get_index(self, word: str) -> int:
        """Row of ``word``; raises ``UnknownWordError`` (a ``KeyError``) with suggestions if it is unknown."""
        try:
            return self.key_to_index[word]
        except (KeyError, TypeError):
            raise UnknownWordError(word, self.suggest(word)) from None

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.get_index(word)]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words, in [-1, 1]."""
        cos = self.unit_vectors[self.get_index(a)] @ self.unit_vectors[self.get_index(b)]
        return float(np.clip(cos, -1.0, 1.0))  # rounding can step just outside [-1, 1]

    def most_similar(
        self,
        positive: str | Iterable[str] = (),
        negative: str | Iterable[str] = (),
        topn: int = 10,
    ) -> list[tuple[str, float]]:
        """The ``topn`` words closest (by cosine) to the sum of ``positive`` minus the sum of ``negative``.

        One word gives its neighbours; ``positive=["king", "woman"], negative=["man"]`` is the analogy
        king - man + woman. Query words are left out of the answer, as in gensim.

        Returns
        -------
        list of (word, cosine similarity), best first; at most V minus the number of distinct query words.

        Raises
        ------
        UnknownWordError
            For a word that is not in the vocabulary (with suggestions).
        ValueError
            If no word is given, or the query adds up to the zero vector (e.g. ``positive="cat",
            negative="cat"``, or a word whose vector is zero): it has no direction to compare with.
        """
        topn = check_int("topn", topn, low=1)
        positive = self._words("positive", positive)
        negative = self._words("negative", negative)
        if not positive and not negative:
            raise ValueError("give at least one word in positive or negative")
        rows = [self.get_index(w) for w in positive + negative]
        weights = np.array([1.0] * len(positive) + [-1.0] * len(negative))
        query = weights @ self.unit_vectors[rows]
        if not np.any(np.abs(query) > 1e-12 * len(rows)):
            raise ValueError(f"the query positive={positive}, negative={negative} adds up to the zero vector, so "
                             "no word is closer to it than another; give words that do not cancel out")
        return self.similar_by_vector(query, topn=topn, exclude=rows)

    def _rows(self, name: str, items: object) -> list[int]:
        """Rows of ``items``: row numbers (0..V-1) or words; a ValueError or UnknownWordError names a bad one."""
        if isinstance(items, (str, numbers.Integral)):
            items = [items]
        if not isinstance(items, Iterable):
            raise TypeError(f"{name} must be a list of rows (0 to {len(self) - 1}) or words, "
                            f"got {type(items).__name__}")
        rows = []
        for item in items:
            if isinstance(item, str):
                rows.append(self.get_index(item))
            elif isinstance(item, numbers.Integral) and not isinstance(item, bool) and 0 <= item < len(self):
                rows.append(int(item))
            else:
                raise ValueError(f"{name} must hold rows between 0 and {len(self) - 1} (one per word) or words, "
                                 f"got {item!r:.40}")
        return rows

    @staticmethod
    def _words(name: str, words: object) -> list[str]:
        if isinstance(words, str):
            return [words]
        if not isinstance(words, Iterable):
            raise TypeError(f"{name} must be a word or a list of words, got {type(words).__name__}")
        return list(words)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, exclude: Iterable[int] = ()
    ) -> list[tuple[str, float]]:
        """The ``topn`` words whose vectors have the largest cosine with ``vector`` (d,): one brute-force kNN query.

        The rows in ``exclude`` (row numbers or words) are never returned. The cost is one matrix-vector product, O(V d), plus a
        partial sort, O(V).

        Raises
        ------
        ValueError
            If ``vector`` is not a finite vector of shape (d,) or is the zero vector, or ``exclude`` holds a row
            outside 0..V-1.
        UnknownWordError
            For a word of ``exclude`` that is not in the vocabulary.
        """
        topn = check_int("topn", topn, low=1)
        try:
            vector = np.asarray(vector, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"vector must be {self.vector_size} numbers, got {type(vector).__name__}") from None
        if vector.shape != (self.vector_size,):
            raise ValueError(f"vector must have shape ({self.vector_size},), got {vector.shape}")
        if not np.all(np.isfinite(vector)):
            raise ValueError("vector contains NaN or infinite values")
        norm = np.linalg.norm(vector)
        if norm == 0 or not np.isfinite(norm):
            raise ValueError("vector is the zero vector (or too small to normalise): it has no direction")
        scores = self.unit_vectors @ (vector / norm)
        np.clip(scores, -1.0, 1.0, out=scores)  # rounding can step just outside [-1, 1]
        keep = np.ones(len(self), dtype=bool)
        keep[self._rows("exclude", exclude)] = False
        # Drop excluded rows rather than scoring them -inf: they can never come back, whatever topn is.
        allowed = np.flatnonzero(keep)
        best = allowed[top_k(scores[allowed], topn)]
        return [(self.index_to_key[i], float(scores[i])) for i in best]
