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
  vectors before and after); nudge lengths read ``|Δv(cat)| = 0.1234`` (target) and ``|Δu(cute)| = 0.0123``
  (output vectors); the element inside with class ``wv-step-data`` has a ``data-step`` attribute holding the
  number of updates done
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

import base64
import functools
import html
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .canvas import FastCanvas, FigureManager, LabelStamp
from .neighbors import UnknownWordError, WordVectors, cosine_similarity
from .plots import COLORS, OKABE_ITO, class_styles
from .training import StepTrainer, TrainingDiverged, UpdateRecord
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
    topn : int, >= 1
        How many neighbours to list at first (at most V - 1; the slider changes it).

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
        topn = min(check_int("topn", topn, low=1), len(wv) - 1)  # a small vocabulary simply shows everyone
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


# ---------------------------------------------------------------------------------------------------------------
# The 2-D demo corpus and the step-through widget
# ---------------------------------------------------------------------------------------------------------------

#: Words of the 2-D demo: two pets, two wild animals and two qualities of each. Few enough to label every point,
#: and cat and dog visibly drift together within about a hundred updates.
DEMO_WORDS = ("cat", "dog", "lion", "tiger", "cute", "fluffy", "big", "fierce")


@dataclass(frozen=True)
class DemoCorpus:
    """Toy-world sentences for a 2-D model small enough to watch.

    Attributes
    ----------
    sentences : list of list of str
        What the trainer sees: the demo words of each sentence, in order (glue words dropped).
    full_sentences : list of list of str
        The same sentences as written, glue words included (the widget shows those in grey).
    classes : dict of str to str
        Class of each demo word, for colours and markers.
    """

    sentences: list[list[str]]
    full_sentences: list[list[str]]
    classes: dict[str, str]


def _toy_world() -> Any:
    from . import toyworld

    try:
        return toyworld.load()
    except FileNotFoundError:  # data/ not written yet: the generator gives the same world
        return toyworld.generate()


def demo_corpus(world: Any = None, words: Sequence[str] = DEMO_WORDS) -> DemoCorpus:
    """The toy-world sentences made only of ``words`` and glue words, with the glue words dropped for training.

    In two dimensions a few very frequent glue words ("the", "is", "a") would crowd the plane and take most of
    the updates; with only topic words left, what cat and dog share shows within about a hundred steps.

    Parameters
    ----------
    world : ToyWorld, optional
        Default: the toy world shipped in ``data/toyworld``.
    words : sequence of str
        Topic words to keep; each must be a toy-world word.
    """
    world = world if world is not None else _toy_world()
    unknown = [w for w in words if w not in world.classes]
    if unknown:
        raise ValueError(f"words {unknown} are not in the toy world")
    keep = set(words)
    glue = {w for w, cls in world.classes.items() if cls == "function"}
    sentences, full = [], []
    for sentence in world.sentences:
        if all(w in keep or w in glue for w in sentence):
            kept = [w for w in sentence if w in keep]
            if len(kept) >= 2:  # a lone word has no context
                sentences.append(kept)
                full.append(list(sentence))
    if not sentences:
        raise ValueError(f"no toy-world sentence uses only {sorted(keep)} and glue words; add words")
    return DemoCorpus(sentences, full, {w: world.classes[w] for w in words})


#: Seed of the demo: cat and dog start opposite (cos -0.99) and meet within a few hundred updates at lr 0.2 (0.93
#: after 300 with negative sampling, 0.70 with the softmax) on the toy world of issue 12.
DEMO_SEED = 10


def demo_trainer(lr: float = 0.2, loss: str = "negative_sampling", seed: int = DEMO_SEED, **options: Any
                 ) -> StepTrainer:
    """A 2-D :class:`StepTrainer` on :func:`demo_corpus`: the model the step-through widget shows by default.

    ``options`` go to :class:`StepTrainer` (e.g. ``allow_false_negatives=True``).
    """
    return StepTrainer(demo_corpus().sentences, dim=2, window=2, negative=3, lr=lr, loss=loss, seed=seed,
                       **options)


_LOSS_LABELS = {"negative_sampling": "negative sampling", "softmax": "softmax"}
_TARGET_COLOUR = OKABE_ITO["black"]
_OUTPUT_COLOUR = OKABE_ITO["reddish purple"]
_SMOOTH = 20  # updates in the running mean of the loss: one update's loss is too noisy to read


