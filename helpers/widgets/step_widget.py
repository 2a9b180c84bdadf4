"""The step-through widget: buttons and sliders around a :class:`helpers.training.StepTrainer`, its update numbers
as text and its vectors as a plot (:class:`StepFigure`). A view: every number it shows comes from the trainer and
its :class:`UpdateRecord`; it only calls the trainer's public API (``step``, ``reset``, ``lr``, ``loss_name``).

CSS classes (stable, for browser tests and styling)
---------------------------------------------------
- ``wv-step-widget``: the whole widget
- ``wv-step``, ``wv-step10``, ``wv-step100``, ``wv-reset``: the buttons; ``wv-play``: the Play/Pause control;
  ``wv-speed``: Play's speed (updates per second)
- ``wv-lr``: the learning-rate slider (log scale); ``wv-loss``: the loss choice
- ``wv-step-canvas``: the plot (ipympl canvas)
- ``wv-step-message``: messages (divergence, errors, bad sentences); empty when all is well
- ``wv-step-sentence``: the current sentence; inside it the target word has class ``wv-target``, the context word
  ``wv-context`` and the other words of the window ``wv-window``
- ``wv-step-numbers``: the numbers of the last update (step, pair, scores, sigmoid/probability, error, loss,
  vectors); nudge lengths read ``|Δv(cat)| = 0.1234`` (target) and ``|Δu(cute)| = 0.0123`` (output vectors); the
  element inside with class ``wv-step-data`` has a ``data-step`` attribute holding the number of updates done
- ``wv-own-text``: the text box for the learner's sentences; ``wv-own-train``, ``wv-own-demo``: its buttons

Every row has a fixed height, so nothing moves while Play runs.
"""

from __future__ import annotations

import base64
import math
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..demo import MAX_DRAWN_WORDS, demo_corpus, demo_trainer, learner_trainer
from ..neighbors import cosine_similarity
from ..params import PARAMS
from ..training import StepTrainer, TrainingDiverged, UpdateRecord
from ..validation import check_int
from .common import Records, close_tree, fixed_html, follow_cells, message_html, report_errors
from .common import forget as _live_discard
from .step_figure import SMOOTH, StepFigure
from .step_text import LOSS_LABELS
from .step_text import numbers_html as render_numbers
from .step_text import sentence_html as render_sentence

#: Most updates one call of :meth:`StepWidget.step` applies: it draws once at the end, and a cell must finish in
#: a few seconds (5000 updates take about a second). Longer runs: ``trainer.run(n)``, then ``widget.refresh()``.
MAX_STEPS_PER_CALL = 5000

#: Play speeds (updates per second) -> (milliseconds between ticks, updates per tick). Ticks faster than 10 per
#: second would only queue up in the kernel; faster speeds apply more updates per tick instead.
PLAY_SPEEDS = {1: (1000, 1), 3: (333, 1), 10: (100, 1), 20: (100, 2), 50: (100, 5)}
# (Between ticks the kernel also counts time: a late tick applies the updates it owes, see StepWidget._on_play.)
DEFAULT_SPEED = 10

#: Smallest learning rate the slider offers (a log scale needs a positive floor); the largest is params' limit.
LR_FLOOR = 1e-3

#: Clock of Play's rate (a module attribute so that tests can replace it without touching the time module).
_clock = time.monotonic

