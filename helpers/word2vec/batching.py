"""From sentences to minibatches of windows, streamed: memory grows with the corpus by its ids alone (4 bytes a token).

The corpus is held once, as one int32 id per known token (:class:`EncodedCorpus`). Each epoch reads it chunk by
chunk: subsample the chunk's tokens, draw each token's window size, and make its window (the course's one rule,
:func:`helpers.corpus.window_positions`, never crossing a sentence; here a compiled loop, tested against it). The
chunk's windows are shuffled and cut into batches of a fixed number of windows: a (b, 2 * window) array of context
words, real ones first, and how many each window has. Only one chunk's windows exist at a time, a few megabytes
whatever the corpus size.

Why shuffle: the kernels take one SGD step per window, and in text order consecutive windows share most of their
words, so a word gets several steps in a row from nearly the same context. Shuffling the windows of each chunk
(about 30,000 tokens) gave better vectors, most clearly for CBOW: on head500 at gensim's defaults, over five seeds,
WordSim-353 0.094-0.127 in text order and 0.131-0.160 shuffled (gensim: 0.120-0.160), measured 2026-12-01.
"""

from __future__ import annotations

import itertools
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..corpus import Vocabulary, _check_sentences, vocabulary_from_counts

#: Tokens read per chunk at window 5 (the (chunk, 2 * window) position arrays are the largest temporaries: 2.6 MB
#: each); a wider window reads proportionally fewer.
CHUNK_TOKENS = 1 << 15
#: Below this fraction of windows kept by subsampling, say so: the run trains on little of the text.
_FEW_KEPT = 0.1
#: Fewer expected windows per epoch than this is refused (an epoch would often have none at all).
_FEWEST_WINDOWS = 10
#: Tokens read and renumbered per step of :func:`encode_corpus` (bounds its temporaries).
_ENCODE_TOKENS = 1 << 16
#: A longer sentence is trained as consecutive pieces of this many (known) tokens, as gensim's ``LineSentence`` and
#: ``Text8Corpus`` cut it (gensim's trainer drops a longer one's tail): text8 is one line of 17M tokens, and one
#: chunk of that would hold gigabytes of windows. A cut loses the pairs across it: 0.02% of them at window 5.
MAX_SENTENCE_TOKENS = 10_000


@dataclass(frozen=True)
class EncodedCorpus:
    """A corpus as word ids: ``ids`` (N,) int32, the known tokens in text order; ``starts`` (S + 1,) int64, where
    each sentence begins in ``ids`` (sentence s is ``ids[starts[s]:starts[s + 1]]``, possibly empty; a sentence
    longer than ``MAX_SENTENCE_TOKENS`` counts as its pieces);
    ``raw_tokens``, the number of tokens before ``min_count`` dropped the rare ones (what speeds are counted in)."""

    vocab: Vocabulary
    ids: np.ndarray
    starts: np.ndarray
    raw_tokens: int

    def has_pair(self) -> bool:
        """Whether some sentence has two known words (else no window has a context word)."""
        return bool(np.any(np.diff(self.starts) >= 2))


def as_sentences(sentences: object) -> Iterable[Sequence[str]]:
    """``sentences`` as something that can be read more than once, with messages for what is not a corpus.

    A list (any sequence) and a corpus object that starts again at each ``iter()`` (gensim's ``LineSentence`` or
    ``Text8Corpus``, a class reading a file) are returned as they are: the encoder reads them twice, one sentence
    at a time, and never holds them whole. A one-shot iterator (a generator) can be read only once, so it is listed.
    """
    if sentences is None or isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
        shown = "one string" if isinstance(sentences, (str, bytes)) else type(sentences).__name__
        raise TypeError(f"sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], not {shown}")
    if isinstance(sentences, Sequence) or iter(sentences) is not sentences:
        return sentences
    listed = list(sentences)
    if not listed:
        raise ValueError("sentences is an iterator that yielded nothing: was it used up already (a generator can be "
                         "read only once)? Pass a list of token lists")
    return listed


