"""Shared code for the course *Word Vectors, Step by Step*: one package per room of the story.

Each package's ``__init__`` says what it is for and which notebooks use it; numbers are notebooks.

::

    params.py       one declaration of every hyperparameter (range, meaning, default), checked once at the edge
    validation.py   argument checks whose messages name the problem and the fix
    text/           text into training examples: tokens, the vocabulary, context windows, subsampling, noise words
                    [notebooks: 01-02, 04b, 06b]
    model/          the model, one visible update at a time: losses with analytic gradients and a gradient checker,
                    StepTrainer and its record, initialization, divergence, notebook 03's demo [notebooks: 02-04, 05]
    word2vec/       the compiled whole-corpus trainer, window by window (its kernels tested against model.losses)
                    [notebooks: 04-06, 07]
    space/          reading a trained space: WordVectors (cosine, neighbours, analogies, purity), kNN in bounded
                    memory, 2-D maps, random-vector orthogonality, analogies drawn [notebooks: 00-01, 03-05, 07]
    senses/         one vector per occurrence, clustered into senses [notebooks: 05, 07]
    contextual/     a tiny attention model trained by masked-word prediction: its layer, vocabulary and Adam
                    [notebooks: 07]
    toyworld/       the generated corpus with known word classes (generator, tables, loader); its files are the
                    top-level data/toyworld [notebooks: 00-02, 04-05, 07]
    evaluation/     measuring against people: similarity ratings, analogy accuracy, gensim's Word2Vec as the reference
                    [notebooks: 06-06b]
    plots/          figures in the course style, progress bars, and what a saved notebook shows for a live display
                    [notebooks: all]
    widgets/        views over the helpers: the step-through trainer, the neighbour and attention explorers, a fast
                    canvas [notebooks: 03-04, 07]
    exercises/      check_* feedback on the learner's answers that never raises, and 00's setup check [notebooks: all]

Arrows run down the story: widgets and exercises use the trainers and the space, trainers use the model's
losses and the text, everything uses params and validation; no trainer imports a widget. Imports are lazy:
``import helpers`` loads nothing heavy (numba, gensim, matplotlib load when a name that needs them is used).
"""

from __future__ import annotations

import sys
from importlib import import_module


def lazy_exports(package: str, exports: dict[str, str]):
    """``__getattr__`` and ``__dir__`` for a package whose public names live in its modules (PEP 562).

    A name is imported from its module the first time it is used, so importing a package costs nothing until then:
    a notebook that never trains never loads numba, and a trainer never loads matplotlib or ipywidgets.
    """

    def __getattr__(name: str):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{exports[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__


#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys(["NoiseSampler", "Vocabulary", "build_vocabulary", "tokenize"], "text"),
    **dict.fromkeys([
        "StepTrainer", "TrainingDiverged", "cbow_loss", "check_gradient", "negative_sampling_loss",
        "softmax_skipgram_loss",
    ], "model"),
    **dict.fromkeys(["UnknownWordError", "WordVectors", "cosine_similarity", "knn_purity"], "space"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
