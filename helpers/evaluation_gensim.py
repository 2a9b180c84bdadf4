"""gensim's ``Word2Vec`` under the course's parameter names, trained the same way in every run and process.

Notebook 06 compares it with :func:`helpers.word2vec.train_word2vec` on the same corpus with the same parameters.
Re-exported by :mod:`helpers.evaluation`, where notebooks find it.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .corpus import check_sentences, vocabulary_from_counts
from .neighbors import WordVectors
from .params import WORD2VEC_DEFAULTS, validate
from .word2vec.reports import ProgressCallback, ProgressReport, notebook_bar, shows_bar


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
        For a value out of its range (named with its range), or an empty corpus.
    """
    from gensim.models import Word2Vec

    callback = progress if callable(progress) else None
    p = validate({**params, "progress": False if callback else progress},
                 {name: WORD2VEC_DEFAULTS[name] for name in GENSIM_PARAMS})
    sentences = check_sentences(sentences)
    vocabulary_from_counts(Counter(w for s in sentences for w in s), p["min_count"])  # our message if none is kept
    work = sum(map(len, sentences)) * p["epochs"] * p["window"] * p["negative"] * p["dim"]
    if callback is None and shows_bar(p["progress"], work):
        callback = notebook_bar()
    callbacks = [_epoch_reports(callback, p["epochs"], f"gensim {p['model']}")] if callback else []
    trained = Word2Vec(sentences, sg=int(p["model"] == "skipgram"), vector_size=p["dim"], window=p["window"],
                       negative=p["negative"], ns_exponent=p["power"], hs=0, min_count=p["min_count"],
                       sample=p["sample"], epochs=p["epochs"], alpha=p["lr"], min_alpha=p["min_lr"], seed=p["seed"],
                       workers=1, hashfxn=stable_hash, callbacks=callbacks)
    words = trained.wv.index_to_key
    return WordVectors(trained.wv.vectors, words, output_vectors=trained.syn1neg,
                       counts=np.array([trained.wv.get_vecattr(w, "count") for w in words], dtype=np.int64))


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