def _sentence_length(sentence: object) -> int:
    if isinstance(sentence, str):  # len() would count its characters
        raise TypeError("a sentence is one string")
    return len(sentence)  # type: ignore[arg-type]  - a TypeError here is reported by _check_sentences


def encode_corpus(sentences: Iterable[Sequence[str]], min_count: int) -> EncodedCorpus:
    """The vocabulary of ``sentences`` (by :func:`helpers.corpus.vocabulary_from_counts`, as the step trainer's) and
    the corpus as ids: about 4 bytes per token (plus 24 per sentence), whatever the sentences' lengths.

    Two readings of ``sentences``, one sentence at a time: their lengths, then their tokens, each of which gets its
    first-seen id straight into one int32 array, ``_ENCODE_TOKENS`` tokens at a time (so a whole book on one line
    costs no more than many short lines). Those ids are then renumbered into the vocabulary's, dropping rare words,
    in place and block by block. A sentence of more than ``MAX_SENTENCE_TOKENS`` known tokens is then cut into
    pieces of that length. The type of each *distinct* token is checked; any problem is reported by the corpus
    module's own checks.
    """
    try:
        lengths = np.fromiter(map(_sentence_length, sentences), dtype=np.int64)
    except TypeError:  # a sentence that is a string, or has no length
        _check_sentences(sentences)  # raises its usual, precise TypeError
        raise
    bounds = np.r_[0, np.cumsum(lengths)]  # where each sentence begins among all tokens
    ids, first_seen = np.empty(int(bounds[-1]), np.int32), defaultdict()
    first_seen.default_factory = first_seen.__len__  # a new word's id is how many came before it
    tokens = map(first_seen.__getitem__, itertools.chain.from_iterable(sentences))  # in C: 3x a generator's speed
    try:
        for lo in range(0, len(ids), _ENCODE_TOKENS):
            size = min(_ENCODE_TOKENS, len(ids) - lo)
            ids[lo:lo + size] = np.fromiter(itertools.islice(tokens, size), dtype=np.int32, count=size)
        changed = next(tokens, None) is not None
    except TypeError:  # an unhashable token
        _check_sentences(sentences)
        raise
    except ValueError:  # fromiter: fewer tokens than the lengths promised
        changed = True
    if changed:
        raise ValueError(f"sentences gave {len(ids):,} tokens on a first reading and another number on the second: a "
                         "corpus object must yield the same sentences each time it is read (or pass a list)")
    words = list(first_seen)
    if not all(isinstance(w, str) for w in words):
        _check_sentences(sentences)
    counts = np.zeros(len(words), np.int64)
    for lo in range(0, len(ids), _ENCODE_TOKENS):
        counts += np.bincount(ids[lo:lo + _ENCODE_TOKENS], minlength=len(words))
    vocab = vocabulary_from_counts(dict(zip(words, counts.tolist())), min_count)
    new_id = np.array([vocab.key_to_index.get(w, -1) for w in words], dtype=np.int32)
    starts, filled = np.empty(len(bounds), np.int64), 0  # known tokens before each sentence
    for lo in range(0, len(ids), _ENCODE_TOKENS):
        block = new_id[ids[lo:lo + _ENCODE_TOKENS]]  # a copy: writing into ids[filled:] (filled <= lo) is safe
        known = block >= 0
        first, last = np.searchsorted(bounds, [lo, lo + len(block)])  # sentences beginning inside this block
        known_before = np.r_[0, np.cumsum(known)]
        starts[first:last] = filled + known_before[bounds[first:last] - lo]
        ids[filled:filled + int(known_before[-1])] = block[known]
        filled += int(known_before[-1])
    starts[np.searchsorted(bounds, len(ids)):] = filled  # the end, and sentences that begin there (empty ones)
    ids.resize(filled, refcheck=False)  # the rare words' slots at the end, given back without a copy
    return EncodedCorpus(vocab, ids, _cut_long_sentences(starts), int(bounds[-1]))


