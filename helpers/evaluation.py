"""Measuring trained vectors against people: word-similarity rank correlation and analogy accuracy.

The data are files that gensim ships with its tests (found with ``gensim.test.utils.datapath``), so nothing is
downloaded: a real English corpus (``head500.noblanks.cor``, ``lee_background.cor``), two sets of word pairs
rated by people (``wordsim353.tsv``, ``simlex999.txt``) and Mikolov's analogy questions (``questions-words.txt``).

Both measures work on any object with ``key_to_index`` and ``vectors`` (:class:`helpers.neighbors.WordVectors`,
or gensim's ``KeyedVectors``), so our vectors and gensim's are scored by the same code.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import stats

from .corpus import check_sentences, vocabulary_from_counts
from .knn import unit_rows
from .neighbors import WordVectors
from .params import WORD2VEC_DEFAULTS, validate
from .validation import check_int

Normalizer = Callable[[str], str]


def datapath(name: str) -> Path:
    """Path of a file in gensim's shipped test data, e.g. ``datapath("wordsim353.tsv")``.

    Raises
    ------
    FileNotFoundError
        If gensim is missing or does not ship ``name``.
    """
    try:
        from gensim.test.utils import datapath as gensim_datapath
    except ImportError as error:  # pragma: no cover - gensim is in requirements.txt
        raise FileNotFoundError(f"{name!r} comes with gensim's test data; install gensim (pip install gensim)") \
            from error
    path = Path(gensim_datapath(name))
    if not path.is_file():
        raise FileNotFoundError(f"gensim's test data has no file {name!r} (looked in {path.parent})")
    return path


def read_corpus(name_or_path: str | Path, tokenizer: Callable[[str], list[str]] = str.split,
                max_sentences: int | None = None) -> list[list[str]]:
    """One sentence per non-empty line, split into tokens by ``tokenizer``.

    Parameters
    ----------
    name_or_path : str or Path
        A file in gensim's test data (e.g. ``"head500.noblanks.cor"``) or a path to a text file.
    tokenizer : callable, optional
        ``str.split`` (default) suits text that is already tokenized, like ``head500.noblanks.cor``;
        :func:`helpers.corpus.tokenize` suits raw text, like ``lee_background.cor``.
    max_sentences : int, optional
        Stop after this many sentences (lines).
    """
    path = Path(name_or_path)
    if not path.is_file():
        path = datapath(str(name_or_path))
    if max_sentences is not None:
        check_int("max_sentences", max_sentences, low=1)
    sentences = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            tokens = tokenizer(line)
            if tokens:
                sentences.append(tokens)
                if max_sentences is not None and len(sentences) == max_sentences:
                    break
    return sentences


@lru_cache(maxsize=None)
def porter_stem(word: str) -> str:
    """The Porter stem of ``word``, lowercased: the form of ``head500.noblanks.cor`` ("dictionary" -> "dictionari")."""
    return _porter().stem(word.lower())


@lru_cache(maxsize=1)
def _porter() -> object:
    from gensim.parsing.porter import PorterStemmer

    return PorterStemmer()


def load_word_pairs(name_or_path: str | Path = "wordsim353.tsv") -> list[tuple[str, str, float]]:
    """Word pairs with a human similarity rating: lines ``word1<TAB>word2<TAB>score``, ``#`` starts a comment."""
    path = Path(name_or_path) if Path(name_or_path).is_file() else datapath(str(name_or_path))
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise ValueError(f"{path.name}, line {number}: expected 'word1<TAB>word2<TAB>score', got {line!r}")
        pairs.append((fields[0], fields[1], float(fields[2])))
    return pairs


def load_analogies(name_or_path: str | Path = "questions-words.txt") -> dict[str, list[tuple[str, str, str, str]]]:
    """Analogy questions ``a b c d`` ("a is to b as c is to d") by section, e.g. ``"capital-common-countries"``."""
    path = Path(name_or_path) if Path(name_or_path).is_file() else datapath(str(name_or_path))
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(":"):
            current = line[1:].strip()
            sections[current] = []
        elif line.strip():
            words = line.split()
            if current is None or len(words) != 4:
                raise ValueError(f"{path.name}, line {number}: expected ': section' or four words, got {line!r}")
            sections[current].append((words[0], words[1], words[2], words[3]))
    return sections


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
        return self.used / self.total if self.total else 0.0