def _nice_magnification(target: float, longest: float, span: float) -> float:
    """Factor (1, 2, 5, 10, ...) that makes the target's arrow at least ~8% of the plot's width, unless that would
    stretch the longest arrow beyond ~30% of it."""
    factors = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)
    chosen = next((f for f in factors if target * f >= 0.08 * span), factors[-1])
    while chosen > 1 and longest * chosen > 0.3 * span:
        chosen = factors[factors.index(chosen) - 1]
    return chosen


class StepWidget(widgets.VBox):
    """Step through skip-gram training one update at a time and watch the vectors move.

    Controls: Step, Step x10, Step x100, Play/Pause (one update per tick), Reset, a learning-rate slider and the
    choice of loss. It shows the current sentence with the window (target and context marked), the numbers of the
    last update, a plot of every word's 2-D input vector with arrows for the nudges of the target, its context and
    each noise word (output vectors), and the history of the loss and of cos(pair). The plane has a scale bar
    instead of tick labels: its view doubles when the vectors outgrow it (without redrawing the axes).

    The widget only calls the trainer's public API (``step``, ``reset``, ``lr``, ``loss_name``); everything it
    shows comes from the trainer's :class:`UpdateRecord` and vectors.

    Parameters
    ----------
    trainer : StepTrainer, optional
        Must have ``dim=2`` so the plot shows the vectors as they are, undistorted by a projection.
        Default: :func:`demo_trainer` (cat, dog, lion, tiger and their qualities from the toy world).
    classes : mapping of word to class, optional
        Colours and markers of the points (default: the demo's classes, or one class for all).
    full_sentences : sequence of token lists, optional
        The trainer's sentences as written, with words the trainer skips (shown in grey).
    pair : tuple of two str
        The two words whose cosine similarity is tracked.
    play_interval : int, >= 50
        Milliseconds between updates while playing.

    Attributes
    ----------
    last_record : UpdateRecord or None
        The update the widget shows.
    cos_history : list of (int, float)
        (updates done, cos(pair)) after every update this widget made.
    """

    def __init__(
        self,
        trainer: StepTrainer | None = None,
        *,
        classes: Mapping[str, str] | None = None,
        full_sentences: Sequence[Sequence[str]] | None = None,
        pair: tuple[str, str] = ("cat", "dog"),
        play_interval: int = 300,
    ) -> None:
        if trainer is None:
            demo = demo_corpus()
            trainer = demo_trainer()
            classes = demo.classes if classes is None else classes
            full_sentences = demo.full_sentences if full_sentences is None else full_sentences
        if not isinstance(trainer, StepTrainer):
            raise TypeError(f"trainer must be a helpers.training.StepTrainer, got {type(trainer).__name__}")
        if trainer.dim != 2:
            raise ValueError(f"trainer.dim must be 2 (the plot shows the vectors as they are), got {trainer.dim}")
        if len(pair) != 2 or any(w not in trainer.vocab for w in pair):
            raise ValueError(f"pair must be two words of the trainer's vocabulary, got {pair!r}")
        if full_sentences is not None and len(full_sentences) != len(trainer.encoded):
            raise ValueError(f"full_sentences must hold one sentence per training sentence "
                             f"({len(trainer.encoded)}), got {len(full_sentences)}")
        play_interval = check_int("play_interval", play_interval, low=50)
        self.trainer = trainer
        self.pair = tuple(pair)
        words = trainer.vocab.index_to_key
        self.classes = {w: (classes or {}).get(w, "word") for w in words}
        # Legend order: as the caller listed the classes (the demo: pets first), not by word frequency.
        self._class_order = list(dict.fromkeys([c for c in (classes or {}).values() if c in self.classes.values()]
                                               + list(self.classes.values())))
        self.full_sentences = [list(s) for s in full_sentences] if full_sentences is not None else None
        self.last_record: UpdateRecord | None = None
        self._quiet = False  # true while the widget itself moves a control, so observers do not react

        def button(label: str, css: str, tooltip: str, action: Callable[[], Any]) -> widgets.Button:
            b = widgets.Button(description=label, tooltip=tooltip, layout=widgets.Layout(width="auto"))
            b.on_click(lambda _: action())
            return b.add_class(css)

        self.step_button = button("Step", "wv-step", "one update", lambda: self._advance(1))
        self.step10_button = button("Step ×10", "wv-step10", "ten updates", lambda: self._advance(10))
        self.step100_button = button("Step ×100", "wv-step100", "a hundred updates, drawn once",
                                     lambda: self._advance(100))
        self.reset_button = button("Reset", "wv-reset", "back to the random start", self.reset)
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=play_interval, show_repeat=False,
                                 description="Play", tooltip="one update per tick").add_class("wv-play")
        low, high = min(-3.0, np.floor(np.log10(trainer.lr))), max(1.0, np.ceil(np.log10(trainer.lr)))
        self.lr_slider = widgets.FloatLogSlider(value=trainer.lr, base=10, min=low, max=high, step=0.1,
                                                description="learning rate", readout_format=".3g",
                                                continuous_update=False, style={"description_width": "initial"},
                                                ).add_class("wv-lr")
        self.loss_choice = widgets.ToggleButtons(options=[(v, k) for k, v in _LOSS_LABELS.items()],
                                                 value=trainer.loss_name, description="loss",
                                                 style={"button_width": "auto"}).add_class("wv-loss")
        self.sentence_html = widgets.HTML().add_class("wv-step-sentence")
        self.numbers_html = widgets.HTML().add_class("wv-step-numbers")
        self.message = widgets.HTML().add_class("wv-step-message")
        self._build_figure()
        super().__init__([
            widgets.HBox([self.step_button, self.step10_button, self.step100_button, self.play, self.reset_button]),
            widgets.HBox([self.lr_slider, self.loss_choice]),
            self.message, self.sentence_html, self.numbers_html, self.canvas,
        ])
        self.add_class("wv-step-widget")
        self.play.observe(self._on_play, names="value")
        self.lr_slider.observe(self._on_lr, names="value")
        self.loss_choice.observe(self._on_loss, names="value")
        self._start_history()
        self._redraw()

    # ----- actions (what the buttons do; also callable from code) ------------------------------------------------

    def step(self, n: int = 1) -> list[UpdateRecord] | None:
        """Apply ``n`` updates, then redraw once; a divergence stops early and is shown as a message.

        Returns the records of the updates applied (None if an error stopped it: the widget shows which).

        Raises
        ------
        ValueError
            If ``n`` is not an integer >= 1 (only errors of the call itself; the buttons never raise).
        """
        return self._advance(check_int("n", n, low=1))

    @_report_errors
    def _advance(self, n: int) -> list[UpdateRecord]:
        self._sync()
        self._show_message("")
        records = []
        try:
            for _ in range(n):
                records.append(self.trainer.step())
                self._record_cos()
        except TrainingDiverged as error:
            self._stop_play()
            self._show_message(f"{error} The vectors stay as they were before that update.", kind="warning")
        if records:
            self.last_record = records[-1]
        self._redraw()
        return records

    @_report_errors
    def reset(self) -> None:
        """Back to the random start of the trainer's seed (the learning rate and loss stay as chosen)."""
        self._stop_play()
        self.trainer.reset()
        self.last_record = None
        self._start_history()
        self._show_message("")
        self._redraw()

    # ----- observers ----------------------------------------------------------------------------------------------

    def _on_play(self, change: dict) -> None:
        if not self._quiet and change["new"] > change["old"]:
            self._advance(1)

    @_report_errors
    def _on_lr(self, change: dict) -> None:
        if not self._quiet:
            self.trainer.lr = float(change["new"])
            self._redraw_numbers()

    @_report_errors
    def _on_loss(self, change: dict) -> None:
        if self._quiet:
            return
        self.trainer.loss_name = change["new"]
        self.reset()
        self._show_message(f"Loss switched to {_LOSS_LABELS[change['new']]}: starting again from the same "
                           f"random vectors.")

    # ----- state bookkeeping -------------------------------------------------------------------------------------

    def _pair_cos(self) -> float:
        a, b = (self.trainer.vocab.key_to_index[w] for w in self.pair)
        return cosine_similarity(self.trainer.W_in[a], self.trainer.W_in[b])

    def _start_history(self) -> None:
        self.cos_history: list[tuple[int, float]] = [(self.trainer.steps_done, self._pair_cos())]
        self._trails = {w: [self.trainer.W_in[self.trainer.vocab.key_to_index[w]].copy()] for w in self.pair}
        self._limit = 0.5  # half-width of the plane's view; doubles when a vector gets near the edge

    def _record_cos(self) -> None:
        self.cos_history.append((self.trainer.steps_done, self._pair_cos()))
        for w, trail in self._trails.items():
            trail.append(self.trainer.W_in[self.trainer.vocab.key_to_index[w]].copy())

    def _sync(self) -> None:
        """Catch up with changes made to the trainer outside the widget (cells run out of order, code)."""
        done = self.trainer.steps_done
        if done < self.cos_history[-1][0]:  # reset elsewhere
            self.last_record = None
            self._start_history()
        elif done > self.cos_history[-1][0]:  # stepped elsewhere: the history gets a jump, not invented points
            self.last_record = None
            self._record_cos()
        self._quiet = True
        try:
            if self.lr_slider.value != self.trainer.lr:
                self.lr_slider.value = self.trainer.lr
            if self.loss_choice.value != self.trainer.loss_name:
                self.loss_choice.value = self.trainer.loss_name
        finally:
            self._quiet = False

    def _stop_play(self) -> None:
        self._quiet = True
        try:
            self.play.playing = False
            self.play.value = 0
        finally:
            self._quiet = False

    def _show_message(self, text: str, kind: str = "info") -> None:
        self.message.value = _message_html(text, kind) if text else ""

    # ----- what is shown -----------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        self._redraw_sentence()
        self._redraw_numbers()
        self._redraw_plot()

    def _display_words(self, record: UpdateRecord) -> tuple[list[str], list[int | None]]:
        """Words of the record's sentence as written, and for each its position among the trained words."""
        trained = record.sentence
        full = self.full_sentences[record.sentence_index] if self.full_sentences is not None else None
        if full is None or [w for w in full if w in self.trainer.vocab] != trained:
            return trained, list(range(len(trained)))
        positions, k = [], 0
        for w in full:
            positions.append(k if w in self.trainer.vocab else None)
            k += w in self.trainer.vocab
        return full, positions

    def _redraw_sentence(self) -> None:
        r = self.last_record
        if r is None:
            self.sentence_html.value = ("<p>Press <b>Step</b>: the trainer takes the next (target, context) pair "
                                        "from a sentence and nudges their vectors.</p>")
            return
        words, positions = self._display_words(r)
        spans = []
        for word, pos in zip(words, positions):
            if pos is None:
                spans.append(f'<span class="wv-skipped" style="color: #888;">{html.escape(word)}</span>')
            elif pos == r.target_position:
                spans.append(f'<span class="wv-target" style="background: {OKABE_ITO["sky blue"]}; '
                             f'font-weight: bold; padding: 0 0.2em;">{html.escape(word)}</span>')
            elif pos == r.context_position:
                spans.append(f'<span class="wv-context" style="background: {OKABE_ITO["orange"]}; '
                             f'font-weight: bold; padding: 0 0.2em;">{html.escape(word)}</span>')
            elif r.window[0] <= pos < r.window[1]:
                spans.append(f'<span class="wv-window" style="text-decoration: underline;">{html.escape(word)}</span>')
            else:
                spans.append(f"<span>{html.escape(word)}</span>")
        skipped = " Grey words are not trained in this small demo." if None in positions else ""
        self.sentence_html.value = (
            f'<p style="font-size: 1.2em;">{" ".join(spans)}</p>'
            f'<p style="font-size: 0.9em;">Sentence {r.sentence_index}: target <b>{html.escape(r.target)}</b> '
            f"(blue), context <b>{html.escape(r.context)}</b> (orange), window underlined.{skipped}</p>")

    def _redraw_numbers(self) -> None:
        r = self.last_record
        done = self.trainer.steps_done
        head = (f'<div class="wv-step-data" data-step="{done}" style="font-family: monospace; font-size: 0.95em;">'
                f"updates done: <b>{done}</b> · loss: {_LOSS_LABELS[self.trainer.loss_name]} · "
                f"learning rate for the next step: {self.trainer.lr:.3g} · "
                f"cos({self.pair[0]}, {self.pair[1]}) = {self.cos_history[-1][1]:+.4f}")
        if r is None:
            self.numbers_html.value = head + "</div>"
            return
        v_before, v_after = r.before["target_in"], r.after["target_in"]
        lines = [f"<br>step {r.step}: target <b>{html.escape(r.target)}</b> → context "
                 f"<b>{html.escape(r.context)}</b>, lr = {r.lr:.3g}, loss = <b>{r.loss:.4f}</b>",
                 f"<br>v({html.escape(r.target)}) {_vec(v_before)} → {_vec(v_after)}, "
                 f"|Δv({html.escape(r.target)})| = {np.linalg.norm(v_after - v_before):.4f}"]
        if r.loss_name == "negative_sampling":
            rows = [("context", r.context, 1.0, r.context, "context_out", None)] + [
                ("noise", w, 0.0, w, "negatives_out", i) for i, w in enumerate(r.negatives)]
            table = ["<tr><th>role</th><th>word</th><th>label y</th><th>score u·v</th><th>σ(score)</th>"
                     "<th>error σ−y</th><th>u before → after</th><th>nudge length</th></tr>"]
            for i, (role, word, label, _, key, j) in enumerate(rows):
                before = r.before[key] if j is None else r.before[key][j]
                after = r.after[key] if j is None else r.after[key][j]
                table.append(f"<tr><td>{role}</td><td>{html.escape(word)}</td><td>{label:.0f}</td>"
                             f"<td>{r.scores[i]:+.4f}</td><td>{r.probs[i]:.4f}</td>"
                             f"<td>{r.probs[i] - label:+.4f}</td><td>{_vec(before)} → {_vec(after)}</td>"
                             f"<td>{_nudge(word, before, after)}</td></tr>")
        else:
            order = [r.context_id] + [int(i) for i in np.argsort(-r.probs, kind="stable") if i != r.context_id][:3]
            table = ["<tr><th>role</th><th>word</th><th>score u·v</th><th>softmax p</th>"
                     "<th>error p−[true]</th><th>u before → after</th><th>nudge length</th></tr>"]
            for i in order:
                is_true = i == r.context_id
                word, before, after = self.trainer.vocab.index_to_key[i], r.before["all_out"][i], r.after["all_out"][i]
                table.append(f"<tr><td>{'context' if is_true else 'other'}</td><td>{html.escape(word)}</td>"
                             f"<td>{r.scores[i]:+.4f}</td><td>{r.probs[i]:.4f}</td>"
                             f"<td>{r.probs[i] - is_true:+.4f}</td><td>{_vec(before)} → {_vec(after)}</td>"
                             f"<td>{_nudge(word, before, after)}</td></tr>")
            lines.append(f"<br>softmax over all {len(r.probs)} words: every output vector moves "
                         f"(the true context and the 3 most probable others are listed)")
        if len(set(r.negatives)) < len(r.negatives):
            table.append("<tr><td colspan=8>A noise word drawn twice gets both nudges; its rows show the total."
                         "</td></tr>")
        self.numbers_html.value = (head + "".join(lines) + '<table style="font-family: monospace;">'
                                   + "".join(table) + "</table></div>")

    def _build_figure(self) -> None:
        """One figure for the widget's life. Axes, ticks and legends are drawn once into a cached background;
        an update only redraws the moving artists over it (blitting), so the canvas never flickers and a step
        stays cheap. Only a change of axis limits needs a full draw."""
        fig = Figure(figsize=(9.6, 5.2), dpi=80)
        self.canvas = FastCanvas(fig)
        FigureManager(self.canvas, 0)  # ipympl wants a manager for its toolbar and resize messages
        self.canvas.toolbar_visible = False
        self.canvas.header_visible = False
        self.canvas.footer_visible = False
        self.canvas.resizable = False
        self.canvas.add_class("wv-step-canvas")
        self.figure = fig
        grid = fig.add_gridspec(2, 2, width_ratios=(1.2, 1), left=0.07, right=0.98, bottom=0.25, top=0.94,
                                wspace=0.18, hspace=0.5)
        ax = self.ax_plane = fig.add_subplot(grid[:, 0])
        self.ax_loss, self.ax_cos = fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
        words = self.trainer.vocab.index_to_key
        self._class_rows: dict[str, np.ndarray] = {}
        self._class_lines = {}
        styles = class_styles(self._class_order)  # the same colour and marker as every other plot of the course
        for cls in self._class_order:
            self._class_rows[cls] = np.array([i for i, w in enumerate(words) if self.classes[w] == cls])
            colour, marker = styles[cls]
            (self._class_lines[cls],) = ax.plot([], [], ls="", marker=marker, color=colour, ms=8,
                                                label=cls.replace("_", " "), zorder=3)
        self._labels = [self._stamp(f" {w}", fontsize=11, color=OKABE_ITO["black"]) for w in words]
        self._trail_lines = [ax.plot([], [], ls=":", lw=1.2, marker="", color=OKABE_ITO["black"], alpha=0.6,
                                     zorder=2)[0] for _ in self.pair]
        (self._context_point,) = ax.plot([], [], ls="", marker="*", ms=13, mfc="none", mec=_OUTPUT_COLOUR, mew=1.5,
                                         label="context (output vector)", zorder=3)
        (self._noise_points,) = ax.plot([], [], ls="", marker="X", ms=10, mfc="none", mec=_OUTPUT_COLOUR, mew=1.2,
                                        label="other words (output vectors)", zorder=3)
        self._output_labels = [self._stamp("", fontsize=10, color=_OUTPUT_COLOUR, style="italic", below=True)
                               for _ in range(1 + self.trainer.negative)]
        self._target_arrow = ax.quiver([0], [0], [0], [0], angles="xy", scale_units="xy", scale=1, width=0.008,
                                       color=_TARGET_COLOUR, zorder=5, label="nudge of the target (input)")
        self._output_arrows = ax.quiver([0], [0], [0], [0], angles="xy", scale_units="xy", scale=1, width=0.005,
                                        color=_OUTPUT_COLOUR, zorder=5, label="nudges of output vectors")
        self._arrow_note = self._stamp("", fontsize=10, color=OKABE_ITO["black"], right_aligned=True,
                                       in_axes_coords=True)
        self._arrow_note.set_position((0.98, 0.02))
        # The plane shows vectors divided by a scale that doubles as they grow, with a scale bar instead of tick
        # labels: its axes never change, so growing vectors never force a full redraw.
        (self._scale_bar,) = ax.plot([-0.95, -0.45], [-0.93, -0.93], color=OKABE_ITO["black"], lw=3, marker="|",
                                     ms=8)
        self._scale_label = self._stamp("", fontsize=10, color=OKABE_ITO["black"])
        self._scale_label.set_position((-0.95, -0.91))
        ax.axhline(0, color="#999", lw=0.8, zorder=1)
        ax.axvline(0, color="#999", lw=0.8, zorder=1)
        ax.set_xlim(-1.0, 1.0)
        ax.set_ylim(-1.0, 1.0)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_aspect("equal", adjustable="box")
        ax.set_title("input vectors (2-D) and the last update's nudges", fontsize=12)
        ax.set_xlabel("dimension 1")
        ax.set_ylabel("dimension 2")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=9, ncols=3, frameon=False)
        (self._loss_raw,) = self.ax_loss.plot([], [], marker="", lw=0.8, alpha=0.4, color=COLORS[0],
                                              label="one update")
        (self._loss_mean,) = self.ax_loss.plot([], [], marker="", lw=2, color=COLORS[0], ls="-",
                                               label=f"mean of last {_SMOOTH}")
        self.ax_loss.set_title("loss per update", fontsize=12)
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.legend(loc="upper right", fontsize=8)
        (self._cos_line,) = self.ax_cos.plot([], [], marker="", lw=2, color=COLORS[1], ls="--",
                                             label=f"cos({self.pair[0]}, {self.pair[1]})")
        self.ax_cos.axhline(0, color="#999", lw=0.8)
        self.ax_cos.set_ylim(-1.05, 1.05)
        self.ax_cos.set_title(f"cos({self.pair[0]}, {self.pair[1]}) of the input vectors", fontsize=12)
        self.ax_cos.set_xlabel("updates")
        self.ax_cos.set_ylabel("cosine")
        self.ax_cos.legend(loc="lower right", fontsize=8)
        self._moving = [*self._class_lines.values(), *self._labels, *self._trail_lines, self._context_point,
                        self._noise_points, *self._output_labels, self._target_arrow, self._output_arrows,
                        self._arrow_note, self._scale_label, self._loss_raw, self._loss_mean, self._cos_line]
        for artist in self._moving:
            artist.set_animated(True)
        self._background = None
        self._saving = False
        self._limits: tuple = ()
        self.canvas.mpl_connect("draw_event", self._on_full_draw)

    def _stamp(self, text: str, **props: Any) -> LabelStamp:
        stamp = LabelStamp(**props)
        stamp.set_text(text)
        stamp.set_zorder(4)
        self.ax_plane.add_artist(stamp)
        return stamp

    def _on_full_draw(self, event: Any) -> None:
        """After any full draw (ours, or one the browser asks for): keep the background, add the moving parts."""
        if self._saving:
            return
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._draw_moving()

    def _draw_moving(self) -> None:
        for artist in self._moving:
            artist.axes.draw_artist(artist)

    def _redraw_plot(self) -> None:
        outputs, moves, labelled = self._last_update_outputs()
        extent = max(float(np.abs(self.trainer.W_in).max()), float(np.abs(outputs).max(initial=0.0)))
        while extent * 1.1 > self._limit:
            self._limit *= 2
        self._update_artists(outputs, moves, labelled)
        limits = self._update_limits()
        if self._background is None or limits != self._limits:
            self._limits = limits
            self.canvas.draw()  # full draw; _on_full_draw caches the background and draws the moving parts
        else:
            self.canvas.restore_region(self._background)
            self._draw_moving()
            self.canvas.blit(self.figure.bbox)

    def _update_limits(self) -> tuple:
        """History axis limits that only grow in coarse steps, so full redraws stay rare (reset shrinks them)."""
        t = self.trainer
        right = 200  # the demo needs a few hundred updates: early clicks draw short curves, but no full redraws
        while right < t.steps_done:
            right *= 2
        top = 5.0
        highest = max(t.loss_history, default=0.0)
        for nice in (5, 10, 20, 50, 100, 1000, 1e4, 1e6, np.inf):
            top = nice
            if highest * 1.05 <= nice:
                break
        if not np.isfinite(top):
            top = highest * 1.05
        limits = (right, top)
        if limits != self._limits:  # setting limits is not free: only when they change
            self.ax_loss.set_xlim(0, right)
            self.ax_cos.set_xlim(0, right)
            self.ax_loss.set_ylim(0, top)
        return limits

    def _last_update_outputs(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Output vectors the last update touched (true context first), their moves, and the words to label."""
        r, t = self.last_record, self.trainer
        if r is None:
            return np.empty((0, 2)), np.empty((0, 2)), []
        if r.loss_name == "negative_sampling":
            outputs = np.vstack([r.before["context_out"], r.before["negatives_out"]])
            moves = np.vstack([r.after["context_out"], r.after["negatives_out"]]) - outputs
            return outputs, moves, [r.context, *r.negatives]
        # Softmax: every output vector moves; only the true context gets a label.
        order = [r.context_id] + [i for i in range(len(t.vocab)) if i != r.context_id]
        outputs = r.before["all_out"][order]
        return outputs, r.after["all_out"][order] - outputs, [r.context]

    def _update_artists(self, outputs: np.ndarray, moves: np.ndarray, labelled: list[str]) -> None:
        t, r = self.trainer, self.last_record
        scale = self._limit  # data units per view unit
        points = t.W_in / scale
        for cls, rows in self._class_rows.items():
            self._class_lines[cls].set_data(points[rows, 0], points[rows, 1])
        for label, position in zip(self._labels, _spread_labels(points, t.vocab.index_to_key)):
            label.set_position(position)
        for line, trail in zip(self._trail_lines, self._trails.values()):
            trail = np.array(trail) / scale
            line.set_data(trail[:, 0], trail[:, 1])
        self._scale_label.set_text(f"length {scale / 2:g}")  # the bar spans half a view unit
        for label in self._output_labels:
            label.set_visible(False)
        if r is None:
            for artist in (self._target_arrow, self._output_arrows, self._context_point, self._noise_points):
                artist.set_visible(False)
            self._arrow_note.set_text("")
        else:
            outputs, moves = outputs / scale, moves / scale
            self._context_point.set_data(outputs[:1, 0], outputs[:1, 1])
            self._noise_points.set_data(outputs[1:, 0], outputs[1:, 1])
            for label, word, position in zip(self._output_labels, labelled, outputs):
                label.set_text(f" {word}")
                label.set_position(position)
                label.set_visible(True)
            target_move = (r.after["target_in"] - r.before["target_in"]) / scale
            # Magnify so that the target's nudge, the update's main actor, is visible; all arrows share the factor.
            longest = max(float(np.linalg.norm(target_move)), float(np.linalg.norm(moves, axis=1).max()))
            factor = _nice_magnification(float(np.linalg.norm(target_move)), longest, 2.0)
            self._target_arrow.set_offsets(r.before["target_in"][None, :] / scale)
            self._target_arrow.set_UVC([target_move[0] * factor], [target_move[1] * factor])
            if self._output_arrows.N != len(outputs):  # a quiver's number of arrows is fixed: replace it
                self._moving.remove(self._output_arrows)
                self._output_arrows.remove()
                self._output_arrows = self.ax_plane.quiver(
                    outputs[:, 0], outputs[:, 1], moves[:, 0], moves[:, 1], angles="xy", scale_units="xy", scale=1,
                    width=0.005, color=_OUTPUT_COLOUR, zorder=5, animated=True)
                self._moving.append(self._output_arrows)
            self._output_arrows.set_offsets(outputs)
            self._output_arrows.set_UVC(moves[:, 0] * factor, moves[:, 1] * factor)
            for artist in (self._target_arrow, self._output_arrows, self._context_point, self._noise_points):
                artist.set_visible(True)
            self._arrow_note.set_text("" if factor == 1 else f"arrows drawn ×{factor:g} longer")
        losses = np.asarray(t.loss_history)
        steps = np.arange(1, len(losses) + 1)
        self._loss_raw.set_data(steps, losses)
        if len(losses):
            window = min(_SMOOTH, len(losses))
            running = np.convolve(losses, np.ones(window))[: len(losses)] / np.minimum(steps, window)
            self._loss_mean.set_data(steps, running)
        else:
            self._loss_mean.set_data([], [])
        cos = np.array(self.cos_history)
        self._cos_line.set_data(cos[:, 0], cos[:, 1])

    # ----- static form -------------------------------------------------------------------------------------------

    def summary(self) -> str:
        """What the widget shows, as short deterministic text."""
        t, r = self.trainer, self.last_record
        recent = t.loss_history[-_SMOOTH:]
        loss = f"; mean loss of the last {len(recent)} updates = {np.mean(recent):.3f}" if recent else ""
        text = (f"Step-through trainer ({_LOSS_LABELS[t.loss_name]}, lr={t.lr:.3g}): {t.steps_done} updates; "
                f"cos({self.pair[0]}, {self.pair[1]}) = {self.cos_history[-1][1]:+.3f}{loss}")
        if r is not None:
            text += f"\nLast update: target {r.target!r}, context {r.context!r} in \"{' '.join(r.sentence)}\""
        return text

    def png(self) -> bytes:
        """The current figure as PNG bytes (moving parts included)."""
        buffer = io.BytesIO()
        for artist in self._moving:  # savefig skips animated artists
            artist.set_animated(False)
        self._saving = True
        try:
            self.figure.savefig(buffer, format="png")
        finally:
            for artist in self._moving:
                artist.set_animated(True)
            self._saving = False
            self._background = None  # savefig drew on the same canvas: cache a clean background next time
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        # GitHub and nbviewer cannot run the widget: they show this picture and text instead.
        bundle["text/plain"] = self.summary()
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle


def _spread_labels(points: np.ndarray, words: Sequence[str], *, char_width: float = 0.05,
                   height: float = 0.1) -> list[tuple[float, float]]:
    """Label anchors next to ``points`` (V, 2) in view units, each moved down until it overlaps no earlier label.

    Points that sit on each other (cat and dog late in training) would otherwise print their words on top of each
    other. Sizes are in view units (the plane spans -1..1); labels are placed from the top of the plot down.
    """
    placed: list[tuple[float, float, float]] = []  # x, y, width of labels already placed
    anchors: list[tuple[float, float]] = [(0.0, 0.0)] * len(words)
    for i in sorted(range(len(words)), key=lambda k: (-points[k, 1], points[k, 0])):
        x, y = float(points[i, 0]), float(points[i, 1])
        width = char_width * (len(words[i]) + 1)
        for _ in range(len(words)):
            clash = next((py for px, py, pw in placed if x < px + pw and px < x + width and abs(y - py) < height),
                         None)
            if clash is None:
                break
            y = clash - height * 1.001  # a hair more, so rounding cannot find the same clash again
        placed.append((x, y, width))
        anchors[i] = (x, y)
    return anchors


def _nudge(word: str, before: np.ndarray, after: np.ndarray) -> str:
    """``|Δu(word)| = 0.0123``: how far an output vector moved (browser tests read this form)."""
    return f"|Δu({html.escape(word)})| = {np.linalg.norm(after - before):.4f}"


def _vec(v: np.ndarray) -> str:
    return "[" + ", ".join(f"{x:+.3f}" for x in np.ravel(v)) + "]"
