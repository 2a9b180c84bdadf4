"""From sentences to minibatches of windows, streamed: memory does not grow with the corpus.

Nothing per token is held: the corpus's words are counted once (:func:`encode_corpus`), and each epoch reads the
sentences again, as gensim does, chunk by chunk (:func:`_chunks`: many short sentences encoded at once, in C, and
a long one a block at a time, so a whole book on one line costs no more). Each chunk of about 30,000 known tokens
is subsampled, each token draws its window size and gets its window (the course's one rule,
:func:`helpers.corpus.window_positions`, never crossing a sentence; here a compiled loop, tested against it). The
chunk's windows are shuffled and cut into batches of a fixed number of windows: a (b, 2 * window) array of context
words, real ones first, and how many each window has. Only one chunk's windows exist at a time, a few megabytes
whatever the corpus size. Reading the sentences again each epoch costs about 30 ns a token, where holding them as
int32 ids cost 4 bytes a token.

Why shuffle: the kernels take one SGD step per window, and in text order consecutive windows share most of their
words, so a word gets several steps in a row from nearly the same context. Shuffling the windows of each chunk
(about 30,000 tokens) gave better vectors, most clearly for CBOW: on head500 at gensim's defaults, over five seeds,
WordSim-353 0.094-0.127 in text order and 0.131-0.160 shuffled (gensim: 0.120-0.160), measured 2026-12-01.
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    """A corpus and its vocabulary: ``sentences``, read again chunk by chunk each epoch (never held as ids);
    ``raw_tokens``, its tokens before ``min_count`` dropped the rare ones (what speeds are counted in); and
    ``known_tokens``, those left (N, what the learning rate's progress is counted in)."""

    vocab: Vocabulary
    sentences: Iterable[Sequence[str]]
    raw_tokens: int
    known_tokens: int


@dataclass(frozen=True)
class Chunk:
    """About ``CHUNK_TOKENS`` known tokens in text order: ``ids`` (n,) int32; ``sentence`` (n,) int32, which
    sentence (or piece of a long one) each token belongs to, numbered within the chunk; ``start`` and ``stop``,
    the chunk's place among the corpus's N known tokens."""

    ids: np.ndarray
    sentence: np.ndarray
    start: int
    stop: int


def as_sentences(sentences: object) -> Iterable[Sequence[str]]:
    """``sentences`` as something that can be read more than once, with messages for what is not a corpus.

    A list (any sequence) and a corpus object that starts again at each ``iter()`` (gensim's ``LineSentence`` or
    ``Text8Corpus``, a class reading a file) are returned as they are: training reads them again each epoch, one
    sentence at a time, and never holds them whole. A one-shot iterator (a generator) can be read only once, so
    it is listed.
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
    """The vocabulary of ``sentences`` (by :func:`helpers.corpus.vocabulary_from_counts`, as the step trainer's),
    in two readings of them, one sentence at a time: their lengths, then a count of each word. Nothing that grows
    with the corpus is kept but the counts of its distinct words: each epoch reads ``sentences`` again, chunk by
    chunk (:func:`_chunks`), as gensim does. The type of each *distinct* token is checked; any problem is reported
    by the corpus module's own checks.
    """
    try:
        raw_tokens = sum(map(_sentence_length, sentences))
    except TypeError:  # a sentence that is a string, or has no length
        _check_sentences(sentences)  # raises its usual, precise TypeError
        raise
    try:
        counts = Counter(itertools.chain.from_iterable(sentences))
    except TypeError:  # an unhashable token
        _check_sentences(sentences)
        raise
    if sum(counts.values()) != raw_tokens:
        raise _changed(raw_tokens)
    if not all(isinstance(w, str) for w in counts):
        _check_sentences(sentences)
    vocab = vocabulary_from_counts(counts, min_count)
    return EncodedCorpus(vocab, sentences, raw_tokens, int(vocab.counts.sum()))


def _changed(tokens: int) -> ValueError:
    return ValueError(f"sentences gave {tokens:,} tokens on a first reading and another number on a later one: a "
                      "corpus object must yield the same sentences each time it is read (or pass a list)")


def _pieces(sentences: Iterable[Sequence[str]], index: Mapping[str, int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The corpus's known tokens as blocks of (ids (n,) int32, lengths (p,) int64): whole sentences, or pieces of at
    most ``MAX_SENTENCE_TOKENS`` of longer ones, empty ones left out. Sentences are encoded about
    ``_ENCODE_TOKENS`` tokens at a time (one ``fromiter`` over many short ones, in C); a longer one, a block of
    its tokens at a time."""
    group: list[Sequence[str]] = []
    raw = 0
    for sentence in sentences:
        if len(sentence) > _ENCODE_TOKENS:
            if group:
                yield _encode_group(group, index)
                group, raw = [], 0
            yield from _encode_long(sentence, index)
            continue
        group.append(sentence)
        raw += len(sentence)
        if raw >= _ENCODE_TOKENS:
            yield _encode_group(group, index)
            group, raw = [], 0
    if group:
        yield _encode_group(group, index)


def _encode_group(group: list[Sequence[str]], index: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter(map(len, group), np.int64, len(group))
    ids = np.fromiter(map(index.get, itertools.chain.from_iterable(group), itertools.repeat(-1)), np.int32,
                      int(lengths.sum()))
    known = ids >= 0
    known_lengths = np.bincount(np.repeat(np.arange(len(group)), lengths)[known], minlength=len(group))
    return ids[known], _cut(known_lengths[known_lengths > 0])


def _cut(lengths: np.ndarray) -> np.ndarray:
    """Sentence lengths with each one over ``MAX_SENTENCE_TOKENS`` cut into pieces of that many, the rest last."""
    if np.all(lengths <= MAX_SENTENCE_TOKENS):
        return lengths
    pieces = []
    for n in lengths.tolist():
        full, rest = divmod(n, MAX_SENTENCE_TOKENS)
        pieces += [MAX_SENTENCE_TOKENS] * full + [rest] * (rest > 0)
    return np.array(pieces, dtype=np.int64)


def _encode_long(sentence: Sequence[str], index: Mapping[str, int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    tokens = map(index.get, iter(sentence), itertools.repeat(-1))
    carry = np.empty(0, np.int32)
    for lo in range(0, len(sentence), _ENCODE_TOKENS):
        size = min(_ENCODE_TOKENS, len(sentence) - lo)
        block = np.fromiter(itertools.islice(tokens, size), np.int32, size)
        carry = np.concatenate([carry, block[block >= 0]])
        full = len(carry) // MAX_SENTENCE_TOKENS * MAX_SENTENCE_TOKENS
        if full:
            yield carry[:full], np.full(full // MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, np.int64)
            carry = carry[full:]
    if len(carry):
        yield carry, np.array([len(carry)], np.int64)


def _chunks(corpus: EncodedCorpus, window: int) -> Iterator[Chunk]:
    """The corpus's known tokens, read again from its sentences, in chunks of whole sentences (or pieces): a chunk
    begins at the first sentence that begins at or after each multiple of ``CHUNK_TOKENS * 5 / window`` tokens."""
    size = max(1024, CHUNK_TOKENS * 5 // window)  # a wide window: fewer tokens per chunk, the same memory
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    start = pos = 0
    previous = -1  # where the previous sentence began
    for ids, lengths in _pieces(corpus.sentences, corpus.vocab.key_to_index):
        if len(lengths) == 0:  # a block of empty sentences, or of rare words only
            continue
        offsets = np.r_[0, np.cumsum(lengths)]
        begins = pos + offsets[:-1]
        cuts = np.flatnonzero(begins // size > np.r_[previous, begins[:-1]] // size)  # a multiple in (previous, begin]
        lo = 0
        for j in cuts.tolist():
            if j > lo:
                parts.append((ids[offsets[lo]:offsets[j]], lengths[lo:j]))
            if parts:
                yield _chunk(parts, start)
                parts = []
            start, lo = int(begins[j]), j
        parts.append((ids[offsets[lo]:], lengths[lo:]))
        pos, previous = pos + int(offsets[-1]), int(begins[-1])
    if pos != corpus.known_tokens:
        raise _changed(corpus.raw_tokens)
    if parts:
        yield _chunk(parts, start)


def _chunk(parts: list[tuple[np.ndarray, np.ndarray]], start: int) -> Chunk:
    ids = np.concatenate([p[0] for p in parts])
    lengths = np.concatenate([p[1] for p in parts])
    return Chunk(ids, np.repeat(np.arange(len(lengths), dtype=np.int32), lengths), start, start + len(ids))


def expected_windows(corpus: EncodedCorpus, keep: np.ndarray) -> float:
    """Expected number of windows with at least one context word per epoch, after subsampling.

    A kept token has a context word exactly when another token of its sentence is kept (the nearest kept one is
    then adjacent, and every window reaches at least 1), so the expectation is
    ``sum_i p_i * (1 - prod_{j != i in i's sentence} (1 - p_j))`` with ``p = keep[ids]``. Computed chunk by
    chunk, so its temporaries do not grow with the corpus.
    """
    return window_counts(corpus, keep)[0]


def window_counts(corpus: EncodedCorpus, keep: np.ndarray) -> tuple[float, int]:
    """:func:`expected_windows` with ``keep``, and the windows of an epoch without subsampling (the tokens whose
    sentence has another one), in one reading of the corpus."""
    kept, whole = 0.0, 0
    for chunk in _chunks(corpus, 5):
        p, sentence, n = keep[chunk.ids], chunk.sentence, int(chunk.sentence[-1]) + 1
        certain = p >= 1.0
        with np.errstate(divide="ignore"):
            log_drop = np.where(certain, 0.0, np.log1p(-np.minimum(p, 1.0)))  # log(1 - p_j), certain ones apart
        log_all = np.bincount(sentence, log_drop, minlength=n)[sentence]
        certain_others = np.bincount(sentence, certain, minlength=n)[sentence] - certain
        none_other_kept = np.where(certain_others > 0, 0.0, np.exp(log_all - log_drop))
        kept += float(np.sum(p * (1.0 - none_other_kept)))
        whole += int(np.sum(np.bincount(sentence)[sentence] >= 2))
    return kept, whole


def check_subsampling(corpus: EncodedCorpus, keep: np.ndarray, sample: float, min_count: int) -> float:
    """Expected windows per epoch after subsampling with ``keep`` (from ``sample``); refuse a corpus without a
    (target, context) pair or that subsampling empties, and warn when it keeps little of it."""
    kept, whole = window_counts(corpus, keep)
    if whole == 0:
        raise ValueError("the corpus has no (target, context) pair: after min_count, every sentence has fewer "
                         f"than two known words; give longer sentences or lower min_count={min_count}")
    advice = (f"sample={sample:g} drops frequent words, and in a corpus of {corpus.known_tokens:,} tokens "
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


def _chunk_windows(chunk: Chunk, keep: np.ndarray, window: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows of a chunk after subsampling, in text order: contexts (n, 2 * window) int32 with the real context
    words first and -1 after them, centres (n,) and counts (n,) of real context words (all >= 1)."""
    kept = rng.random(len(chunk.ids)) < keep[chunk.ids]
    ids, sentence = chunk.ids[kept], chunk.sentence[kept]
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
    n_tokens = max(1, corpus.known_tokens)
    for chunk in _chunks(corpus, window):
        contexts, centres, counts = _chunk_windows(chunk, keep, window, rng)
        order = rng.permutation(len(centres))  # see the module notes: shuffled windows learn better vectors
        contexts, centres, counts = np.take(contexts, order, axis=0), centres[order], counts[order]
        read_before, read_after = chunk.start / n_tokens, chunk.stop / n_tokens
        for lo in range(0, len(centres), batch_windows):
            hi = min(lo + batch_windows, len(centres))
            yield Batch(contexts[lo:hi], counts[lo:hi], centres[lo:hi],
                        read_before + (read_after - read_before) * lo / len(centres))
