"""What a saved notebook shows for a live widget.

GitHub and nbviewer cannot run widgets, and nbval compares only a widget's ``text/plain`` (model ids are random).
By default that text is the widget's repr, e.g. ``VBox(children=(FloatSlider(...``: useless to a reader. These
helpers attach a short text (and optionally HTML) to a widget's display, fixed when it is displayed.
"""

from __future__ import annotations

from typing import Any


def with_static_view(widget: Any, text: str, html: str | None = None) -> Any:
    """Return ``widget`` displaying ``text`` (and ``html``) to static viewers; live JupyterLab shows the widget.

    Parameters
    ----------
    widget : ipywidgets.DOMWidget
    text : str
        Deterministic plain text: what nbval compares and a plain-text viewer shows.
    html : str, optional
        A richer static rendering (GitHub shows HTML in preference to plain text).
    """
    live = type(widget)._repr_mimebundle_

    def bundle(**kwargs: Any) -> dict:
        out = {**live(widget, **kwargs), "text/plain": text}
        if html is not None:
            out["text/html"] = html
        return out

    widget._repr_mimebundle_ = bundle
    return widget
