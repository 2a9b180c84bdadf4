"""Training one visible update at a time: ``StepTrainer`` and the record of what each update did.

The whole-corpus trainer lives in :mod:`helpers.word2vec`. Training only ever nudges vectors along gradients:
it never looks up nearest neighbours.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..params import STEP_DEFAULTS, check, parameters_doc, validate
from ..space.neighbors import WordVectors
from ..text.corpus import Vocabulary, check_sentences, vocabulary_of
from ..text.sampling import NoiseSampler
from ..text.windows import encoded_ids, pairs_of
from ..validation import check_int
from .divergence import TrainingDiverged
from .initialization import init_vectors
from .losses import LossOutput, negative_sampling_loss, softmax_skipgram_loss
from .records import UpdateRecord
from .own_gradient import GradientFunctionError, call_own_gradient, uphill_message
from .checked_attribute import CheckedAttribute

__all__ = ["StepTrainer"]

#: Noise-table entries per vocabulary word (at most NoiseSampler's default of 1e6 in all). The step trainer's
#: vocabularies are tiny: the default table would hold 1e6 entries (3.9 MB) for the demo's 8 words, in every
#: widget's trainer. With 1000 per word a word of probability p gets round(1000 V p) entries, so its drawn share
#: is off by at most 0.5 / (1000 V) from p: invisible in a few thousand updates.
NOISE_ENTRIES_PER_WORD = 1000


#: Most update records :meth:`StepTrainer.run` returns: the last ones (each holds its vectors before and after;
#: ``run(10**5)`` kept 321 MB of them). The loss of every update stays in ``loss_history``.
MAX_RUN_RECORDS = 1000


class StepTrainer:
    """Skip-gram that advances exactly one (target, context) update per :meth:`step`.

    Pairs come from a dynamic window over ``sentences``, shuffled once per epoch; each step applies one SGD
    update, computed from the gradients of :mod:`helpers.model.losses`, to the vectors that pair touches and returns
    an :class:`UpdateRecord`. Hyperparameters are declared (range, meaning) in :mod:`helpers.params`; defaults
    are :data:`helpers.params.STEP_DEFAULTS`, and every value is checked once, here.

    Parameters
    ----------
    sentences : iterable of list of str
        Read once (a generator works).
{parameters}
    gradient : callable, optional
        ``gradient(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, grad_U_neg)`` for negative-sampling updates: the
        learner's own function (notebook 03). Default: :func:`helpers.model.negative_sampling_loss`. See
        :attr:`gradient` and :meth:`uphill_warning`.

    Attributes
    ----------
    W_in, W_out : ndarray of float64, shape (V, d)
        Input and output vectors (the same names as the fast trainer's).
    steps_done : int
        Updates applied since the start (or :meth:`reset`).
    epoch : int
        Complete passes over the pairs.
    loss_history : list of float
        The loss of every update, in order.
    """

    dim = CheckedAttribute("Numbers per word vector (fixed once the trainer is made).", fixed=True)
    min_count = CheckedAttribute("Words seen fewer times were dropped (fixed once the trainer is made).", fixed=True)
    power = CheckedAttribute("Exponent of the noise distribution (fixed once the trainer is made).", fixed=True)
    seed = CheckedAttribute("Seed of the trainer's random generator (fixed once the trainer is made).", fixed=True)
    window = CheckedAttribute("Largest window (words on each side); checked when set, used from the next epoch's pairs.")
    negative = CheckedAttribute("Noise words per update; checked when set, used from the next update.")
    max_score = CheckedAttribute("A score beyond this stops an update as diverged; checked when set.")
    allow_false_negatives = CheckedAttribute("Whether the true context may be drawn as noise; checked when set.")

    def __init__(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        dim: int = STEP_DEFAULTS["dim"],
        window: int = STEP_DEFAULTS["window"],
        negative: int = STEP_DEFAULTS["negative"],
        lr: float = STEP_DEFAULTS["lr"],
        loss: str = STEP_DEFAULTS["loss"],
        min_count: int = STEP_DEFAULTS["min_count"],
        power: float = STEP_DEFAULTS["power"],
        seed: int = STEP_DEFAULTS["seed"],
        allow_false_negatives: bool = STEP_DEFAULTS["allow_false_negatives"],
        max_score: float = STEP_DEFAULTS["max_score"],
        gradient: Callable[..., object] | None = None,
    ) -> None:
        p = validate(dict(dim=dim, window=window, negative=negative, lr=lr, loss=loss, min_count=min_count,
                          power=power, seed=seed, allow_false_negatives=allow_false_negatives,
                          max_score=max_score), STEP_DEFAULTS)
        self.dim, self.window, self.negative = p["dim"], p["window"], p["negative"]
        self.min_count, self.power, self.seed = p["min_count"], p["power"], p["seed"]
        self.allow_false_negatives, self.max_score = p["allow_false_negatives"], p["max_score"]
        self._lr, self._loss_name = p["lr"], p["loss"]
        if gradient is not None and not callable(gradient):
            raise TypeError("gradient must be a function gradient(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, "
                            f"grad_U_neg), like helpers.model.negative_sampling_loss; got {type(gradient).__name__}")
        self._gradient = negative_sampling_loss if gradient is None else gradient
        # A generator can be read only once: check_sentences reads it into lists, used for counting and encoding.
        sentences = check_sentences(sentences)
        self.vocab: Vocabulary = vocabulary_of(sentences, self.min_count)
        self.encoded = self.vocab.encode_checked(sentences)
        self._flat = encoded_ids(self.encoded)
        self._starts = np.concatenate([[0], np.cumsum([len(s) for s in self.encoded])])
        if not any(len(s) >= 2 for s in self.encoded):  # any two words of one sentence make a pair
            raise ValueError(
                "the corpus has no (target, context) pair: every sentence needs at least two known words "
                f"(words seen fewer than min_count={self.min_count} times are dropped); give longer sentences "
                "or lower min_count"
            )
        if self.loss_name == "negative_sampling" and not self.allow_false_negatives and len(self.vocab) < 2:
            raise ValueError("negative sampling needs at least 2 words to draw noise from; "
                             "give more text or allow_false_negatives=True")
        self._probing = False
        self.reset()

    @property
    def lr(self) -> float:
        """Learning rate of the next updates; may change between steps (a widget's slider does)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check("lr", value)

    @property
    def gradient(self) -> Callable[..., object]:
        """The function negative-sampling updates take their gradients from (set once, in the constructor):
        ``gradient(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, grad_U_neg)``, shapes (d,), (d,), (k, d) in and
        out. The default is :func:`helpers.model.negative_sampling_loss` (its :class:`LossOutput` unpacks to
        those four); notebook 03 passes the learner's own. The softmax loss always uses the helpers' gradient."""
        return self._gradient

    @property
    def loss_name(self) -> str:
        """``"negative_sampling"`` or ``"softmax"``; may change between steps (the vectors are the same kind)."""
        return self._loss_name

    @loss_name.setter
    def loss_name(self, value: str) -> None:
        self._loss_name = check("loss", value)

    def reset(self) -> None:
        """Back to the exact starting point of this seed: vectors, pair order, noise draws, history."""
        self.rng = np.random.default_rng(self.seed)
        self.W_in, self.W_out = init_vectors(len(self.vocab), self.dim, self.rng, output="random")
        self.noise = NoiseSampler(self.vocab.counts, self.rng, power=self.power,
                                  table_size=min(1_000_000, NOISE_ENTRIES_PER_WORD * len(self.vocab)))
        self.steps_done = 0
        self.epoch = 0
        self.loss_history: list[float] = []
        self.uphill: list[bool] = []  # own gradient only: did the update raise its pair's loss?
        self._new_epoch()

    def _new_epoch(self) -> None:
        # window was checked once in __init__: the unchecked core, not the public skipgram_pairs, every epoch.
        targets, contexts, positions, self._reach = pairs_of(self._flat, self.window, self.rng)
        order = self.rng.permutation(len(targets))
        self._pairs = (targets[order], contexts[order], positions[order])
        self._cursor = 0

    @property
    def pairs_per_epoch(self) -> int:
        return len(self._pairs[0])

    def word_vectors(self) -> WordVectors:
        """A copy of the current vectors as :class:`WordVectors` (what the course queries with kNN): the input
        vectors (V, d), with ``output_vectors`` (V, d), ``counts`` (V,) and ``loss_history`` (one loss per update)."""
        return WordVectors(self.W_in, self.vocab.index_to_key, output_vectors=self.W_out,
                           counts=self.vocab.counts, loss_history=self.loss_history)

    def _sentence_words(self, sentence: int) -> list[str]:
        """The trained words of sentence ``sentence``: one list per sentence, shared by every record made from it
        (a record of a 100,000-token sentence once held its own 735 KB copy). Records must not edit it."""
        cache = self.__dict__.setdefault("_words_cache", {})
        if sentence not in cache:
            cache[sentence] = [self.vocab.index_to_key[i] for i in self.encoded[sentence]]
        return cache[sentence]

    def _locate(self, flat: int) -> tuple[int, int]:
        sentence = int(np.searchsorted(self._starts, flat, side="right") - 1)
        return sentence, int(flat - self._starts[sentence])

    def step(self) -> UpdateRecord:
        """Apply one SGD update for the next pair and return what it did.

        The update is ``vector -= lr * gradient`` for every vector the pair touches, with the gradients of
        :func:`helpers.model.negative_sampling_loss` or :func:`helpers.model.softmax_skipgram_loss`.

        Raises
        ------
        ValueError
            If a vector already holds NaN or an infinity (written from outside; see :meth:`check_finite`).
        TrainingDiverged
            If the update would make a vector non-finite or a score (dot product) exceed ``max_score``; the
            vectors, the pair cursor, the noise draws and the history stay as they were, and the error carries
            a learning rate checked to get past this update.
        """
        self.check_finite()
        if self._cursor >= self.pairs_per_epoch:
            self.epoch += 1
            self._new_epoch()
        targets, contexts, positions = self._pairs
        t, c = int(targets[self._cursor]), int(contexts[self._cursor])
        lr = self.lr
        rng_state = self.rng.bit_generator.state
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging update is caught below, not warned about
            if self.loss_name == "negative_sampling":
                negs = self.noise.sample(self.negative, exclude=None if self.allow_false_negatives else c)
                before = {"target_in": self.W_in[t].copy(), "context_out": self.W_out[c].copy(),
                          "negatives_out": self.W_out[negs].copy()}
                try:
                    out = self._negative_sampling(before)
                except GradientFunctionError:
                    self.rng.bit_generator.state = rng_state  # nothing happened: a fixed function replays this update
                    raise
                new_out = self.W_out.copy()
                new_out[c] -= lr * out.grads["context_out"]
                np.add.at(new_out, negs, -lr * out.grads["negatives_out"])  # a word drawn twice gets both nudges
                after = {"context_out": new_out[c].copy(), "negatives_out": new_out[negs].copy()}
            else:
                negs = np.empty(0, dtype=np.int32)
                before = {"target_in": self.W_in[t].copy(), "all_out": self.W_out.copy()}
                out = softmax_skipgram_loss(before["target_in"], before["all_out"], c)
                new_out = self.W_out - lr * out.grads["all_out"]
                after = {"all_out": new_out}
            after = {"target_in": before["target_in"] - lr * out.grads["target_in"], **after}
            problem = self._problem(out.loss, after)
            went_up = None
            if problem is None and self._gradient is not negative_sampling_loss and "context_out" in after:
                # The watch a learner's gradient needs: descent must lower the pair's own loss (the course's loss).
                went_up = negative_sampling_loss(after["target_in"], after["context_out"],
                                                 after["negatives_out"]).loss > out.loss
        if problem is not None:
            self.rng.bit_generator.state = rng_state  # undo the noise draw: a retry replays the same update
            raise TrainingDiverged(self.steps_done + 1, lr, problem, unit="update",
                                   suggested_lr=None if self._probing else self._working_lr(lr))
        self.W_in[t] = after["target_in"]
        self.W_out = new_out
        self._cursor += 1
        self.steps_done += 1
        self.loss_history.append(out.loss)
        if went_up is not None:
            self.uphill.append(bool(went_up))
        flat_target = int(positions[self._cursor - 1, 0])
        sentence, t_pos = self._locate(flat_target)
        c_pos = self._locate(int(positions[self._cursor - 1, 1]))[1]
        reach = int(self._reach[flat_target])  # the window drawn for this target (the sentence may cut it)
        words = self._sentence_words(sentence)
        # The label of each score: the true context is scored first by negative sampling, at its id by the softmax.
        labels = np.zeros_like(out.probs)
        labels[0 if self.loss_name == "negative_sampling" else c] = 1.0
        return UpdateRecord(
            step=self.steps_done, loss_name=self.loss_name,
            target=self.vocab.index_to_key[t], context=self.vocab.index_to_key[c], target_id=t, context_id=c,
            sentence_index=sentence, sentence=words, target_position=t_pos, context_position=c_pos,
            window=(max(0, t_pos - reach), min(len(words), t_pos + reach + 1)),
            negatives=[self.vocab.index_to_key[i] for i in negs], negative_ids=negs,
            scores=out.scores, probs=out.probs, errors=out.probs - labels, loss=out.loss, lr=lr, grads=out.grads,
            before=before, after=after,
        )

    def _negative_sampling(self, before: dict[str, np.ndarray]) -> LossOutput:
        """The loss and gradients of one negative-sampling update, from :attr:`gradient`, checked.

        The default returns its :class:`LossOutput` as it is. For any other function the loss, scores and
        probabilities are the course's (computed here as :func:`negative_sampling_loss` does), the gradients are
        the function's: a wrong gradient cannot hide behind its own loss.
        """
        v, u_pos, u_neg = before["target_in"], before["context_out"], before["negatives_out"]
        fn = self._gradient
        if fn is negative_sampling_loss:
            return fn(v, u_pos, u_neg)
        return call_own_gradient(fn, v, u_pos, u_neg, update=self.steps_done + 1)

    def uphill_warning(self) -> str | None:
        """A message if most recent updates with the learner's gradient raised their pair's loss, else None.

        Gradient descent lowers the loss of the pair it serves (for a small enough step); an update that raises it
        went uphill. Most of the last :data:`own_gradient.UPHILL_WINDOW` doing so names the likely cause: a flipped sign.
        """
        return uphill_message(self.uphill, self._gradient, self.lr)

    def check_finite(self) -> None:
        """Raise a ``ValueError`` naming the first row of ``W_in`` or ``W_out`` that holds NaN or an infinity (one
        pass over 2 x V x d numbers: cheap next to an update). The trainer never makes one (a diverging update is
        refused); this catches one written in from outside (``trainer.W_in[3] = np.nan``) before it spreads."""
        for name, matrix in (("W_in", self.W_in), ("W_out", self.W_out)):
            if not np.isfinite(matrix).all():
                row = int(np.flatnonzero(~np.isfinite(matrix).all(axis=1))[0])
                raise ValueError(f"trainer.{name}[{row}] (the vector of {self.vocab.index_to_key[row]!r}) holds NaN "
                                 f"or an infinity, written from outside the trainer; an update with it would spread "
                                 f"NaN to every vector: assign finite numbers to that row, or call trainer.reset()")

    def _problem(self, loss: float, after: dict[str, np.ndarray]) -> str | None:
        """Why the update in ``after`` must not be applied (non-finite, or a score beyond ``max_score``), or None."""
        if not (np.isfinite(loss) and all(np.isfinite(v).all() for v in after.values())):
            return "a vector would become infinite or NaN, so the update was not applied"
        outputs = np.concatenate([np.atleast_2d(v) for k, v in after.items() if k != "target_in"])
        worst = float(np.max(np.abs(outputs @ after["target_in"])))
        if not worst <= self.max_score:
            return (f"a score (dot product of two vectors) would reach {worst:.3g} (limit max_score="
                    f"{self.max_score:g}), so the update was not applied")
        return None

    def _working_lr(self, lr: float) -> float | None:
        """The largest of lr/10, lr/100, ... (one significant digit) that gets past the update that diverged,
        both from here (retry with a smaller lr) and replayed from the start (a new trainer with that lr);
        None if even lr * 1e-12 does not."""
        for power in range(1, 13):
            candidate = float(f"{lr / 10**power:.1g}")
            if candidate > 0 and self._passes(candidate, restart=False) and self._passes(candidate, restart=True):
                return candidate
        return None

    def _passes(self, lr: float, *, restart: bool) -> bool:
        probe = copy.copy(self)  # shares the corpus; everything a step changes is replaced, never edited in place
        probe._probing, probe._lr = True, lr
        probe.rng = copy.deepcopy(self.rng)
        probe.noise = copy.copy(self.noise)
        probe.noise.rng = probe.rng
        probe.W_in, probe.W_out, probe.loss_history, probe.uphill = self.W_in.copy(), self.W_out, [], []
        steps = 1
        if restart:
            steps = self.steps_done + 1
            probe.reset()
        try:
            for _ in range(steps):
                probe.step()
        except (TrainingDiverged, GradientFunctionError):
            return False
        return True

    def run(self, n: int) -> list[UpdateRecord]:
        """Apply ``n`` updates; returns the records of the last :data:`MAX_RUN_RECORDS` of them (all of them for
        ``n`` up to 1000; the loss of every update is in ``loss_history``). Stops at the first divergence, which it
        raises.

        Raises
        ------
        KeyboardInterrupt
            If interrupted (the notebook's stop button): every update applied so far stays applied, each one whole,
            and the message says how many (``steps_done`` counts them); running again goes on from there.
        """
        n = check_int("n", n, low=0)
        records: deque[UpdateRecord] = deque(maxlen=MAX_RUN_RECORDS)
        start = self.steps_done
        try:
            for _ in range(n):
                records.append(self.step())
        except KeyboardInterrupt:
            done = self.steps_done - start
            raise KeyboardInterrupt(f"run({n}) interrupted: {done} of the {n} updates were applied, each one whole "
                                    f"(steps_done is now {self.steps_done}); run again to go on from there") from None
        return list(records)


StepTrainer.__doc__ = StepTrainer.__doc__.replace(
    "{parameters}", parameters_doc(list(STEP_DEFAULTS), STEP_DEFAULTS, indent="    "))