def _cut_long_sentences(starts: np.ndarray) -> np.ndarray:
    """``starts`` (S + 1,) with a cut every ``MAX_SENTENCE_TOKENS`` tokens inside each longer sentence."""
    long = np.flatnonzero(np.diff(starts) > MAX_SENTENCE_TOKENS)
    if len(long) == 0:
        return starts
    cuts = [np.arange(starts[s] + MAX_SENTENCE_TOKENS, starts[s + 1], MAX_SENTENCE_TOKENS) for s in long]
    return np.sort(np.concatenate([starts, *cuts]))


def _chunks(corpus: EncodedCorpus, window: int) -> list[tuple[int, int]]:
    """Sentence ranges [first, last) of about ``CHUNK_TOKENS * 5 / window`` tokens each (at least one sentence)."""
    chunk = max(1024, CHUNK_TOKENS * 5 // window)  # a wide window: fewer tokens per chunk, the same memory
    n_sentences = len(corpus.starts) - 1
    cuts = np.unique(np.r_[np.searchsorted(corpus.starts, np.arange(0, len(corpus.ids), chunk)), n_sentences])
    cuts = cuts[cuts <= n_sentences]
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


def expected_windows(corpus: EncodedCorpus, keep: np.ndarray) -> float:
    """Expected number of windows with at least one context word per epoch, after subsampling.

    A kept token has a context word exactly when another token of its sentence is kept (the nearest kept one is
    then adjacent, and every window reaches at least 1), so the expectation is
    ``sum_i p_i * (1 - prod_{j != i in i's sentence} (1 - p_j))`` with ``p = keep[ids]``. Computed chunk by
    chunk, so its temporaries do not grow with the corpus.
    """
    total = 0.0
    for first, last in _chunks(corpus, 5):
        p = keep[corpus.ids[corpus.starts[first]:corpus.starts[last]]]
        sentence = np.repeat(np.arange(last - first), np.diff(corpus.starts[first:last + 1]))
        certain = p >= 1.0
        with np.errstate(divide="ignore"):
            log_drop = np.where(certain, 0.0, np.log1p(-np.minimum(p, 1.0)))  # log(1 - p_j), certain ones apart
        log_all = np.bincount(sentence, log_drop, minlength=last - first)[sentence]
        certain_others = np.bincount(sentence, certain, minlength=last - first)[sentence] - certain
        none_other_kept = np.where(certain_others > 0, 0.0, np.exp(log_all - log_drop))
        total += float(np.sum(p * (1.0 - none_other_kept)))
    return total


def check_subsampling(corpus: EncodedCorpus, keep: np.ndarray, sample: float) -> float:
    """Expected windows per epoch after subsampling with ``keep`` (from ``sample``); refuse a corpus that
    subsampling empties, and warn when it keeps little of it."""
    kept = expected_windows(corpus, keep)
    whole = expected_windows(corpus, np.ones_like(keep))
    advice = (f"sample={sample:g} drops frequent words, and in a corpus of {len(corpus.ids):,} tokens "
              "every word is frequent: pass sample=0 (subsampling is meant for large corpora, where words like "
              "'the' are a tiny fraction of the text)")
    if kept < _FEWEST_WINDOWS and kept < 0.5 * whole:  # few because of subsampling, not a short corpus
        raise ValueError(f"subsampling would leave about {kept:.1f} of the {whole:,.0f} windows per epoch, too "
                         f"few to train on: {advice}")
    if kept < _FEW_KEPT * whole:
        warnings.warn(f"subsampling leaves about {kept:,.0f} of the {whole:,.0f} windows per epoch "
                      f"({kept / whole:.0%}), so training sees little of the text: {advice}", stacklevel=4)
    return kept


@njit(nogil=True, cache=True)
def _fill_windows(ids, sentence, reach, window, contexts, counts):  # noqa: ANN001, ANN202
    """Row i of ``contexts`` gets token i's context words (offsets -reach[i]..-1, then 1..reach[i], within its
    sentence), ``counts[i]`` how many: :func:`helpers.corpus.window_positions`' rule in one pass over the chunk,
    where numpy needed several passes over (n, 2 * window) arrays (and made epochs half batching)."""
    n = len(sentence)
    for i in range(n):
        r, c = min(reach[i], window), 0
        for j in range(max(0, i - r), min(n, i + r + 1)):
            if j != i and sentence[j] == sentence[i]:
                contexts[i, c] = ids[j]
                c += 1
        counts[i] = c


def load_window_filler() -> None:
    """Compile or load :func:`_fill_windows` for training's types (see :func:`.kernels.load_kernels`)."""
    if not _fill_windows.signatures:
        one = np.zeros(1, np.int32)
        _fill_windows(one, one, np.ones(1, np.int64), 1, np.zeros((1, 2), np.int32), one.copy())


def _chunk_windows(corpus: EncodedCorpus, first: int, last: int, keep: np.ndarray, window: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows of sentences ``first..last - 1`` after subsampling, in text order: contexts (n, 2 * window) int32
    with the real context words first and -1 after them, centres (n,) and counts (n,) of real context words (all
    >= 1)."""
    lo, hi = corpus.starts[first], corpus.starts[last]
    ids = corpus.ids[lo:hi]
    sentence = np.repeat(np.arange(last - first, dtype=np.int32), np.diff(corpus.starts[first:last + 1]))
    kept = rng.random(len(ids)) < keep[ids]
    ids, sentence = ids[kept], sentence[kept]
    reach = rng.integers(1, window + 1, size=len(ids))
    contexts = np.full((len(ids), 2 * window), -1, dtype=np.int32)
    counts = np.empty(len(ids), np.int32)
    _fill_windows(ids, sentence, reach, window, contexts, counts)
    rows = np.flatnonzero(counts > 0)
    return np.take(contexts, rows, axis=0), ids[rows], counts[rows]  # take: 5x faster than contexts[rows] here


@dataclass(frozen=True)
class Batch:
    """Windows of one chunk: ``contexts`` (b, 2 * window) int32, real context words first; ``counts`` (b,) int32,
    how many each has; ``centres`` (b,) int32; and ``progress``, the fraction of this epoch's tokens read when the
    batch is trained (for the learning rate)."""

    contexts: np.ndarray
    counts: np.ndarray
    centres: np.ndarray
    progress: float


def epoch_batches(corpus: EncodedCorpus, keep: np.ndarray, window: int, batch_windows: int,
                  rng: np.random.Generator) -> Iterator[Batch]:
    """This epoch's minibatches, made chunk by chunk, each chunk's windows shuffled (see the module notes).

    Parameters
    ----------
    corpus : EncodedCorpus
    keep : ndarray, shape (V,)
        Probability of keeping each word (frequent-word subsampling, :func:`helpers.corpus.keep_probabilities`).
    window : int
        Largest window; each token draws its own from 1..window.
    batch_windows : int
        Windows per batch (a chunk's last batch may hold fewer).
    rng : numpy.random.Generator
    """
    n_tokens = max(1, len(corpus.ids))
    for first, last in _chunks(corpus, window):
        contexts, centres, counts = _chunk_windows(corpus, first, last, keep, window, rng)
        order = rng.permutation(len(centres))  # see the module notes: shuffled windows learn better vectors
        contexts, centres, counts = np.take(contexts, order, axis=0), centres[order], counts[order]
        read_before, read_after = corpus.starts[first] / n_tokens, corpus.starts[last] / n_tokens
        for lo in range(0, len(centres), batch_windows):
            hi = min(lo + batch_windows, len(centres))
            yield Batch(contexts[lo:hi], counts[lo:hi], centres[lo:hi],
                        read_before + (read_after - read_before) * lo / len(centres))
