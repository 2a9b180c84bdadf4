"""The step widget's static form and closing: the deterministic text and PNG a saved notebook shows where live
widgets do not run (GitHub, nbviewer, nbval's comparison), its ``repr``, and ``close`` freeing everything it holds.

A mixin of :class:`helpers.widgets.step_widget.StepWidget`, kept apart so the widget module holds only its actions
and bookkeeping. It reads what the widget already has (``trainer``, ``last_record``, ``pair``, ``cos_history``,
``figure_view``, ``_history``, ``_stop_play``) and trains nothing.
"""

from __future__ import annotations

import base64
from typing import Any

from .common import close_tree
from .common import forget as _live_discard
from .step_text import LOSS_LABELS, summary_text


class StepFormMixin:
    """Summary text, PNG, ``repr`` and ``close`` of a step widget (mixed in before ``ipywidgets.VBox``)."""

    def summary(self) -> str:
        """What the widget shows, as short deterministic text."""
        return summary_text(self.trainer, self.last_record, self.pair, self.cos_history[-1][1])

    def png(self) -> bytes:
        """The current figure as PNG bytes (moving parts included)."""
        return self.figure_view.png()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (or the kernel closed the widget)."""
        return self.comm is None or getattr(getattr(self, "figure_view", None), "closed", False)

    def close(self) -> None:
        """Close the widget and everything it holds: every control, the plot's canvas and its pixels.

        ``ipywidgets.Widget.close`` alone closes only the box: its 30-odd children stay registered (and alive).
        """
        if not hasattr(self, "figure_view"):  # __init__ failed part-way (ipywidgets closes on __del__)
            super().close()
            return
        self._stop_play()
        close_tree(self)
        self.figure_view.close()
        # A closed widget may stay referenced (a variable, Out[n]): keep nothing big.
        self.last_record = None
        self._history.close()
        _live_discard(self)

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.trainer.steps_done} updates"
        return f"StepWidget({len(self.trainer.vocab)} words, {LOSS_LABELS[self.trainer.loss_name]}, {state})"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        # GitHub and nbviewer cannot run the widget: they show this picture and text instead.
        bundle["text/plain"] = self.summary()
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle
