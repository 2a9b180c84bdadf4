"""A progress bar for training runs that take longer than about a second.

In a notebook it is an ipywidgets bar: its text form, which nbval compares and GitHub shows, is fixed when it is
first displayed, so saved notebooks stay deterministic while the bar moves. Outside a notebook it stays silent.
"""

from __future__ import annotations

import math
import numbers

from .static_view import with_static_view


#: Multiply-adds of a run (tokens x epochs x window x negative x dim) in about a second of training: "auto" shows
#: a bar above this.
AUTO_BAR_WORK = 3e8


def shows_bar(progress: bool | str, work: float) -> bool:
    """Whether ``progress`` (True, False or "auto", validated) asks for a bar on a run of ``work`` multiply-adds."""
    return progress is True or (progress == "auto" and work > AUTO_BAR_WORK)


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _count(name: str, value: object) -> int:
    """A number of work units: a non-negative finite number, rounded down (estimates may be floats)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0 or value != value \
            or value == math.inf:
        raise ValueError(f"{name} must be a non-negative number of examples, got {value!r}")
    return int(value)


class Progress:
    """Counts work units up to ``total``; shows a bar in a notebook when ``show`` is true.

    Parameters
    ----------
    total : int
        Units of work (e.g. training pairs over all epochs).
    description : str
        Label shown left of the bar.
    show : bool
    unit : str
        What ``total`` counts, for the saved text ("examples", "epochs").
    """

    def __init__(self, total: int, description: str, show: bool, unit: str = "examples") -> None:
        self.total = max(1, _count("total", total))
        if not isinstance(description, str):
            raise TypeError(f"description must be a string, got {type(description).__name__}")
        if not isinstance(show, bool):
            raise TypeError(f"show must be True or False, got {show!r}")
        self.done = 0
        self._bar = None
        if show and _in_kernel():
            import ipywidgets as widgets
            from IPython.display import display

            self._bar = widgets.IntProgress(value=0, min=0, max=self.total, description=description,
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="60%"))
            self._label = widgets.Label(value="")
            # The saved text is fixed at display time: later updates travel as widget messages, never as outputs.
            display(with_static_view(widgets.HBox([self._bar, self._label]),
                                     f"{description}: a progress bar over {self.total:,} {unit}"))

    def update(self, n: int, note: str = "") -> None:
        """Advance by ``n`` units; ``note`` (e.g. the current loss) appears beside the bar."""
        self.done = min(self.total, self.done + _count("n", n))
        if self._bar is not None:
            self._bar.value = self.done
            if note:
                self._label.value = note

    def close(self, note: str = "") -> None:
        """Mark the run as finished (or stopped) with a final ``note``."""
        if self._bar is not None:
            self._bar.bar_style = "success" if self.done >= self.total else "danger"
            self._label.value = note
