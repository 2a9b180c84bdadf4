"""What the course's widgets share: errors shown in place, message boxes, fixed-height rows, closing a widget
with all its children, short reprs, and catching up after a cell changed what a widget shows."""

from __future__ import annotations

import functools
import html
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..plots.style import OKABE_ITO
from .canvas import DRAW_LOCK


def report_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a widget callback; show any exception in the widget's message area instead of losing it.

    JupyterLab shows exceptions raised in widget callbacks nowhere, so the learner would see a dead button.
    The widget must have a ``show_message(text, kind)`` method. Callbacks run one at a time (``DRAW_LOCK``): the
    kernel's subshells deliver widget messages on several threads, and two at once corrupted the step widget's
    cached background (see :data:`helpers.widgets.canvas.DRAW_LOCK`).
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            with DRAW_LOCK:
                return method(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any failure must reach the learner, and the widget must live on
            self.show_message(error_text(error), kind="error")
            return None

    return wrapper


def error_text(error: BaseException) -> str:
    """An exception as the learner reads it: the course's own messages (ValueError, TypeError, KeyError) as they
    are, since they name the problem and the fix; anything else named as unexpected, with its type."""
    if isinstance(error, (ValueError, TypeError, KeyError)) and str(error):
        return str(error)
    return f"Unexpected error ({type(error).__name__}): {error}. The widget still works; please report this."


def message_html(text: str, kind: str) -> str:
    """A message line with a coloured bar: ``kind`` is "error", "warning" or "info"."""
    colour = {"error": OKABE_ITO["vermillion"], "warning": OKABE_ITO["orange"]}.get(kind, OKABE_ITO["blue"])
    return (f'<div style="border-left: 5px solid {colour}; padding: 0 0.5em; line-height: 1.3;">'
            f"{html.escape(text)}</div>")


def fixed_html(css: str, height: str, **layout: Any) -> widgets.HTML:
    """An HTML output of fixed height (content scrolls inside): what it shows never moves what is below it."""
    return widgets.HTML(layout=widgets.Layout(height=height, min_height=height, overflow="auto", **layout)
                        ).add_class(css)


def close_tree(widget: widgets.Widget) -> int:
    """Close ``widget`` and every widget it holds (children, layouts, styles, ipympl's toolbar); returns how many
    closed.

    ``Widget.close()`` closes one comm only: a box's children stay registered in ``Widget.widgets`` (so
    alive) until they are closed one by one.
    """
    seen: set[int] = set()
    stack, closed = [widget], 0
    while stack:
        w = stack.pop()
        if id(w) in seen or not isinstance(w, widgets.Widget):
            continue
        seen.add(id(w))
        # Children, and widgets held as traits: every Layout and Style is a widget too, and ipympl's toolbar.
        for name in w.keys:
            value = getattr(w, name, None)
            stack.extend(v for v in (value if isinstance(value, (tuple, list)) else (value,))
                         if isinstance(v, widgets.Widget))
        if w.comm is not None:
            closed += 1
        widgets.Widget.close(w)  # the base close: a subclass close() may call close_tree itself
    return closed


class Records(list):
    """The update records a call returned, with a one-line repr (a cell ending in ``widget.step(1000)`` would
    otherwise print every vector of every record)."""

    def __repr__(self) -> str:
        if not self:
            return "<no updates>"
        return f"<{len(self)} update{'s' * (len(self) != 1)}: steps {self[0].step}-{self[-1].step}>"


_live: weakref.WeakSet = weakref.WeakSet()
_hooked = False


def follow_cells(widget: Any) -> None:
    """Call ``widget.refresh()`` after every cell the learner runs, so that a trainer changed in code (its
    learning rate set, a few steps run) shows in the widget without a click. Held weakly; closed widgets drop out.
    """
    global _hooked
    _live.add(widget)
    if _hooked:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.events.register("post_run_cell", _refresh_live)
    _hooked = True


def forget(widget: Any) -> None:
    """Stop refreshing ``widget`` after cells (it was closed)."""
    _live.discard(widget)


def _refresh_live(*_: Any) -> None:
    for widget in list(_live):
        if getattr(widget, "closed", True):
            _live.discard(widget)
            continue
        widget.refresh()
