"""The neighbour explorer: type a word, see its nearest neighbours by cosine similarity, with bars.

CSS classes (stable, for browser tests and styling): ``wv-neighbor-explorer`` (the whole widget),
``wv-neighbor-input`` (the text box), ``wv-neighbor-topn`` (the k slider), ``wv-neighbors`` (the table, one ``tr``
of class ``wv-neighbor-row`` per neighbour), ``wv-suggestion`` ("did you mean" buttons for an unknown word),
``wv-neighbor-message`` (errors; empty when all is well).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..plots.style import OKABE_ITO
from ..space.neighbors import UnknownWordError, WordVectors
from ..validation import check_int
from .common import close_tree, message_html, report_errors

#: Long words break anywhere rather than widen the page.
_WRAP = ' style="overflow-wrap: anywhere; word-break: break-word;"'


class NeighborExplorer(widgets.VBox):
    """Type a word, see its ``topn`` nearest neighbours by cosine similarity, with bars.

    An unknown word shows "did you mean" buttons built from :class:`helpers.space.UnknownWordError`'s
    suggestions; clicking one looks it up.

    Parameters
    ----------
    wv : WordVectors
        The vectors to query (not copied: train more and call :meth:`refresh` to see the change).
    word : str
        The first word to show.
    topn : int, >= 1
        How many neighbours to list at first (at most V - 1; the slider changes it).

    Attributes
    ----------
    neighbors : list of (str, float)
        What the table shows now, best first; empty for an unknown or empty word.
    """

    def __init__(self, wv: WordVectors, word: str = "cat", topn: int = 8) -> None:
        if not isinstance(wv, WordVectors):
            raise TypeError(f"wv must be a helpers.space.WordVectors, got {type(wv).__name__}")
        if len(wv) < 2:
            raise ValueError("wv must hold at least 2 words, or no word has a neighbour")
        topn = min(check_int("topn", topn, low=1), len(wv) - 1)  # a small vocabulary simply shows everyone
        self.wv = wv
        self.neighbors: list[tuple[str, float]] = []
        self.word_box = widgets.Text(value=str(word), description="word:", placeholder="type a word, press Enter",
                                     continuous_update=False).add_class("wv-neighbor-input")
        self.topn_slider = widgets.IntSlider(value=topn, min=1, max=min(len(wv) - 1, max(20, topn)),
                                             description="neighbours:", style={"description_width": "initial"},
                                             continuous_update=False).add_class("wv-neighbor-topn")
        # The table wraps long words and stays within the notebook's width (an unknown word of 3000 letters
        # once made the widget 35,505 px wide).
        self.table = widgets.HTML(layout=widgets.Layout(max_width="100%", overflow="hidden")).add_class("wv-neighbors")
        self.suggestion_box = widgets.HBox([])
        self.message = widgets.HTML().add_class("wv-neighbor-message")
        super().__init__([widgets.HBox([self.word_box, self.topn_slider], layout=widgets.Layout(flex_flow="row wrap")),
                          self.suggestion_box, self.table, self.message],
                         layout=widgets.Layout(max_width="100%", overflow="hidden"))
        self.add_class("wv-neighbor-explorer")
        self.word_box.observe(self._on_input, names="value")
        self.topn_slider.observe(self._on_input, names="value")
        self.refresh()

    @property
    def word(self) -> str:
        return self.word_box.value.strip().lower()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.value = message_html(text, kind) if text else ""

    def _on_input(self, change: dict) -> None:
        self.refresh()

    @report_errors
    def refresh(self) -> None:
        """Look up the current word again (e.g. after the vectors changed) and redraw the table."""
        self.show_message("")
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
            self.table.value = f"<p{_WRAP}>{html.escape(str(error))}</p>"
            self.suggestion_box.children = tuple(self._suggestion_button(s) for s in error.suggestions)
            return
        self.table.value = self._table_html()

    def _suggestion_button(self, suggestion: str) -> widgets.Button:
        button = widgets.Button(description=suggestion, tooltip=f"look up {suggestion!r}",
                                layout=widgets.Layout(width="auto", max_width="100%")).add_class("wv-suggestion")
        button.on_click(lambda _: setattr(self.word_box, "value", suggestion))
        return button

    def _table_html(self) -> str:
        """The neighbours as an HTML table with a bar per cosine (bars grow right for > 0, left for < 0)."""
        rows = []
        for rank, (neighbour, sim) in enumerate(self.neighbors, start=1):
            colour = OKABE_ITO["blue"] if sim >= 0 else OKABE_ITO["vermillion"]
            half = f"{abs(sim) * 50:.1f}%"
            side = "left: 50%" if sim >= 0 else "right: 50%"
            bar = (f'<div style="position: relative; width: 12em; max-width: 40vw; height: 1em; background: #eee;">'
                   f'<div style="position: absolute; {side}; width: {half}; height: 100%; background: {colour};">'
                   f"</div></div>")
            rows.append(f'<tr class="wv-neighbor-row"><td style="text-align: right;">{rank}</td>'
                        f"<td{_WRAP}><b>{html.escape(neighbour)}</b></td><td>{bar}</td>"
                        f'<td style="text-align: right; font-family: monospace;">{sim:+.3f}</td></tr>')
        return (f"<p{_WRAP}>Nearest neighbours of <b>{html.escape(self.word)}</b> by cosine similarity "
                f"(bar centre = 0, full width = ±1):</p>"
                f'<table style="max-width: 100%;"><tr><th>#</th><th>word</th><th>cosine</th><th></th></tr>'
                f"{''.join(rows)}</table>")

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

    def close(self) -> None:
        """Close the widget and every control it holds (``Widget.close`` alone leaves the children alive)."""
        box = getattr(self, "suggestion_box", None)  # absent if __init__ failed (ipywidgets closes on __del__)
        close_tree(self)
        if box is not None:
            close_tree(box)

    def __repr__(self) -> str:
        return f"NeighborExplorer({self.word!r}, topn={self.topn_slider.value}, {len(self.wv)} words)"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        # Static viewers show the table; a live notebook shows the widget view instead.
        bundle["text/plain"] = self.summary()
        bundle["text/html"] = self.table.value
        return bundle
