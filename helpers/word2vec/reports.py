"""Progress of a training run, told to a callback: the trainer never draws anything itself.

:func:`notebook_bar` is the callback behind ``progress=True``: it draws :class:`helpers.plots.Progress`, imported
only when a bar is asked for. Any other callable receiving a :class:`ProgressReport` works as well (a log line,
a test's list, a widget of one's own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Reports per train() call: each one can be a message to the browser.
REPORTS = 200


@dataclass(frozen=True)
class ProgressReport:
    """What a progress callback receives: ``done`` of ``total`` windows of one :meth:`Word2VecTrainer.train`
    call (``total`` is an estimate: subsampling keeps a random number), a ``note`` (the loss), and ``finished``
    (True once, at the end; ``failed`` if the run stopped by diverging); ``unit``, what ``done`` and ``total``
    count: windows (a centre word with its context words: the trainer's step, and what the notebooks' text calls
    them), or epochs for gensim's comparison. The loss history counts the pairs inside the windows."""

    description: str
    done: int
    total: int
    note: str
    finished: bool = False
    failed: bool = False
    unit: str = "windows"


ProgressCallback = Callable[[ProgressReport], None]

def notebook_bar() -> ProgressCallback:
    """A callback drawing a :class:`helpers.plots.Progress` bar (in a notebook; silent elsewhere)."""
    from ..plots.progress import Progress

    bar: list[Progress] = []

    def report(r: ProgressReport) -> None:
        if not bar:
            bar.append(Progress(r.total, r.description, show=True, unit=r.unit))
        bar[0].update(r.done - bar[0].done, r.note)
        if r.finished:
            if not r.failed:
                bar[0].update(bar[0].total)  # the total was an estimate: a finished run fills the bar
            bar[0].close(r.note)

    return report


class Reporter:
    """Counts the windows of one train() call and calls ``callback`` about :data:`REPORTS` times, then once at the
    end (``callback`` None: counts only)."""

    def __init__(self, callback: ProgressCallback | None, description: str, expected_windows: float) -> None:
        self.callback, self.description = callback, description
        self.total = max(1, int(expected_windows))
        self.done = 0
        self._every = max(1.0, expected_windows / REPORTS)
        self._next = self._every

    def advance(self, windows: int, note: str) -> None:
        self.done += windows
        if self.callback is not None and self.done >= self._next:
            self._next = self.done + self._every
            self.callback(ProgressReport(self.description, self.done, self.total, note))

    def say(self, note: str) -> None:
        """Tell the callback ``note`` now, without counting work (e.g. that the kernels are being compiled)."""
        if self.callback is not None:
            self.callback(ProgressReport(self.description, self.done, self.total, note))

    def finish(self, note: str, failed: bool = False) -> None:
        if self.callback is not None:
            self.callback(ProgressReport(self.description, self.done, self.total, note, True, failed))
