"""One minibatch of word2vec with negative sampling: the SGD updates of :mod:`helpers.losses`, many at once.

A minibatch is a set of *windows* of the same size: window i has a centre word ``centres[i]``, its context words
``contexts[i]`` (m of them, all real: no padding) and k noise words ``negatives[i]``. The arithmetic is that of
:func:`helpers.losses.negative_sampling_loss` and :func:`helpers.losses.cbow_loss` (``tests/test_word2vec_kernels.py``
compares them in float64, batch by batch); what differs is only *when* vectors change: every update of a batch is
computed from the vectors as they were before the batch, then all are added up.

- skip-gram: each context word of a window predicts the window's centre against the window's k noise words (as in
  word2vec.c: the context word's input vector scores the centre's output vector). Sharing the noise words within a
  window (the "HogBatch" of Ji et al. 2016) makes a window one small matrix product; the expected gradient is the
  same as with fresh noise words per pair.
- CBOW: the mean of the context words' input vectors predicts the centre. The output vectors get exactly
  ``cbow_loss``'s gradient. Each context word's input vector gets the *whole* gradient with respect to the mean, not
  the 1/m share that ``cbow_loss`` (the true gradient of the mean) gives it: this is word2vec.c's rule, and gensim's
  with ``cbow_mean=1``. It is a choice, not an approximation to fix: it amounts to an input learning rate m times
  larger, which is what word2vec's default learning rates were tuned for, and it keeps our CBOW comparable with
  gensim's.
- A noise word that happens to equal the centre is skipped (word2vec.c does the same: ``if (target == word)
  continue``), so a true pair is never pushed apart.

Gradients are summed into the embedding rows by scipy's compiled sparse-matrix kernels (``np.add.at`` is tens of times
slower); every kernel here releases the GIL, so two threads can train at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

try:  # scipy's compiled kernels behind `sparse @ dense`; they *add* into the output they are given
    from scipy.sparse._sparsetools import csc_matvecs as _csc_matvecs
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - private API; the public fallbacks below give the same result
    _csc_matvecs = _csr_matvecs = None

#: Windows per batch whose loss is computed for the history (a random sample: the windows are shuffled).
LOSS_WINDOWS = 64


@dataclass(frozen=True)
class BatchResult:
    """What one minibatch did: ``loss`` summed over ``loss_examples`` examples of the batch (before its update),
    ``examples`` (pairs for skip-gram, windows for CBOW) and ``largest``, the largest absolute dot product of the
    batch (a divergence signal; NaN if any score was NaN)."""

    loss: float
    loss_examples: int
    examples: int
    largest: float


class Workspace:
    """Buffers reused by every minibatch of one run (and one thread), handed out as C-contiguous views.

    On a busy machine, fresh multi-megabyte temporaries cost more in page faults than the arithmetic does.
    """

    def __init__(self) -> None:
        self._buffers: dict[tuple[str, str], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type | np.dtype = np.float32) -> np.ndarray:
        size = math.prod(shape)
        key = (name, np.dtype(dtype).str)
        buffer = self._buffers.get(key)
        if buffer is None or buffer.size < size:
            buffer = self._buffers[key] = np.empty(max(size, 1), dtype)
        return buffer[:size].reshape(shape)

    def nbytes(self) -> int:
        return sum(b.nbytes for b in self._buffers.values())


def add_products(matrix: np.ndarray, rows: np.ndarray, weights: np.ndarray | None, dense: np.ndarray) -> None:
    """``matrix[rows[c, e]] += weights[c, e] * dense[c]`` for every row c of ``dense`` and entry e, repeats summed.

    Parameters
    ----------
    matrix : ndarray, shape (V, d), C-contiguous, updated in place
    rows : int array, shape (n, e)
    weights : ndarray, shape (n, e), or None for all ones
    dense : ndarray, shape (n, d)

    Notes
    -----
    The entries form a sparse (V x n) matrix with e entries per column, and scipy's compiled "sparse column matrix
    times dense" kernel adds its product with ``dense`` straight into ``matrix``: no (n, e, d) temporary, no sort.
    ``np.add.at`` does the same, tens of times slower; ``matrix[rows] += ...`` would keep one update per row.
    """
    if not matrix.flags.c_contiguous:
        raise ValueError("matrix must be C-contiguous: it is updated in place through a flat view")
    n, per_column = rows.shape
    flat_rows = np.ascontiguousarray(rows, dtype=np.int32).reshape(-1)
    if weights is None:
        weights = np.ones(n * per_column, matrix.dtype)
    flat_weights = np.ascontiguousarray(weights, dtype=matrix.dtype).reshape(-1)
    dense = np.ascontiguousarray(dense, dtype=matrix.dtype)
    indptr = np.arange(0, n * per_column + 1, per_column, dtype=np.int32)
    if _csc_matvecs is not None:
        _csc_matvecs(len(matrix), n, dense.shape[1], indptr, flat_rows, flat_weights, dense.reshape(-1),
                     matrix.reshape(-1))
        return
    product = sparse.csc_array((flat_weights, flat_rows, indptr), shape=(len(matrix), n)).tocsr()
    touched = np.flatnonzero(np.diff(product.indptr))
    matrix[touched] += product[touched] @ dense


def mean_rows(matrix: np.ndarray, rows: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[i] = mean(matrix[rows[i]])`` for every row of ``rows`` (n, m): a sparse (n x V) matrix with 1/m
    at each context word, times ``matrix`` (V, d). Reads the rows in place instead of gathering an (n, m, d) copy."""
    n, m = rows.shape
    flat_rows = np.ascontiguousarray(rows, dtype=np.int32).reshape(-1)
    weights = np.full(n * m, 1.0 / m, matrix.dtype)
    indptr = np.arange(0, n * m + 1, m, dtype=np.int32)
    if _csr_matvecs is not None:
        out[...] = 0.0
        _csr_matvecs(n, len(matrix), matrix.shape[1], indptr, flat_rows, weights, matrix.reshape(-1),
                     out.reshape(-1))
        return out
    out[...] = sparse.csr_array((weights, flat_rows, indptr), shape=(n, len(matrix))) @ matrix
    return out


