"""Counting in disguise: pair counts, PMI, shifted positive PMI and its truncated SVD, as a word space (notebook 04b).

At its optimum, skip-gram with negative sampling makes the score of a (word, context) pair equal to the pair's
pointwise mutual information minus log k (Levy & Goldberg, 2014). This module builds that matrix from the same
(target, context) pairs the trainers see (:func:`helpers.text.skipgram_pairs`, the course's one window rule), so
the counted space and the trained one can be compared word for word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..params import check
from ..text.corpus import Vocabulary
from ..text.windows import skipgram_pairs
from ..validation import check_int
from .neighbors import WordVectors


def pair_counts(encoded: Sequence[np.ndarray], vocab_size: int, window: int, *, dynamic: bool = True) -> np.ndarray:
    """How often each (target, context) pair occurs: a (V, V) matrix, rows targets, columns contexts.

    Parameters
    ----------
    encoded : list of int arrays
        Sentences as word ids (``vocab.encode(sentences)``).
    vocab_size : int
        V, the number of rows and columns.
    window : int
        The window of :func:`helpers.text.skipgram_pairs`.
    dynamic : bool, default True
        Count what word2vec's dynamic window sees *on average*: it draws each target's window from 1..``window``,
        so a context ``d`` positions away is seen with probability ``(window - d + 1) / window``. ``False``
        counts every pair of the full window once.

    Returns
    -------
    ndarray of float64, shape (V, V)
        Symmetric (the window looks both ways), the expected number of times each pair is trained per epoch.
    """
    vocab_size = check_int("vocab_size", vocab_size, low=1)
    targets, contexts, positions = skipgram_pairs(encoded, window)
    if len(targets) and max(targets.max(), contexts.max()) >= vocab_size:
        raise ValueError(f"a word id is {max(targets.max(), contexts.max())}, beyond vocab_size = {vocab_size}")
    if dynamic:
        distance = np.abs(positions[:, 0] - positions[:, 1])
        weights = (window - distance + 1) / window
    else:
        weights = np.ones(len(targets))
    flat = targets.astype(np.int64) * vocab_size + contexts
    return np.bincount(flat, weights=weights, minlength=vocab_size * vocab_size).reshape(vocab_size, vocab_size)


def pmi(counts: np.ndarray, *, power: float = 1.0) -> np.ndarray:
    """Pointwise mutual information log P(t, c) / (P(t) P(c)) of every pair, shape (V, V).

    ``P(t, c)`` is the pair's share of all pairs, ``P(t)`` its row's share; ``P(c)`` is the column's share raised
    to ``power`` and renormalised: with ``power = 0.75`` the context distribution is smoothed exactly as word2vec
    smooths its noise distribution (Levy, Goldberg & Dagan, 2015). Pairs never seen get ``-inf``.

    Raises
    ------
    ValueError
        If ``counts`` is not a square matrix of non-negative finite numbers with at least one pair.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square (V, V) matrix, got shape {counts.shape}")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("counts must hold finite, non-negative numbers")
    total = counts.sum()
    if total == 0:
        raise ValueError("counts holds no pair at all: nothing to measure")
    power = check("power", power)
    p_target = counts.sum(axis=1) / total
    column = counts.sum(axis=0) ** power
    p_context = column / column.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.log(counts / total) - np.log(p_target)[:, None] - np.log(p_context)[None, :]
    values[counts == 0] = -np.inf
    return values


def shifted_ppmi(counts: np.ndarray, negative: int = 5, *, power: float = 0.75) -> np.ndarray:
    """``max(PMI - log k, 0)``, shape (V, V): the shifted positive PMI matrix (k = ``negative``; k = 1 is PPMI)."""
    negative = check("negative", negative)
    return np.maximum(pmi(counts, power=power) - np.log(negative), 0.0)


