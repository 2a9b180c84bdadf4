"""The arithmetic of notebook 07's attention layer: forward pass, masked-word loss and its analytic gradients.

:mod:`helpers.contextual` wraps it in a model with a vocabulary (:class:`~helpers.contextual.AttentionModel`);
:mod:`helpers.contextual.training` trains it.

Notebook 05 built a vector for each occurrence of a word by mixing its neighbours' vectors, with equal weights or with
a softmax over static word2vec vectors. Here the weights are learned. Hide one word of a sentence (it becomes the
``[mask]`` token) and predict it from the others with one attention layer:

- the hidden token asks a *query* ``q = (E[mask] + P[p]) Wq``: its position ``p`` (a learned position embedding
  ``P[p]``) shapes the question;
- every other token offers a *key* ``k_j = E[word_j] Wk`` and a *value* ``v_j = E[word_j] Wv`` (``E``: the word
  embeddings);
- the attention weights are ``a = softmax(q . k_j / sqrt(d))`` over the other tokens (the hidden one has nothing
  to offer), and the **contextual vector** of position ``p`` is ``h = sum_j a_j v_j``, shape (d,);
- the scores of the vocabulary are ``U h + b`` and the loss is ``-log softmax(U h + b)[true word]``.

Shapes: ``V`` words (the ``[mask]`` token is row ``V`` of ``E``), ``d`` dimensions, ``L`` the longest sentence,
``n`` examples. Gradients are analytic (checked against finite differences in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_int

PARAMETERS = ("E", "P", "Wq", "Wk", "Wv", "U", "b")  # every learned array, in a fixed order
#: Examples per forward pass when many are scored at once (the loss over a corpus, contextual vectors). One pass over
#: notebook 07's 96,000 examples held their (n, L, d) keys and values and (n, V) log-probabilities at once, 560 MB of
#: the kernel's 690 MB peak; 4,096 at a time hold about 25 MB.
SCORING_CHUNK = 4096


@dataclass(frozen=True)
class MaskedExamples:
    """Sentences with one hidden position each: what the model is trained (and measured) on.

    Attributes
    ----------
    tokens : ndarray of int64, shape (n, L)
        Word ids, the hidden position already replaced by the ``[mask]`` id; padding is -1.
    positions : ndarray of int64, shape (n,)
        The hidden position of each example.
    targets : ndarray of int64, shape (n,)
        The id of the hidden word.
    """

    tokens: np.ndarray
    positions: np.ndarray
    targets: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)

    def subset(self, rows: np.ndarray) -> MaskedExamples:
        return MaskedExamples(self.tokens[rows], self.positions[rows], self.targets[rows])


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Softmax along the last axis; -inf entries get weight 0 (the max shift keeps exp from overflowing)."""
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _sum_rows(rows: np.ndarray, values: np.ndarray, n_rows: int) -> np.ndarray:
    """``out[r] = sum of values[i] where rows[i] == r``, shape (n_rows, k): one bincount, 3-5x faster than
    ``np.add.at`` (a fifth of the training time)."""
    k = values.shape[1]
    flat = (rows[:, None] * k + np.arange(k)).ravel()
    return np.bincount(flat, values.ravel(), minlength=n_rows * k).reshape(n_rows, k)


def forward(params: dict[str, np.ndarray], ex: MaskedExamples) -> dict[str, np.ndarray]:
    """Inputs, attention weights ``a`` (n, L), contextual vectors ``h`` (n, d) and log-probabilities (n, V)."""
    n, length = ex.tokens.shape
    valid = ex.tokens >= 0
    rows = np.arange(n)
    # Keys and values are the words themselves; the position enters through the question the hidden word asks
    # ("what goes in slot 3?"). With positions in the keys too, the toy world's fixed templates let the model
    # attend to "the word two to the right" instead of to the word that carries the meaning.
    tok = np.where(valid, ex.tokens, 0)
    hidden = ex.tokens[rows, ex.positions]  # the [mask] id
    # Each word's key and value, then a lookup: tiny (V, d) products instead of (n * L, d) ones, which OpenBLAS
    # splits over threads and, on a busy 2-core machine, runs ten times slower.
    k = (params["E"] @ params["Wk"])[tok]  # (n, L, d)
    v = (params["E"] @ params["Wv"])[tok]
    q = (params["E"] @ params["Wq"])[hidden] + (params["P"] @ params["Wq"])[ex.positions]  # = (E[mask] + P[p]) Wq
    scale = 1.0 / np.sqrt(q.shape[1])
    scores = (k @ q[:, :, None])[:, :, 0] * scale
    # Padding and the hidden token itself offer nothing: their weight is exactly 0.
    offered = valid.copy()
    offered[rows, ex.positions] = False
    a = _softmax_rows(np.where(offered, scores, -np.inf))
    h = (a[:, None, :] @ v)[:, 0]
    logits = h @ params["U"].T + params["b"]
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return {"tok": tok, "hidden": hidden, "q": q, "k": k, "v": v, "a": a, "h": h, "log_p": log_p, "valid": valid,
            "scale": np.float64(scale)}


