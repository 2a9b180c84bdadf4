"""Reading a trained space: cosine similarity, k nearest neighbours, analogies.

Training never calls anything here: kNN is only how we *query* the vectors once they exist.
The names follow gensim's ``KeyedVectors`` so that what learners meet here carries over.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import numpy as np

from .validation import check_int


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary; the message names the closest words that are."""

    def __init__(self, word: str, suggestions: Sequence[str]) -> None:
        self.word = word
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{word!r} is not in the vocabulary.{hint}")

    def __str__(self) -> str:  # KeyError would quote the whole message again
        return str(self.args[0])


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), shape unchanged."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b / (|a| |b|)`` for two vectors of shape (d,); 0 if either is the zero vector."""
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    # Rounding can give 1.0000000000000002 for parallel vectors; arccos and "in [-1, 1]" checks need the clip.
    return float(np.clip(a @ b / (na * nb), -1.0, 1.0)) if na and nb else 0.0


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest ``scores``, largest first, shape (k,).

    ``argpartition`` finds the top k in O(V) and only those k get sorted: O(V + k log k), not O(V log V).
    Ties are broken by the lower index so results never depend on the partition's internals.
    """
    k = min(k, len(scores))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k < len(scores):
        # argpartition keeps an arbitrary subset of the words tied at the k-th place: take all of them.
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
        part = np.flatnonzero(scores >= kth)
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))][:k]


class WordVectors:
    """A vocabulary and one vector per word, with gensim-style lookups.

    Parameters
    ----------
    vectors : ndarray, shape (V, d)
    index_to_key : sequence of str, length V

    Examples
    --------
    >>> wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    >>> wv["dog"]
    array([0., 1., 0.])
    >>> wv["cta"]
    Traceback (most recent call last):
    ...
    helpers.neighbors.UnknownWordError: 'cta' is not in the vocabulary. Did you mean: cat?
    """

    def __init__(self, vectors: np.ndarray, index_to_key: Sequence[str]) -> None:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(index_to_key):
            raise ValueError(f"vectors must have shape (V, d) with V = {len(index_to_key)} words, got {vectors.shape}")
        self.vectors = vectors
        self.index_to_key = list(index_to_key)
        self.key_to_index = {w: i for i, w in enumerate(self.index_to_key)}
        if len(self.key_to_index) != len(self.index_to_key):
            raise ValueError("index_to_key contains a word twice")
        self._unit: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words, {self.vector_size} dimensions)"

    @property
    def vector_size(self) -> int:
        return self.vectors.shape[1]

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows of ``vectors`` normalised to length 1, shape (V, d); computed once."""
        if self._unit is None:
            self._unit = unit_rows(self.vectors.astype(np.float64))
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
        list of (word, cosine similarity), best first
        """
        topn = check_int("topn", topn, low=1)
        positive = [positive] if isinstance(positive, str) else list(positive)
        negative = [negative] if isinstance(negative, str) else list(negative)
        if not positive and not negative:
            raise ValueError("give at least one word in positive or negative")
        rows = [self.get_index(w) for w in positive + negative]
        weights = np.array([1.0] * len(positive) + [-1.0] * len(negative))
        query = weights @ self.unit_vectors[rows]
        return self.similar_by_vector(query, topn=topn, exclude=rows)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, exclude: Iterable[int] = ()
    ) -> list[tuple[str, float]]:
        """The ``topn`` words whose vectors have the largest cosine with ``vector`` (d,): one brute-force kNN query.

        The cost is one matrix-vector product, O(V d), plus a partial sort, O(V).
        """
        topn = check_int("topn", topn, low=1)
        norm = np.linalg.norm(vector)
        scores = self.unit_vectors @ (np.asarray(vector, dtype=np.float64) / (norm if norm else 1.0))
        np.clip(scores, -1.0, 1.0, out=scores)  # rounding can step just outside [-1, 1]
        excluded = list(exclude)
        if excluded:
            scores[excluded] = -np.inf
        best = top_k(scores, min(topn, len(self) - len(set(excluded))))
        return [(self.index_to_key[i], float(scores[i])) for i in best]


def knn_indices(vectors: np.ndarray, k: int) -> np.ndarray:
    """For every row, the rows of its ``k`` nearest neighbours by cosine (itself excluded), shape (V, k)."""
    k = check_int("k", k, low=1, high=max(1, len(vectors) - 1))
    unit = unit_rows(np.asarray(vectors, dtype=np.float64))
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    return np.stack([top_k(row, k) for row in sims])


def knn_purity(wv: WordVectors, classes: dict[str, str], k: int = 5, words: Iterable[str] | None = None) -> float:
    """Average share of each word's ``k`` nearest neighbours that belong to the word's own class.

    Parameters
    ----------
    wv : WordVectors
    classes : dict of word to class
        Ground truth. A neighbour without a class counts as a miss.
    k : int
    words : iterable of str, optional
        Words to score (default: every word of ``wv`` that has a class).

    Returns
    -------
    float in [0, 1]; about (class size - 1) / V for random vectors, 1 when every neighbour shares the class.
    """
    words = [w for w in (words if words is not None else wv.index_to_key) if w in classes and w in wv]
    if not words:
        raise ValueError("no word of the vocabulary has a class: nothing to score")
    neighbours = knn_indices(wv.vectors, k)
    hits = [
        np.mean([classes.get(wv.index_to_key[j]) == classes[w] for j in neighbours[wv.key_to_index[w]]])
        for w in words
    ]
    return float(np.mean(hits))
