"""Friendly, specific feedback on a learner's exercise answers.

Every ``check_*`` function returns a :class:`Feedback` (shown as a coloured box in a notebook, plain text elsewhere)
and never raises: an empty stub or a wrong type gets a hint, so a check cell cannot crash the notebook.

Notebooks import every check from here; each group lives in its own module:

- :mod:`helpers.feedback`: :class:`Feedback`, :func:`not_attempted`, :func:`never_raises` (what every check shares)
- :mod:`helpers.exercises_text`: :func:`check_sentence_count` (00), :func:`check_pairs` (02)
- :mod:`helpers.exercises_losses`: :func:`check_softmax_loss` (02), :func:`check_sgns_update` (03)
- :mod:`helpers.exercises_vectors`: :func:`check_cosine_similarity` (01), :func:`check_nearest_neighbours` (04),
  :func:`check_spearman` (06)
- :mod:`helpers.exercises_context`: :func:`check_context_vector` (05), :func:`check_attention_row` (07)
- :mod:`helpers.exercises_gradients`: the learner's own gradients, :func:`check_softmax_gradient` (02) and
  :func:`check_sgns_gradient` (03), and the reveals of 02's and 03's predict cells (notebooks import it directly)
"""

from __future__ import annotations

from .exercises_context import check_attention_row, check_context_vector
from .exercises_losses import check_sgns_update, check_softmax_loss
from .exercises_text import check_pairs, check_sentence_count
from .exercises_vectors import check_cosine_similarity, check_nearest_neighbours, check_spearman
from .feedback import Feedback, never_raises, not_attempted, point_back_on_name_errors

point_back_on_name_errors()  # a check cell's NameError points back to the learner's own cell

__all__ = ["Feedback", "not_attempted", "never_raises",
           "check_sentence_count", "check_cosine_similarity", "check_pairs", "check_softmax_loss",
           "check_sgns_update", "check_nearest_neighbours", "check_context_vector", "check_spearman",
           "check_attention_row"]
