"""Interactive views for the notebooks: the step-through trainer and the neighbour explorer.

Widgets wrap other helpers and add no training or lookup logic of their own: :class:`StepWidget` drives a
:class:`helpers.training.StepTrainer`, :class:`NeighborExplorer` queries a :class:`helpers.neighbors.WordVectors`.

Both are ``ipywidgets.VBox`` subclasses, so ``display(w)`` or leaving ``w`` last in a cell shows them. Their
``_repr_mimebundle_`` adds a deterministic ``text/plain`` summary (and for the step widget an ``image/png`` of the
plot, for the explorer a ``text/html`` table): a saved notebook viewed on GitHub or nbviewer, where live widgets do
not run, still shows a meaningful frame, and nbval has stable text to compare.

Errors raised inside a button or slider callback are shown in the widget itself (JupyterLab would otherwise
swallow them) and the widget keeps working.

CSS classes (stable, for browser tests and styling)
---------------------------------------------------
Step widget:

- ``wv-step-widget``: the whole widget
- ``wv-step``, ``wv-step10``, ``wv-step100``, ``wv-reset``: the buttons; ``wv-play``: the Play/Pause control
- ``wv-lr``: the learning-rate slider (log scale); ``wv-loss``: the loss choice
- ``wv-step-sentence``: the current sentence; inside it the target word has class ``wv-target``, the context word
  ``wv-context`` and the other words of the window ``wv-window``
- ``wv-step-numbers``: the numbers of the last update (step, pair, scores, sigmoid/probability, error, loss,
  lengths of the nudges); its ``data-step`` attribute holds the number of updates done
- ``wv-step-canvas``: the interactive plot (ipympl canvas)
- ``wv-step-message``: messages (divergence, errors); empty when all is well

Neighbour explorer:

- ``wv-neighbor-explorer``: the whole widget
- ``wv-neighbor-input``: the text box; ``wv-neighbor-topn``: the k slider
- ``wv-neighbors``: the table of neighbours (one ``tr`` per neighbour, class ``wv-neighbor-row``)
- ``wv-suggestion``: a "did you mean" button shown for an unknown word
- ``wv-neighbor-message``: errors; empty when all is well
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from .neighbors import UnknownWordError, WordVectors
from .plots import OKABE_ITO
from .validation import check_int


def _report_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a widget callback; show any exception in the widget's message area instead of losing it.

    JupyterLab shows exceptions raised in widget callbacks nowhere, so the learner would see a dead button.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any failure must reach the learner, and the widget must live on
            self._show_message(f"{type(error).__name__}: {error}", kind="error")
            return None

    return wrapper


def _message_html(text: str, kind: str) -> str:
    colour = {"error": OKABE_ITO["vermillion"], "warning": OKABE_ITO["orange"]}.get(kind, OKABE_ITO["blue"])
    return (f'<div style="border-left: 5px solid {colour}; padding: 0.2em 0.6em; margin: 0.2em 0;">'
            f"{html.escape(text)}</div>")


class NeighborExplorer(widgets.VBox):
    """Type a word, see its ``topn`` nearest neighbours by cosine similarity, with bars.

    An unknown word shows "did you mean" buttons built from :class:`helpers.neighbors.UnknownWordError`'s
    suggestions; clicking one looks it up.

    Parameters
    ----------
    wv : WordVectors
        The vectors to query (not copied: train more and call :meth:`refresh` to see the change).
    word : str
        The first word to show.
    topn : int, between 1 and V - 1
        How many neighbours to list at first (the slider changes it).

    Attributes
    ----------
    neighbors : list of (str, float)
        What the table shows now, best first; empty for an unknown or empty word.
    """

    def __init__(self, wv: WordVectors, word: str = "cat", topn: int = 8) -> None:
        if not isinstance(wv, WordVectors):
            raise TypeError(f"wv must be a helpers.neighbors.WordVectors, got {type(wv).__name__}")
        if len(wv) < 2:
            raise ValueError("wv must hold at least 2 words, or no word has a neighbour")
        topn = check_int("topn", topn, low=1, high=len(wv) - 1)
        self.wv = wv
        self.neighbors: list[tuple[str, float]] = []
        self.word_box = widgets.Text(value=str(word), description="word:", placeholder="type a word, press Enter",
                                     continuous_update=False).add_class("wv-neighbor-input")
        self.topn_slider = widgets.IntSlider(value=topn, min=1, max=min(len(wv) - 1, max(20, topn)),
                                             description="neighbours:", style={"description_width": "initial"},
                                             continuous_update=False).add_class("wv-neighbor-topn")
        self.table = widgets.HTML().add_class("wv-neighbors")
        self.suggestion_box = widgets.HBox([])
        self.message = widgets.HTML().add_class("wv-neighbor-message")
        super().__init__([widgets.HBox([self.word_box, self.topn_slider]), self.suggestion_box, self.table,
                          self.message])
        self.add_class("wv-neighbor-explorer")
        self.word_box.observe(self._on_input, names="value")
        self.topn_slider.observe(self._on_input, names="value")
        self.refresh()

    @property
    def word(self) -> str:
        return self.word_box.value.strip().lower()

    def _show_message(self, text: str, kind: str = "info") -> None:
        self.message.value = _message_html(text, kind) if text else ""

    def _on_input(self, change: dict) -> None:
        self.refresh()

    @_report_errors
    def refresh(self) -> None:
        """Look up the current word again (e.g. after the vectors changed) and redraw the table."""
        self._show_message("")
        self.suggestion_box.children = ()
        word, topn = self.word, self.topn_slider.value
        if not word:
            self.neighbors = []
            self.table.value = "<p>Type a word and press Enter.</p>"
            return
        try:
            self.neighbors = self.wv.most_similar(word, topn=topn)
        except UnknownWordError as error:
            self.neighbors = []
            self.table.value = f"<p>{html.escape(str(error))}</p>"
            self.suggestion_box.children = tuple(self._suggestion_button(s) for s in error.suggestions)
            return
        self.table.value = self._table_html()

    def _suggestion_button(self, suggestion: str) -> widgets.Button:
        button = widgets.Button(description=suggestion, tooltip=f"look up {suggestion!r}",
                                layout=widgets.Layout(width="auto")).add_class("wv-suggestion")
        button.on_click(lambda _: setattr(self.word_box, "value", suggestion))
        return button

    def _table_html(self) -> str:
        """The neighbours as an HTML table with a bar per cosine (bars grow right for > 0, left for < 0)."""
        rows = []
        for rank, (neighbour, sim) in enumerate(self.neighbors, start=1):
            colour = OKABE_ITO["blue"] if sim >= 0 else OKABE_ITO["vermillion"]
            half = f"{abs(sim) * 50:.1f}%"
            side = "left: 50%" if sim >= 0 else "right: 50%"
            bar = (f'<div style="position: relative; width: 16em; height: 1em; background: #eee;">'
                   f'<div style="position: absolute; {side}; width: {half}; height: 100%; background: {colour};">'
                   f"</div></div>")
            rows.append(f'<tr class="wv-neighbor-row"><td style="text-align: right;">{rank}</td>'
                        f"<td><b>{html.escape(neighbour)}</b></td><td>{bar}</td>"
                        f'<td style="text-align: right; font-family: monospace;">{sim:+.3f}</td></tr>')
        return (f"<p>Nearest neighbours of <b>{html.escape(self.word)}</b> by cosine similarity "
                f"(bar centre = 0, full width = ±1):</p>"
                f"<table><tr><th>#</th><th>word</th><th>cosine</th><th></th></tr>{''.join(rows)}</table>")

    def summary(self) -> str:
        """What the widget shows, as short deterministic text."""
        if self.neighbors:
            listed = ", ".join(f"{w} {s:+.3f}" for w, s in self.neighbors)
            return f"Nearest neighbours of {self.word!r}: {listed}"
        if not self.word:
            return "Neighbour explorer: type a word."
        try:
            self.wv.get_index(self.word)
        except UnknownWordError as error:
            return str(error)
        return f"Neighbour explorer: {self.word!r}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        # Static viewers show the table; a live notebook shows the widget view instead.
        bundle["text/plain"] = self.summary()
        bundle["text/html"] = self.table.value
        return bundle