def gather_rows(matrix: np.ndarray, rows: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[...] = matrix[rows]``: the rows of ``matrix`` (V, d) named by ``rows`` (any shape s), into ``out``
    (s + (d,)). ``mode="clip"`` because the ids are valid by construction: with the default ``mode="raise"``
    numpy first gathers into a hidden buffer and then copies it, which made gathering 2-3 times slower."""
    return np.take(matrix, rows, axis=0, out=out, mode="clip")


def _sigmoid(scores: np.ndarray) -> None:
    """Logistic function in place; ``exp`` overflows to inf for very negative scores, which still gives 0."""
    with np.errstate(over="ignore"):
        np.negative(scores, out=scores)
        np.exp(scores, out=scores)
    scores += 1.0
    np.reciprocal(scores, out=scores)


def _sample_loss(scores: np.ndarray, clash: np.ndarray) -> float:
    """Summed negative-sampling loss of a few windows: ``scores`` (w, m, k + 1) dot products (true word first),
    ``clash`` (w, 1, k) noise words equal to the true word (skipped, as in the update).

    Computed as softplus terms, as :func:`helpers.losses.negative_sampling_loss` does, not from float32 sigmoids,
    which saturate to exactly 0 or 1 (an infinite log) at scores that are large but perfectly healthy.
    """
    s = scores.astype(np.float64)
    s[..., 0] *= -1.0  # -log sigmoid(s) = softplus(-s) for the true word, softplus(s) for noise words
    terms = np.logaddexp(0.0, s)
    terms[..., 1:] *= ~clash
    return float(terms.sum())


def _output_words(centres: np.ndarray, negatives: np.ndarray, ws: Workspace) -> tuple[np.ndarray, np.ndarray]:
    """The k + 1 output words of each window, true word first (b, k + 1), and where a noise word is the true word
    (b, 1, k)."""
    b, k = negatives.shape
    words = ws.get("words", (b, k + 1), np.int32)
    words[:, 0] = centres
    words[:, 1:] = negatives
    return words, (negatives == centres[:, None])[:, None, :]


def _errors_to_steps(scores: np.ndarray, clash: np.ndarray, lr: float) -> None:
    """Scores -> the step each score takes, in place: ``-lr * (sigmoid(score) - label)``, label 1 for the true
    word and 0 for noise words (``error = probs - labels`` in :func:`helpers.losses.negative_sampling_loss`)."""
    _sigmoid(scores)
    scores[..., 0] -= 1.0
    scores[..., 1:][np.broadcast_to(clash, scores[..., 1:].shape)] = 0.0
    scores *= -lr


def skipgram_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, centres: np.ndarray,
                   negatives: np.ndarray, lr: float, ws: Workspace) -> BatchResult:
    """One minibatch of skip-gram with negative sampling, updating ``w_in`` and ``w_out`` in place.

    Parameters
    ----------
    w_in, w_out : ndarray, shape (V, d), float32 or float64, C-contiguous
        Input and output vectors.
    contexts : int array, shape (b, m)
        The m context words of each window (each predicts the window's centre).
    centres : int array, shape (b,)
    negatives : int array, shape (b, k)
        Noise words of each window, shared by its m context words.
    lr : float
    ws : Workspace

    Returns
    -------
    BatchResult
        Loss of the first ``LOSS_WINDOWS`` windows' pairs; ``examples`` = b * m pairs.
    """
    b, m = contexts.shape
    k1 = negatives.shape[1] + 1
    dim, dtype = w_in.shape[1], w_in.dtype
    x, out = ws.get("x", (b, m, dim), dtype), ws.get("out", (b, k1, dim), dtype)
    scores = ws.get("scores", (b, m, k1), dtype)
    words, clash = _output_words(centres, negatives, ws)
    gather_rows(w_in, contexts, x)
    gather_rows(w_out, words, out)
    np.matmul(x, out.transpose(0, 2, 1), out=scores)
    largest = float(np.max(np.abs(scores)))
    sampled = min(b, LOSS_WINDOWS)
    loss = _sample_loss(scores[:sampled], clash[:sampled])
    _errors_to_steps(scores, clash, lr)
    grad_in, grad_out = ws.get("grad_in", (b, m, dim), dtype), ws.get("grad_out", (b, k1, dim), dtype)
    np.matmul(scores, out, out=grad_in)  # each context word: sum over its k + 1 output words
    np.matmul(scores.transpose(0, 2, 1), x, out=grad_out)  # each output word: sum over the window's m pairs
    add_products(w_out, words.reshape(-1, 1), None, grad_out.reshape(b * k1, dim))
    add_products(w_in, contexts.reshape(-1, 1), None, grad_in.reshape(b * m, dim))
    return BatchResult(loss, sampled * m, b * m, largest)


def cbow_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, centres: np.ndarray,
               negatives: np.ndarray, lr: float, ws: Workspace) -> BatchResult:
    """One minibatch of CBOW with negative sampling (arguments as :func:`skipgram_batch`): the mean of each
    window's m context vectors predicts its centre; each context word gets the whole error of the mean
    (word2vec.c's rule, see the module notes). ``examples`` = b windows."""
    b, m = contexts.shape
    k1 = negatives.shape[1] + 1
    dim, dtype = w_in.shape[1], w_in.dtype
    hidden, out = ws.get("hidden", (b, dim), dtype), ws.get("out", (b, k1, dim), dtype)
    scores = ws.get("scores", (b, 1, k1), dtype)
    words, clash = _output_words(centres, negatives, ws)
    mean_rows(w_in, contexts, hidden)
    gather_rows(w_out, words, out)
    np.matmul(hidden[:, None, :], out.transpose(0, 2, 1), out=scores)
    largest = float(np.max(np.abs(scores)))
    sampled = min(b, LOSS_WINDOWS)
    loss = _sample_loss(scores[:sampled], clash[:sampled])
    _errors_to_steps(scores, clash, lr)
    error = ws.get("error", (b, 1, dim), dtype)
    np.matmul(scores, out, out=error)  # from the output vectors as they were before the batch
    add_products(w_out, words, scores.reshape(b, k1), hidden)
    add_products(w_in, contexts, None, error.reshape(b, dim))  # the whole error to each context word
    return BatchResult(loss, sampled, b, largest)


KERNELS = {"skipgram": skipgram_batch, "cbow": cbow_batch}
