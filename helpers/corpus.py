"""From raw text to training examples: tokens, a vocabulary, subsampling, (target, context) pairs and noise words.

Everything random takes a ``numpy.random.Generator`` so that one seed reproduces a whole run.

Checks happen once, at the edge: each public function checks its arguments (hyperparameters through
:func:`helpers.params.check`, corpora through :func:`check_sentences`); the trainers, which validated everything in
their constructor, call the unchecked cores (:func:`vocabulary_of`, :func:`pairs_of`) instead of re-checking
every epoch.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .params import check
from .validation import check_int

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lowercase word tokens (letters, digits and inner apostrophes).

    >>> tokenize("I saw a Mole at the zoo!")
    ['i', 'saw', 'a', 'mole', 'at', 'the', 'zoo']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a string, got {type(text).__name__}")
    return _TOKEN.findall(text.lower())


def check_tokens(sentence: object, name: str = "sentence") -> list[str]:
    """Return one sentence as a list of string tokens, or raise a ``TypeError`` that says how to fix it.

    A plain string is refused (iterating it would give letters, not words).
    """
    if isinstance(sentence, str):
        raise TypeError(f"{name} is a string; split it into tokens first, e.g. helpers.corpus.tokenize(text) or "
                        f"text.split() (got {sentence[:40]!r})")
    if not isinstance(sentence, Iterable):
        raise TypeError(f"{name} must be a list of string tokens, e.g. ['i', 'saw', 'a', 'mole'], "
                        f"got {type(sentence).__name__}")
    tokens = list(sentence)
    for j, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"{name}, token {j} is {token!r:.40} ({type(token).__name__}); every token must be a "
                            "string")
    return tokens


def check_sentences(sentences: object) -> list[list[str]]:
    """Return sentences as a list of lists of strings (read once, so a generator works), or raise a
    ``TypeError`` naming the first bad sentence or token and the fix.

    The one entry check of every public function that takes a corpus.
    """
    if isinstance(sentences, str):
        raise TypeError("sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], not one string")
    if not isinstance(sentences, Iterable):
        raise TypeError("sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], "
                        f"got {type(sentences).__name__}")
    return [check_tokens(sentence, f"sentence {i}") for i, sentence in enumerate(sentences)]


_check_sentences = check_sentences  # the name the fast trainer imports


def context_span(length: int, position: int, window: int | None) -> tuple[int, int]:
    """The context window of the token at ``position`` in a sentence of ``length`` tokens: ``(start, stop)``.

    The course's one context rule: the context of a token is every *other position* at most ``window`` tokens
    away within its sentence (``None``: the whole sentence). Other copies of the same word inside the window
    are context like any word, exactly as in the (target, context) pairs of :func:`skipgram_pairs` (and
    word2vec); only the position itself is left out. :func:`window_positions` is the vectorized form.
    """
    if window is None:
        return 0, length
    return max(0, position - window), min(length, position + window + 1)


def context_of(sentence: Sequence[str], position: int, window: int | None) -> list[str]:
    """The context words of ``sentence[position]`` under :func:`context_span`'s rule, in sentence order.

    No checks: callers validate once (see :func:`helpers.senses.context_words` for the checked version).
    """
    start, stop = context_span(len(sentence), position, window)
    return [sentence[j] for j in range(start, stop) if j != position]


@dataclass(frozen=True)
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

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    @property
    def total(self) -> int:
        """Number of tokens in the corpus that are in the vocabulary."""
        return int(self.counts.sum())

    def encode(self, sentences: Iterable[Sequence[str]]) -> list[np.ndarray]:
        """Map each sentence to an int32 array of word ids, dropping words not in the vocabulary."""
        index = self.key_to_index
        return [
            np.fromiter((index[w] for w in s if w in index), dtype=np.int32)
            for s in _check_sentences(sentences)
        ]


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


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """Probability of keeping each occurrence of a word under word2vec's frequent-word subsampling.

    A word that makes up a fraction ``f`` of the corpus is kept with probability
    ``(sqrt(f / sample) + 1) * sample / f`` (capped at 1): rare words are always kept, "the" often dropped.
    ``sample=0`` keeps everything.

    Parameters
    ----------
    counts : ndarray, shape (V,)
    sample : float, >= 0

    Returns
    -------
    ndarray of float64, shape (V,)
    """
    sample = check("sample", sample)
    counts = _counts(counts)
    if sample == 0:
        return np.ones_like(counts)
    threshold = sample * counts.sum()
    return np.minimum(1.0, (np.sqrt(counts / threshold) + 1.0) * threshold / counts)


def _counts(counts: object) -> np.ndarray:
    """``counts`` as a float64 array (V,), or a ``ValueError`` saying what a count array must be."""
    try:
        array = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError):
        array = np.empty(0)
    if array.ndim != 1 or len(array) == 0 or not np.all(np.isfinite(array)) or np.any(array < 0) \
            or array.sum() == 0:
        raise ValueError("counts must be a non-empty 1-D array of finite non-negative numbers with a positive sum "
                         "(e.g. vocab.counts)")
    return array


def subsample(
    encoded: Sequence[np.ndarray], keep: np.ndarray, rng: np.random.Generator
) -> list[np.ndarray]:
    """Drop each token with probability ``1 - keep[token]``; sentence boundaries stay where they are."""
    return [s[rng.random(len(s)) < keep[s]] for s in encoded]


def _flatten(encoded: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate sentences into one id array and the sentence number of each token, shapes (N,), (N,)."""
    lengths = np.fromiter((len(s) for s in encoded), dtype=np.int64, count=len(encoded))
    ids = np.concatenate(encoded) if len(encoded) else np.empty(0, dtype=np.int32)
    return ids.astype(np.int32, copy=False), np.repeat(np.arange(len(encoded)), lengths)


