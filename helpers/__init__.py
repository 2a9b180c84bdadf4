"""Shared code for the course *Word Vectors, Step by Step*.

Modules, one job each:

- ``params``: one declaration of every hyperparameter (range, meaning, defaults), checked once at the edge
- ``corpus``: tokens, the corpus checks, the vocabulary (and, re-exported, what ``windows`` and ``sampling`` make)
- ``windows``: the one context-window rule, (target, context) pairs, CBOW windows
- ``sampling``: frequent-word subsampling and noise words
- ``losses``: softmax / negative-sampling skip-gram and CBOW, with analytic gradients and a gradient checker
- ``training``: ``StepTrainer``, one update at a time, with a record of what it did
- ``divergence``: ``TrainingDiverged``, raised by both trainers (re-exported by ``training``)
- ``word2vec``: ``train_word2vec``, a whole corpus, window by window in compiled (numba) kernels
- ``neighbors``: ``WordVectors``: cosine similarity, nearest neighbours, analogies, kNN purity
- ``knn``: array-level nearest neighbours in bounded memory (unit rows, stable top-k, blocked kNN)
- ``projection``: PCA to 2-D and how faithfully a map keeps each word's neighbours
- ``senses``: one vector per occurrence (from its context) and clustering occurrences into senses
- ``clustering``: seeded cosine k-means (re-exported by ``senses``)
- ``evaluation``: real-text corpora and human similarity ratings shipped with gensim; Spearman, analogies
- ``toyworld``: the course's generated corpus with known word classes (tables in ``toyworld_spec``, template
  filling in ``toyworld_fill``); ``analogies``: a : b :: c : d answered, scored and drawn
- ``plots``, ``widgets``, ``canvas``, ``progress``: figures, the step-through trainer and neighbour explorer (on a fast
  ipympl canvas), progress bars
- ``exercises`` (with ``exercises_vectors`` and ``feedback``), ``environment``, ``validation``: learner feedback
  that never raises, setup check, argument checks
"""

from .corpus import NoiseSampler, Vocabulary, build_vocabulary, tokenize
from .losses import check_gradient, cbow_loss, negative_sampling_loss, softmax_skipgram_loss
from .neighbors import UnknownWordError, WordVectors, cosine_similarity, knn_purity
from .training import StepTrainer, TrainingDiverged
from .word2vec import train_word2vec

__all__ = [
    "NoiseSampler", "Vocabulary", "build_vocabulary", "tokenize",
    "check_gradient", "cbow_loss", "negative_sampling_loss", "softmax_skipgram_loss",
    "UnknownWordError", "WordVectors", "cosine_similarity", "knn_purity",
    "StepTrainer", "TrainingDiverged", "train_word2vec",
]
