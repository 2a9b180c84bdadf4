"""One minibatch of word2vec with negative sampling: the SGD steps of :mod:`helpers.model.losses`, window after window.

A minibatch is a run of *windows* (shuffled within a chunk of text, see :mod:`.batching`): window i has a centre
word ``centres[i]``, its ``counts[i]`` context words ``contexts[i, :counts[i]]`` and k noise words
``negatives[i]``. The kernels take one SGD step per window, in order, as word2vec.c does per pair: the window's
whole gradient is computed from the vectors as they are when the window starts, then added. The arithmetic is
that of :func:`helpers.model.negative_sampling_loss` and :func:`helpers.model.cbow_loss`
(``tests/test_word2vec_kernels.py`` compares them in float64, window by window).

- skip-gram: each context word of a window predicts the window's centre against the window's k noise words (as in
  word2vec.c: the context word's input vector scores the centre's output vector). Sharing the noise words within a
  window (the "HogBatch" of Ji et al. 2016) keeps the window's k + 1 output vectors in the CPU cache while its m
  context words are scored against them; the expected gradient is the same as with fresh noise words per pair.
- CBOW: the mean of the context words' input vectors predicts the centre. The output vectors get exactly
  ``cbow_loss``'s gradient. Each context word's input vector gets the *whole* gradient with respect to the mean, not
  the 1/m share that ``cbow_loss`` (the true gradient of the mean) gives it: this is word2vec.c's rule, and gensim's
  with ``cbow_mean=1``. It is a choice, not an approximation to fix: it amounts to an input learning rate m times
  larger, which is what word2vec's default learning rates were tuned for, and it keeps our CBOW comparable with
  gensim's.
- A noise word that happens to equal the centre is skipped (word2vec.c does the same: ``if (target == word)
  continue``), so a true pair is never pushed apart.

Why compiled loops (numba) and not numpy: a window's work is a few hundred multiply-adds on rows scattered over two
(V, d) matrices. numpy can only do that batch-wide, in five passes over memory (gather rows, two matrix products,
two scatters), and measured 0.3-1.3x gensim's speed; a loop over the window's rows does it in one pass, at
word2vec.c's speed. The kernels release the GIL (``nogil``), so two threads train at once (Hogwild, as gensim).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

#: Windows per batch whose loss is computed for the history (its first ones: enough for a curve, and cheap).
LOSS_WINDOWS = 64
#: fastmath lets the compiler reorder sums (SIMD dot products) but keeps NaN and inf: a diverging run must show them.
#: The order depends on the CPU the kernels are compiled for: runs are bit-identical on one kind of CPU and agree to
#: float32 rounding across kinds (about 1e-6; tests/test_word2vec.py builds them for a generic x86-64 to check).
_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}


@dataclass(frozen=True)
class BatchResult:
    """What one minibatch did: ``loss`` summed over ``loss_examples`` examples of the batch (each before its
    window's step), ``examples`` (pairs for skip-gram, windows for CBOW) and ``largest``, the largest absolute dot
    product of the batch (a divergence signal; NaN if any score was NaN or infinite)."""

    loss: float
    loss_examples: int
    examples: int
    largest: float


@njit(nogil=True, fastmath=_FAST, cache=True, inline="always")
def _dot(a, b):  # noqa: ANN001, ANN202 - numba compiles one version per dtype
    """``a @ b`` for two rows, accumulated in their own dtype (float32 in training: twice the SIMD width)."""
    s = a[0] * b[0]
    for q in range(1, len(a)):
        s += a[q] * b[q]
    return s


@njit(nogil=True, fastmath=_FAST, cache=True, inline="always")
def _add_scaled(out, weight, row):  # noqa: ANN001, ANN202
    """``out += weight * row`` in place (rows taken as views: a loop over ``matrix[i, q]`` ran 3x slower)."""
    for q in range(len(out)):
        out[q] += weight * row[q]


@njit(nogil=True, fastmath=_FAST, cache=True, inline="always")
def _add(out, row):  # noqa: ANN001, ANN202
    """``out += row`` in place (a weight of 1.0 would be a float64 and make the loop convert every element)."""
    for q in range(len(out)):
        out[q] += row[q]


@njit(nogil=True, fastmath=_FAST, cache=True, inline="always")
def _softplus(x):  # noqa: ANN001, ANN202
    """``log(1 + e^x)`` in float64 without overflow: the loss terms of losses.py (-log sigmoid(s) = softplus(-s))."""
    x = float(x)
    return max(x, 0.0) + np.log1p(np.exp(-abs(x)))


@njit(nogil=True, fastmath=_FAST, cache=True)
def _output_words(centre, negatives, i, words):  # noqa: ANN001, ANN202
    """Fill ``words`` with the window's output words, true word first, skipping noise words equal to it; returns
    how many there are (1 + the noise words kept)."""
    words[0] = centre
    n = 1
    for j in range(negatives.shape[1]):
        if negatives[i, j] != centre:
            words[n] = negatives[i, j]
            n += 1
    return n


@njit(nogil=True, fastmath=_FAST, cache=True, inline="always")
def _step(score, t, lr, steps, i, loss_windows):  # noqa: ANN001, ANN202
    """Store output word t's step ``lr * (label - sigmoid(score))`` (label 1 for the true word t = 0, else 0:
    losses.py's ``error = probs - labels``, times -lr); return its loss term if window i is sampled, else 0."""
    label = 1.0 if t == 0 else 0.0
    steps[t] = lr * (label - 1.0 / (1.0 + np.exp(-score)))
    if i < loss_windows:
        return _softplus(-score if t == 0 else score)
    return 0.0


@njit(nogil=True, fastmath=_FAST, cache=True)
def _skipgram(w_in, w_out, contexts, counts, centres, negatives, lr, loss_windows):  # noqa: ANN001, ANN202
    b, width = contexts.shape
    dim = w_in.shape[1]
    words = np.empty(negatives.shape[1] + 1, np.int64)
    steps = np.empty(negatives.shape[1] + 1, w_in.dtype)  # in the vectors' dtype, so the row loops stay float32
    grad_in = np.empty((width, dim), w_in.dtype)
    grad_out = np.empty((len(words), dim), w_in.dtype)
    loss, largest, finite = 0.0, 0.0, True
    for i in range(b):
        n_out = _output_words(centres[i], negatives, i, words)
        grad_out[:n_out] = 0.0
        m = counts[i]
        for c in range(m):
            x = w_in[contexts[i, c]]
            grad_in[c] = 0.0
            for t in range(n_out):  # the k + 1 output rows stay in cache across the window's m context words
                out = w_out[words[t]]
                score = _dot(x, out)
                largest, finite = max(largest, abs(score)), finite and np.isfinite(score)
                loss += _step(score, t, lr, steps, i, loss_windows)
                step, into_in, into_out = steps[t], grad_in[c], grad_out[t]
                for q in range(dim):  # both gradients in one pass over the two rows
                    into_in[q] += step * out[q]
                    into_out[q] += step * x[q]
        for t in range(n_out):  # the steps, once the whole window is scored (a repeated word gets the sum)
            _add(w_out[words[t]], grad_out[t])
        for c in range(m):
            _add(w_in[contexts[i, c]], grad_in[c])
    return loss, largest if finite else np.nan


@njit(nogil=True, fastmath=_FAST, cache=True)
def _cbow(w_in, w_out, contexts, counts, centres, negatives, lr, loss_windows):  # noqa: ANN001, ANN202
    dim = w_in.shape[1]
    words = np.empty(negatives.shape[1] + 1, np.int64)
    steps = np.empty(negatives.shape[1] + 1, w_in.dtype)
    hidden = np.empty(dim, w_in.dtype)
    error = np.empty(dim, w_in.dtype)
    share = np.empty(1, w_in.dtype)
    loss, largest, finite = 0.0, 0.0, True
    for i in range(len(centres)):
        n_out = _output_words(centres[i], negatives, i, words)
        m = counts[i]
        share[0] = 1.0 / m  # the mean's weight, in the vectors' dtype
        hidden[:] = 0.0
        for c in range(m):
            _add_scaled(hidden, share[0], w_in[contexts[i, c]])
        error[:] = 0.0
        for t in range(n_out):
            out = w_out[words[t]]
            score = _dot(hidden, out)
            largest, finite = max(largest, abs(score)), finite and np.isfinite(score)
            loss += _step(score, t, lr, steps, i, loss_windows)
            _add_scaled(error, steps[t], out)  # the error of the mean, from the rows as they were before the window
        for t in range(n_out):
            _add_scaled(w_out[words[t]], steps[t], hidden)
        for c in range(m):  # the whole error to each context word (word2vec.c's rule, see the module notes)
            _add(w_in[contexts[i, c]], error)
    return loss, largest if finite else np.nan


def skipgram_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, counts: np.ndarray,
                   centres: np.ndarray, negatives: np.ndarray, lr: float) -> BatchResult:
    """One minibatch of skip-gram with negative sampling, updating ``w_in`` and ``w_out`` in place.

    Parameters
    ----------
    w_in, w_out : ndarray, shape (V, d), float32 or float64, C-contiguous
        Input and output vectors.
    contexts : int32 array, shape (b, width)
        The context words of each window, real ones first (each predicts the window's centre); what follows
        them is never read.
    counts : int array, shape (b,)
        How many context words each window has, 1..width.
    centres : int32 array, shape (b,)
    negatives : int array, shape (b, k)
        Noise words of each window, shared by its context words.
    lr : float

    Returns
    -------
    BatchResult
        Loss of the first ``LOSS_WINDOWS`` windows' pairs; ``examples`` = the batch's (context, centre) pairs.
    """
    sampled = min(len(centres), LOSS_WINDOWS)
    loss, largest = _skipgram(w_in, w_out, contexts, counts, centres, negatives, lr, sampled)
    return BatchResult(loss, int(counts[:sampled].sum()), int(counts.sum()), largest)


