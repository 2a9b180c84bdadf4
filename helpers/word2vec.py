"""The whole-corpus trainer: word2vec with negative sampling in vectorized minibatches (skip-gram or CBOW).

Same losses as :mod:`helpers.losses`, many examples at once, for real text in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .corpus import NoiseSampler, build_vocabulary, cbow_examples, keep_probabilities, skipgram_pairs, subsample
from .losses import sigmoid
from .neighbors import WordVectors
from .progress import Progress
from .training import TrainingDiverged, init_vectors
from .validation import check_choice, check_float, check_int

MODELS = ("skipgram", "cbow")


def _sgns_batch(w_in: np.ndarray, w_out: np.ndarray, targets: np.ndarray, contexts: np.ndarray,
                negs: np.ndarray, lr: float) -> float:
    """One minibatch of skip-gram negative sampling, gradients summed per row as per-pair SGD would.

    targets, contexts : (b,); negs : (b, k). Returns the summed loss of the batch (before the update).
    """
    v, u, un = w_in[targets], w_out[contexts], w_out[negs]
    s_pos = np.einsum("bd,bd->b", v, u)
    s_neg = np.einsum("bkd,bd->bk", un, v)
    g_pos = sigmoid(s_pos) - 1.0
    g_neg = sigmoid(s_neg)
    loss = float(np.logaddexp(0, -s_pos).sum() + np.logaddexp(0, s_neg).sum())
    grad_v = g_pos[:, None] * u + np.einsum("bk,bkd->bd", g_neg, un)
    np.add.at(w_out, contexts, (-lr * g_pos)[:, None] * v)
    np.add.at(w_out, negs.ravel(), (-lr * g_neg.reshape(-1))[:, None] * np.repeat(v, negs.shape[1], axis=0))
    np.add.at(w_in, targets, -lr * grad_v)
    return loss


def _cbow_batch(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, targets: np.ndarray,
                negs: np.ndarray, lr: float) -> float:
    """One minibatch of CBOW negative sampling; ``contexts`` (b, 2w) is padded with -1."""
    valid = contexts >= 0
    counts = valid.sum(axis=1)
    rows = np.where(valid, contexts, 0)
    hidden = (w_in[rows] * valid[..., None]).sum(axis=1) / counts[:, None]
    u, un = w_out[targets], w_out[negs]
    s_pos = np.einsum("bd,bd->b", hidden, u)
    s_neg = np.einsum("bkd,bd->bk", un, hidden)
    g_pos = sigmoid(s_pos) - 1.0
    g_neg = sigmoid(s_neg)
    loss = float(np.logaddexp(0, -s_pos).sum() + np.logaddexp(0, s_neg).sum())
    grad_h = g_pos[:, None] * u + np.einsum("bk,bkd->bd", g_neg, un)
    np.add.at(w_out, targets, (-lr * g_pos)[:, None] * hidden)
    np.add.at(w_out, negs.ravel(), (-lr * g_neg.reshape(-1))[:, None] * np.repeat(hidden, negs.shape[1], axis=0))
    share = np.repeat(-lr * grad_h / counts[:, None], contexts.shape[1], axis=0)
    np.add.at(w_in, contexts.ravel()[valid.ravel()], share[valid.ravel()])
    return loss


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
    batch_size: int = 256,
    seed: int = 0,
    progress: bool | str = "auto",
    max_norm: float = 1e3,
) -> WordVectors:
    """Train word2vec with negative sampling on ``sentences`` in vectorized minibatches.

    Parameters mirror gensim's ``Word2Vec`` (``dim`` = ``vector_size``, ``lr`` = ``alpha``). The learning rate
    falls linearly from ``lr`` to ``min_lr`` over the run; pairs are shuffled every epoch.

    Parameters
    ----------
    sentences : list of list of str
    model : {"skipgram", "cbow"}
    dim, window, negative, min_count, epochs, batch_size : int
        ``dim``, ``window``, ``min_count``, ``epochs``, ``batch_size`` >= 1; ``negative`` >= 1.
    sample : float in [0, 1]
        Subsampling threshold for frequent words (0 turns it off).
    lr, min_lr : float, > 0
    seed : int
        Same seed, same vectors (bit for bit).
    progress : bool or "auto"
        Show a progress bar in a notebook; "auto" shows it for runs of more than about a second.
    max_norm : float
        A vector longer than this means the run diverged.

    Returns
    -------
    WordVectors
        Input vectors (V, d), with ``output_vectors`` (V, d), ``counts`` (V,) and ``loss_history``
        (list of (pairs seen, mean loss per pair)) attached.

    Raises
    ------
    TrainingDiverged
        With the step (minibatch number) and a suggested learning rate, instead of returning NaN vectors.
    """
    model = check_choice("model", model, MODELS)
    dim = check_int("dim", dim, low=1)
    window = check_int("window", window, low=1)
    negative = check_int("negative", negative, low=1)
    epochs = check_int("epochs", epochs, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    lr = check_float("lr", lr, low=0.0, low_inclusive=False)
    min_lr = check_float("min_lr", min_lr, low=0.0, high=lr)
    sample = check_float("sample", sample, low=0.0, high=1.0)
    max_norm = check_float("max_norm", max_norm, low=0.0, low_inclusive=False)
    if progress not in (True, False, "auto"):
        raise ValueError(f"progress must be True, False or 'auto', got {progress!r}")

    vocab = build_vocabulary(sentences, min_count)
    encoded = vocab.encode(sentences)
    rng = np.random.default_rng(seed)
    w_in, w_out = init_vectors(len(vocab), dim, rng, dtype=np.float32)
    noise = NoiseSampler(vocab.counts, rng)
    keep = keep_probabilities(vocab.counts, sample)
    # Expected examples per epoch, to schedule the learning rate before the (random) epochs are drawn.
    per_epoch = float(keep[np.concatenate(encoded)].sum()) * (window + 1) if any(len(s) for s in encoded) else 0.0
    if per_epoch == 0 or len(skipgram_pairs(encoded, window)[0]) == 0:
        raise ValueError("the corpus has no (target, context) pair: every sentence needs at least two known words")
    planned = per_epoch * epochs if model == "skipgram" else per_epoch * epochs / (window + 1)
    show = progress is True or (progress == "auto" and planned * dim > 5e7)
    bar = Progress(int(planned), f"training {model}", show)
    history: list[tuple[int, float]] = []
    seen = 0
    step = 0
    for epoch in range(epochs):
        kept = subsample(encoded, keep, rng)
        if model == "skipgram":
            targets, contexts, _ = skipgram_pairs(kept, window, rng, sort=False)
            order = rng.permutation(len(targets))
            inputs, outputs = targets[order], contexts[order]
        else:
            ctx, tgt = cbow_examples(kept, window, rng)
            order = rng.permutation(len(tgt))
            inputs, outputs = ctx[order], tgt[order]
        for start in range(0, len(outputs), batch_size):
            step += 1
            a, b = inputs[start:start + batch_size], outputs[start:start + batch_size]
            negs = noise.sample((len(b), negative), exclude=b[:, None])
            rate = max(min_lr, lr - (lr - min_lr) * min(1.0, seen / planned))
            if model == "skipgram":
                loss = _sgns_batch(w_in, w_out, a, b, negs, rate)
            else:
                loss = _cbow_batch(w_in, w_out, a, b, negs, rate)
            seen += len(b)
            history.append((seen, loss / len(b)))
            _check_batch(w_in[a[a >= 0]], w_out[b], loss, step, lr, max_norm, bar)
            bar.update(len(b))
    bar.close(f"done: {epochs} epochs, {seen:,} examples, final loss {history[-1][1]:.3f}")
    wv = WordVectors(w_in, vocab.index_to_key)
    wv.output_vectors = w_out
    wv.counts = vocab.counts
    wv.loss_history = history
    return wv


def _check_batch(touched_in: np.ndarray, touched_out: np.ndarray, loss: float, step: int, lr: float,
                 max_norm: float, bar: Progress) -> None:
    """Raise ``TrainingDiverged`` if the loss is not finite or a vector the batch touched grew past ``max_norm``."""
    worst = float(np.sqrt(max(np.square(touched_in).sum(axis=1).max(), np.square(touched_out).sum(axis=1).max())))
    if np.isfinite(loss) and np.isfinite(worst) and worst <= max_norm:
        return
    bar.close(f"stopped at minibatch {step}: diverged")
    raise TrainingDiverged(step, lr, f"minibatch {step} had loss {loss:.3g} and made a vector of length {worst:.3g}; "
                           "no vectors were returned")
