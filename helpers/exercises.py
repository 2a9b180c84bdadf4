"""Friendly, specific feedback on a learner's exercise answers.

Every ``check_*`` function returns a :class:`Feedback` (shown as a coloured box in a notebook, plain text elsewhere)
and never raises: an empty stub or a wrong type gets a hint, so a check cell cannot crash the notebook.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feedback:
    """Outcome of a check: ``correct`` and a short message for the learner."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return f"{'✅ Correct' if self.correct else '❌ Not yet'}: {self.message}"

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"
        title = "Correct" if self.correct else "Not yet"
        return (f'<div style="border-left: 6px solid {colour}; padding: 0.4em 0.8em;">'
                f"<b>{title}</b>: {html.escape(self.message)}</div>")


def not_attempted(what: str) -> Feedback:
    """The answer is still the stub (``None`` or ``...``)."""
    return Feedback(False, f"{what} is still empty: fill in the cell above and run it again.")


def check_sentence_count(answer: object, sentences: list[list[str]], word: str) -> Feedback:
    """Notebook 00: how many sentences contain ``word`` at least once?"""
    if answer is None or answer is Ellipsis:
        return not_attempted("Your count")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"Give a whole number, not {type(answer).__name__}.")
    right = sum(word in s for s in sentences)
    occurrences = sum(s.count(word) for s in sentences)
    if answer == right:
        return Feedback(True, f"{right} sentences mention {word!r}.")
    if answer == occurrences and occurrences != right:
        return Feedback(False, f"That counts every occurrence of {word!r}; some sentences contain it twice. "
                               "Count each sentence once.")
    return Feedback(False, f"Not {answer}. Loop over the sentences and count those with {word!r} in them.")
