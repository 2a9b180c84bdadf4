"""The model, one visible update at a time: losses with analytic gradients and a gradient checker, StepTrainer and its
record, initialization, divergence, notebook 03's demo.

Used by notebooks 02-04, 05.

Modules, one job each:

- :mod:`.losses`: The context-prediction losses of word2vec, each with its analytic gradient, and a gradient checker.
- :mod:`.training`: Training one visible update at a time: ``StepTrainer``.
- :mod:`.records`: ``UpdateRecord``, what one update did (pair, noise words, scores, gradients, vectors before/after).
- :mod:`.own_gradient`: the learner's own gradient function in the trainer: called safely, watched for going uphill.
- :mod:`.checked_attribute`: trainer hyperparameters checked by their one declaration whenever they are set.
- :mod:`.divergence`: ``TrainingDiverged``: the one exception both trainers raise when an update would blow up.
- :mod:`.initialization`: Starting vectors: every word begins as a random point (word2vec's initialisation), for both
  trainers.
- :mod:`.demo`: The 2-D demo of notebook 03: eight toy-world words, the sentences that use only them, and the trainer
  on them; plus the learner's own sentences, checked before a trainer is built on them.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "GradientCheck", "LossOutput", "cbow_loss", "check_gradient", "log_softmax", "negative_sampling_loss",
        "sigmoid", "softmax_skipgram_loss",
    ], "losses"),
    "GradientFunctionError": "own_gradient", "StepTrainer": "training", "UpdateRecord": "records",
    **dict.fromkeys(["TrainingDiverged"], "divergence"),
    **dict.fromkeys(["init_vectors"], "initialization"),
    **dict.fromkeys([
        "DEMO_SEED", "DEMO_WORDS", "MAX_DRAWN_WORDS", "MAX_TEXT_CHARS", "DemoCorpus", "demo_corpus", "demo_trainer",
        "learner_sentences", "learner_trainer",
    ], "demo"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
