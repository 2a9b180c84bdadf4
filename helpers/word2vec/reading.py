"""From sentences to chunks of word ids: a list is held as ids, a corpus object is read again each epoch.

:func:`encode_corpus` builds the vocabulary. What it keeps of the text depends on what the text is:

- a **list** of token lists is already in memory (at least 8 bytes a token for its pointers alone), so it is held
  once more as one int32 id per known token, 4 bytes a token: each epoch's chunks are then slices of it. A list
  whose ids would take more than ``MAX_HELD_BYTES`` (100 MB: 25M tokens) is read again each epoch instead;
- a **corpus object** that yields its sentences afresh at each ``iter()`` (gensim's ``LineSentence``, a class
  reading a file) is never held: each epoch reads it again, as gensim does, so memory does not grow with it.
  Reading costs a dictionary lookup per token per epoch, about 150 ns a token: CBOW on head500 (d=100, one
  worker) took 13-27% longer than from the same list (medians of 5-10 paired runs).

Both give the same chunks (:func:`_chunks`, of whole sentences, about ``CHUNK_TOKENS`` known tokens each), so a
list and a file holding the same text train the same vectors, bit for bit.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..text.corpus import Vocabulary, _check_sentences, vocabulary_from_counts

#: Tokens read per chunk at window 5 (the (chunk, 2 * window) position arrays are the largest temporaries: 2.6 MB
#: each); a wider window reads proportionally fewer.
CHUNK_TOKENS = 1 << 15
#: Tokens read and renumbered per step of encoding (bounds its temporaries), and sentences per held block.
_ENCODE_TOKENS = 1 << 16
#: A list is held as ids while they take at most this many bytes (4 a token, and 24 a sentence while encoding),
#: else it is read again each epoch as a corpus object is: what training adds stays well within 150 MB.
MAX_HELD_BYTES = 100 * 2**20
#: A longer sentence is trained as consecutive pieces of this many (known) tokens, as gensim's ``LineSentence`` and
#: ``Text8Corpus`` cut it (gensim's trainer drops a longer one's tail): text8 is one line of 17M tokens, and one
#: chunk of that would hold gigabytes of windows. A cut loses the pairs across it: 0.02% of them at window 5.
MAX_SENTENCE_TOKENS = 10_000


@dataclass(frozen=True)
class EncodedCorpus:
    """A corpus and its vocabulary. ``raw_tokens``: its tokens before ``min_count`` dropped the rare ones (what
    speeds are counted in); ``known_tokens``: those left (N, what the learning rate's progress is counted in).

    A list is held as ``ids`` (N,) int32, the known tokens in text order, and ``lengths`` (P,) int32, the length
    of each non-empty sentence (or piece of a long one); a corpus object is kept as ``sentences``, read again
    each epoch, and ``ids`` and ``lengths`` are None.
    """

    vocab: Vocabulary
    raw_tokens: int
    known_tokens: int
    ids: np.ndarray | None = None
    lengths: np.ndarray | None = None
    sentences: Iterable[Sequence[str]] | None = None


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
    ``Text8Corpus``, a class reading a file) are returned as they are, and read one sentence at a time, never
    listed. A one-shot iterator (a generator) can be read only once, so it is listed.
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
    if isinstance(sentence, Iterator):  # read here, it would be empty when training reads it again
        raise TypeError(f"a sentence is an iterator ({type(sentence).__name__}), which can be read only once; give "
                        "each sentence as a list of tokens, e.g. [list(s) for s in sentences]")
    return len(sentence)  # type: ignore[arg-type]  - a TypeError here is reported by _check_sentences


def encode_corpus(sentences: Iterable[Sequence[str]], min_count: int) -> EncodedCorpus:
    """The vocabulary of ``sentences`` (by :func:`helpers.text.vocabulary_from_counts`, as the step trainer's),
    and a list's known tokens as ids (see the module notes; a longer list is treated as a corpus object), in two
    readings of ``sentences``, one sentence at a time. The type of each *distinct* token is checked; any problem
    is reported by the corpus module's own checks, and a corpus object that yields other sentences on a later
    reading is refused.
    """
    try:
        raw_tokens = sum(map(_sentence_length, sentences))
    except TypeError as error:  # a sentence that is a string, an iterator, or has no length
        if "iterator" in str(error):
            raise
        _check_sentences(sentences)  # raises its usual, precise TypeError
        raise
    if isinstance(sentences, Sequence) and 4 * raw_tokens + 24 * len(sentences) <= MAX_HELD_BYTES:
        return _encode_held(sentences, raw_tokens, min_count)
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
    return EncodedCorpus(vocab, raw_tokens, int(vocab.counts.sum()), sentences=sentences)


def _encode_held(sentences: Sequence[Sequence[str]], raw_tokens: int, min_count: int) -> EncodedCorpus:
    """A list's vocabulary and ids: each token gets its first-seen id straight into one int32 array,
    ``_ENCODE_TOKENS`` tokens at a time (so a whole book on one line costs no more than many short lines); those
    ids are then renumbered into the vocabulary's, dropping rare words, in place and block by block."""
    lengths = np.fromiter(map(len, sentences), np.int64, len(sentences))
    bounds = np.r_[0, np.cumsum(lengths)]  # where each sentence begins among all tokens
    del lengths
    ids, first_seen = np.empty(raw_tokens, np.int32), defaultdict()
    first_seen.default_factory = first_seen.__len__  # a new word's id is how many came before it
    tokens = map(first_seen.__getitem__, itertools.chain.from_iterable(sentences))  # in C: 3x a generator's speed
    try:
        for lo in range(0, len(ids), _ENCODE_TOKENS):
            size = min(_ENCODE_TOKENS, len(ids) - lo)
            ids[lo:lo + size] = np.fromiter(itertools.islice(tokens, size), dtype=np.int32, count=size)
    except TypeError:  # an unhashable token
        _check_sentences(sentences)
        raise
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
    known_lengths = np.diff(starts)
    pieces = _cut(known_lengths[known_lengths > 0]).astype(np.int32)
    return EncodedCorpus(vocab, raw_tokens, filled, ids=ids, lengths=pieces)


def _changed(tokens: int) -> ValueError:
    return ValueError(f"sentences gave {tokens:,} tokens on a first reading and another number on a later one: a "
                      "corpus object must yield the same sentences each time it is read (or pass a list)")


def _held_blocks(corpus: EncodedCorpus) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """A held corpus as blocks of (ids, lengths), ``_ENCODE_TOKENS`` sentences at a time (views, no copies)."""
    at = 0
    for lo in range(0, len(corpus.lengths), _ENCODE_TOKENS):
        lengths = corpus.lengths[lo:lo + _ENCODE_TOKENS]
        size = int(lengths.sum())
        yield corpus.ids[at:at + size], lengths
        at += size


def _read_blocks(sentences: Iterable[Sequence[str]],
                 index: Mapping[str, int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """A corpus object read again, as blocks of (ids (n,) int32, lengths (p,) int64): whole sentences, or pieces
    of at most ``MAX_SENTENCE_TOKENS`` of longer ones, empty ones left out. Sentences are encoded about
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
    """The corpus's known tokens in chunks of whole sentences (or pieces): a chunk begins at the first sentence
    that begins at or after each multiple of ``CHUNK_TOKENS * 5 / window`` tokens, however the text was read."""
    size = max(1024, CHUNK_TOKENS * 5 // window)  # a wide window: fewer tokens per chunk, the same memory
    held = corpus.ids is not None
    blocks = _held_blocks(corpus) if held else _read_blocks(corpus.sentences, corpus.vocab.key_to_index)
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    start = pos = 0
    previous = -1  # where the previous sentence began
    for ids, lengths in blocks:
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
