"""``TrainingDiverged``: the one exception both trainers raise when an update would blow up."""

from __future__ import annotations

from ..validation import check_choice


class TrainingDiverged(FloatingPointError):
    """Training blew up and was stopped before any NaN or huge vector got out; carries a learning rate that works.

    Both trainers raise it: :class:`StepTrainer` counts ``unit="update"`` (one (target, context) pair each), the
    fast trainer counts ``unit="minibatch"``. The message reads "training diverged at update 13 with lr=5: ...".

    Parameters
    ----------
    step : int, >= 1
        The update (or minibatch) that would have diverged, counted from 1; it was not applied.
    lr : float
        The learning rate that diverged.
    detail : str
        What went wrong (which vector or score, its size, the limit).
    unit : {"update", "minibatch", "epoch"}
        ``"epoch"``: the gensim comparison, which can look at the vectors only between epochs.
    suggested_lr : float, optional
        A learning rate the trainer checked (it retried the same input with it and did not diverge). Without
        one, ``lr / 10`` rounded is offered as a guess and the message says it is unchecked.

    Attributes
    ----------
    step, lr, unit, suggested_lr, detail
    checked : bool
        Whether ``suggested_lr`` was checked by the trainer (True) or is the unchecked guess ``lr / 10``.
    """

    UNITS = ("update", "minibatch", "epoch")

    def __init__(
        self, step: int, lr: float, detail: str, *, unit: str = "update", suggested_lr: float | None = None
    ) -> None:
        self.step = int(step)
        self.lr = float(lr)
        self.detail = detail
        self.unit = check_choice("unit", unit, self.UNITS)
        checked = self.checked = suggested_lr is not None
        self.suggested_lr = float(suggested_lr) if checked else float(f"{self.lr / 10:.2g}")
        advice = (f"Try lr={self.suggested_lr:g} (checked: it gets past {unit} {self.step} on the same input)"
                  if checked else f"Try lr={self.suggested_lr:g} or smaller")
        super().__init__(f"training diverged at {unit} {self.step} with lr={self.lr:g}: {detail}. {advice}.")

    def __reduce__(self):  # keep the keyword arguments through pickling (multiprocessing, nbclient)
        return (_rebuild_diverged, (self.step, self.lr, self.detail, self.unit,
                                    self.suggested_lr if self.checked else None))


def _rebuild_diverged(step: int, lr: float, detail: str, unit: str, suggested_lr: float | None) -> TrainingDiverged:
    return TrainingDiverged(step, lr, detail, unit=unit, suggested_lr=suggested_lr)
