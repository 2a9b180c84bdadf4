"""From chunks of word ids to minibatches of windows, one chunk at a time.

Each chunk of about 30,000 known tokens (:mod:`.reading`) is subsampled, each token draws its window size and gets
its window (the course's one rule, :func:`helpers.text.window_positions`, never crossing a sentence; here a
compiled loop, tested against it). The chunk's windows are shuffled and cut into batches of a fixed number of
windows: a (b, 2 * window) array of context words, real ones first, and how many each window has. Only one chunk's
windows exist at a time, a few megabytes whatever the corpus size.

Why shuffle: the kernels take one SGD step per window, and in text order consecutive windows share most of their
words, so a word gets several steps in a row from nearly the same context. Shuffling the windows of each chunk
(about 30,000 tokens) gave better vectors, most clearly for CBOW: on head500 at gensim's defaults, over five seeds,
WordSim-353 0.094-0.127 in text order and 0.131-0.160 shuffled (gensim: 0.120-0.160), measured 2026-12-01.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numba import njit

from .reading import Chunk, EncodedCorpus, _chunks

#: Below this fraction of windows kept by subsampling, say so: the run trains on little of the text.
_FEW_KEPT = 0.1
#: Fewer expected windows per epoch than this is refused (an epoch would often have none at all).
_FEWEST_WINDOWS = 10


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
    sentence), ``counts[i]`` how many: :func:`helpers.text.window_positions`' rule in one pass over the chunk,
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
        Probability of keeping each word (frequent-word subsampling, :func:`helpers.text.keep_probabilities`).
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
