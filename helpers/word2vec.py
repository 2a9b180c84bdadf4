"""The whole-corpus trainer: word2vec with negative sampling in vectorized minibatches (skip-gram or CBOW).

Same losses as :mod:`helpers.losses`, many examples at once, for real text in seconds. The model is gensim's
(and word2vec.c's): dynamic window, frequent-word subsampling, noise words from unigram^0.75, learning rate
falling linearly over the run. How it stays fast in plain numpy (each point measured with
``scripts/benchmark_word2vec.py``):

- One row per *window* (a centre word and its context words). Every context word predicts the centre against the
  same k noise words, so a window is one small matrix product instead of 2 * window separate pairs, and a batch
  gathers and scatters about 2 vectors per pair instead of 7. Sharing noise words within a window is the
  "HogBatch" idea of Ji et al. (2016, *Parallelizing Word2Vec in Shared and Distributed Memory*); the expected
  gradient is unchanged.
- Windows are shuffled every epoch and batched by their (dynamic) size, so a batch has hardly any padding. In
  corpus order a minibatch holds the same words many times, and summing that many gradients computed from the
  same stale vectors hurts quality as batches grow.
- Gradients are summed into the embedding rows by a sparse-matrix product in compiled code (:func:`_add_rows`,
  :func:`_add_products`); ``np.add.at`` does the same job tens of times slower.
- The large per-batch arrays live in a workspace allocated once: on a busy machine, fresh multi-megabyte
  temporaries cost more in page faults than the arithmetic does.

Measured side by side with gensim 4.4 (``workers=1``, skip-gram, d=100, 5 epochs, head500 corpus, 2-core machine):
about the same words per second, and word-similarity scores at least as good; CBOW runs at about 0.6x gensim's
(much faster) CBOW.
- Noise words come from a precomputed table (one random index per draw), not from ``searchsorted``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from .corpus import (
    NoiseSampler,
    Vocabulary,
    _check_sentences,
    keep_probabilities,
    vocabulary_from_counts,
    window_positions,
)
from .neighbors import WordVectors
from .progress import Progress
from .training import TrainingDiverged, init_vectors
from .validation import check_choice, check_float, check_int

try:  # scipy's compiled kernel behind `csc_matrix @ dense`; it *adds* into the output it is given
    from scipy.sparse._sparsetools import csc_matvecs as _csc_matvecs
except ImportError:  # pragma: no cover - private API; the public fallback in _add_rows gives the same result
    _csc_matvecs = None

MODELS = ("skipgram", "cbow")

#: Progress-bar updates per run: each one is a message to the browser, so the bar is not redrawn every batch.
_BAR_UPDATES = 200
#: Windows per batch whose loss is computed for the history (a random sample: the windows are shuffled).
_LOSS_WINDOWS = 64


class _Workspace:
    """Buffers reused by every minibatch of one run, handed out as C-contiguous views of the shape asked for."""

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}
        self._ones = np.ones(0, np.float32)
        self._arange = np.arange(0, dtype=np.int32)

    def get(self, name: str, shape: tuple[int, ...], dtype: type = np.float32) -> np.ndarray:
        size = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != dtype:
            buffer = self._buffers[name] = np.empty(size, dtype)
        return buffer[:size].reshape(shape)

    def ones(self, n: int) -> np.ndarray:
        """A read-only float32 array of n ones."""
        if len(self._ones) < n:
            self._ones = np.ones(2 * n, np.float32)
            self._ones.flags.writeable = False
        return self._ones[:n]

    def arange(self, n: int) -> np.ndarray:
        """A read-only int32 array 0, 1, ..., n - 1."""
        if len(self._arange) < n:
            self._arange = np.arange(2 * n, dtype=np.int32)
            self._arange.flags.writeable = False
        return self._arange[:n]


def _add_rows(matrix: np.ndarray, rows: np.ndarray, updates: np.ndarray, ws: _Workspace) -> None:
    """``matrix[rows[e]] += updates[e]`` for every entry e, with the updates of a repeated row summed.

    Parameters
    ----------
    matrix : ndarray, shape (V, d), C-contiguous, updated in place
    rows : int array, n entries (any shape)
    updates : ndarray, shape (n, d)

    Notes
    -----
    ``np.add.at`` does exactly this, tens of times slower, and ``matrix[rows] += updates`` keeps only one update
    of a repeated row. Here the entries form a sparse (V x n) matrix with one 1 per column (column e has it in
    row ``rows[e]``), and scipy's compiled kernel for "sparse column matrix times dense" adds that product
    straight into ``matrix``: no sorting, no temporary of shape (V, d).
    """
    if not matrix.flags.c_contiguous:
        raise ValueError("matrix must be C-contiguous: it is updated in place through a flat view")
    n, dim = updates.shape
    rows = np.ascontiguousarray(rows, dtype=np.int32).reshape(-1)
    updates = np.ascontiguousarray(updates, dtype=matrix.dtype)
    ones = ws.ones(n)
    if _csc_matvecs is not None:
        _csc_matvecs(len(matrix), n, dim, ws.arange(n + 1), rows, ones, updates.reshape(-1), matrix.reshape(-1))
        return
    order = np.argsort(rows, kind="stable")  # public fallback: sum each distinct row's updates, then add
    sorted_rows = rows[order]
    starts = np.flatnonzero(sorted_rows[1:] != sorted_rows[:-1]) + 1
    indptr = np.concatenate(([0], starts, [n])).astype(np.int32)
    summed = sparse.csr_array((ones, order, indptr), shape=(len(indptr) - 1, n)) @ updates
    matrix[sorted_rows[indptr[:-1]]] += summed


def _add_products(matrix: np.ndarray, rows: np.ndarray, weights: np.ndarray, dense: np.ndarray) -> None:
    """``matrix[rows[c, e]] += weights[c, e] * dense[c]`` for every row c of ``dense`` and entry e, summed.

    rows, weights : (n, e); dense : (n, d). A sparse (V x n) matrix with e entries per column times ``dense``,
    added straight into ``matrix`` by scipy's compiled kernel: no (n, e, d) temporary. (CBOW uses it: each
    window's one hidden vector and one error spread over several rows.)
    """
    if not matrix.flags.c_contiguous:
        raise ValueError("matrix must be C-contiguous: it is updated in place through a flat view")
    n, per_column = rows.shape
    rows = np.ascontiguousarray(rows, dtype=np.int32).reshape(-1)
    weights = np.ascontiguousarray(weights, dtype=matrix.dtype).reshape(-1)
    dense = np.ascontiguousarray(dense, dtype=matrix.dtype)
    indptr = np.arange(0, n * per_column + 1, per_column, dtype=np.int32)
    if _csc_matvecs is not None:
        _csc_matvecs(len(matrix), n, dense.shape[1], indptr, rows, weights, dense.reshape(-1), matrix.reshape(-1))
        return
    product = sparse.csc_array((weights, rows, indptr), shape=(len(matrix), n)).tocsr()
    touched = np.flatnonzero(np.diff(product.indptr))
    matrix[touched] += product[touched] @ dense


def _sigmoid(scores: np.ndarray) -> None:
    """Logistic function in place; float32 ``exp`` overflows to inf below -88, which still gives the limit 0."""
    with np.errstate(over="ignore"):
        np.negative(scores, out=scores)
        np.exp(scores, out=scores)
    scores += 1.0
    np.reciprocal(scores, out=scores)


def _sample_loss(scores: np.ndarray, valid: np.ndarray, clash: np.ndarray) -> float:
    """Summed negative-sampling loss of a few windows: ``scores`` (w, m, k + 1) dot products (true word first),
    ``valid`` (w, m) real context slots, ``clash`` (w, 1, k) noise words equal to the true word (skipped).

    Computed from the scores as softplus terms, not from float32 sigmoids, which saturate to exactly 0 or 1 (and
    an infinite log) at scores that are large but perfectly healthy.
    """
    s = scores.astype(np.float64)
    s[..., 0] *= -1.0  # -log sigmoid(s) = softplus(-s) for the true word, softplus(s) for noise words
    terms = np.logaddexp(0.0, s)
    terms[..., 1:] *= ~clash
    return float(terms[valid].sum())


def _skipgram_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, centres: np.ndarray,
                    negs: np.ndarray, lr: float, ws: _Workspace) -> tuple[float, int, int, float]:
    """One minibatch of skip-gram with negative sampling, one window per row.

    Every context word of a window predicts the window's centre word (as in word2vec.c: the context word's input
    vector scores the centre's output vector) against the window's k noise words.

    Parameters
    ----------
    w_in : (V + 1, d) float32
        Input vectors; the last row is the zero padding row, and it stays zero.
    w_out : (V, d) float32
    contexts : (b, m) int
        Context word ids per window; padding slots hold V (the padding row).
    centres : (b,) int
    negs : (b, k) int
    lr : float
    ws : _Workspace

    Returns
    -------
    loss : float
        Summed loss of the first ``_LOSS_WINDOWS`` windows' pairs, before the update.
    loss_pairs : int
        Number of pairs that loss covers.
    pairs : int
        Number of (context, centre) pairs in the batch.
    largest : float
        Largest absolute dot product in the batch (a divergence signal; NaN if any is NaN).
    """
    b, m = contexts.shape
    k1 = negs.shape[1] + 1
    dim = w_in.shape[1]
    x, out = ws.get("x", (b, m, dim)), ws.get("out", (b, k1, dim))
    words, scores = ws.get("words", (b, k1), np.int32), ws.get("scores", (b, m, k1))
    np.take(w_in, contexts, axis=0, out=x)
    words[:, 0] = centres
    words[:, 1:] = negs
    np.take(w_out, words, axis=0, out=out)
    np.matmul(x, out.transpose(0, 2, 1), out=scores)
    largest = float(np.max(np.abs(scores)))
    valid = contexts != len(w_in) - 1
    clash = (negs == centres[:, None])[:, None, :]
    sampled = min(b, _LOSS_WINDOWS)
    loss = _sample_loss(scores[:sampled], valid[:sampled], clash[:sampled])
    _sigmoid(scores)
    # d loss / d score = sigmoid(score) - label, scaled by -lr: the step to add
    scores[..., 0] -= 1.0
    scores[..., 1:][np.broadcast_to(clash, scores[..., 1:].shape)] = 0.0
    scores[~valid] = 0.0
    scores *= -lr
    grad_in, grad_out = ws.get("grad_in", (b, m, dim)), ws.get("grad_out", (b, k1, dim))
    np.matmul(scores, out, out=grad_in)
    np.matmul(scores.transpose(0, 2, 1), x, out=grad_out)
    _add_rows(w_out, words, grad_out.reshape(b * k1, dim), ws)
    _add_rows(w_in, contexts, grad_in.reshape(b * m, dim), ws)
    return loss, int(valid[:sampled].sum()), int(valid.sum()), largest


def _cbow_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, centres: np.ndarray,
                negs: np.ndarray, lr: float, ws: _Workspace) -> tuple[float, int, int, float]:
    """One minibatch of CBOW with negative sampling, one window per row (arguments and returns as
    :func:`_skipgram_batch`, counting windows instead of pairs).

    As in word2vec.c and gensim (``cbow_mean=1``), the hidden vector is the mean of the context vectors and each
    context word receives the *whole* hidden-layer error, not 1/c of it.
    """
    b, m = contexts.shape
    k1 = negs.shape[1] + 1
    dim = w_in.shape[1]
    x, out = ws.get("x", (b, m, dim)), ws.get("out", (b, k1, dim))
    words, scores, hidden = ws.get("words", (b, k1), np.int32), ws.get("scores", (b, 1, k1)), ws.get("hidden", (b, dim))
    valid = contexts != len(w_in) - 1
    np.take(w_in, contexts, axis=0, out=x)
    np.sum(x, axis=1, out=hidden)
    hidden /= valid.sum(axis=1, dtype=np.float32)[:, None]
    words[:, 0] = centres
    words[:, 1:] = negs
    np.take(w_out, words, axis=0, out=out)
    np.matmul(hidden[:, None, :], out.transpose(0, 2, 1), out=scores)
    largest = float(np.max(np.abs(scores)))
    clash = (negs == centres[:, None])[:, None, :]
    sampled = min(b, _LOSS_WINDOWS)
    loss = _sample_loss(scores[:sampled], np.ones((sampled, 1), bool), clash[:sampled])
    _sigmoid(scores)
    scores[..., 0] -= 1.0
    scores[..., 1:][np.broadcast_to(clash, scores[..., 1:].shape)] = 0.0
    scores *= -lr
    error = ws.get("error", (b, 1, dim))
    np.matmul(scores, out, out=error)  # from the output vectors as they were before the batch
    _add_products(w_out, words, scores.reshape(b, k1), hidden)
    _add_products(w_in, contexts, valid, error.reshape(b, dim))  # padding slots get weight 0
    return loss, sampled, b, largest


def context_windows(ids: np.ndarray, sentence: np.ndarray, reach: np.ndarray, window: int,
                    pad: int) -> np.ndarray:
    """The context words of every token's window, by offset, never crossing a sentence boundary.

    Parameters
    ----------
    ids, sentence : (N,) int
        The corpus as one id array and the sentence number of each token.
    reach : (N,) int
        Each token's (dynamic) window size, 1..``window``.
    window : int
    pad : int
        Id that marks an empty context slot.

    Returns
    -------
    contexts : (N, 2 * window) int32
        Row i holds the ids at offsets -window..-1, 1..window from token i, or ``pad`` where that offset lies
        beyond ``reach[i]`` or outside token i's sentence (the rule of :func:`helpers.corpus.window_positions`).
    """
    positions = window_positions(sentence, reach, window)
    return np.where(positions >= 0, ids[positions], pad).astype(np.int32)


def _epoch_windows(ids: np.ndarray, sentence: np.ndarray, keep: np.ndarray, window: int, pad: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Subsample the corpus, draw each token's window size, and return this epoch's windows grouped by size.

    ``keep`` (V,) is the probability of keeping each word. Returns contexts (n, 2 * window) as
    :func:`context_windows`, centre ids (n,) and reach (n,), sorted by reach and in random order within one
    reach. Windows without any context word are left out.
    """
    kept = rng.random(len(ids)) < keep[ids]
    ids, sentence = ids[kept], sentence[kept]
    reach = rng.integers(1, window + 1, size=len(ids))
    contexts = context_windows(ids, sentence, reach, window, pad)
    order = rng.permutation(np.flatnonzero((contexts != pad).any(axis=1)))
    order = order[np.argsort(reach[order], kind="stable")]  # stable: each reach keeps the random order
    return contexts[order], ids[order], reach[order]


