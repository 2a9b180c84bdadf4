"""Training one visible update at a time: ``StepTrainer`` and the record of what each update did.

The whole-corpus trainer lives in :mod:`helpers.word2vec`. Training only ever nudges vectors along gradients:
it never looks up nearest neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .corpus import NoiseSampler, Vocabulary, build_vocabulary, skipgram_pairs
from .losses import negative_sampling_loss, softmax_skipgram_loss
from .neighbors import WordVectors
from .validation import check_choice, check_float, check_int

LOSSES = ("negative_sampling", "softmax")


class TrainingDiverged(FloatingPointError):
    """Training blew up and was stopped before any NaN or huge vector got out; carries a learning rate that works.

    Both trainers raise it: :class:`StepTrainer` counts ``unit="update"`` (one (target, context) pair each), the
    fast trainer counts ``unit="minibatch"``. The message reads "training diverged at update 13 with lr=5: ...".

    Parameters
    ----------
    step : int, >= 1
        The update (or minibatch) that would have diverged, counted from 1; it was not applied.
    lr : float
        The learning rate that diverged.
    detail : str
        What went wrong (which vector or score, its size, the limit).
    unit : {"update", "minibatch"}
    suggested_lr : float, optional
        A learning rate the trainer checked (it retried the same input with it and did not diverge). Without
        one, ``lr / 10`` rounded is offered as a guess and the message says it is unchecked.

    Attributes
    ----------
    step, lr, unit, suggested_lr, detail
    checked : bool
        Whether ``suggested_lr`` was checked by the trainer (True) or is the unchecked guess ``lr / 10``.
    """

    UNITS = ("update", "minibatch")

    def __init__(
        self, step: int, lr: float, detail: str, *, unit: str = "update", suggested_lr: float | None = None
    ) -> None:
        self.step = int(step)
        self.lr = float(lr)
        self.detail = detail
        self.unit = check_choice("unit", unit, self.UNITS)
        checked = self.checked = suggested_lr is not None
        self.suggested_lr = float(suggested_lr) if checked else float(f"{self.lr / 10:.2g}")
        advice = (f"Try lr={self.suggested_lr:g} (checked: it gets past {unit} {self.step} on the same input)"
                  if checked else f"Try lr={self.suggested_lr:g} or smaller")
        super().__init__(f"training diverged at {unit} {self.step} with lr={self.lr:g}: {detail}. {advice}.")

    def __reduce__(self):  # keep the keyword arguments through pickling (multiprocessing, nbclient)
        return (_rebuild_diverged, (self.step, self.lr, self.detail, self.unit,
                                    self.suggested_lr if self.checked else None))


def _rebuild_diverged(step: int, lr: float, detail: str, unit: str, suggested_lr: float | None) -> TrainingDiverged:
    return TrainingDiverged(step, lr, detail, unit=unit, suggested_lr=suggested_lr)


def init_vectors(
    vocab_size: int, dim: int, rng: np.random.Generator, *, output: str = "zeros", dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Starting vectors: input vectors uniform in [-0.5/d, 0.5/d) as in word2vec; output vectors zero or random.

    Returns
    -------
    W_in, W_out : ndarray, shape (V, d) each
    """
    check_choice("output", output, ("zeros", "random"))
    w_in = ((rng.random((vocab_size, dim)) - 0.5) / dim).astype(dtype)
    w_out = np.zeros_like(w_in) if output == "zeros" else ((rng.random((vocab_size, dim)) - 0.5) / dim).astype(dtype)
    return w_in, w_out