def cbow_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, counts: np.ndarray,
               centres: np.ndarray, negatives: np.ndarray, lr: float) -> BatchResult:
    """One minibatch of CBOW with negative sampling (arguments as :func:`skipgram_batch`): the mean of each
    window's context vectors predicts its centre; each context word gets the whole error of the mean
    (word2vec.c's rule, see the module notes). ``examples`` = b windows."""
    sampled = min(len(centres), LOSS_WINDOWS)
    loss, largest = _cbow(w_in, w_out, contexts, counts, centres, negatives, lr, sampled)
    return BatchResult(loss, sampled, len(centres), largest)


KERNELS = {"skipgram": skipgram_batch, "cbow": cbow_batch}
_COMPILED = {"skipgram": _skipgram, "cbow": _cbow}


def is_loaded(model: str) -> bool:
    """Whether ``model``'s kernel is compiled in this process already. The first call compiles it (about 5 s on
    one core) or loads it from numba's on-disk cache (``cache=True``: about 0.5 s)."""
    return bool(_COMPILED[model].signatures)


def load_kernels(models: tuple[str, ...] = ("skipgram", "cbow")) -> float:
    """Compile (first time on a machine) or load from numba's cache the training kernels of ``models`` and the
    window filler of :mod:`.batching`, for the types training uses; return the seconds it took.

    The trainer calls it before its first epoch. Call it yourself to pay the one-time cost (about 5 s compiled,
    0.4-0.6 s from the cache) outside a timed run: gensim's compiled code loads at ``import gensim``, ours here.
    Each kernel runs once on a one-window batch with learning rate 0 (throwaway arrays), so the signatures are
    exactly those of training (float32 vectors, int32 ids).
    """
    from .batching import load_window_filler

    started = time.perf_counter()
    load_window_filler()
    for model in models:
        if not is_loaded(model):
            vectors = np.zeros((2, 1), np.float32), np.zeros((2, 1), np.float32)
            one = np.ones((1, 1), np.int32)
            _COMPILED[model](*vectors, one, np.ones(1, np.int32), np.zeros(1, np.int32), one, 0.0, 1)
    return time.perf_counter() - started
