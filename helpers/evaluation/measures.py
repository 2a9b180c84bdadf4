"""Measuring trained vectors against people: word-similarity rank correlation and analogy accuracy.

The data are files that gensim ships with its tests (found with ``gensim.test.utils.datapath``), so nothing is
downloaded: a real English corpus (``head500.noblanks.cor``, ``lee_background.cor``), two sets of word pairs
rated by people (``wordsim353.tsv``, ``simlex999.txt``) and Mikolov's analogy questions (``questions-words.txt``).

Both measures work on any object with ``key_to_index`` and ``vectors`` (:class:`helpers.space.WordVectors`,
or gensim's ``KeyedVectors``), so our vectors and gensim's are scored by the same code.

Reading the data sets is :mod:`helpers.evaluation.datasets`'s job, training gensim's Word2Vec under the course's
parameter names :mod:`helpers.evaluation.reference`'s; notebooks find all three in :mod:`helpers.evaluation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from ..space.knn import unit_rows
from ..validation import check_int
from .checks import Normalizer, analogy_sections, normalizer, rated_pairs
from .datasets import load_analogies, load_word_pairs

__all__ = [
    "load_word_pairs", "load_analogies", "SimilarityResult", "pair_cosines", "word_similarity", "AnalogyResult",
    "analogy_accuracy", "evaluate",
]


@dataclass(frozen=True)
class SimilarityResult:
    """How well cosine similarities rank word pairs the way people do.

    Attributes
    ----------
    spearman : float
        Rank correlation between cosine similarity and the human rating over the pairs used (NaN with fewer than
        3 pairs, or if all cosines or all ratings are equal).
    used, total : int
        Pairs whose two words are both in the vocabulary, and pairs in the set.
    """

    spearman: float
    used: int
    total: int

    @property
    def coverage(self) -> float:
        """Share of the set that could be scored, ``used / total`` (0 for an empty set)."""
        return self.used / self.total if self.total else 0.0


def _check_word_vectors(wv: object) -> object:
    """``wv`` if it has what the measures read (``key_to_index`` and ``vectors``), else a TypeError with the fix."""
    if not (hasattr(wv, "key_to_index") and hasattr(wv, "vectors")):
        raise TypeError(f"wv must be word vectors with key_to_index and vectors (helpers.space.WordVectors or "
                        f"gensim's KeyedVectors), got {type(wv).__name__}; for a bare array, wrap it: "
                        "WordVectors(vectors, words)")
    return wv


def pair_cosines(wv: object, pairs: Sequence[tuple[str, str, float]],
                 normalize: Normalizer = str.lower) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """The pairs whose two words are both in the vocabulary: (word pairs, cosines (P,), human ratings (P,)).

    ``normalize`` maps a word of the set to the form the corpus uses (see :func:`word_similarity`).

    Raises
    ------
    TypeError, ValueError
        For ``pairs`` that are not (word1, word2, finite rating) triples, or a ``normalize`` that is not a function
        from a word to a word; the message names the first bad item.
    """
    wv, pairs, normalize = _check_word_vectors(wv), rated_pairs(pairs), normalizer(normalize)
    index = wv.key_to_index
    kept, rows, ratings = [], [], []
    for first, second, rating in pairs:
        a, b = normalize(first), normalize(second)
        if a in index and b in index:
            kept.append((a, b))
            rows.append((index[a], index[b]))
            ratings.append(rating)
    ids = np.array(rows, dtype=np.int64).reshape(-1, 2)
    distinct, position = np.unique(ids, return_inverse=True)
    unit = unit_rows(np.asarray(wv.vectors, dtype=np.float64)[distinct])
    position = position.reshape(-1, 2)
    cosines = np.einsum("pd,pd->p", unit[position[:, 0]], unit[position[:, 1]])
    return kept, cosines, np.array(ratings, dtype=np.float64)


def word_similarity(wv: object, pairs: Sequence[tuple[str, str, float]],
                    normalize: Normalizer = str.lower) -> SimilarityResult:
    """Spearman rank correlation between the vectors' cosine similarity and human ratings of ``pairs``.

    Parameters
    ----------
    wv : WordVectors or gensim KeyedVectors
    pairs : sequence of (word1, word2, rating)
    normalize : callable
        Maps a word of the set to the form the corpus uses (default: lowercase; :func:`porter_stem` for a
        stemmed corpus). Pairs with a word that is not in the vocabulary are left out, as gensim does.

    Raises
    ------
    ValueError
        If no pair has both words in the vocabulary (a spearman of NaN would only hide it).
    """
    kept, cosines, ratings = pair_cosines(wv, pairs, normalize)
    if not pairs:
        raise ValueError("pairs is empty: give rated word pairs, e.g. load_word_pairs('wordsim353.tsv')")
    if not kept:
        example = ", ".join(f"({a!r}, {b!r})" for a, b, _ in list(pairs)[:2])
        raise ValueError(f"none of the {len(pairs)} pairs has both words in the vocabulary (e.g. {example}), so "
                         "there is nothing to rank: check that normalize maps the set's words to the corpus's form "
                         "(porter_stem for a stemmed corpus), or train on more text")
    if len(kept) < 3 or np.ptp(cosines) == 0 or np.ptp(ratings) == 0:  # no ranking to compare
        return SimilarityResult(float("nan"), len(kept), len(pairs))
    return SimilarityResult(float(stats.spearmanr(cosines, ratings).statistic), len(kept), len(pairs))


@dataclass(frozen=True)
class AnalogyResult:
    """Share of analogy questions ``a : b :: c : ?`` whose nearest answer to ``b - a + c`` is the expected word.

    Attributes
    ----------
    accuracy : float
        ``correct / used`` (NaN if no question could be asked).
    correct, used, total : int
        Questions answered right, questions whose four words are all known, questions in the set.
    sections : dict of str to (correct, used)
    """

    accuracy: float
    correct: int
    used: int
    total: int
    sections: dict[str, tuple[int, int]]

    @property
    def coverage(self) -> float:
        """Share of the set that could be scored, ``used / total`` (0 for an empty set)."""
        return self.used / self.total if self.total else 0.0


def analogy_accuracy(wv: object, sections: dict[str, list[tuple[str, str, str, str]]],
                     normalize: Normalizer = str.lower, restrict_vocab: int = 30_000,
                     chunk: int = 512) -> AnalogyResult:
    """Answer every analogy question with 3CosAdd over the ``restrict_vocab`` most frequent words, as gensim does.

    The answer to ``a : b :: c : ?`` is the word whose unit vector has the largest cosine with
    ``unit(b) - unit(a) + unit(c)``, excluding ``a``, ``b`` and ``c``. Questions with a word outside the
    restricted vocabulary are skipped and counted in ``total`` only.

    Parameters
    ----------
    wv : WordVectors or gensim KeyedVectors
        Words are assumed to be ordered most frequent first (true for both).
    sections : dict of section name to list of (a, b, c, d)
    normalize : callable
    restrict_vocab : int, >= 1
    chunk : int, >= 1
        Questions scored per matrix product (memory: chunk x restrict_vocab floats).

    Raises
    ------
    TypeError, ValueError
        For ``sections`` that are not lists of four words each, a bad ``normalize`` (see :func:`pair_cosines`), or
        ``restrict_vocab`` or ``chunk`` below 1; the message names the first bad item.
    """
    wv = _check_word_vectors(wv)
    restrict_vocab = check_int("restrict_vocab", restrict_vocab, low=1)
    chunk = check_int("chunk", chunk, low=1)
    sections, normalize = analogy_sections(sections), normalizer(normalize)
    size = min(restrict_vocab, len(wv.key_to_index))
    index = {w: i for w, i in wv.key_to_index.items() if i < size}
    unit = unit_rows(np.asarray(wv.vectors[:size], dtype=np.float32))
    questions, owner, total = [], [], 0
    for name, items in sections.items():
        for item in items:
            total += 1
            words = [normalize(w) for w in item]
            if all(w in index for w in words):
                questions.append([index[w] for w in words])
                owner.append(name)
    per_section = {name: [0, 0] for name in sections}
    correct = 0
    ids = np.array(questions, dtype=np.int64).reshape(-1, 4)
    for start in range(0, len(ids), chunk):
        block = ids[start:start + chunk]
        scores = (unit[block[:, 1]] - unit[block[:, 0]] + unit[block[:, 2]]) @ unit.T
        np.put_along_axis(scores, block[:, :3], -np.inf, axis=1)
        hits = scores.argmax(axis=1) == block[:, 3]
        correct += int(hits.sum())
        for name, hit in zip(owner[start:start + chunk], hits):
            per_section[name][0] += int(hit)
            per_section[name][1] += 1
    used = len(ids)
    return AnalogyResult(correct / used if used else float("nan"), correct, used, total,
                         {name: (c, u) for name, (c, u) in per_section.items()})


def evaluate(wv: object, normalize: Normalizer = str.lower,
             similarity_sets: Iterable[str] = ("wordsim353.tsv", "simlex999.txt"),
             analogies: str | None = "questions-words.txt") -> dict[str, float]:
    """Every measure of this module in one flat dict (for tables): ``<set> spearman``, ``<set> pairs used``,
    ``analogy accuracy``, ``analogies used``.

    Parameters
    ----------
    wv : WordVectors or gensim KeyedVectors
    normalize : callable
        As for :func:`word_similarity` (:func:`porter_stem` for a stemmed corpus).
    similarity_sets : iterable of str
        Rating sets in gensim's test data (or paths); each gives its two entries, named by its file stem.
    analogies : str or None
        The analogy questions to answer, or None to skip them.
    """
    wv = _check_word_vectors(wv)
    if isinstance(similarity_sets, str):  # one set's name: not its letters
        similarity_sets = [similarity_sets]
    row: dict[str, float] = {}
    for name in similarity_sets:
        result = word_similarity(wv, load_word_pairs(name), normalize)
        short = Path(name).stem
        row[f"{short} spearman"] = result.spearman
        row[f"{short} pairs used"] = result.used
    if analogies is not None:
        result = analogy_accuracy(wv, load_analogies(analogies), normalize)
        row["analogy accuracy"] = result.accuracy
        row["analogies used"] = result.used
    return row
