"""``Word2VecTrainer``: word2vec with negative sampling over a whole corpus, in compiled minibatches of windows.

The model is gensim's (and word2vec.c's): dynamic window, frequent-word subsampling, noise words from
unigram^0.75, a learning rate falling linearly over the run. Batches come from :mod:`.batching`, chunk by chunk
(:mod:`.reading`: a list is held as int32 ids, a corpus object is read again each epoch), updates from
:mod:`.kernels` (the arithmetic of :mod:`helpers.model.losses`). A thread of its own draws each batch and its noise
words while the kernels train on the one before (:mod:`.pipeline`). ``workers=2`` trains on two cores: two threads
take batches in turn and update the shared vectors without locks (Hogwild, as gensim's workers do); the compiled
kernels release the GIL.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .. import params as hp
from ..model.divergence import TrainingDiverged
from ..model.initialization import init_vectors
from ..space.neighbors import WordVectors
from ..text.sampling import NoiseSampler, keep_probabilities
from ..validation import check_int
from .batching import Batch, check_subsampling, epoch_batches
from .kernels import KERNELS, is_loaded, load_kernels
from .pipeline import run_pipeline
from .reading import EncodedCorpus, as_sentences, encode_corpus
from ..plots.progress import shows_bar
from .reports import ProgressCallback, Reporter, notebook_bar

#: Fewest minibatches per epoch (a small corpus gets smaller ones); see Word2VecTrainer._epoch.
_MIN_BATCHES = 200
#: The two embedding matrices may take at most this much memory (Binder gives a user 1-2 GB).
_MAX_MATRIX_BYTES = 2 << 30
#: Models up to this size (both matrices: the toy world's and notebook 06's are a few MB) keep a copy of their
#: vectors at the start of each epoch, so that an interrupted epoch is undone. A bigger one would hold its size
#: twice at the peak (tests/test_word2vec_batching.py holds it to once): its interrupted epoch is reported instead.
_UNDO_BYTES = 16 << 20
#: A divergence's suggested lr is checked by a rerun when the run so far took less than this many seconds.
_RETRY_SECONDS = 5.0

DEFAULTS = hp.WORD2VEC_DEFAULTS


class Word2VecTrainer:
    """word2vec with negative sampling on ``sentences``, trained window by window, a few epochs at a time.

    :func:`train_word2vec` runs all epochs at once; this class lets a notebook run them cell by cell and look at the
    space in between. The learning rate falls linearly from ``lr`` to ``min_lr`` over all ``epochs``, however the
    calls to :meth:`train` split them. One *step* is one minibatch of windows (``steps_done``), where
    :class:`helpers.model.StepTrainer`'s step is one pair.

    Parameters
    ----------
    sentences : list of list of str, or a corpus object
        A list of token lists, or an object that yields them afresh at each ``iter()`` (gensim's
        ``LineSentence``, a class reading a file). A list is held once more as int32 ids, 4 bytes a token; a
        corpus object is read three times to set up, then once per epoch, a sentence at a time, and never held,
        so a corpus larger than memory trains in the memory of a small one. The two train the same vectors. A
        one-shot iterator (a generator) is read once, into a list. A sentence of more than 10,000 known tokens is
        trained as pieces of 10,000, as gensim's corpus readers cut it.
    workers : int, 1 or 2
        Threads that train at once. With 1 the run is reproducible bit for bit; with 2 it is 1.2-2.0 times as
        fast on two free cores (head500, d 100-300), but the order in which the threads update the vectors
        varies, so runs differ slightly.
    progress : True, False, "auto", or a callable
        A bar in a notebook (``"auto"``: for runs of more than about a second), or a function called with a
        :class:`helpers.word2vec.ProgressReport` a few hundred times per :meth:`train` call.
    **params
        Hyperparameters, defaults and ranges from :data:`helpers.params.WORD2VEC_DEFAULTS`:
    {parameters}

    Attributes
    ----------
    W_in, W_out : ndarray, shape (V, d), float32
        Input and output vectors, updated in place by :meth:`train`.
    vocab : helpers.text.Vocabulary
    batch_pairs : int
        Examples per minibatch, ``batch_size``: a skip-gram batch holds about that many (context, centre) pairs, a
        CBOW batch that many windows (fewer on a small corpus: an epoch has at least about 200 batches). The
        kernels take one SGD step per window, so the batch size changes only how often the loss is recorded and
        divergence is checked, and the learning rate's steps, not the order of the updates.
    steps_done, epochs_done, examples_seen : int
        Minibatches, epochs and examples (pairs for skip-gram, windows for CBOW) trained so far.
    loss_history : list of (int, float)
        Per minibatch: examples seen so far, mean loss per example (estimated on a sample of the batch's windows,
        before its update).
    seconds : float
        Wall-clock time spent in :meth:`train`.

    Raises
    ------
    ValueError
        For a bad parameter (naming it and its range), an empty corpus, a corpus without a (target, context) pair
        after ``min_count`` or subsampling, or vectors too large for memory.
    TypeError
        If ``sentences`` is not a list of token lists, or a token is not a string.
    """

    def __init__(self, sentences: Iterable[Sequence[str]], *, workers: int = 1,
                 progress: bool | str | ProgressCallback = "auto", **params: object) -> None:
        callback = progress if callable(progress) else None
        values = hp.validate({**params, "progress": False if callback else progress}, DEFAULTS)
        self.workers = check_int("workers", workers, low=1, high=2)
        for name, value in values.items():
            setattr(self, name, value)
        self._callback = callback
        self._setup(encode_corpus(as_sentences(sentences), self.min_count))

    def _setup(self, corpus: EncodedCorpus) -> None:
        self.corpus, self.vocab = corpus, corpus.vocab
        matrix_bytes = 2 * len(self.vocab) * self.dim * 4
        if matrix_bytes > _MAX_MATRIX_BYTES:
            raise ValueError(f"dim={self.dim} with {len(self.vocab):,} words needs {matrix_bytes / 2**30:.1f} GiB for "
                             f"the two embedding matrices (limit {_MAX_MATRIX_BYTES / 2**30:.0f} GiB): lower dim, or "
                             f"raise min_count (now {self.min_count}) to keep fewer words")
        self._keep = keep_probabilities(self.vocab.counts, self.sample)
        self._windows_per_epoch = check_subsampling(self.corpus, self._keep, self.sample, self.min_count)
        self._rng = np.random.default_rng(self.seed)
        self.W_in, self.W_out = init_vectors(len(self.vocab), self.dim, self._rng, dtype=np.float32)
        self._noise = NoiseSampler(self.vocab.counts, self._rng, power=self.power)
        # The kernels step window after window, so a batch is only the unit of bookkeeping (noise draws, progress,
        # the loss history and the divergence check): its size does not change what is learnt.
        self.batch_pairs = self.batch_size
        self._kernel = KERNELS[self.model]
        self.epochs_done = self.steps_done = self.examples_seen = 0
        self.seconds = 0.0
        self.loss_history: list[tuple[int, float]] = []
        self._diverged: TrainingDiverged | RuntimeError | None = None  # why the trainer stopped, if it did
        self._stop_at: int | None = None  # a rerun that checks a suggested lr stops after this many steps

    # ------------------------------------------------------------------------------------------------------------
    # Training

    def train(self, epochs: int | None = None) -> WordVectors:
        """Run ``epochs`` more epochs (default: all that remain) and return the current vectors.

        Raises
        ------
        TrainingDiverged
            With the minibatch number and a learning rate that works (checked by a rerun when the run was short),
            instead of returning NaN or huge vectors. The trainer is then unusable: make a new one.
        RuntimeError
            If the trainer diverged before, or ``epochs`` is given and every epoch is done.
        """
        if self._diverged is not None:
            raise RuntimeError(f"this trainer stopped after {self._stop_reason()} ({self._diverged}); make a new one")
        remaining = self.epochs - self.epochs_done
        if epochs is not None and remaining == 0:
            raise RuntimeError(f"all {self.epochs} epochs are done (epochs={self.epochs}); to train longer, make a "
                               f"new Word2VecTrainer with a larger epochs (the learning rate falls over all of them)")
        epochs = remaining if epochs is None else check_int("epochs", epochs, low=1, high=remaining)
        if epochs > 0:
            self._train(epochs)
        return self.word_vectors()

    def _train(self, epochs: int) -> None:
        report = self._reporter(epochs)
        if not is_loaded(self.model):  # so that a first run's wait is explained, not a frozen bar
            report.say("compiling the training kernels (a few seconds, once per machine; then cached)")
        load_kernels((self.model,))
        started = time.perf_counter()
        try:
            # Overflow in a diverging run is caught (and raised as TrainingDiverged), not warned about.
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(epochs):
                    self._epoch_or_none(report)
                    if self._stop_at is not None and self.steps_done >= self._stop_at:
                        break
                self._check_vectors()
        except KeyboardInterrupt:
            report.finish(f"interrupted in epoch {self.epochs_done + 1}", failed=True)
            raise
        except TrainingDiverged as error:
            self._diverged = error = self._with_checked_lr(error, time.perf_counter() - started)
            report.finish(f"stopped at minibatch {error.step}: diverged", failed=True)
            raise error from None
        finally:
            self.seconds += time.perf_counter() - started
        unit = "pairs" if self.model == "skipgram" else "windows"
        report.finish(f"done: epoch {self.epochs_done} of {self.epochs}, {self.examples_seen:,} {unit}, "
                      f"loss {self.loss_history[-1][1]:.3f}")

    def _reporter(self, epochs: int) -> Reporter:
        first, last = self.epochs_done + 1, self.epochs_done + epochs
        label = f"epoch {first}" if epochs == 1 else f"epochs {first}-{last}"
        expected = self._windows_per_epoch * epochs
        callback = self._callback
        if callback is None and shows_bar(self.progress, expected * self.window * self.negative * self.dim):
            callback = notebook_bar()
        return Reporter(callback, f"{self.model} {label} of {self.epochs}", expected)

    def _stop_reason(self) -> str:
        return "diverging" if isinstance(self._diverged, TrainingDiverged) else "an interrupt it could not undo"

    def _epoch_or_none(self, report: Reporter) -> None:
        """One epoch, or, if it is interrupted (KeyboardInterrupt), none: the vectors, the random generator, the
        counters and the loss history go back to where the epoch began (models over :data:`_UNDO_BYTES`: the
        message says what was applied, and the trainer stops)."""
        undo = 2 * self.W_in.nbytes <= _UNDO_BYTES
        saved = (self.W_in.copy(), self.W_out.copy()) if undo else None
        state = (self._rng.bit_generator.state, self.steps_done, self.examples_seen, len(self.loss_history))
        try:
            self._epoch(report)
        except KeyboardInterrupt:
            epoch = self.epochs_done + 1
            if saved is None:
                self._diverged = RuntimeError(f"interrupted in epoch {epoch}")  # stops train() and word_vectors()
                raise KeyboardInterrupt(
                    f"training interrupted in epoch {epoch} of {self.epochs} after {self.steps_done - state[1]:,} of "
                    f"its minibatches: they are applied, and this model is too big to keep an undo copy "
                    f"({2 * self.W_in.nbytes / 2**20:,.0f} MB), so the trainer stops; make a new one") from None
            np.copyto(self.W_in, saved[0])
            np.copyto(self.W_out, saved[1])
            self._rng.bit_generator.state, self.steps_done, self.examples_seen = state[:3]
            del self.loss_history[state[3]:]
            raise KeyboardInterrupt(
                f"training interrupted in epoch {epoch} of {self.epochs}: that epoch's updates were undone, so the "
                f"vectors are as after epoch {epoch - 1}; train() again runs epoch {epoch} from its start") from None

    def _epoch(self, report: Reporter) -> None:
        # A skip-gram window of m context words is m examples (up to 2 * window, about window on average). A small
        # corpus gets smaller batches, at least about _MIN_BATCHES per epoch, so that its loss curve, progress
        # reports and learning-rate decay (one rate per batch) stay fine-grained.
        windows = max(1, self.batch_pairs // self.window) if self.model == "skipgram" else self.batch_pairs
        windows = max(1, min(windows, math.ceil(self._windows_per_epoch / _MIN_BATCHES)))
        batches = epoch_batches(self.corpus, self._keep, self.window, windows, self._rng)
        lock, steps_before = threading.Lock(), self.steps_done

        def with_noise() -> Iterator[tuple[int, Batch, np.ndarray]]:
            """Each batch, its step number and its noise words, drawn in order (one rng, one order)."""
            step = steps_before
            for batch in batches:
                if self._stop_at is not None and step >= self._stop_at:
                    return
                step += 1
                draws = self._rng.integers(0, len(self._noise.table), size=(len(batch.centres), self.negative))
                yield step, batch, self._noise.table[draws]

        def train_on(item: tuple[int, Batch, np.ndarray]) -> None:
            step, batch, negatives = item
            done = min(1.0, (self.epochs_done + batch.progress) / self.epochs)
            rate = self.lr - (self.lr - self.min_lr) * done  # linear decay over the whole run
            result = self._kernel(self.W_in, self.W_out, batch.contexts, batch.counts, batch.centres, negatives, rate)
            mean_loss = result.loss / max(result.loss_examples, 1)
            if not (math.isfinite(result.loss) and result.largest <= self.max_score):
                raise self._diverged_at(step, f"minibatch {step} had a dot product of {result.largest:.3g} between "
                                        f"two vectors (limit max_score={self.max_score:g}) and a loss of "
                                        f"{mean_loss:.3g} per example")
            with lock:
                self.steps_done = max(self.steps_done, step)
                self.examples_seen += result.examples
                self.loss_history.append((self.examples_seen, mean_loss))
                report.advance(len(batch.centres), f"loss {mean_loss:.3f}")

        run_pipeline(with_noise(), train_on, self.workers)
        if self.steps_done == steps_before:  # _check_subsampling makes it very unlikely, not impossible
            warnings.warn(f"epoch {self.epochs_done + 1} trained nothing: subsampling (sample={self.sample:g}) left "
                          "no (context, centre) pair; pass sample=0 for a corpus this small", stacklevel=4)
        if self._stop_at is None or self.steps_done < self._stop_at:
            self.epochs_done += 1

    def _diverged_at(self, step: int, detail: str) -> TrainingDiverged:
        return TrainingDiverged(step, self.lr, detail + "; no vectors were returned", unit="minibatch")

    def _check_vectors(self) -> None:
        """The last minibatch's update is checked here: its scores were computed before it."""
        norms = [float(np.sqrt(np.max(np.einsum("ij,ij->i", w, w)))) for w in (self.W_in, self.W_out)]
        if not all(math.isfinite(n) for n in norms) or norms[0] * norms[1] > self.max_score:
            raise self._diverged_at(self.steps_done, f"after minibatch {self.steps_done} the longest input and output "
                                    f"vectors have lengths {norms[0]:.3g} and {norms[1]:.3g}, so their dot products "
                                    f"can exceed max_score={self.max_score:g}")

    def _with_checked_lr(self, error: TrainingDiverged, seconds: float) -> TrainingDiverged:
        """The same error with a suggested lr that gets past the same minibatch, if a short rerun finds one."""
        if self._stop_at is not None or seconds > _RETRY_SECONDS:
            return error
        candidate = min(self.lr / 10, DEFAULTS["lr"])
        for _ in range(4):
            rerun = object.__new__(Word2VecTrainer)
            rerun.__dict__.update({name: getattr(self, name) for name in DEFAULTS})
            rerun.workers, rerun._callback, rerun.progress = 1, None, False
            rerun.lr, rerun.min_lr = candidate, min(self.min_lr, candidate)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the user has seen this corpus's warnings already
                rerun._setup(self.corpus)
            rerun._stop_at = error.step
            try:
                rerun.train()
                return TrainingDiverged(error.step, self.lr, error.detail, unit="minibatch",
                                        suggested_lr=candidate)
            except TrainingDiverged:
                candidate = float(f"{candidate / 10:.2g}")
        return error

    # ------------------------------------------------------------------------------------------------------------
    # Results

    @property
    def words_per_second(self) -> float:
        """Corpus tokens (rare ones included, as in gensim's logs) times epochs trained, per second of :meth:`train`."""
        if self.epochs_done == 0 or self.seconds == 0:
            raise RuntimeError("no epoch has been trained yet: call train() first, then ask for the speed")
        return self.corpus.raw_tokens * self.epochs_done / self.seconds

    def word_vectors(self) -> WordVectors:
        """A copy of the input vectors (V, d) as :class:`WordVectors`, with ``output_vectors`` (V, d), ``counts``
        (V,) and ``loss_history`` (see the class's attributes)."""
        if self._diverged is not None:
            raise RuntimeError(f"this trainer stopped after {self._stop_reason()} ({self._diverged}); its vectors are "
                               "unusable")
        # WordVectors copies the arrays (read-only), so training on does not change what was returned.
        return WordVectors(self.W_in, self.vocab.index_to_key, output_vectors=self.W_out, counts=self.vocab.counts,
                           loss_history=self.loss_history)


