"""From raw text to a vocabulary: tokens, the corpus checks, word counts; the pairs and subsampling made from it
are :mod:`helpers.text.windows`'s and :mod:`helpers.text.sampling`'s (all of them: :mod:`helpers.text`).

Everything random takes a ``numpy.random.Generator`` so that one seed reproduces a whole run.

Checks happen once, at the edge: each public function checks its arguments (hyperparameters through
:func:`helpers.params.check`, corpora through :func:`check_sentences`); the trainers, which validated everything in
their constructor, call the unchecked cores (:func:`vocabulary_of`, :func:`pairs_of`) instead of re-checking
every epoch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..params import check

_DECODE = "decode it first, e.g. data.decode('utf-8')"


def check_tokens(sentence: object, name: str = "sentence") -> list[str]:
    """Return one sentence as a list of string tokens, or raise a ``TypeError`` that says how to fix it.

    A plain string is refused (iterating it would give letters, not words).
    """
    if isinstance(sentence, (bytes, bytearray)):
        raise TypeError(f"{name} is bytes ({bytes(sentence[:40])!r}), not tokens: {_DECODE}, then split it into "
                        "tokens with helpers.text.tokenize(text)")
    if isinstance(sentence, str):
        raise TypeError(f"{name} is a string ({sentence[:40]!r}); split it into tokens first, e.g. "
                        "helpers.text.tokenize(text) or text.split()")
    if not isinstance(sentence, Iterable):
        raise TypeError(f"{name} must be a list of string tokens, e.g. ['i', 'saw', 'a', 'mole'], "
                        f"got {type(sentence).__name__}")
    tokens = list(sentence)
    for j, token in enumerate(tokens):
        if not isinstance(token, str):
            fix = f"; {_DECODE}" if isinstance(token, (bytes, bytearray)) else ""
            raise TypeError(f"{name}, token {j} is {token!r:.40} ({type(token).__name__}); every token must be a "
                            f"string{fix}")
    return tokens


def check_sentences(sentences: object) -> list[list[str]]:
    """Return sentences as a list of lists of strings (read once, so a generator works), or raise a
    ``TypeError`` naming the first bad sentence or token and the fix.

    The one entry check of every public function that takes a corpus.
    """
    if isinstance(sentences, (str, bytes, bytearray)):
        raise TypeError("sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], not one "
                        f"{'string' if isinstance(sentences, str) else 'bytes object'}: split the text into "
                        "sentences and each into tokens (helpers.text.tokenize)")
    if not isinstance(sentences, Iterable):
        raise TypeError("sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], "
                        f"got {type(sentences).__name__}")
    return [check_tokens(sentence, f"sentence {i}") for i, sentence in enumerate(sentences)]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Words kept for training, most frequent first.

    Attributes
    ----------
    index_to_key : list of str, length V
        Word of each row of the embedding matrices.
    counts : ndarray of int64, shape (V,)
        How often each word occurs in the corpus.
    key_to_index : dict
        Inverse of ``index_to_key``.
    """

    index_to_key: list[str]
    counts: np.ndarray
    key_to_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_to_index", {w: i for i, w in enumerate(self.index_to_key)})

    def __eq__(self, other: object) -> bool:  # the generated __eq__ would compare the count arrays ambiguously
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self.index_to_key == other.index_to_key and np.array_equal(self.counts, other.counts)

    __hash__ = None  # equal vocabularies are equal by value, and the arrays are mutable

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        try:
            return word in self.key_to_index
        except TypeError:  # an unhashable "word" is simply not in the vocabulary
            return False

    @property
    def total(self) -> int:
        """Number of tokens in the corpus that are in the vocabulary."""
        return int(self.counts.sum())

    def encode(self, sentences: Iterable[Sequence[str]]) -> list[np.ndarray]:
        """Map each sentence to an int32 array of word ids, dropping words not in the vocabulary."""
        return self.encode_checked(check_sentences(sentences))

    def encode_checked(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """:meth:`encode` without the corpus check, for callers that ran :func:`check_sentences` already."""
        index = self.key_to_index
        return [np.fromiter((index[w] for w in s if w in index), dtype=np.int32) for s in sentences]


def build_vocabulary(sentences: Iterable[Sequence[str]], min_count: int = 1) -> Vocabulary:
    """Count the words of ``sentences`` and keep those seen at least ``min_count`` times.

    Words are ordered by count (descending), ties alphabetically, so the ids never depend on dict order.

    Raises
    ------
    TypeError
        If ``sentences`` is not a list of token lists (see :func:`check_sentences`).
    ValueError
        If ``min_count`` is out of range, the corpus is empty or no word reaches ``min_count``.
    """
    return vocabulary_of(check_sentences(sentences), check("min_count", min_count))


def vocabulary_of(sentences: list[list[str]], min_count: int) -> Vocabulary:
    """:func:`build_vocabulary` without the checks, for callers that checked ``sentences`` and ``min_count``."""
    return _vocabulary(Counter(w for s in sentences for w in s), min_count)


def vocabulary_from_counts(counts: Mapping[str, int], min_count: int = 1) -> Vocabulary:
    """The :class:`Vocabulary` of words counted ``counts[word]`` times: those seen at least ``min_count`` times,
    by count (descending), ties alphabetically. The one ordering rule every trainer uses.

    Raises
    ------
    ValueError
        If ``counts`` is empty or no word reaches ``min_count``.
    """
    return _vocabulary(counts, check("min_count", min_count))


def _vocabulary(counts: Mapping[str, int], min_count: int) -> Vocabulary:
    if not counts:
        raise ValueError("the corpus is empty: give at least one sentence with at least one token")
    kept = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    if not kept:
        top = max(counts, key=counts.__getitem__)  # the first of equals, as Counter.most_common gives
        raise ValueError(
            f"no word occurs min_count={min_count} times (the most frequent, {top!r}, occurs {counts[top]} times); "
            f"lower min_count or give more text"
        )
    return Vocabulary(kept, np.array([counts[w] for w in kept], dtype=np.int64))


_check_sentences = check_sentences  # the name the fast trainer imports

__all__ = [
    "Vocabulary", "build_vocabulary", "check_sentences", "check_tokens", "vocabulary_from_counts", "vocabulary_of",
]