def sgns_optimum(counts: np.ndarray, negative: int, word_counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """The score u·v that minimises skip-gram's negative-sampling loss for each pair, shape (V, V).

    For a pair seen ``#(t, c)`` times, with ``#(t)`` pairs of target t in all and k noise words per pair drawn
    from ``P_n(c) ∝ count(c)^power``, the loss is lowest at ``log(#(t, c) / (k #(t) P_n(c)))``: PMI with the
    noise distribution as the context distribution, minus log k. ``-inf`` for pairs never seen.
    """
    counts = np.asarray(counts, dtype=np.float64)
    word_counts = np.asarray(word_counts, dtype=np.float64)
    if word_counts.shape != counts.shape[:1]:
        raise ValueError(f"word_counts must hold one count per word ({counts.shape[0]}), got {word_counts.shape}")
    negative, power = check("negative", negative), check("power", power)
    noise = word_counts**power / (word_counts**power).sum()
    rows = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.log(counts) - np.log(rows) - np.log(noise)[None, :] - np.log(negative)
    values[counts == 0] = -np.inf
    return values


@dataclass(frozen=True)
class CountSpace:
    """A counted word space: the matrix it came from and its truncated SVD.

    Attributes
    ----------
    words : WordVectors
        ``U_d S_d^(1/2)``, shape (V, d), as input vectors; ``words.output_vectors`` is ``V_d S_d^(1/2)``, so
        ``words.vectors @ words.output_vectors.T`` is the best rank-d approximation of ``matrix``.
    matrix : ndarray, shape (V, V)
    singular_values : ndarray, shape (d,), largest first
    """

    words: WordVectors
    matrix: np.ndarray
    singular_values: np.ndarray


def svd_space(matrix: np.ndarray, index_to_key: Sequence[str], dim: int) -> CountSpace:
    """Truncated SVD of a (V, V) count-based matrix to ``dim`` dimensions, as a word space.

    Each singular vector's sign is fixed (its largest entry in absolute value is positive), so the space is the
    same on every machine up to rounding; cosines do not depend on the signs anyway.

    Raises
    ------
    ValueError
        If ``matrix`` is not (V, V) with V = len(index_to_key), is not finite, or ``dim`` exceeds V.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    V = len(index_to_key)
    if matrix.shape != (V, V):
        raise ValueError(f"matrix must have shape ({V}, {V}), one row and column per word, got {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("matrix holds NaN or infinite values: use shifted_ppmi (never -inf), not pmi")
    dim = check_int("dim", dim, low=1, high=V)
    u, s, vt = np.linalg.svd(matrix)
    u, s, vt = u[:, :dim], s[:dim], vt[:dim]
    flip = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(dim)])
    flip[flip == 0] = 1.0
    u, vt = u * flip, vt * flip[:, None]
    # A word whose row (or column) is all zeros ("the" after a shift: never more often than chance) has the zero
    # vector exactly; the SVD would give it rounding noise of about 1e-16, a random direction on each machine.
    u[~matrix.any(axis=1)] = 0.0
    vt[:, ~matrix.any(axis=0)] = 0.0
    scale = np.sqrt(s)
    words = WordVectors(u * scale, index_to_key, output_vectors=vt.T * scale)
    return CountSpace(words=words, matrix=matrix, singular_values=s)


def counted_space(sentences: Sequence[Sequence[str]], vocab: Vocabulary, *, window: int, dim: int,
                  negative: int = 5, power: float = 0.75) -> CountSpace:
    """Shifted PPMI from the pairs of ``sentences`` (dynamic window, as the trainer sees them), reduced to ``dim``."""
    counts = pair_counts(vocab.encode(sentences), len(vocab), window)
    return svd_space(shifted_ppmi(counts, negative, power=power), vocab.index_to_key, dim)


def frequent_pairs(counts: np.ndarray, min_count: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pairs seen at least ``min_count`` times (expected count), shapes (P,), (P,)."""
    rows, cols = np.nonzero(np.asarray(counts) >= min_count)
    return rows, cols


def trained_scores(wv: WordVectors, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The trained score of each pair: input vector of ``rows`` · output vector of ``cols``, shape (P,).

    The fast trainer reads a pair the way word2vec.c does, the context word's input vector scoring the centre
    word's output vector; the counts are symmetric, so either reading of a pair has the same optimum.
    """
    if wv.output_vectors is None:
        raise ValueError("these vectors have no output vectors W′: give the WordVectors a trainer returned")
    w_in = wv.vectors.astype(np.float64)
    w_out = wv.output_vectors.astype(np.float64)
    return np.einsum("pd,pd->p", w_in[rows], w_out[cols])
