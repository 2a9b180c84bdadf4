"""Check_* feedback on the learner's answers that never raises, and 00's setup check.

Used by every notebook.

Modules, one job each:

- :mod:`.feedback`: Feedback on a learner's answer, and the promise every exercise check keeps: it never raises.
- :mod:`.text`: Exercise checks on text: counting sentences (notebook 00) and (target, context) pairs (notebook 02).
- :mod:`.losses`: Exercise checks on the training objective: the softmax loss (notebook 02) and one negative-sampling
  update (notebook 03).
- :mod:`.vectors`: Exercise checks on comparing vectors: cosine similarity (notebook 01), nearest neighbours (notebook
  04), Spearman's rank correlation with people's ratings (notebook 06).
- :mod:`.context`: Exercise checks on one vector per occurrence: a context vector (notebook 05) and one attention row
  (notebook 07).
- :mod:`.environment`: Is this machine ready for the course?
- :mod:`.gradients`: Checks on the learner's own gradients (notebooks 02 and 03), the hand-over of their function to
  the step trainer, and the reveals of the predict-then-reveal cells of 02 and 03.
- :mod:`.predictions`: Predict, then reveal: the learner writes down a guess before a cell shows the answer, and a
  check compares.
- :mod:`.counting`: Exercise checks and predictions for what the vectors learn (notebook 04b) and the dials lab (06b).
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "Feedback", "name_error_hint", "never_raises", "not_attempted", "point_back_on_name_errors",
    ], "feedback"),
    **dict.fromkeys(["check_pairs", "check_sentence_count"], "text"),
    **dict.fromkeys(["check_sgns_update", "check_softmax_loss"], "losses"),
    **dict.fromkeys(["check_cosine_similarity", "check_nearest_neighbours", "check_spearman"], "vectors"),
    **dict.fromkeys(["check_attention_row", "check_context_vector"], "context"),
    **dict.fromkeys(["REQUIRED", "angle_widget", "check_environment", "print_environment"], "environment"),
    **dict.fromkeys([
        "check_sgns_gradient", "check_softmax_gradient", "explain_exception", "gradient_to_train_with",
        "reveal_cos_after", "reveal_flipped_loss", "reveal_keep_probability", "reveal_start_loss",
    ], "gradients"),
    **dict.fromkeys([
        "Reveal", "check_analogy_guess", "check_analogy_share", "check_attention_guess", "check_best_matrix",
        "check_cosine_spread", "check_first_epoch", "check_loss_guess", "check_mole_position", "check_random_neighbour",
        "check_wordsim_guess",
    ], "predictions"),
    **dict.fromkeys(["check_neutralize", "check_noise_distribution", "check_pmi"], "counting"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