Word2VecTrainer.__doc__ = Word2VecTrainer.__doc__.replace(
    "    {parameters}", hp.parameters_doc([n for n in DEFAULTS if n != "progress"], DEFAULTS, indent="        "))


def train_word2vec(sentences: Iterable[Sequence[str]], **params: object) -> WordVectors:
    """Train word2vec with negative sampling on ``sentences``, all epochs at once: ``Word2VecTrainer(sentences,
    **params).train()``. Parameters, defaults and errors are :class:`Word2VecTrainer`'s; they mirror gensim's
    ``Word2Vec`` (``dim`` = ``vector_size``, ``lr`` = ``alpha``, ``min_lr`` = ``min_alpha``).

    Returns
    -------
    WordVectors
        Input vectors (V, d) float32, with ``output_vectors``, ``counts`` and ``loss_history``.
    """
    trainer = Word2VecTrainer(sentences, **params)
    trainer._train(trainer.epochs)  # noqa: SLF001 - train() without its copy: the trainer is dropped here, so its
    # arrays are handed over (a copy would double the model's memory at the end of the run)
    return WordVectors(trainer.W_in, trainer.vocab.index_to_key, output_vectors=trainer.W_out,
                       counts=trainer.vocab.counts, loss_history=trainer.loss_history, copy=False)