@dataclass(frozen=True)
class UpdateRecord:
    """Everything one update did, for printing, plotting and checking.

    ``before``/``after`` hold the vectors the update touched, keyed like the loss's gradients:
    ``target_in`` (d,), ``context_out`` (d,) and ``negatives_out`` (k, d) for negative sampling;
    ``target_in`` (d,) and ``all_out`` (V, d) for the softmax. ``window`` is the slice ``(start, stop)`` of
    ``sentence`` covered by the window drawn for this target (word2vec's dynamic window: 1..``window`` words).
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
    loss: float
    lr: float
    grads: dict[str, np.ndarray]
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray] = field(repr=False)


class StepTrainer:
    """Skip-gram that advances exactly one (target, context) update per :meth:`step`.

    Pairs come from a dynamic window over ``sentences``, shuffled once per epoch; each step applies one SGD
    update to the vectors that pair touches and returns an :class:`UpdateRecord`.

    Parameters
    ----------
    sentences : list of list of str
    dim : int, >= 1
    window : int, >= 1
    negative : int, >= 1 (negative sampling only)
    lr : float, > 0
    loss : {"negative_sampling", "softmax"}
    min_count : int, >= 1
    seed : int
        The same seed gives the same starting vectors, pairs, noise words and updates.
    allow_false_negatives : bool
        If true, the true context word may be drawn as a noise word (word2vec itself allows it).
    max_norm : float
        A vector longer than this after an update means the run diverged.
    """

    def __init__(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        dim: int = 2,
        window: int = 2,
        negative: int = 3,
        lr: float = 0.05,
        loss: str = "negative_sampling",
        min_count: int = 1,
        seed: int = 0,
        allow_false_negatives: bool = False,
        max_norm: float = 1e3,
    ) -> None:
        self.dim = check_int("dim", dim, low=1)
        self.window = check_int("window", window, low=1)
        self.negative = check_int("negative", negative, low=1)
        self.loss_name = loss
        self.max_norm = check_float("max_norm", max_norm, low=0.0, low_inclusive=False)
        self.lr = lr
        self.seed = check_int("seed", seed, low=0)
        self.allow_false_negatives = bool(allow_false_negatives)
        # A generator can be read only once: the vocabulary would consume it and encode() would see nothing.
        sentences = sentences if isinstance(sentences, str) else list(sentences)
        self.vocab: Vocabulary = build_vocabulary(sentences, min_count)
        self.encoded = self.vocab.encode(sentences)
        self._starts = np.concatenate([[0], np.cumsum([len(s) for s in self.encoded])])
        if not any(len(s) >= 2 for s in self.encoded):  # any two words of one sentence make a pair
            raise ValueError(
                "the corpus has no (target, context) pair: every sentence needs at least two known words "
                f"(words seen fewer than min_count={min_count} times are dropped; min_count must be >= 1)"
            )
        self.reset()

    @property
    def lr(self) -> float:
        """Learning rate of the next updates; may change between steps (a widget's slider does)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_float("lr", value, low=0.0, low_inclusive=False)

    @property
    def loss_name(self) -> str:
        """``"negative_sampling"`` or ``"softmax"``; may change between steps (the vectors are the same kind)."""
        return self._loss_name

    @loss_name.setter
    def loss_name(self, value: str) -> None:
        self._loss_name = check_choice("loss", value, LOSSES)

    def reset(self) -> None:
        """Back to the exact starting point of this seed: vectors, pair order, noise draws, history."""
        self.rng = np.random.default_rng(self.seed)
        self.W_in, self.W_out = init_vectors(len(self.vocab), self.dim, self.rng, output="random")
        self.noise = NoiseSampler(self.vocab.counts, self.rng)
        self.steps_done = 0
        self.epoch = 0
        self.loss_history: list[float] = []
        self._new_epoch()

    def _new_epoch(self) -> None:
        targets, contexts, positions = skipgram_pairs(self.encoded, self.window, self.rng)
        # The window drawn for each target is the farthest context it was paired with (the sentence edge can
        # only hide words that would not be shown anyway), so records can highlight the real window.
        self._reach = np.zeros(self._starts[-1], dtype=np.int64)
        np.maximum.at(self._reach, positions[:, 0], np.abs(positions[:, 1] - positions[:, 0]))
        order = self.rng.permutation(len(targets))
        self._pairs = (targets[order], contexts[order], positions[order])
        self._cursor = 0

    @property
    def pairs_per_epoch(self) -> int:
        return len(self._pairs[0])

    def word_vectors(self) -> WordVectors:
        """A copy of the current input vectors as :class:`WordVectors` (what the course queries with kNN)."""
        return WordVectors(self.W_in.copy(), self.vocab.index_to_key)

    def _locate(self, flat: int) -> tuple[int, int]:
        sentence = int(np.searchsorted(self._starts, flat, side="right") - 1)
        return sentence, int(flat - self._starts[sentence])

    def step(self) -> UpdateRecord:
        """Apply one SGD update for the next pair and return what it did.

        Raises
        ------
        TrainingDiverged
            If the update would make a vector non-finite or longer than ``max_norm``; the vectors, the pair
            cursor and the history stay as they were.
        """
        if self._cursor >= self.pairs_per_epoch:
            self.epoch += 1
            self._new_epoch()
        targets, contexts, positions = self._pairs
        t, c = int(targets[self._cursor]), int(contexts[self._cursor])
        lr = self.lr
        if self.loss_name == "negative_sampling":
            rng_state = self.rng.bit_generator.state
            negs = self.noise.sample(self.negative, exclude=None if self.allow_false_negatives else c)
            before = {"target_in": self.W_in[t].copy(), "context_out": self.W_out[c].copy(),
                      "negatives_out": self.W_out[negs].copy()}
            out = negative_sampling_loss(before["target_in"], before["context_out"], before["negatives_out"])
            new_out = self.W_out.copy()
            new_out[c] -= lr * out.grads["context_out"]
            np.add.at(new_out, negs, -lr * out.grads["negatives_out"])  # a word drawn twice gets both nudges
            after = {"context_out": new_out[c].copy(), "negatives_out": new_out[negs].copy()}
        else:
            rng_state, negs = None, np.empty(0, dtype=np.int32)
            before = {"target_in": self.W_in[t].copy(), "all_out": self.W_out.copy()}
            out = softmax_skipgram_loss(before["target_in"], before["all_out"], c)
            new_out = self.W_out - lr * out.grads["all_out"]
            after = {"all_out": new_out}
        after = {"target_in": before["target_in"] - lr * out.grads["target_in"], **after}
        self._check_finite(out.loss, after, lr, rng_state)
        self.W_in[t] = after["target_in"]
        self.W_out = new_out
        self._cursor += 1
        self.steps_done += 1
        self.loss_history.append(out.loss)
        flat_target = int(positions[self._cursor - 1, 0])
        sentence, t_pos = self._locate(flat_target)
        c_pos = self._locate(int(positions[self._cursor - 1, 1]))[1]
        reach = int(self._reach[flat_target])
        words = [self.vocab.index_to_key[i] for i in self.encoded[sentence]]
        return UpdateRecord(
            step=self.steps_done, loss_name=self.loss_name,
            target=self.vocab.index_to_key[t], context=self.vocab.index_to_key[c], target_id=t, context_id=c,
            sentence_index=sentence, sentence=words, target_position=t_pos, context_position=c_pos,
            window=(max(0, t_pos - reach), min(len(words), t_pos + reach + 1)),
            negatives=[self.vocab.index_to_key[i] for i in negs], negative_ids=negs,
            scores=out.scores, probs=out.probs, loss=out.loss, lr=lr, grads=out.grads, before=before, after=after,
        )

    def _check_finite(self, loss: float, after: dict[str, np.ndarray], lr: float, rng_state: dict | None) -> None:
        worst = float(np.sqrt(max(np.max(np.square(v).sum(axis=-1)) for v in after.values())))
        if np.isfinite(loss) and np.isfinite(worst) and worst <= self.max_norm:
            return
        if rng_state is not None:  # undo the noise draw so a retry with a smaller lr replays the same step
            self.rng.bit_generator.state = rng_state
        raise TrainingDiverged(
            self.steps_done + 1, lr,
            f"a vector would reach length {worst:.3g} (limit {self.max_norm:g}), so the update was not applied",
        )

    def run(self, n: int) -> list[UpdateRecord]:
        """Apply ``n`` updates; returns their records (stops at the first divergence, which it raises)."""
        n = check_int("n", n, low=0)
        return [self.step() for _ in range(n)]