#: The last update of each trainer, whichever widget made it: two widgets on one trainer show the same update.
_last_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class StepWidget(widgets.VBox):
    """Step through skip-gram training one update at a time and watch the vectors move.

    Controls: Step, Step ×10, Step ×100, Play/Pause with a speed, Reset, a learning-rate slider and the choice of
    loss. It shows the plot (every word's 2-D input vector, arrows for the nudges of the last update, the history
    of the loss and cos(pair)), the current sentence with its window, and the numbers of the last update. Below, a
    text box trains the same model on the learner's own sentences, from a random start.

    Parameters
    ----------
    trainer : StepTrainer, optional
        Must have ``dim=2`` so the plot shows the vectors as they are. Default: :func:`helpers.demo.demo_trainer`.
    classes : mapping of word to class, optional
        Colours and markers of the points (default: the demo's classes, or one class for all).
    full_sentences : sequence of token lists, optional
        The trainer's sentences as written, with words the trainer skips (shown in grey).
    pair : tuple of two str
        The two words whose cosine similarity is tracked.
    speed : int
        Play's updates per second, one of :data:`PLAY_SPEEDS`.
    rng : numpy Generator, optional
        Draws the random start for the learner's own sentences (default: seeded with 0).

    Attributes
    ----------
    last_record : UpdateRecord or None
        The update the widget shows.
    cos_history : list of (int, float)
        (updates done, cos(pair)) after every update this widget saw.
    """

    def __init__(
        self,
        trainer: StepTrainer | None = None,
        *,
        classes: Mapping[str, str] | None = None,
        full_sentences: Sequence[Sequence[str]] | None = None,
        pair: tuple[str, str] = ("cat", "dog"),
        speed: int = DEFAULT_SPEED,
        rng: np.random.Generator | None = None,
    ) -> None:
        if trainer is None:
            demo = demo_corpus()
            trainer = demo_trainer()
            classes = demo.classes if classes is None else classes
            full_sentences = demo.full_sentences if full_sentences is None else full_sentences
        if speed not in PLAY_SPEEDS:
            raise ValueError(f"speed must be one of {sorted(PLAY_SPEEDS)} (updates per second), got {speed!r}")
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
        self._rng = rng if rng is not None else np.random.default_rng(0)
        self._check_and_set(trainer, classes, full_sentences, pair)
        self._demo = (trainer, classes, self.full_sentences, tuple(pair))  # the widget's copy: one per widget
        self.last_record: UpdateRecord | None = None
        self._quiet = False  # true while the widget itself moves a control, so observers do not react
        self._play_clock: float | None = None  # when the last Play tick was applied
        self._play_owed = 0.0  # fraction of an update Play owes (speed x time since the last tick)
        self._build_controls(speed)
        self.figure_view = StepFigure(self.trainer.vocab.index_to_key, self.classes, self._class_order, self.pair)
        self.canvas = self.figure_view.canvas
        self.figure = self.figure_view.figure
        super().__init__([
            widgets.HBox([self.step_button, self.step10_button, self.step100_button, self.play, self.reset_button],
                         layout=widgets.Layout(flex_flow="row wrap", height="36px", overflow="hidden")),
            widgets.HBox([self.lr_slider, self.speed_choice, self.loss_choice],
                         layout=widgets.Layout(flex_flow="row wrap", min_height="36px")),
            self.canvas, self.message, self.sentence_html, self.numbers_html, self._own_box,
        ], layout=widgets.Layout(width="100%", max_width="560px", overflow="hidden"))
        self.add_class("wv-step-widget")
        self.play.observe(self._on_play, names="value")
        self.lr_slider.observe(self._on_lr, names="value")
        self.loss_choice.observe(self._on_loss, names="value")
        self.speed_choice.observe(self._on_speed, names="value")
        self._start_history()
        self._redraw()
        follow_cells(self)

    def _check_and_set(self, trainer: StepTrainer, classes: Mapping[str, str] | None,
                       full_sentences: Sequence[Sequence[str]] | None, pair: tuple[str, str]) -> None:
        if not isinstance(trainer, StepTrainer):
            raise TypeError(f"trainer must be a helpers.training.StepTrainer, got {type(trainer).__name__}")
        if trainer.dim != 2:
            raise ValueError(f"trainer.dim must be 2 (the plot shows the vectors as they are), got {trainer.dim}")
        if len(pair) != 2 or any(w not in trainer.vocab for w in pair):
            raise ValueError(f"pair must be two words of the trainer's vocabulary, got {pair!r}")
        if full_sentences is not None and len(full_sentences) != len(trainer.encoded):
            raise ValueError(f"full_sentences must hold one sentence per training sentence "
                             f"({len(trainer.encoded)}), got {len(full_sentences)}")
        if len(trainer.vocab) > 3 * MAX_DRAWN_WORDS:
            raise ValueError(f"the trainer has {len(trainer.vocab)} words, too many to draw (at most "
                             f"{3 * MAX_DRAWN_WORDS}): train on fewer distinct words")
        self.trainer = trainer
        self.pair = tuple(pair)
        words = trainer.vocab.index_to_key
        self.classes = {w: (classes or {}).get(w, "word") for w in words}
        # Legend order: as the caller listed the classes (the demo: pets first), not by word frequency.
        self._class_order = list(dict.fromkeys([c for c in (classes or {}).values() if c in self.classes.values()]
                                               + list(self.classes.values())))
        # Tuples: a copy the caller cannot edit, and tuple() of a tuple is the same object (no second copy).
        self.full_sentences = tuple(tuple(s) for s in full_sentences) if full_sentences is not None else None

    def _build_controls(self, speed: int) -> None:
        def button(label: str, css: str, tooltip: str, action: Callable[[], Any]) -> widgets.Button:
            b = widgets.Button(description=label, tooltip=tooltip, layout=widgets.Layout(width="auto"))
            b.on_click(lambda _: action())
            return b.add_class(css)

        self.step_button = button("Step", "wv-step", "one update", lambda: self._advance(1))
        self.step10_button = button("Step ×10", "wv-step10", "ten updates", lambda: self._advance(10))
        self.step100_button = button("Step ×100", "wv-step100", "a hundred updates, drawn once",
                                     lambda: self._advance(100))
        self.reset_button = button("Reset", "wv-reset", "back to the random start", self.reset)
        interval, per_tick = PLAY_SPEEDS[speed]
        self.play = widgets.Play(value=0, min=0, max=10**9, step=per_tick, interval=interval, show_repeat=False,
                                 description="Play", tooltip="play / pause / stop",
                                 layout=widgets.Layout(width="auto")).add_class("wv-play")
        high = PARAMS["lr"].high
        self.lr_slider = widgets.FloatLogSlider(
            value=self.trainer.lr, base=10, min=math.log10(LR_FLOOR), max=math.log10(high), step=0.1,
            description="learning rate", readout_format=".3g", continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="300px")).add_class("wv-lr")
        self.speed_choice = widgets.Dropdown(options=[(f"{s} / s", s) for s in PLAY_SPEEDS], value=speed,
                                             description="speed", style={"description_width": "initial"},
                                             layout=widgets.Layout(width="130px")).add_class("wv-speed")
        self.loss_choice = widgets.ToggleButtons(options=[(v, k) for k, v in LOSS_LABELS.items()],
                                                 value=self.trainer.loss_name, description="loss",
                                                 style={"button_width": "auto", "description_width": "initial"}
                                                 ).add_class("wv-loss")
        self.message = fixed_html("wv-step-message", "3em")
        self.sentence_html = fixed_html("wv-step-sentence", "4.4em")
        self.numbers_html = fixed_html("wv-step-numbers", "15.5em")
        self.own_text = widgets.Textarea(
            placeholder="Type a few sentences, e.g.  the cat is cute. the dog is cute. the lion is big.",
            rows=3, layout=widgets.Layout(width="98%")).add_class("wv-own-text")
        self.own_button = button("Train on my sentences", "wv-own-train", "a new model from a random start",
                                 self.train_on_text)
        self.demo_button = button("Back to the demo", "wv-own-demo", "the eight-word demo again", self.use_demo)
        self._own_box = widgets.VBox([
            widgets.HTML(f"<b>Your own sentences</b> (at most {MAX_DRAWN_WORDS} different words; one sentence per "
                         "line or ended by a full stop):"),
            self.own_text, widgets.HBox([self.own_button, self.demo_button])])

    # ----- actions (what the buttons do; also callable from code) ------------------------------------------------

    def step(self, n: int = 1) -> Records | None:
        """Apply ``n`` updates, then redraw once; a divergence stops early and is shown as a message.

        Returns the records of the updates applied (None if an error stopped it: the widget shows which).

        Raises
        ------
        ValueError
            If ``n`` is not an integer between 1 and :data:`MAX_STEPS_PER_CALL` (only errors of the call itself;
            the buttons never raise).
        """
        if self.closed:
            raise RuntimeError("this widget is closed: make a new one (StepWidget(trainer)) to go on")
        n = check_int("n", n, low=1)
        if n > MAX_STEPS_PER_CALL:
            raise ValueError(f"n must be between 1 and {MAX_STEPS_PER_CALL} (one call draws once, at the end), got "
                             f"{n}. For a longer run use widget.trainer.run({n}), then widget.refresh().")
        return self._advance(n)

    @report_errors
    def _advance(self, n: int) -> Records:
        self._sync()
        self.show_message("")
        records = Records()
        try:
            for _ in range(n):
                records.append(self.trainer.step())
                self._record_cos()
        except TrainingDiverged as error:
            self._stop_play()
            self.show_message(f"{error} The vectors stay as they were before that update.", kind="warning")
        if records:
            self.last_record = _last_records[self.trainer] = records[-1]
        self._redraw()
        return records

    @report_errors
    def reset(self) -> None:
        """Back to the random start of the trainer's seed (the learning rate and loss stay as chosen)."""
        self._stop_play()
        self.trainer.reset()
        _last_records.pop(self.trainer, None)
        self.last_record = None
        self._start_history()
        self.show_message("")
        self._redraw()

    @report_errors
    def refresh(self) -> None:
        """Show the trainer as it is now, if code changed it (runs after every cell; cheap when nothing did)."""
        if not self.closed and self._sync():
            self._redraw()

    @report_errors
    def train_on_text(self, text: str | None = None) -> None:
        """Train a new 2-D model on ``text`` (default: what the text box holds), from a random start."""
        if text is not None:
            self.own_text.value = text
        try:
            trainer = learner_trainer(self.own_text.value, self._rng, lr=self.trainer.lr,
                                      loss=self.trainer.loss_name)
        except ValueError as error:
            self.show_message(str(error), kind="warning")
            return
        words = trainer.vocab.index_to_key  # most frequent first: the pair to follow
        self._replace_trainer(trainer, None, None, (words[0], words[1]))
        self.show_message(f"Training on your {len(trainer.encoded)} sentences: {len(words)} words from a random "
                          f"start. Press Step or Play.")

    @report_errors
    def use_demo(self) -> None:
        """Back to the trainer the widget was made with (as it was left)."""
        self._replace_trainer(*self._demo)
        self.show_message("")

    def _replace_trainer(self, trainer: StepTrainer, classes: Mapping[str, str] | None,
                         full_sentences: Sequence[Sequence[str]] | None, pair: tuple[str, str]) -> None:
        self._stop_play()
        self._check_and_set(trainer, classes, full_sentences, pair)
        self.last_record = _last_records.get(trainer)
        self.figure_view.build(trainer.vocab.index_to_key, self.classes, self._class_order, self.pair)
        self._start_history()
        self._sync()
        self._redraw()

    # ----- observers ----------------------------------------------------------------------------------------------

    @report_errors
    def _on_play(self, change: dict) -> None:
        # A tick that was already on its way when Reset or a divergence stopped Play must not apply an update.
        if self._quiet or not self.play.playing or change["new"] <= change["old"]:
            return
        # The browser's ticks come late when it is busy painting, and ticks the kernel could not keep up with
        # arrive together: apply as many updates as the chosen speed owes since the last tick (at least one per
        # tick, at most one second's worth), drawn once. Play then keeps its rate; frames may be fewer.
        speed, ticks, now = self.speed_choice.value, change["new"] - change["old"], _clock()
        recent = self._play_clock is not None and now - self._play_clock < 2.0
        owed = self._play_owed + (now - self._play_clock) * speed if recent else ticks
        n = min(max(ticks, int(owed)), speed)
        self._play_clock, self._play_owed = now, max(0.0, owed - n)
        self._advance(n)

    @report_errors
    def _on_lr(self, change: dict) -> None:
        if not self._quiet:
            self.trainer.lr = float(change["new"])
            self._redraw_numbers()

    @report_errors
    def _on_loss(self, change: dict) -> None:
        if self._quiet:
            return
        self.trainer.loss_name = change["new"]
        self.reset()
        self.show_message(f"Loss switched to {LOSS_LABELS[change['new']]}: starting again from the same "
                          f"random vectors.")

    def _on_speed(self, change: dict) -> None:
        self.play.interval, self.play.step = PLAY_SPEEDS[change["new"]]

    # ----- state bookkeeping -------------------------------------------------------------------------------------

    def _pair_cos(self) -> float:
        a, b = (self.trainer.vocab.key_to_index[w] for w in self.pair)
        return cosine_similarity(self.trainer.W_in[a], self.trainer.W_in[b])

    def _start_history(self) -> None:
        self.cos_history: list[tuple[int, float]] = [(self.trainer.steps_done, self._pair_cos())]
        self._trails = {w: [self.trainer.W_in[self.trainer.vocab.key_to_index[w]].copy()] for w in self.pair}
        self.figure_view.limit = 0.5

    def _record_cos(self) -> None:
        self.cos_history.append((self.trainer.steps_done, self._pair_cos()))
        for w, trail in self._trails.items():
            trail.append(self.trainer.W_in[self.trainer.vocab.key_to_index[w]].copy())

    def _sync(self) -> bool:
        """Catch up with changes made to the trainer outside the widget (code, another widget); True if any."""
        t = self.trainer
        done, changed = t.steps_done, False
        if done != self.cos_history[-1][0]:
            if done < self.cos_history[-1][0]:  # reset elsewhere
                self._start_history()
            else:  # stepped elsewhere: the history gets a jump, not invented points
                self._record_cos()
            shared = _last_records.get(t)
            self.last_record = shared if shared is not None and shared.step == done else None
            changed = True
        self._quiet = True
        try:
            slider = self.lr_slider
            if slider.value != t.lr:
                # A learning rate set in code beyond the slider's range widens it: the slider shows the real one.
                exponent = math.log10(t.lr)
                slider.min, slider.max = min(slider.min, math.floor(exponent)), max(slider.max, math.ceil(exponent))
                slider.value = t.lr
                changed = True
            if self.loss_choice.value != t.loss_name:
                self.loss_choice.value = t.loss_name
                changed = True
        finally:
            self._quiet = False
        return changed

    def _stop_play(self) -> None:
        self._play_clock, self._play_owed = None, 0.0
        self._quiet = True
        try:
            self.play.playing = False
            self.play.value = 0
        finally:
            self._quiet = False

    def show_message(self, text: str, kind: str = "info") -> None:
        """Show ``text`` in the widget's message row ("" clears it)."""
        self.message.value = message_html(text, kind) if text else ""

    # ----- what is shown -----------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        self._redraw_sentence()
        self._redraw_numbers()
        t = self.trainer
        self.figure_view.show(t.W_in, self.last_record, self._last_update_outputs(), t.loss_history,
                              self.cos_history, list(self._trails.values()), t.steps_done)

    def _last_update_outputs(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Output vectors the last update touched (true context first), their moves, and the words to label."""
        r = self.last_record
        if r is None:
            return np.empty((0, 2)), np.empty((0, 2)), []
        if r.loss_name == "negative_sampling":
            outputs = np.vstack([r.before["context_out"], r.before["negatives_out"]])
            moves = np.vstack([r.after["context_out"], r.after["negatives_out"]]) - outputs
            return outputs, moves, [r.context, *r.negatives]
        # Softmax: every output vector moves; only the true context gets a label.
        order = [r.context_id] + [i for i in range(len(r.probs)) if i != r.context_id]
        outputs = r.before["all_out"][order]
        return outputs, r.after["all_out"][order] - outputs, [r.context]

    def _redraw_sentence(self) -> None:
        self.sentence_html.value = render_sentence(self.last_record, self.full_sentences, self.trainer.vocab)

    def _redraw_numbers(self) -> None:
        self.numbers_html.value = render_numbers(self.trainer, self.last_record, self.pair, self.cos_history[-1][1])

    # ----- static form, repr and closing ---------------------------------------------------------------------------

    def summary(self) -> str:
        """What the widget shows, as short deterministic text."""
        t, r = self.trainer, self.last_record
        recent = t.loss_history[-SMOOTH:]
        loss = f"; mean loss of the last {len(recent)} updates = {np.mean(recent):.3f}" if recent else ""
        text = (f"Step-through trainer ({LOSS_LABELS[t.loss_name]}, lr={t.lr:.3g}): {t.steps_done} updates; "
                f"cos({self.pair[0]}, {self.pair[1]}) = {self.cos_history[-1][1]:+.3f}{loss}")
        if r is not None:
            text += f"\nLast update: target {r.target!r}, context {r.context!r} in \"{' '.join(r.sentence)}\""
        return text

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
        self.last_record, self.cos_history, self._trails = None, self.cos_history[-1:], {}
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
