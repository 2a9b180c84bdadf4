"""Feedback on a learner's answer, and the promise every exercise check keeps: it never raises.

Shared by :mod:`helpers.exercises` and :mod:`helpers.exercises.vectors`.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
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
    return Feedback(False, f"{what} is still empty: fill in the cell above and run it again. If that cell showed an "
                           "error, it stopped before it set your answer: fix the error there (the last line of its "
                           "message says what went wrong) and run it again.")


def _is_stub(answer: object) -> bool:
    return answer is None or answer is Ellipsis


def _close(a: float, b: float, tol: float = 1e-6) -> bool:
    return bool(np.isfinite(a) and abs(a - b) <= tol * max(1.0, abs(b)))


def _describe(error: BaseException) -> str:
    """``Type: message`` of an exception, even one whose ``__str__`` itself fails (a learner's own class)."""
    try:
        text = str(error)
    except Exception:  # noqa: BLE001 - the learner's exception class may be broken too
        text = "(its message could not be shown)"
    return f"{type(error).__name__}: {text[:300]}"


def _call(fn: Callable[..., object], *args: object) -> tuple[object, Feedback | None]:
    """Call the learner's function; an exception becomes feedback instead of a crash."""
    try:
        return fn(*args), None
    except Exception as error:  # noqa: BLE001 - any learner bug must become feedback, never a crash
        return None, Feedback(False, f"Your function raised {_describe(error)}")


def never_raises(check: Callable[..., Feedback]) -> Callable[..., Feedback]:
    """Make ``check`` keep its promise: whatever the learner's objects do (a ``__len__`` or ``__eq__`` that
    raises, a number too big for a float, a generator that fails half way), the learner gets feedback, not a
    traceback in the check cell."""

    @functools.wraps(check)
    def guarded(*args: object, **kwargs: object) -> Feedback:
        try:
            return check(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the promise is "never raises"
            return Feedback(False, f"Your answer could not be checked: working with it raised {_describe(error)}. "
                                   "Give the kind of value the exercise asks for (see the stub) and run the cell "
                                   "again.")

    return guarded


def _to_float(value: object) -> float | None:
    """A plain float from a number or a one-element array, else None (the caller explains what to give).

    An integer too big for a float (``10**400``) becomes +-inf, which every check reports as not finite.
    """
    if isinstance(value, (bool, str, bytes)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except OverflowError:
        try:
            return float("inf") if value > 0 else float("-inf")
        except Exception:  # noqa: BLE001 - an exotic object that overflows and cannot compare
            return None
    except (TypeError, ValueError):
        return None
    return float(array.reshape(-1)[0]) if array.size == 1 else None


def name_error_hint(shell: object, etype: type, value: BaseException, tb: object,
                    tb_offset: int | None = None) -> None:
    """IPython handler for a NameError: the usual traceback, then where the missing name comes from.

    A check cell that says ``NameError: name 'answer' is not defined`` almost always means the learner's own cell
    above (the stub, or ``my_prediction = ...``) was not run, or the kernel was restarted since.
    """
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    name = getattr(value, "name", None)
    what = f"`{name}`" if name else "A name"
    print(f"💡 {what} is not defined yet. Run the cell that defines it first: for an exercise or a prediction, that is "
          "the cell above this one (with `# your code here` or `my_prediction = ...`). After a kernel restart, use "
          "Run → Run All Above Selected Cell.")


def point_back_on_name_errors() -> bool:
    """In a notebook, add :func:`name_error_hint` to NameErrors (unless another handler is installed); True if done."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to do
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc") or getattr(shell, "custom_exceptions", ()):
        return False
    shell.set_custom_exc((NameError,), name_error_hint)
    return True