def _batches(reach: np.ndarray, window: int, batch_pairs: int,
             rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """Cut windows grouped by reach into batches of about ``batch_pairs`` pairs: (reach, start, stop) into the
    reach-sorted windows, in random order (so batches of short and long windows alternate at random)."""
    starts = np.searchsorted(reach, np.arange(1, window + 2))
    batches = []
    for r in range(1, window + 1):
        size = max(1, batch_pairs // (2 * r))
        batches += [(r, lo, min(lo + size, starts[r])) for lo in range(starts[r - 1], starts[r], size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def _as_list(sentences: Iterable[Sequence[str]]) -> Sequence[Sequence[str]]:
    """``sentences`` as a list (a generator can only be read once), refusing one string with the usual message."""
    if isinstance(sentences, str):
        _check_sentences(sentences)
    return sentences if isinstance(sentences, (list, tuple)) else list(sentences)


def _encode_corpus(sentences: Sequence[Sequence[str]], min_count: int) -> tuple[Vocabulary, np.ndarray, np.ndarray]:
    """The vocabulary of ``sentences`` (by :func:`helpers.corpus.vocabulary_from_counts`, as the step trainer's) and the
    corpus as one id array with the sentence number of each token, shapes (N,) and (N,).

    One pass over the tokens instead of the three that building and encoding separately take; the type of each
    *distinct* token is checked, and any problem is reported by the corpus module's own checks.
    """
    if isinstance(sentences, str) or any(isinstance(s, str) for s in sentences):
        _check_sentences(sentences)  # raises its usual, precise TypeError
    lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    first_seen: dict[str, int] = {}
    try:
        raw = np.fromiter((first_seen.setdefault(w, len(first_seen)) for s in sentences for w in s),
                          dtype=np.int64, count=int(lengths.sum()))
    except TypeError:  # an unhashable token
        _check_sentences(sentences)
        raise
    words = list(first_seen)
    if not all(isinstance(w, str) for w in words):
        _check_sentences(sentences)
    counts = np.bincount(raw, minlength=len(words))
    vocab = vocabulary_from_counts(dict(zip(words, counts.tolist())), min_count)
    new_id = np.array([vocab.key_to_index.get(w, -1) for w in words], dtype=np.int64)
    ids = new_id[raw]
    known = ids >= 0
    sentence = np.repeat(np.arange(len(sentences)), lengths)[known]
    return vocab, ids[known].astype(np.int32), sentence


def _starting_vectors(vocab_size: int, dim: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Input vectors uniform in [-0.5/d, 0.5/d) plus the zero padding row, shape (V + 1, d); output vectors
    zero, shape (V, d). The first draw from ``rng``: :func:`starting_vectors` relies on it."""
    w_in, w_out = init_vectors(vocab_size, dim, rng, dtype=np.float32)
    return np.ascontiguousarray(np.vstack([w_in, np.zeros((1, dim), np.float32)])), w_out


def starting_vectors(sentences: Iterable[Sequence[str]], *, dim: int = 100, min_count: int = 5,
                     seed: int = 0) -> WordVectors:
    """The random input vectors that :func:`train_word2vec` with the same ``sentences``, ``dim``, ``min_count``
    and ``seed`` starts from: the "before" of a before-and-after comparison."""
    dim = check_int("dim", dim, low=1)
    min_count = check_int("min_count", min_count, low=1)
    check_int("seed", seed, low=0)
    sentences = _as_list(sentences)
    vocab = _encode_corpus(sentences, min_count)[0]
    w_in, _ = _starting_vectors(len(vocab), dim, np.random.default_rng(seed))
    return WordVectors(w_in[:-1], vocab.index_to_key)


def auto_batch_size(vocab_size: int, batch_size: int) -> int:
    """Pairs per minibatch actually used: ``batch_size``, but at most the vocabulary size (and at least 16).

    In a tiny vocabulary (the toy world has about 100 words) a large batch repeats every word many times, and
    summing that many gradients computed from the same stale vectors overshoots; real vocabularies are far larger
    than the default batch, so there nothing changes.
    """
    return max(16, min(batch_size, vocab_size))


_PARAMETERS_DOC = """
    sentences : list of list of str
    model : {"skipgram", "cbow"}
    dim, window, min_count, epochs : int, >= 1
    negative : int, >= 1
        Noise words per window.
    sample : float in [0, 1]
        Subsampling threshold for frequent words (0 turns it off).
    lr : float, > 0
    min_lr : float in [0, lr]
    batch_size : int, >= 1
        About this many (context, centre) pairs per minibatch; capped at the vocabulary size (see
        :func:`auto_batch_size`).
    seed : int, >= 0
        Same seed, same vectors (bit for bit); different seeds give different vectors.
    progress : bool or "auto"
        Show a progress bar in a notebook; "auto" shows it for runs of more than about a second.
    max_score : float, > 0
        A dot product between two vectors beyond this means the run diverged.
"""


class Word2VecTrainer:
    """word2vec with negative sampling on ``sentences``, trained in vectorized minibatches, a few epochs at a time.

    :func:`train_word2vec` runs all epochs at once; this class lets a notebook run them cell by cell (each cell
    short, each showing progress) and look at the space in between. The learning rate falls linearly from ``lr``
    to ``min_lr`` over all ``epochs``, however the calls to :meth:`train` split them.

    Parameters
    ----------
    {parameters}
    Raises
    ------
    ValueError
        For a bad parameter (the message names it and its valid range), an empty corpus, or a corpus without a
        single (target, context) pair after ``min_count``.
    TypeError
        If a token is not a string.
    """

    def __init__(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        model: str = "skipgram",
        dim: int = 100,
        window: int = 5,
        negative: int = 5,
        min_count: int = 5,
        sample: float = 1e-3,
        epochs: int = 5,
        lr: float = 0.025,
        min_lr: float = 1e-4,
        batch_size: int = 4096,
        seed: int = 0,
        progress: bool | str = "auto",
        max_score: float = 1e4,
    ) -> None:
        self.model = check_choice("model", model, MODELS)
        self.dim = check_int("dim", dim, low=1)
        self.window = check_int("window", window, low=1)
        self.negative = check_int("negative", negative, low=1)
        min_count = check_int("min_count", min_count, low=1)
        self.epochs = check_int("epochs", epochs, low=1)
        batch_size = check_int("batch_size", batch_size, low=1)
        self.lr = check_float("lr", lr, low=0.0, low_inclusive=False)
        self.min_lr = check_float("min_lr", min_lr, low=0.0, high=self.lr)
        sample = check_float("sample", sample, low=0.0, high=1.0)
        self.max_score = check_float("max_score", max_score, low=0.0, low_inclusive=False)
        check_int("seed", seed, low=0)
        if progress not in (True, False, "auto"):
            raise ValueError(f"progress must be True, False or 'auto', got {progress!r}")
        self.progress = progress

        self.vocab, self._ids, self._sentence = _encode_corpus(_as_list(sentences), min_count)
        if not np.any(self._sentence[1:] == self._sentence[:-1]):
            raise ValueError("the corpus has no (target, context) pair: after min_count, every sentence has fewer "
                             "than two known words; give longer sentences or lower min_count")
        self._rng = np.random.default_rng(seed)
        # One extra all-zero input row stands in for the missing context words of windows cut short; its updates
        # are zero, and it is never handed out.
        self._w_in, self._w_out = _starting_vectors(len(self.vocab), self.dim, self._rng)
        self._noise = NoiseSampler(self.vocab.counts, self._rng)
        self._keep = keep_probabilities(self.vocab.counts, sample)
        self.batch_pairs = auto_batch_size(len(self.vocab), batch_size)
        self._kernel = _skipgram_batch if self.model == "skipgram" else _cbow_batch
        self._ws = _Workspace()
        self.epochs_done = 0
        self.examples_seen = 0
        self.minibatches_done = 0
        self.seconds = 0.0  # wall-clock time spent in train(), for speed comparisons
        self.loss_history: list[tuple[int, float]] = []
        self._diverged: TrainingDiverged | None = None

    def train(self, epochs: int | None = None) -> WordVectors:
        """Run ``epochs`` more epochs (default: all that remain) and return the current vectors.

        Raises
        ------
        TrainingDiverged
            With the minibatch number and a suggested learning rate, instead of returning NaN or huge vectors.
            The trainer is then unusable: make a new one with a smaller ``lr``.
        """
        if self._diverged is not None:
            raise RuntimeError(f"this trainer stopped after diverging ({self._diverged}); make a new one")
        remaining = self.epochs - self.epochs_done
        epochs = remaining if epochs is None else check_int("epochs", epochs, low=0 if remaining == 0 else 1,
                                                            high=remaining)
        if epochs == 0:
            return self.word_vectors()
        expected_windows = float(self._keep[self._ids].sum())
        work = expected_windows * epochs * self.window * self.negative * self.dim
        show = self.progress is True or (self.progress == "auto" and work > 3e8)
        first, last = self.epochs_done + 1, self.epochs_done + epochs
        label = f"epoch {first}" if epochs == 1 else f"epochs {first}-{last}"
        bar = Progress(int(expected_windows * epochs), f"{self.model} {label} of {self.epochs}", show)
        started = time.perf_counter()
        try:
            # Overflow in a diverging run is caught (and raised as TrainingDiverged), not warned about.
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(epochs):
                    self._epoch(bar, epochs)
            if not (np.isfinite(self._w_in).all() and np.isfinite(self._w_out).all()):
                raise TrainingDiverged(self.minibatches_done, self.lr, "the last update made a vector non-finite; "
                                       "no vectors were returned")
        except TrainingDiverged as error:
            self._diverged = error
            bar.close(f"stopped at minibatch {error.step}: diverged")
            raise
        finally:
            self.seconds += time.perf_counter() - started
        unit = "pairs" if self.model == "skipgram" else "windows"
        # The total was an estimate (subsampling keeps a random number of windows): a finished run fills the bar,
        # else it closes red, as if it had failed (seen in the browser test's screenshot of notebook 06).
        bar.update(bar.total)
        bar.close(f"done: epoch {self.epochs_done} of {self.epochs}, {self.examples_seen:,} {unit}, "
                  f"loss {self.loss_history[-1][1]:.3f}")
        return self.word_vectors()

    def _epoch(self, bar: Progress, epochs_in_call: int) -> None:
        window, rng = self.window, self._rng
        pad = len(self._w_in) - 1
        contexts, centres, reach = _epoch_windows(self._ids, self._sentence, self._keep, window, pad, rng)
        batches = _batches(reach, window, self.batch_pairs, rng)
        bar_every = max(1, len(batches) * epochs_in_call // _BAR_UPDATES)
        unreported = 0
        for number, (r, lo, hi) in enumerate(batches):
            self.minibatches_done += 1
            ctx, centre = contexts[lo:hi, window - r:window + r], centres[lo:hi]
            negs = self._noise.table[rng.integers(0, len(self._noise.table), size=(hi - lo, self.negative))]
            done = (self.epochs_done + number / len(batches)) / self.epochs
            rate = self.lr - (self.lr - self.min_lr) * done  # linear decay over the whole run
            loss, loss_examples, examples, largest = self._kernel(self._w_in, self._w_out, ctx, centre, negs, rate,
                                                                  self._ws)
            if not (np.isfinite(loss) and largest <= self.max_score):
                step = self.minibatches_done
                raise TrainingDiverged(step, self.lr, f"minibatch {step} had a dot product of {largest:.3g} between "
                                       f"two vectors (limit {self.max_score:g}) and a loss of "
                                       f"{loss / max(loss_examples, 1):.3g} per example; no vectors were returned")
            self.examples_seen += examples
            self.loss_history.append((self.examples_seen, loss / max(loss_examples, 1)))
            unreported += hi - lo
            if self.minibatches_done % bar_every == 0:
                bar.update(unreported, f"loss {self.loss_history[-1][1]:.3f}")
                unreported = 0
        bar.update(unreported)
        self.epochs_done += 1

    def word_vectors(self) -> WordVectors:
        """A copy of the current input vectors (V, d) as :class:`WordVectors`, with ``output_vectors`` (V, d),
        ``counts`` (V,) and ``loss_history`` (one (examples seen, mean loss per example) per minibatch, the loss
        estimated on a random sample of the batch's windows before its update; examples are pairs for skip-gram,
        windows for CBOW) attached."""
        if self._diverged is not None:
            raise RuntimeError(f"this trainer stopped after diverging ({self._diverged}); its vectors are unusable")
        wv = WordVectors(self._w_in[:-1].copy(), self.vocab.index_to_key)
        wv.output_vectors = self._w_out.copy()
        wv.counts = self.vocab.counts
        wv.loss_history = list(self.loss_history)
        return wv


Word2VecTrainer.__doc__ = Word2VecTrainer.__doc__.replace("    {parameters}", _PARAMETERS_DOC.strip("\n"))


def train_word2vec(
    sentences: Iterable[Sequence[str]],
    *,
    model: str = "skipgram",
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    min_count: int = 5,
    sample: float = 1e-3,
    epochs: int = 5,
    lr: float = 0.025,
    min_lr: float = 1e-4,
    batch_size: int = 4096,
    seed: int = 0,
    progress: bool | str = "auto",
    max_score: float = 1e4,
) -> WordVectors:
    """Train word2vec with negative sampling on ``sentences`` in vectorized minibatches, all epochs at once.

    Parameters mirror gensim's ``Word2Vec`` (``dim`` = ``vector_size``, ``lr`` = ``alpha``, ``min_lr`` =
    ``min_alpha``), and so do the defaults (except that skip-gram is the default model). The learning rate falls
    linearly from ``lr`` to ``min_lr`` over the run; windows are shuffled and frequent words subsampled afresh every
    epoch. See :class:`Word2VecTrainer` to run the epochs a few at a time.

    Parameters
    ----------
    {parameters}
    Returns
    -------
    WordVectors
        Input vectors (V, d) float32, with ``output_vectors`` (V, d), ``counts`` (V,) and ``loss_history``
        attached: one (examples seen, mean loss per example) per minibatch, the loss estimated on a random
        sample of the batch's windows before its update. Examples are pairs for skip-gram, windows for CBOW.

    Raises
    ------
    ValueError
        For a bad parameter (the message names it and its valid range), an empty corpus, or a corpus without a
        single (target, context) pair after ``min_count``.
    TypeError
        If a token is not a string.
    TrainingDiverged
        With the minibatch number and a suggested learning rate, instead of returning NaN or huge vectors.
    """
    return Word2VecTrainer(sentences, model=model, dim=dim, window=window, negative=negative, min_count=min_count,
                           sample=sample, epochs=epochs, lr=lr, min_lr=min_lr, batch_size=batch_size, seed=seed,
                           progress=progress, max_score=max_score).train()


train_word2vec.__doc__ = train_word2vec.__doc__.replace("    {parameters}", _PARAMETERS_DOC.strip("\n"))
