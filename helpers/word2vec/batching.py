"""From sentences to minibatches of windows, streamed: memory does not grow with the corpus.

The corpus is held once, as one int32 id per known token (:class:`EncodedCorpus`). Each epoch reads it chunk by
chunk: subsample the chunk's tokens, draw each token's window size, make its window (the one rule of
:func:`helpers.corpus.window_positions`, never crossing a sentence), and collect the windows of a few chunks in a
buffer. The buffer is shuffled and cut into batches of windows with the *same number* of real context words, so a
batch is a dense (b, m) array with no padding, however short the sentences. Batches leave the buffer in random
order; the few windows left over from a buffer wait for the next one.

Why shuffle at all: in text order a batch would hold the same words many times over, and summing that many updates
computed from the same stale vectors hurts quality as batches grow. A buffer of about 10^5 windows is enough to
make consecutive windows of a batch unrelated, and it costs a few megabytes whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus import Vocabulary, _check_sentences, vocabulary_from_counts, window_positions

#: Tokens read per chunk at window 5 (the (chunk, 2 * window) position arrays are the largest temporaries: 2.6 MB
#: each); a wider window reads proportionally fewer.
CHUNK_TOKENS = 1 << 15
#: Chunks whose windows are shuffled together.
CHUNKS_PER_BUFFER = 4
#: Sentences encoded per step of :func:`encode_corpus` (bounds its temporaries).
_ENCODE_SENTENCES = 1 << 14


@dataclass(frozen=True)
class EncodedCorpus:
    """A corpus as word ids: ``ids`` (N,) int32, the known tokens in text order; ``starts`` (S + 1,) int64, where
    each sentence begins in ``ids`` (sentence s is ``ids[starts[s]:starts[s + 1]]``, possibly empty);
    ``raw_tokens``, the number of tokens before ``min_count`` dropped the rare ones (what speeds are counted in)."""

    vocab: Vocabulary
    ids: np.ndarray
    starts: np.ndarray
    raw_tokens: int

    def has_pair(self) -> bool:
        """Whether some sentence has two known words (else no window has a context word)."""
        return bool(np.any(np.diff(self.starts) >= 2))


def as_sentences(sentences: object) -> Sequence[Sequence[str]]:
    """``sentences`` as a sequence (an iterator can be read only once), with messages for what is not one."""
    if sentences is None or isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
        shown = "one string" if isinstance(sentences, (str, bytes)) else type(sentences).__name__
        raise TypeError(f"sentences must be a list of token lists, e.g. [['i', 'saw', 'a', 'mole']], not {shown}")
    if isinstance(sentences, Sequence):
        return sentences
    listed = list(sentences)
    if not listed:
        raise ValueError("sentences is an iterator that yielded nothing: was it used up already (a generator can be "
                         "read only once)? Pass a list of token lists")
    return listed


def encode_corpus(sentences: Sequence[Sequence[str]], min_count: int) -> EncodedCorpus:
    """The vocabulary of ``sentences`` (by :func:`helpers.corpus.vocabulary_from_counts`, as the step trainer's) and
    the corpus as ids, in one pass over the tokens and at most about 8 bytes per token (block by block).

    The type of each *distinct* token is checked; any problem is reported by the corpus module's own checks.
    """
    first_seen: dict[str, int] = {}
    blocks = []  # (first-seen ids of a block of sentences, int32; the block's sentence lengths)
    for lo in range(0, len(sentences), _ENCODE_SENTENCES):
        block = sentences[lo:lo + _ENCODE_SENTENCES]
        if any(isinstance(s, str) for s in block):
            _check_sentences(sentences)  # raises its usual, precise TypeError
        lengths = np.fromiter(map(len, block), dtype=np.int64, count=len(block))
        try:
            blocks.append((np.fromiter((first_seen.setdefault(w, len(first_seen)) for s in block for w in s),
                                       dtype=np.int32, count=int(lengths.sum())), lengths))
        except TypeError:  # an unhashable token
            _check_sentences(sentences)
            raise
    words = list(first_seen)
    if not all(isinstance(w, str) for w in words):
        _check_sentences(sentences)
    counts = np.zeros(len(words), np.int64)
    for raw, _ in blocks:
        counts += np.bincount(raw, minlength=len(words))
    vocab = vocabulary_from_counts(dict(zip(words, counts.tolist())), min_count)
    new_id = np.array([vocab.key_to_index.get(w, -1) for w in words], dtype=np.int32)
    raw_tokens = sum(len(raw) for raw, _ in blocks)
    ids, filled, kept_per_sentence = np.empty(raw_tokens, np.int32), 0, [np.zeros(0, np.int64)]
    while blocks:
        raw, lengths = blocks.pop(0)  # freed as soon as it is encoded: at most 8 bytes per token at once
        raw = new_id[raw]
        known = raw >= 0
        known_before = np.r_[0, np.cumsum(known)]  # known tokens before each position of the block
        kept_per_sentence.append(np.diff(known_before[np.r_[0, np.cumsum(lengths)]]))
        ids[filled:filled + int(known.sum())] = raw[known]
        filled += int(known.sum())
    starts = np.r_[0, np.cumsum(np.concatenate(kept_per_sentence))].astype(np.int64)
    return EncodedCorpus(vocab, ids[:filled], starts, raw_tokens)


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


def _chunk_windows(corpus: EncodedCorpus, first: int, last: int, keep: np.ndarray, window: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows of sentences ``first..last - 1`` after subsampling: contexts (n, 2 * window) int32 with the real
    context words first and -1 after them, centres (n,) and counts (n,) of real context words (all >= 1)."""
    lo, hi = corpus.starts[first], corpus.starts[last]
    ids = corpus.ids[lo:hi]
    sentence = np.repeat(np.arange(last - first), np.diff(corpus.starts[first:last + 1]))
    kept = rng.random(len(ids)) < keep[ids]
    ids, sentence = ids[kept], sentence[kept]
    reach = rng.integers(1, window + 1, size=len(ids))
    positions = window_positions(sentence, reach, window)
    real = positions >= 0
    counts = real.sum(axis=1)
    has = counts > 0
    positions, real, counts, centres = positions[has], real[has], counts[has], ids[has]
    # Real context words first, in text order: row r's j-th real word goes to slot j (a cumulative count; a
    # boolean mask reads row by row, left to right). Cheaper than sorting each row.
    contexts = np.full(real.shape, -1, dtype=np.int32)
    slot = np.cumsum(real, axis=1, dtype=np.int8) - 1
    contexts[np.nonzero(real)[0], slot[real]] = ids[positions[real]]
    return contexts, centres, counts


@dataclass(frozen=True)
class Batch:
    """Windows with the same number m of context words: ``contexts`` (b, m) int32, ``centres`` (b,) int32, and
    ``progress``, the fraction of this epoch's tokens read when the batch is trained (for the learning rate)."""

    contexts: np.ndarray
    centres: np.ndarray
    progress: float


def _cut(buffer: list[np.ndarray], batch_pairs: int, max_windows: int, rng: np.random.Generator, final: bool) -> tuple[list[tuple[np.ndarray, np.ndarray]], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Shuffle buffered windows (contexts, centres, counts; the list is emptied) and cut them into batches of one count m: ``batch_pairs // m`` windows each, but
    at most ``max_windows``.

    Returns the batches in random order and the windows left over (a last, partial batch of each m), which wait
    for the next buffer unless ``final``.
    """
    contexts, centres, counts = buffer  # (n, 2 * window) contexts, (n,) centres, (n,) counts
    buffer.clear()  # so the unshuffled buffer is freed as soon as its shuffled copy exists
    order = rng.permutation(len(counts))
    order = order[np.argsort(counts[order], kind="stable")]  # grouped by count, random within a group
    contexts, centres, counts = contexts[order], centres[order], counts[order]
    bounds = np.searchsorted(counts, np.arange(1, contexts.shape[1] + 2))
    batches, left = [], []
    for m in range(1, contexts.shape[1] + 1):
        start, stop = bounds[m - 1], bounds[m]
        size = max(1, min(batch_pairs // m, max_windows))
        full_stop = stop if final else start + (stop - start) // size * size
        batches += [(contexts[lo:min(lo + size, full_stop), :m], centres[lo:min(lo + size, full_stop)])
                    for lo in range(start, full_stop, size)]
        left.append(np.arange(full_stop, stop))
    rest = np.concatenate(left)
    return [batches[i] for i in rng.permutation(len(batches))], (contexts[rest], centres[rest], counts[rest])


def epoch_batches(corpus: EncodedCorpus, keep: np.ndarray, window: int, batch_pairs: int, max_windows: int,
                  rng: np.random.Generator) -> Iterator[Batch]:
    """This epoch's minibatches, made chunk by chunk (see the module notes).

    Parameters
    ----------
    corpus : EncodedCorpus
    keep : ndarray, shape (V,)
        Probability of keeping each word (frequent-word subsampling, :func:`helpers.corpus.keep_probabilities`).
    window : int
        Largest window; each token draws its own from 1..window.
    batch_pairs, max_windows : int
        A batch of windows with m context words holds ``min(batch_pairs // m, max_windows)`` of them. (The trainer
        passes ``batch_pairs // 2``: each window also updates ``negative + 1`` output vectors, and 4,096 windows of
        one context word each would update some rows so often from the same stale vectors that they overshoot.)
    rng : numpy.random.Generator
    """
    n_tokens = max(1, len(corpus.ids))
    width = 2 * window
    carried = (np.empty((0, width), np.int32), np.empty(0, np.int32), np.empty(0, np.int64))
    chunk_bounds = _chunks(corpus, window)
    for group in range(0, len(chunk_bounds), CHUNKS_PER_BUFFER):
        parts = [carried] + [_chunk_windows(corpus, a, b, keep, window, rng)
                             for a, b in chunk_bounds[group:group + CHUNKS_PER_BUFFER]]
        buffer = [np.concatenate(p) for p in zip(*parts)]
        del parts, carried  # only the buffer and its shuffled copy (inside _cut) are alive at once
        final = group + CHUNKS_PER_BUFFER >= len(chunk_bounds)
        batches, carried = _cut(buffer, batch_pairs, max_windows, rng, final)
        read_before = corpus.starts[chunk_bounds[group][0]] / n_tokens
        read_after = corpus.starts[chunk_bounds[min(group + CHUNKS_PER_BUFFER, len(chunk_bounds)) - 1][1]] / n_tokens
        for number, (contexts, centres) in enumerate(batches):
            yield Batch(contexts, centres, read_before + (read_after - read_before) * number / len(batches))
