"""gensim's ``Word2Vec`` under the course's parameter names, trained the same way in every run and process.

Notebook 06 compares it with :func:`helpers.word2vec.train_word2vec` on the same corpus with the same parameters.
Re-exported by :mod:`helpers.evaluation`, where notebooks find it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from ..model.divergence import TrainingDiverged
from ..params import WORD2VEC_DEFAULTS, validate
from ..space.neighbors import WordVectors
from ..text.corpus import check_sentences
from ..text.sampling import keep_probabilities
from ..word2vec.batching import check_subsampling
from ..word2vec.reading import encode_corpus
from ..plots.progress import shows_bar
from ..word2vec.reports import ProgressCallback, ProgressReport, notebook_bar


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every Python process (unlike ``hash``, which is salted per process
    unless PYTHONHASHSEED is set). gensim seeds each word's starting vector with ``hashfxn(word + str(seed))``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return zlib.crc32(text.encode("utf-8"))


#: The hyperparameters the gensim comparison takes (those gensim's Word2Vec has, under the course's names).
GENSIM_PARAMS = ("model", "dim", "window", "negative", "min_count", "sample", "power", "epochs", "lr", "min_lr",
                 "seed", "progress")


def gensim_word2vec(sentences: Iterable[Sequence[str]], *, progress: bool | str | ProgressCallback = "auto",
                    **params: object) -> WordVectors:
    """Train gensim's ``Word2Vec`` with :func:`helpers.word2vec.train_word2vec`'s parameter names, on one worker.

    Parameters
    ----------
    sentences : iterable of list of str
        Read once (a generator works; gensim itself would need to read it once per epoch).
    **params
        Any of :data:`GENSIM_PARAMS`, declared, checked and defaulted by :mod:`helpers.params`
        (:data:`helpers.params.WORD2VEC_DEFAULTS`, gensim's own defaults except that skip-gram is the default):
        ``dim`` is gensim's ``vector_size``, ``lr``/``min_lr`` its ``alpha``/``min_alpha``, ``power`` its
        ``ns_exponent``.
    progress : True, False, "auto", or a callable
        As :class:`helpers.word2vec.Word2VecTrainer`'s, an epoch at a time (gensim reports no finer steps):
        a bar in a notebook (``"auto"``: for runs of more than about a second), or a function called with a
        :class:`helpers.word2vec.ProgressReport` before the first epoch and after each one.

    Returns
    -------
    WordVectors
        The input vectors (V, d), with ``output_vectors`` (gensim's ``syn1neg``, V x d) and ``counts`` (V,).
        One worker thread and :func:`stable_hash` make the result the same in every run and process (gensim's
        default hash is Python's salted ``hash``).

    Raises
    ------
    TypeError
        For a name gensim's comparison does not take (with the closest valid one), or a corpus that is not a list
        of token lists.
    ValueError
        For a value out of its range (named with its range), an empty corpus, a corpus without a (target,
        context) pair (gensim would return untrained vectors), or one that ``sample`` would empty: the same checks,
        by the same code, as :func:`helpers.word2vec.train_word2vec`'s.
    TrainingDiverged
        If after an epoch a vector is NaN or infinite, or the longest input and output vectors are so long that
        their dot product can exceed ``max_score`` (1e4, the course trainer's default): gensim would return them.

    Warns
    -----
    UserWarning
        When ``sample`` leaves less than a tenth of the corpus's windows (a small corpus): as the course's trainer.
    """
    from gensim.models import Word2Vec

    callback = progress if callable(progress) else None
    p = validate({**params, "progress": False if callback else progress},
                 {name: WORD2VEC_DEFAULTS[name] for name in GENSIM_PARAMS})
    sentences = check_sentences(sentences)
    # The course trainer's own checks, on the same counts and sampling rule as gensim's: no word kept, no pair,
    # or a corpus subsampling would (nearly) empty get its message here, not untrained vectors from gensim.
    corpus = encode_corpus(sentences, p["min_count"])
    check_subsampling(corpus, keep_probabilities(corpus.vocab.counts, p["sample"]), p["sample"], p["min_count"])
    del corpus
    work = sum(map(len, sentences)) * p["epochs"] * p["window"] * p["negative"] * p["dim"]
    if callback is None and shows_bar(p["progress"], work):
        callback = notebook_bar()
    callbacks = [_DivergenceCheck(p["lr"], WORD2VEC_DEFAULTS["max_score"])]
    callbacks += [_epoch_reports(callback, p["epochs"], f"gensim {p['model']}")] if callback else []
    trained = Word2Vec(sentences, sg=int(p["model"] == "skipgram"), vector_size=p["dim"], window=p["window"],
                       negative=p["negative"], ns_exponent=p["power"], hs=0, min_count=p["min_count"],
                       sample=p["sample"], epochs=p["epochs"], alpha=p["lr"], min_alpha=p["min_lr"], seed=p["seed"],
                       workers=1, hashfxn=stable_hash, callbacks=callbacks)
    words = trained.wv.index_to_key
    return WordVectors(trained.wv.vectors, words, output_vectors=trained.syn1neg,
                       counts=np.array([trained.wv.get_vecattr(w, "count") for w in words], dtype=np.int64))


def _check_vectors(W_in: np.ndarray, W_out: np.ndarray, epoch: int, lr: float, max_score: float) -> None:
    """Raise TrainingDiverged if an input or output vector is non-finite, or the longest of each are so long that
    their dot product can exceed ``max_score`` (the course trainer's test after its last minibatch)."""
    norms = [float(np.sqrt(np.max(np.einsum("ij,ij->i", w, w, dtype=np.float64)))) for w in (W_in, W_out)]
    if not all(math.isfinite(n) for n in norms) or norms[0] * norms[1] > max_score:
        raise TrainingDiverged(epoch, lr, f"after epoch {epoch} gensim's longest input and output vectors have "
                               f"lengths {norms[0]:.3g} and {norms[1]:.3g}, so their dot products can exceed "
                               f"max_score={max_score:g}; no vectors were returned", unit="epoch")


def _DivergenceCheck(lr: float, max_score: float) -> object:  # a CallbackAny2Vec  # noqa: N802 - a class maker
    """A gensim callback that runs :func:`_check_vectors` after every epoch (one pass over V x d: cheap)."""
    from gensim.models.callbacks import CallbackAny2Vec

    class DivergenceCheck(CallbackAny2Vec):
        def __init__(self) -> None:
            self.epoch = 0

        def on_epoch_end(self, model: object) -> None:
            self.epoch += 1
            with np.errstate(over="ignore", invalid="ignore"):
                _check_vectors(model.wv.vectors, model.syn1neg, self.epoch, lr, max_score)

    return DivergenceCheck()


def _epoch_reports(report: ProgressCallback, epochs: int, description: str) -> object:  # a CallbackAny2Vec
    """A gensim callback telling ``report`` of each epoch: 0 of ``epochs`` when training begins, then one more at
    the end of each epoch, the last one ``finished``."""
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochReports(CallbackAny2Vec):
        def __init__(self) -> None:
            self.done = 0

        def on_train_begin(self, model: object) -> None:
            report(ProgressReport(description, 0, epochs, f"epoch 1 of {epochs}", unit="epochs"))

        def on_epoch_end(self, model: object) -> None:
            self.done += 1
            note = f"epoch {self.done + 1} of {epochs}" if self.done < epochs else f"{epochs} epochs"
            report(ProgressReport(description, self.done, epochs, note, finished=self.done == epochs, unit="epochs"))

    return EpochReports()