def window_positions(sentence: np.ndarray, reach: np.ndarray, window: int) -> np.ndarray:
    """Where each token's context words are: the one sliding-window rule that pairs and CBOW windows share.

    Parameters
    ----------
    sentence : ndarray of int, shape (N,)
        Sentence number of each token of the flattened corpus.
    reach : ndarray of int, shape (N,)
        Each token's own window size, 1..``window`` (word2vec's dynamic window).
    window : int, >= 1

    Returns
    -------
    ndarray of int64, shape (N, 2 * window)
        Row i holds the positions at offsets -window..-1, 1..window from token i, or -1 where that offset lies
        beyond ``reach[i]`` or outside token i's sentence. Row-major order is corpus order.
    """
    positions = np.full((len(sentence), 2 * window), -1, dtype=np.int64)
    for offset in range(1, window + 1):
        here = np.arange(offset, len(sentence))
        same = sentence[here] == sentence[here - offset]
        # token `here` sees `here - offset` on its left if its own window reaches that far ...
        left = here[same & (reach[here] >= offset)]
        positions[left, window - offset] = left - offset
        # ... and token `here - offset` sees `here` on its right if *its* window does
        right = here[same & (reach[here - offset] >= offset)] - offset
        positions[right, window + offset - 1] = right + offset
    return positions


def skipgram_pairs(
    encoded: Sequence[np.ndarray],
    window: int,
    rng: np.random.Generator | None = None,
    *,
    return_reach: bool = False,
) -> tuple[np.ndarray, ...]:
    """All (target, context) pairs of a sliding window that never crosses a sentence boundary, in text order.

    With ``rng``, each target gets its own window size drawn uniformly from 1..``window`` (word2vec's dynamic
    window: near words count more often than far ones). Without it, every target sees the full window.

    Parameters
    ----------
    encoded : list of int arrays
        Sentences as word ids.
    window : int, >= 1
        Largest distance between target and context.
    rng : numpy.random.Generator, optional
    return_reach : bool
        Also return the window size drawn for each token.

    Returns
    -------
    targets, contexts : ndarray of int32, shape (P,)
        Ordered as they occur in the text: by target position, then context position.
    positions : ndarray of int64, shape (P, 2)
        Index of the target and of the context token in the flattened corpus.
    reach : ndarray of int64, shape (N,), only if ``return_reach``
        Window size of each token of the flattened corpus (``window`` for all without ``rng``); the sentence
        edge may cut the window shorter.
    """
    window = check("window", window)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)) or None, "
                        f"got {type(rng).__name__}")
    if not isinstance(return_reach, bool):
        raise TypeError(f"return_reach must be True or False, got {return_reach!r}")
    pairs = pairs_of(encoded_ids(encoded), window, rng)
    return pairs if return_reach else pairs[:3]


