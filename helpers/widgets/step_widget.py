"""The step-through widget: buttons and sliders around a :class:`helpers.model.StepTrainer`, its update numbers
as text and its vectors as a plot (:class:`StepFigure`). A view: every number it shows comes from the trainer and
its :class:`UpdateRecord`; it only calls the trainer's public API (``step``, ``reset``, ``lr``, ``loss_name``).

CSS classes: see :mod:`.step_controls`. Every row has a fixed height, so nothing moves while Play runs.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np

from ..model.demo import demo_corpus, demo_trainer, learner_trainer
from ..model.divergence import TrainingDiverged
from ..model.own_gradient import GradientFunctionError
from ..model.records import UpdateRecord
from ..model.training import StepTrainer
from ..validation import check_generator, check_int
from .common import Records, follow_cells, message_html, report_errors
from .step_controls import DEFAULT_SPEED, PLAY_SPEEDS, make_controls, play_updates, show_settings
from .step_figure import StepFigure
from .step_form import StepFormMixin
from .step_state import PairHistory, touched_outputs, view_inputs
from .step_text import LOSS_LABELS
from .step_text import numbers_html as render_numbers
from .step_text import sentence_html as render_sentence

#: Most updates one call of :meth:`StepWidget.step` applies: it draws once at the end, and a cell must finish in
#: a few seconds (5000 updates take about a second). Longer runs: ``trainer.run(n)``, then ``widget.refresh()``.
MAX_STEPS_PER_CALL = 5000

#: The last update of each trainer, whichever widget made it: two widgets on one trainer show the same update.
_last_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class StepWidget(StepFormMixin, widgets.VBox):
    """Step through skip-gram training one update at a time and watch the vectors move.

    Controls: Step, Step ×10, Step ×100, Play/Pause with a speed, Reset, a learning-rate slider and the choice of
    loss. It shows the plot (every word's 2-D input vector, arrows for the nudges of the last update, the history
    of the loss and cos(pair)), the current sentence with its window, and the numbers of the last update. Below, a
    text box trains the same model on the learner's own sentences, from a random start.

    Parameters
    ----------
    trainer : StepTrainer, optional
        Must have ``dim=2`` so the plot shows the vectors as they are. Default: :func:`helpers.model.demo_trainer`.
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
    gradient : callable, optional
        The learner's ``gradient(v, u_pos, U_neg) -> (loss, grad_v, grad_u_pos, grad_U_neg)`` for the demo trainer
        and the learner's own sentences (see :attr:`StepTrainer.gradient`; default: the helpers' own). With a
        ``trainer``, give it to the trainer instead: ``StepTrainer(..., gradient=...)``.

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
        gradient: Callable[..., object] | None = None,
    ) -> None:
        if trainer is not None and gradient is not None:
            raise ValueError("give the gradient to the trainer, StepTrainer(..., gradient=...), or leave out the "
                             "trainer: StepWidget(gradient=...) trains the demo with it")
        if trainer is None:
            demo = demo_corpus()
            trainer = demo_trainer(gradient=gradient)
            classes = demo.classes if classes is None else classes
            full_sentences = demo.full_sentences if full_sentences is None else full_sentences
        if speed not in PLAY_SPEEDS:
            raise ValueError(f"speed must be one of {sorted(PLAY_SPEEDS)} (updates per second), got {speed!r}")
        rng = check_generator(rng, allow_none=True)
        self._rng = rng if rng is not None else np.random.default_rng(0)
        self._check_and_set(trainer, classes, full_sentences, pair)
        self._demo = (trainer, classes, self.full_sentences, tuple(pair))  # the widget's copy: one per widget
        self.last_record: UpdateRecord | None = None
        self._quiet = False  # true while the widget itself moves a control, so observers do not react
        self._build_controls(speed)
        self.figure_view = StepFigure(self.trainer.vocab.index_to_key, self.classes, self._class_order, self.pair)
        self.canvas = self.figure_view.canvas
        self.figure = self.figure_view.figure
        super().__init__([
            widgets.HBox([self.step_button, self.step10_button, self.step100_button, self.play, self.reset_button],
                         layout=widgets.Layout(flex_flow="row wrap", height="36px", overflow="hidden")),
            widgets.HBox([self.lr_slider, self.speed_choice, self.loss_choice],
                         layout=widgets.Layout(flex_flow="row wrap", min_height="36px")),
            self.canvas, self.message, self.sentence_html, self.numbers_html, self.own_box,
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
        self.classes, self._class_order, self.full_sentences = view_inputs(trainer, classes, full_sentences, pair)
        self.trainer, self.pair = trainer, tuple(pair)

    def _build_controls(self, speed: int) -> None:
        controls = make_controls(self.trainer.lr, self.trainer.loss_name, speed, {
            "step": lambda: self._advance(1), "step10": lambda: self._advance(10),
            "step100": lambda: self._advance(100), "reset": self.reset, "own": self.train_on_text,
            "demo": self.use_demo})
        for name, control in vars(controls).items():  # widget.step_button etc.: what code and tests click
            setattr(self, name, control)

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
            uphill = self.trainer.uphill_warning()  # a flipped sign diverges too: name the cause, not only the lr
            self.show_message(f"{uphill + ' ' if uphill else ''}{error} The vectors stay as they were before that "
                              "update.", kind="warning")
        except GradientFunctionError as error:  # the learner's function failed: say so in place, keep the widget
            self._stop_play()
            self.show_message(str(error), kind="error")
        else:
            uphill = self.trainer.uphill_warning()
            if uphill:
                self.show_message(uphill, kind="warning")
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
        if self.closed:
            return
        self.trainer.check_finite()  # a NaN written in a cell: said after that cell, not at the next click
        if self._sync():
            self._redraw()

    @report_errors
    def train_on_text(self, text: str | None = None) -> None:
        """Train a new 2-D model on ``text`` (default: what the text box holds), from a random start."""
        if text is not None:
            self.own_text.value = text
        try:
            trainer = learner_trainer(self.own_text.value, self._rng, lr=self.trainer.lr,
                                      loss=self.trainer.loss_name, gradient=self.trainer.gradient)
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
        # Late or bunched ticks (the browser was busy painting) still apply one update each, so every update is
        # drawn: Play runs slower rather than skip frames.
        self._advance(play_updates(change["new"] - change["old"]))

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

    @property
    def cos_history(self) -> list[tuple[int, float]]:
        return self._history.cos

    def _start_history(self) -> None:
        self._history = PairHistory(self.trainer, self.pair)
        self.figure_view.limit = 0.5

    def _record_cos(self) -> None:
        self._history.record(self.trainer)

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
            changed = show_settings(self.lr_slider, self.loss_choice, t.lr, t.loss_name) or changed
        finally:
            self._quiet = False
        return changed

    def _stop_play(self) -> None:
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
        self.trainer.check_finite()  # a NaN or inf row written from outside: a message, not an infinite plot scale
        self._redraw_sentence()
        self._redraw_numbers()
        t = self.trainer
        self.figure_view.show(t.W_in, self.last_record, touched_outputs(self.last_record), t.loss_history,
                              self.cos_history, list(self._history.trails.values()), t.steps_done)

    def _redraw_sentence(self) -> None:
        self.sentence_html.value = render_sentence(self.last_record, self.full_sentences, self.trainer.vocab)

    def _redraw_numbers(self) -> None:
        self.numbers_html.value = render_numbers(self.trainer, self.last_record, self.pair, self.cos_history[-1][1])