def target_log_probs(params: dict[str, np.ndarray], ex: MaskedExamples, chunk: int = SCORING_CHUNK) -> np.ndarray:
    """``log P(hidden word | the other words)`` of each example, shape (n,), scored ``chunk`` examples at a time.

    Examples do not interact in :func:`forward`, so each value is the one a single pass over all of them gives:
    bit for bit for chunks of 64 examples or more (tested), within 1e-14 for smaller ones, whose products can take
    another BLAS path. Only the memory differs (see :data:`SCORING_CHUNK`).
    """
    chunk = check_int("chunk", chunk, low=1)
    out = np.empty(len(ex))
    for start in range(0, len(ex), chunk):
        part = ex.subset(slice(start, start + chunk))
        out[start:start + len(part)] = forward(params, part)["log_p"][np.arange(len(part)), part.targets]
    return out


def masked_loss(ex: MaskedExamples, **params: np.ndarray) -> float:
    """Mean of ``-log P(hidden word | the other words)`` over the examples (what :func:`loss_and_grads` returns)."""
    return float(-target_log_probs(params, ex).mean())


def loss_and_grads(params: dict[str, np.ndarray], ex: MaskedExamples) -> tuple[float, dict[str, np.ndarray]]:
    """The mean masked-word loss and its gradient with respect to every array of ``params`` (same shapes)."""
    f = forward(params, ex)
    n, length = ex.tokens.shape
    rows = np.arange(n)
    loss = float(-f["log_p"][rows, ex.targets].mean())
    dlogits = np.exp(f["log_p"])  # d loss / d logits = (p - onehot(target)) / n
    dlogits[rows, ex.targets] -= 1.0
    dlogits /= n
    grads = {"U": dlogits.T @ f["h"], "b": dlogits.sum(axis=0)}
    dh = dlogits @ params["U"]  # (n, d)
    a, v, k, q, scale = f["a"], f["v"], f["k"], f["q"], f["scale"]
    da = (v @ dh[:, :, None])[:, :, 0]
    dv = a[:, :, None] * dh[:, None, :]
    # Softmax backward: ds_j = a_j (da_j - sum_i a_i da_i); entries that offer nothing have a_j = 0.
    ds = a * (da - (a * da).sum(axis=1, keepdims=True)) * scale
    dq = (ds[:, None, :] @ k)[:, 0]
    dk = ds[:, :, None] * q[:, None, :]
    # Back through the lookups: add up each word's key and value gradients (zero where nothing was offered).
    d = dq.shape[1]
    n_words = params["E"].shape[0]
    per_word = _sum_rows(f["tok"][f["valid"]], np.concatenate([dk, dv], axis=2)[f["valid"]], n_words)
    dkw, dvw = per_word[:, :d], per_word[:, d:]
    dqw = _sum_rows(f["hidden"], dq, n_words)
    dqp = _sum_rows(ex.positions, dq, params["P"].shape[0])
    E, P = params["E"], params["P"]
    grads["Wk"], grads["Wv"] = E.T @ dkw, E.T @ dvw
    grads["Wq"] = E.T @ dqw + P.T @ dqp
    grads["E"] = dkw @ params["Wk"].T + dvw @ params["Wv"].T + dqw @ params["Wq"].T
    grads["P"] = dqp @ params["Wq"].T
    return loss, grads
