"""The context-prediction losses of word2vec, each with its analytic gradient, and a gradient checker.

Notation (shapes in brackets): ``d`` is the vector size, ``V`` the vocabulary size, ``k`` the number of noise words.
Every word has two vectors: an *input* vector (a row of ``W_in``, used when the word is the one we predict *from*)
and an *output* vector (a row of ``W_out``, used when the word is the one being predicted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..validation import check_array, check_float


@dataclass(frozen=True)
class LossOutput:
    """One example's loss, the intermediate numbers a learner wants to see, and the gradients.

    Attributes
    ----------
    loss : float
    scores : ndarray
        Dot products: shape (V,) for the softmax; shape (1 + k,) for negative sampling (true word first).
    probs : ndarray
        Softmax probabilities (V,), or sigmoid(score) = P("is a real context pair") (1 + k,).
    grads : dict of str to ndarray
        Gradient of ``loss`` with respect to each vector the example touches, keyed like the arguments.
    """

    loss: float
    scores: np.ndarray
    probs: np.ndarray
    grads: dict[str, np.ndarray]

    def __iter__(self) -> Iterator[float | np.ndarray]:
        """``loss, *gradients`` in argument order, the interface a learner's own function has (notebook 03):
        ``loss, grad_v, grad_u_pos, grad_U_neg = negative_sampling_loss(v, u_pos, U_neg)``."""
        return iter((self.loss, *self.grads.values()))


def _vector(name: str, x: object, ndim: int, d: int | None = None) -> np.ndarray:
    return check_array(name, x, ndim=ndim, shape_text={1: "(d,)", 2: "(n, d)"}[ndim], last=d)


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """Logistic function, computed without overflow for large negative or positive ``x``."""
    x = np.asarray(x, dtype=np.float64)
    # exp of a non-positive number never overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """``scores - logsumexp(scores)``, shifted by the maximum so ``exp`` cannot overflow."""
    shifted = scores - scores.max()
    return shifted - np.log(np.exp(shifted).sum())


def softmax_skipgram_loss(target_in: np.ndarray, all_out: np.ndarray, context: int) -> LossOutput:
    """Full-softmax skip-gram: ``-log P(context | target)`` with ``P = softmax(W_out @ v)``.

    Parameters
    ----------
    target_in : ndarray, shape (d,)
        Input vector ``v`` of the target word.
    all_out : ndarray, shape (V, d)
        Output vectors of every word.
    context : int
        Id of the true context word.

    Returns
    -------
    LossOutput
        ``grads["target_in"]`` (d,) and ``grads["all_out"]`` (V, d).
    """
    target_in = _vector("target_in", target_in, 1)
    all_out = _vector("all_out", all_out, 2, len(target_in))
    if isinstance(context, bool) or not isinstance(context, (int, np.integer)) or not 0 <= context < len(all_out):
        raise ValueError(f"context must be a word id between 0 and {len(all_out) - 1}, got {context!r}")
    scores = all_out @ target_in
    log_p = log_softmax(scores)
    probs = np.exp(log_p)
    error = probs.copy()
    error[context] -= 1.0  # d loss / d scores = p - onehot(context)
    return LossOutput(
        loss=float(-log_p[context]),
        scores=scores,
        probs=probs,
        grads={"target_in": all_out.T @ error, "all_out": np.outer(error, target_in)},
    )


def negative_sampling_loss(target_in: np.ndarray, context_out: np.ndarray, negatives_out: np.ndarray) -> LossOutput:
    """Skip-gram with negative sampling: a yes/no question for the true context and for each noise word.

    ``loss = -log sigmoid(u_c . v) - sum_n log sigmoid(-u_n . v)``

    Parameters
    ----------
    target_in : ndarray, shape (d,)
        Input vector ``v`` of the target word.
    context_out : ndarray, shape (d,)
        Output vector ``u_c`` of the true context word.
    negatives_out : ndarray, shape (k, d)
        Output vectors ``u_n`` of the noise words (a word drawn twice appears twice).

    Returns
    -------
    LossOutput
        ``grads["target_in"]`` (d,), ``grads["context_out"]`` (d,), ``grads["negatives_out"]`` (k, d).
    """
    target_in = _vector("target_in", target_in, 1)
    context_out = _vector("context_out", context_out, 1, len(target_in))
    negatives_out = _vector("negatives_out", negatives_out, 2, len(target_in))
    scores = np.concatenate([[context_out @ target_in], negatives_out @ target_in])
    probs = sigmoid(scores)
    labels = np.zeros_like(scores)
    labels[0] = 1.0
    # -log sigmoid(s) = logaddexp(0, -s): exact for any s, no clamping.
    signs = 2.0 * labels - 1.0
    loss = float(np.logaddexp(0.0, -signs * scores).sum())
    error = probs - labels  # d loss / d scores
    return LossOutput(
        loss=loss,
        scores=scores,
        probs=probs,
        grads={
            "target_in": error[0] * context_out + error[1:] @ negatives_out,
            "context_out": error[0] * target_in,
            "negatives_out": np.outer(error[1:], target_in),
        },
    )


def cbow_loss(contexts_in: np.ndarray, target_out: np.ndarray, negatives_out: np.ndarray) -> LossOutput:
    """CBOW with negative sampling: predict the target from the *average* of its context words' input vectors.

    Parameters
    ----------
    contexts_in : ndarray, shape (c, d)
        Input vectors of the c context words.
    target_out : ndarray, shape (d,)
        Output vector of the target word.
    negatives_out : ndarray, shape (k, d)

    Returns
    -------
    LossOutput
        ``grads["contexts_in"]`` (c, d) (each context word gets 1/c of the gradient of the average),
        ``grads["target_out"]`` (d,), ``grads["negatives_out"]`` (k, d).
    """
    contexts_in = _vector("contexts_in", contexts_in, 2)
    if len(contexts_in) == 0:
        raise ValueError("CBOW needs at least one context word: contexts_in must have shape (c, d) with c >= 1")
    hidden = contexts_in.mean(axis=0)
    inner = negative_sampling_loss(hidden, target_out, negatives_out)
    grad_hidden = inner.grads["target_in"]
    return LossOutput(
        loss=inner.loss,
        scores=inner.scores,
        probs=inner.probs,
        grads={
            "contexts_in": np.tile(grad_hidden / len(contexts_in), (len(contexts_in), 1)),
            "target_out": inner.grads["context_out"],
            "negatives_out": inner.grads["negatives_out"],
        },
    )


@dataclass(frozen=True)
class GradientCheck:
    """Result of comparing an analytic gradient with central finite differences."""

    passed: bool
    relative_error: float
    message: str
    numeric: dict[str, np.ndarray]

    def __bool__(self) -> bool:
        return self.passed


def check_gradient(
    loss_fn: Callable[..., float],
    params: dict[str, np.ndarray],
    analytic: dict[str, np.ndarray],
    *,
    eps: float = 1e-6,
    tol: float = 1e-6,
) -> GradientCheck:
    """Compare ``analytic`` gradients with central differences of ``loss_fn(**params)``.

    The relative error is ``||a - n|| / (||a|| + ||n||)`` over all entries of all parameters.
    An all-zero gradient fails on purpose: zero would "match" any wrong formula at a point where both
    vanish, so such a check proves nothing (pick another point, e.g. non-zero vectors).

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(**params) -> float``.
    params : dict of str to float64 ndarray
        The point to check at; arrays are perturbed in place and restored.
    analytic : dict of str to ndarray
        Gradients with the same keys and shapes as ``params``.
    eps : float, in (0, 1]
        Finite-difference step.
    tol : float, > 0
        Largest relative error that passes.

    Raises
    ------
    TypeError, ValueError
        For a ``loss_fn`` that is not callable, params that are not float64 arrays, mismatched keys or shapes, or
        ``eps``/``tol`` out of range (``eps=0`` would divide by zero).
    """
    eps = check_float("eps", eps, low=0.0, high=1.0, low_inclusive=False)  # 0 divides by zero; big steps see curvature
    tol = check_float("tol", tol, low=0.0, low_inclusive=False)
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function loss_fn(**params) -> float, got {type(loss_fn).__name__}")
    if not isinstance(params, dict) or not isinstance(analytic, dict):
        raise TypeError(f"params and analytic must be dicts of name to array, got {type(params).__name__} and "
                        f"{type(analytic).__name__}")
    missing = set(params) ^ set(analytic)
    if missing:
        raise ValueError(f"params and analytic gradients have different keys: {sorted(missing)}")
    numeric = {}
    for name, x in params.items():
        if not isinstance(x, np.ndarray) or not isinstance(analytic[name], np.ndarray):
            raise TypeError(f"parameter {name!r} and its gradient must be numpy arrays (perturbed in place), got "
                            f"{type(x).__name__} and {type(analytic[name]).__name__}; e.g. np.array([0.5, -1.0])")
        if x.dtype != np.float64:
            raise TypeError(f"parameter {name!r} is {x.dtype}; use float64, finite differences need the precision")
        if analytic[name].shape != x.shape:
            raise ValueError(f"gradient {name!r} has shape {analytic[name].shape}, parameter has {x.shape}")
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = loss_fn(**params)
            x[i] = old - eps
            down = loss_fn(**params)
            x[i] = old
            grad[i] = (up - down) / (2 * eps)
        numeric[name] = grad
    a = np.concatenate([np.ravel(analytic[n]) for n in params])
    n = np.concatenate([np.ravel(numeric[k]) for k in params])
    norm_a, norm_n = float(np.linalg.norm(a)), float(np.linalg.norm(n))
    if norm_a == 0.0:
        return GradientCheck(
            False,
            float("nan"),
            "the analytic gradient is all zeros, which proves nothing: check at a point where the loss changes",
            numeric,
        )
    rel = float(np.linalg.norm(a - n) / (norm_a + norm_n))
    passed = rel < tol
    verdict = "matches" if passed else "does NOT match"
    return GradientCheck(passed, rel, f"analytic gradient {verdict} finite differences (relative error {rel:.1e})", numeric)
