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
- ``evaluation``: Spearman against human similarity ratings, analogy accuracy (data files in ``evaluation_data``,
  gensim's Word2Vec under our names in ``evaluation_gensim``, input checks in ``evaluation_checks``)
- ``orthogonality``: cosines of random pairs in bounded memory (random vectors are almost orthogonal)
- ``contextual``: notebook 07's attention model (its layer's arithmetic in ``contextual_layer``, Adam in
  ``contextual_training``; ``attention_widget`` shows it)
- ``toyworld``: the course's generated corpus with known word classes (tables in ``toyworld_spec``, template
  filling in ``toyworld_fill``); ``analogies``: a : b :: c : d answered, scored and drawn
- ``plots`` (with ``style``, ``plots_words``, ``plots_labels``, ``plots_lines``, ``plots_distributions``),
  ``widgets``, ``canvas``, ``static_view``, ``progress``: figures, the step-through trainer and neighbour explorer
  (on a fast ipympl canvas), what a saved notebook shows for a widget, progress bars; ``demo``: notebook 03's demo
  corpus and trainer
- ``exercises`` (with ``feedback``, ``exercises_text``, ``exercises_losses``, ``exercises_vectors``,
  ``exercises_context``), ``environment``, ``validation``: learner feedback that never raises, setup check,
  argument checks
"""

from .corpus import NoiseSampler, Vocabulary, build_vocabulary, tokenize
from .losses import check_gradient, cbow_loss, negative_sampling_loss, softmax_skipgram_loss
from .neighbors import UnknownWordError, WordVectors, cosine_similarity, knn_purity
from .training import StepTrainer, TrainingDiverged

__all__ = [
    "NoiseSampler", "Vocabulary", "build_vocabulary", "tokenize",
    "check_gradient", "cbow_loss", "negative_sampling_loss", "softmax_skipgram_loss",
    "UnknownWordError", "WordVectors", "cosine_similarity", "knn_purity",
    "StepTrainer", "TrainingDiverged", "train_word2vec",
]


def __getattr__(name: str):
    """``helpers.train_word2vec`` on first use: importing it loads numba (about 1-2 s and 100 MB), which
    notebooks that never train the whole-corpus trainer should not pay for."""
    if name == "train_word2vec":
        from .word2vec import train_word2vec
        return train_word2vec
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
