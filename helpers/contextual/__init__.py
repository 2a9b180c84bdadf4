"""A tiny attention model trained by masked-word prediction: its layer, vocabulary and Adam.

Used by notebook 07.

Modules, one job each:

- :mod:`.attention`: A tiny attention model, trained by masked-word prediction: contextual vectors that *learn* which
  neighbour matters.
- :mod:`.layer`: The arithmetic of notebook 07's attention layer: forward pass, masked-word loss and its analytic
  gradients.
- :mod:`.training`: Training for :mod:`helpers.contextual`'s attention model: Adam on shuffled minibatches of masked
  examples.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys(["CONTEXTUAL_DEFAULTS", "MASK", "AttentionModel", "occurrence_vectors", "toy_model"], "attention"),
    **dict.fromkeys([
        "PARAMETERS", "SCORING_CHUNK", "MaskedExamples", "forward", "loss_and_grads", "masked_loss", "target_log_probs",
    ], "layer"),
    **dict.fromkeys(["MaskedTrainer"], "training"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
