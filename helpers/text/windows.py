"""The course's one context rule, and the training examples it makes: skip-gram pairs and CBOW windows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..params import check
from ..validation import check_generator


def context_span(length: int, position: int, window: int | None) -> tuple[int, int]:
    """The context window of the token at ``position`` in a sentence of ``length`` tokens: ``(start, stop)``.

    The course's one context rule: the context of a token is every *other position* at most ``window`` tokens
    away within its sentence (``None``: the whole sentence). Other copies of the same word inside the window
    are context like any word, exactly as in the (target, context) pairs of :func:`skipgram_pairs` (and
    word2vec); only the position itself is left out. :func:`window_positions` is the vectorized form.
    """
    if window is None:
        return 0, length
    return max(0, position - window), min(length, position + window + 1)


def context_of(sentence: Sequence[str], position: int, window: int | None) -> list[str]:
    """The context words of ``sentence[position]`` under :func:`context_span`'s rule, in sentence order.

    No checks: callers validate once (see :func:`helpers.senses.context_words` for the checked version).
    """
    start, stop = context_span(len(sentence), position, window)
    return [sentence[j] for j in range(start, stop) if j != position]


def _flatten(encoded: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate sentences into one id array and the sentence number of each token, shapes (N,), (N,)."""
    lengths = np.fromiter((len(s) for s in encoded), dtype=np.int64, count=len(encoded))
    ids = np.concatenate(encoded) if len(encoded) else np.empty(0, dtype=np.int32)
    return ids.astype(np.int32, copy=False), np.repeat(np.arange(len(encoded)), lengths)


def window_positions(sentence: np.ndarray, reach: np.ndarray, window: int) -> np.ndarray:
    """Where each token's context words are: the one sliding-window rule that pairs and CBOW windows share.

    Parameters
    ----------
    sentence : ndarray of int, shape (N,)
        Sentence number of each token of the flattened corpus.
    reach : ndarray of int, shape (N,)
        Each token's own window size, 1..``window`` (word2vec's dynamic window).
    window : int, >= 1

    Returns
    -------
    ndarray of int64, shape (N, 2 * window)
        Row i holds the positions at offsets -window..-1, 1..window from token i, or -1 where that offset lies
        beyond ``reach[i]`` or outside token i's sentence. Row-major order is corpus order.
    """
    positions = np.full((len(sentence), 2 * window), -1, dtype=np.int64)
    for offset in range(1, window + 1):
        here = np.arange(offset, len(sentence))
        same = sentence[here] == sentence[here - offset]
        # token `here` sees `here - offset` on its left if its own window reaches that far ...
        left = here[same & (reach[here] >= offset)]
        positions[left, window - offset] = left - offset
        # ... and token `here - offset` sees `here` on its right if *its* window does
        right = here[same & (reach[here - offset] >= offset)] - offset
        positions[right, window + offset - 1] = right + offset
    return positions


def skipgram_pairs(
    encoded: Sequence[np.ndarray],
    window: int,
    rng: np.random.Generator | None = None,
    *,
    return_reach: bool = False,
) -> tuple[np.ndarray, ...]:
    """All (target, context) pairs of a sliding window that never crosses a sentence boundary, in text order.

    With ``rng``, each target gets its own window size drawn uniformly from 1..``window`` (word2vec's dynamic
    window: near words count more often than far ones). Without it, every target sees the full window.

    Parameters
    ----------
    encoded : list of int arrays
        Sentences as word ids.
    window : int, >= 1
        Largest distance between target and context.
    rng : numpy.random.Generator, optional
    return_reach : bool
        Also return the window size drawn for each token.

    Returns
    -------
    targets, contexts : ndarray of int32, shape (P,)
        Ordered as they occur in the text: by target position, then context position.
    positions : ndarray of int64, shape (P, 2)
        Index of the target and of the context token in the flattened corpus.
    reach : ndarray of int64, shape (N,), only if ``return_reach``
        Window size of each token of the flattened corpus (``window`` for all without ``rng``); the sentence
        edge may cut the window shorter.
    """
    window = check("window", window)
    check_generator(rng, allow_none=True)
    if not isinstance(return_reach, bool):
        raise TypeError(f"return_reach must be True or False, got {return_reach!r}")
    pairs = pairs_of(encoded_ids(encoded), window, rng)
    return pairs if return_reach else pairs[:3]


def encoded_ids(encoded: object) -> tuple[np.ndarray, np.ndarray]:
    """Check encoded sentences (a list of int arrays) and flatten them: ids (N,) int32 and sentence numbers (N,)."""
    if isinstance(encoded, (str, np.ndarray)) or not isinstance(encoded, Iterable):
        raise TypeError("encoded must be a list of int arrays, one per sentence (vocab.encode(sentences)), "
                        f"got {type(encoded).__name__}")
    arrays = []
    for i, sentence in enumerate(encoded):
        array = np.asarray(sentence)
        if array.ndim != 1 or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
            raise TypeError(f"encoded sentence {i} must be a 1-D array of word ids (vocab.encode(sentences)), "
                            f"got {array.dtype} of shape {array.shape}")
        if array.size and array.min() < 0:
            raise ValueError(f"encoded sentence {i} holds a negative word id ({array.min()})")
        arrays.append(array.astype(np.int32, copy=False))
    return _flatten(arrays)


def pairs_of(
    flat: tuple[np.ndarray, np.ndarray], window: int, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`skipgram_pairs` without the checks, for trainers that validated ``window`` once: takes
    ``encoded_ids(encoded)`` and returns (targets, contexts, positions, reach)."""
    ids, sentence = flat
    reach = rng.integers(1, window + 1, size=len(ids)) if rng is not None else np.full(len(ids), window)
    positions = window_positions(sentence, reach, window)
    t_pos, slot = np.nonzero(positions >= 0)
    c_pos = positions[t_pos, slot]
    return ids[t_pos], ids[c_pos], np.stack([t_pos, c_pos], axis=1), reach.astype(np.int64, copy=False)


def cbow_examples(
    encoded: Sequence[np.ndarray], window: int, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """CBOW examples: every target with the words of its window (the mirror of skip-gram pairs).

    Returns
    -------
    contexts : ndarray of int32, shape (N, 2 * window)
        Context word ids, padded with -1 where the window is cut by a sentence edge or a smaller dynamic window.
    targets : ndarray of int32, shape (N,)
        Only targets with at least one context word are kept.
    """
    targets, contexts, positions = skipgram_pairs(encoded, window, rng)
    t_pos = positions[:, 0]
    # Pairs are sorted by target position, so each target's contexts form one run.
    starts = np.flatnonzero(np.r_[True, t_pos[1:] != t_pos[:-1]]) if len(t_pos) else np.empty(0, np.int64)
    slot = np.arange(len(t_pos)) - np.repeat(starts, np.diff(np.r_[starts, len(t_pos)]))
    out = np.full((len(starts), 2 * window), -1, dtype=np.int32)
    out[np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(t_pos)])), slot] = contexts
    return out, targets[starts]