def encoded_ids(encoded: object) -> tuple[np.ndarray, np.ndarray]:
    """Check encoded sentences (a list of int arrays) and flatten them: ids (N,) int32 and sentence numbers (N,)."""
    if isinstance(encoded, (str, np.ndarray)) or not isinstance(encoded, Iterable):
        raise TypeError("encoded must be a list of int arrays, one per sentence (vocab.encode(sentences)), "
                        f"got {type(encoded).__name__}")
    arrays = []
    for i, sentence in enumerate(encoded):
        array = np.asarray(sentence)
        if array.ndim != 1 or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
            raise TypeError(f"encoded sentence {i} must be a 1-D array of word ids (vocab.encode(sentences)), "
                            f"got {array.dtype} of shape {array.shape}")
        if array.size and array.min() < 0:
            raise ValueError(f"encoded sentence {i} holds a negative word id ({array.min()})")
        arrays.append(array.astype(np.int32, copy=False))
    return _flatten(arrays)


def pairs_of(
    flat: tuple[np.ndarray, np.ndarray], window: int, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`skipgram_pairs` without the checks, for trainers that validated ``window`` once: takes
    ``encoded_ids(encoded)`` and returns (targets, contexts, positions, reach)."""
    ids, sentence = flat
    reach = rng.integers(1, window + 1, size=len(ids)) if rng is not None else np.full(len(ids), window)
    positions = window_positions(sentence, reach, window)
    t_pos, slot = np.nonzero(positions >= 0)
    c_pos = positions[t_pos, slot]
    return ids[t_pos], ids[c_pos], np.stack([t_pos, c_pos], axis=1), reach.astype(np.int64, copy=False)


def cbow_examples(
    encoded: Sequence[np.ndarray], window: int, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """CBOW examples: every target with the words of its window (the mirror of skip-gram pairs).

    Returns
    -------
    contexts : ndarray of int32, shape (N, 2 * window)
        Context word ids, padded with -1 where the window is cut by a sentence edge or a smaller dynamic window.
    targets : ndarray of int32, shape (N,)
        Only targets with at least one context word are kept.
    """
    targets, contexts, positions = skipgram_pairs(encoded, window, rng)
    t_pos = positions[:, 0]
    # Pairs are sorted by target position, so each target's contexts form one run.
    starts = np.flatnonzero(np.r_[True, t_pos[1:] != t_pos[:-1]]) if len(t_pos) else np.empty(0, np.int64)
    slot = np.arange(len(t_pos)) - np.repeat(starts, np.diff(np.r_[starts, len(t_pos)]))
    out = np.full((len(starts), 2 * window), -1, dtype=np.int32)
    out[np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(t_pos)])), slot] = contexts
    return out, targets[starts]


class NoiseSampler:
    """Draws negative ("noise") words from the unigram distribution raised to ``power``.

    ``power=0.75`` (word2vec's choice) flattens the distribution: frequent words are drawn less often than
    their share of the text, rare words more often. A precomputed table makes each draw one random index.

    Parameters
    ----------
    counts : ndarray, shape (V,)
    rng : numpy.random.Generator
    power : float, >= 0
    table_size : int
        Entries of the sampling table; each word gets about ``table_size * p(word)`` of them.
    """

    def __init__(
        self, counts: np.ndarray, rng: np.random.Generator, power: float = 0.75, table_size: int = 1_000_000
    ) -> None:
        power = check("power", power)
        table_size = check_int("table_size", table_size, low=1, high=10**8)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                            f"got {type(rng).__name__}")
        counts = _counts(counts)
        weights = np.where(counts > 0, counts**power, 0.0)
        self.probabilities = weights / weights.sum()
        repeats = np.maximum(np.round(self.probabilities * table_size), counts > 0).astype(np.int64)
        self.table = np.repeat(np.arange(len(counts), dtype=np.int32), repeats)
        self.rng = rng

    def sample(self, size: int | tuple[int, ...], exclude: np.ndarray | int | None = None) -> np.ndarray:
        """Draw noise word ids of shape ``size``.

        ``exclude`` (broadcastable to ``size``, e.g. shape (n, 1) for ``size=(n, k)``) holds the true context
        word of each row: draws equal to it are redrawn, so a real context word is never used as a negative.
        Pass ``exclude=None`` to allow such "false negatives".
        """
        draws = self.table[self.rng.integers(0, len(self.table), size=size)]
        if exclude is None:
            return draws
        exclude = np.broadcast_to(np.asarray(exclude), draws.shape)
        if np.count_nonzero(self.probabilities) == 1 and np.any(self.probabilities[exclude] > 0):
            raise ValueError("only one word can be drawn as noise, so it cannot be excluded; use a larger vocabulary")
        bad = draws == exclude
        while bad.any():
            draws[bad] = self.table[self.rng.integers(0, len(self.table), size=int(bad.sum()))]
            bad = draws == exclude
        return draws