def pair_cosines(wv: object, pairs: Sequence[tuple[str, str, float]],
                 normalize: Normalizer = str.lower) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """The pairs whose two words are both in the vocabulary: (word pairs, cosines (P,), human ratings (P,)).

    ``normalize`` maps a word of the set to the form the corpus uses (see :func:`word_similarity`).
    """
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
    """
    kept, cosines, ratings = pair_cosines(wv, pairs, normalize)
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
    """
    restrict_vocab = check_int("restrict_vocab", restrict_vocab, low=1)
    chunk = check_int("chunk", chunk, low=1)
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


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every Python process (unlike ``hash``, which is salted per process
    unless PYTHONHASHSEED is set). gensim seeds each word's starting vector with ``hashfxn(word + str(seed))``."""
    return zlib.crc32(text.encode("utf-8"))


#: The hyperparameters the gensim comparison takes (those gensim's Word2Vec has, under the course's names).
GENSIM_PARAMS = ("model", "dim", "window", "negative", "min_count", "sample", "power", "epochs", "lr", "min_lr",
                 "seed")


def gensim_word2vec(sentences: Iterable[Sequence[str]], **params: object) -> WordVectors:
    """Train gensim's ``Word2Vec`` with :func:`helpers.word2vec.train_word2vec`'s parameter names, on one worker.

    Parameters
    ----------
    sentences : iterable of list of str
        Read once (a generator works; gensim itself would need to read it once per epoch).
    **params
        Any of :data:`GENSIM_PARAMS`, declared, checked and defaulted by :mod:`helpers.params`
        (:data:`helpers.params.WORD2VEC_DEFAULTS`, gensim's own defaults except that skip-gram is the default):
        ``dim`` is gensim's ``vector_size``, ``lr``/``min_lr`` its ``alpha``/``min_alpha``, ``power`` its
        ``ns_exponent``.

    Returns
    -------
    WordVectors
        The input vectors (V, d), with ``output_vectors`` (gensim's ``syn1neg``, V x d) and ``counts`` (V,).
        One worker thread and :func:`stable_hash` make the result the same in every run and process (gensim's
        default hash is Python's salted ``hash``).

    Raises
    ------
    TypeError
        For a name gensim's comparison does not take (with the closest valid one), or a corpus that is not a list
        of token lists.
    ValueError
        For a value out of its range (named with its range), or an empty corpus.
    """
    from gensim.models import Word2Vec

    p = validate(params, {name: WORD2VEC_DEFAULTS[name] for name in GENSIM_PARAMS})
    sentences = check_sentences(sentences)
    vocabulary_from_counts(Counter(w for s in sentences for w in s), p["min_count"])  # our message if none is kept
    trained = Word2Vec(sentences, sg=int(p["model"] == "skipgram"), vector_size=p["dim"], window=p["window"],
                       negative=p["negative"], ns_exponent=p["power"], hs=0, min_count=p["min_count"],
                       sample=p["sample"], epochs=p["epochs"], alpha=p["lr"], min_alpha=p["min_lr"], seed=p["seed"],
                       workers=1, hashfxn=stable_hash)
    words = trained.wv.index_to_key
    return WordVectors(trained.wv.vectors, words, output_vectors=trained.syn1neg,
                       counts=np.array([trained.wv.get_vecattr(w, "count") for w in words], dtype=np.int64))


def evaluate(wv: object, normalize: Normalizer = str.lower,
             similarity_sets: Iterable[str] = ("wordsim353.tsv", "simlex999.txt"),
             analogies: str | None = "questions-words.txt") -> dict[str, float]:
    """Every measure of this module in one flat dict (for tables): ``<set> spearman``, ``<set> pairs used``,
    ``analogy accuracy``, ``analogies used``."""
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
