"""The whole-corpus trainer: word2vec with negative sampling, compiled (numba), window by window (skip-gram or CBOW).

The SGD steps of :mod:`helpers.model.losses`, compiled to machine code, for real text in seconds.

Used by notebooks 00, 04, 04b, 05, 06, 06b and 07 (every notebook that trains on a whole corpus).

Modules, one job each:

- :mod:`.kernels`: one minibatch's SGD steps, window by window (tested against :mod:`helpers.model.losses` in float64);
  :func:`load_kernels` compiles or loads them once per process (the trainer calls it; a benchmark calls it first);
- :mod:`.reading`: the corpus's vocabulary, and its word ids chunk by chunk (a list held as ids, a file read again);
- :mod:`.batching`: each epoch's windows, chunk by chunk, shuffled into minibatches;
- :mod:`.pipeline`: one thread draws the next minibatch while the kernels train on this one;
- :mod:`.trainer`: :class:`Word2VecTrainer` (a few epochs at a time) and :func:`train_word2vec` (all at once).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .. import params as hp
from ..model.initialization import init_vectors
from ..space.neighbors import WordVectors
from .kernels import load_kernels
from .reading import as_sentences, encode_corpus
from .reports import ProgressReport
from .trainer import Word2VecTrainer, train_word2vec

__all__ = ["ProgressReport", "Word2VecTrainer", "load_kernels", "starting_vectors", "train_word2vec"]


def starting_vectors(sentences: Iterable[Sequence[str]], *, dim: int = hp.WORD2VEC_DEFAULTS["dim"],
                     min_count: int = hp.WORD2VEC_DEFAULTS["min_count"],
                     seed: int = hp.WORD2VEC_DEFAULTS["seed"]) -> WordVectors:
    """The random input vectors that :func:`train_word2vec` with the same ``sentences``, ``dim``, ``min_count``
    and ``seed`` starts from: the "before" of a before-and-after comparison."""
    dim, min_count, seed = hp.check("dim", dim), hp.check("min_count", min_count), hp.check("seed", seed)
    vocab = encode_corpus(as_sentences(sentences), min_count).vocab  # the trainer's first draw from its generator
    w_in, _ = init_vectors(len(vocab), dim, np.random.default_rng(seed), dtype=np.float32)
    return WordVectors(w_in, vocab.index_to_key)
