"""What the step widget shows, checked and remembered: its inputs validated, the pair's cosine history and paths,
and the output vectors the last update touched. Read from the trainer and its records; nothing is trained here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..model.demo import MAX_DRAWN_WORDS
from ..model.records import UpdateRecord
from ..model.training import StepTrainer
from ..space.neighbors import cosine_similarity


def view_inputs(trainer: StepTrainer, classes: Mapping[str, str] | None,
                full_sentences: Sequence[Sequence[str]] | None, pair: tuple[str, str]
                ) -> tuple[dict[str, str], list[str], tuple[tuple[str, ...], ...] | None]:
    """Check what a step widget is given; returns (class of every word, legend order, full sentences as tuples).

    Raises
    ------
    TypeError, ValueError
        Naming the argument: not a StepTrainer, not 2-D, too many words to draw, a pair outside the vocabulary,
        full sentences that do not match the training sentences.
    """
    if not isinstance(trainer, StepTrainer):
        raise TypeError(f"trainer must be a helpers.model.StepTrainer, got {type(trainer).__name__}")
    if classes is not None and not (isinstance(classes, Mapping)
                                    and all(isinstance(k, str) and isinstance(v, str) for k, v in classes.items())):
        shown = type(classes).__name__ if not isinstance(classes, Mapping) else "a dict with a key or class that " \
            "is not a string"
        raise TypeError(f"classes must be a dict of word to class name, e.g. {{'cat': 'pet', 'sofa': 'furniture'}}, "
                        f"got {shown}")
    if isinstance(pair, str) or not isinstance(pair, Sequence):
        raise TypeError(f"pair must be two words, e.g. ('cat', 'dog'), got {pair!r:.40}")
    if trainer.dim != 2:
        raise ValueError(f"trainer.dim must be 2 (the plot shows the vectors as they are), got {trainer.dim}")
    if len(pair) != 2 or any(w not in trainer.vocab for w in pair):
        raise ValueError(f"pair must be two words of the trainer's vocabulary, got {pair!r}")
    if full_sentences is not None and len(full_sentences) != len(trainer.encoded):
        raise ValueError(f"full_sentences must hold one sentence per training sentence "
                         f"({len(trainer.encoded)}), got {len(full_sentences)}")
    if len(trainer.vocab) > 3 * MAX_DRAWN_WORDS:
        raise ValueError(f"the trainer has {len(trainer.vocab)} words, too many to draw (at most "
                         f"{3 * MAX_DRAWN_WORDS}): train on fewer distinct words")
    every = {w: (classes or {}).get(w, "word") for w in trainer.vocab.index_to_key}
    # Legend order: as the caller listed the classes (the demo: pets first), not by word frequency.
    order = list(dict.fromkeys([c for c in (classes or {}).values() if c in every.values()] + list(every.values())))
    # Tuples: a copy the caller cannot edit, and tuple() of a tuple is the same object (no second copy).
    full = tuple(tuple(s) for s in full_sentences) if full_sentences is not None else None
    return every, order, full


class PairHistory:
    """cos(pair) after every update a widget saw, and the path of each word of the pair.

    Attributes
    ----------
    cos : list of (int, float)
        (updates done, cosine of the pair's input vectors).
    trails : dict of word to list of ndarray (2,)
        Each word's input vector after every update seen.
    """

    def __init__(self, trainer: StepTrainer, pair: tuple[str, str]) -> None:
        self.pair = tuple(pair)
        self.cos: list[tuple[int, float]] = []
        self.trails: dict[str, list[np.ndarray]] = {w: [] for w in self.pair}
        self.record(trainer)

    def record(self, trainer: StepTrainer) -> None:
        """Add the trainer's state now (after an update, or a jump when it was stepped elsewhere)."""
        a, b = (trainer.W_in[trainer.vocab.key_to_index[w]] for w in self.pair)
        self.cos.append((trainer.steps_done, cosine_similarity(a, b)))
        for w, trail in self.trails.items():
            trail.append(trainer.W_in[trainer.vocab.key_to_index[w]].copy())

    def close(self) -> None:
        """Keep only the last cosine (a closed widget may stay referenced: nothing big hangs on)."""
        self.cos, self.trails = self.cos[-1:], {}


def touched_outputs(record: UpdateRecord | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Output vectors the update touched before it (true context first), shape (m, 2), how far each moved (m, 2),
    and the words to label (the first rows)."""
    if record is None:
        return np.empty((0, 2)), np.empty((0, 2)), []
    r = record
    if r.loss_name == "negative_sampling":
        outputs = np.vstack([r.before["context_out"], r.before["negatives_out"]])
        moves = np.vstack([r.after["context_out"], r.after["negatives_out"]]) - outputs
        return outputs, moves, [r.context, *r.negatives]
    # Softmax: every output vector moves; only the true context gets a label.
    order = [r.context_id] + [i for i in range(len(r.probs)) if i != r.context_id]
    outputs = r.before["all_out"][order]
    return outputs, r.after["all_out"][order] - outputs, [r.context]
