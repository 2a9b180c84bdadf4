"""What one update of the step trainer did: the record the widget, the printouts and the tests read."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class UpdateRecord:
    """Everything one update did, for printing, plotting and checking.

    ``before``/``after`` hold the vectors the update touched, keyed like the loss's gradients:
    ``target_in`` (d,), ``context_out`` (d,) and ``negatives_out`` (k, d) for negative sampling;
    ``target_in`` (d,) and ``all_out`` (V, d) for the softmax. ``window`` is the slice ``(start, stop)`` of
    ``sentence`` covered by the window drawn for this target (word2vec's dynamic window: 1..``window`` words).
    ``sentence`` is shared by every record of that sentence (so a long one is held once, not once per record):
    read it, do not edit it.
    """

    step: int
    loss_name: str
    target: str
    context: str
    target_id: int
    context_id: int
    sentence_index: int
    sentence: list[str]
    target_position: int
    context_position: int
    window: tuple[int, int]
    negatives: list[str]
    negative_ids: np.ndarray
    scores: np.ndarray
    probs: np.ndarray
    errors: np.ndarray
    loss: float
    lr: float
    grads: dict[str, np.ndarray]
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray] = field(repr=False)
