"""The step widget's controls: buttons, Play and its speeds, the learning-rate slider, the loss choice, the text
rows and the box for the learner's own sentences; and Play's rate arithmetic. Views only: each button runs the
action the widget passes in.

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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import ipywidgets as widgets

from ..model.demo import MAX_DRAWN_WORDS
from ..params import PARAMS
from .common import fixed_html
from .step_text import LOSS_LABELS

#: Play speeds (updates per second) -> (milliseconds between ticks, updates per tick). Only rates the browser can
#: paint, one update a frame: measured in chromium at 1024x768 it paints 6.6-8.5 frames a second (tests/test_browser.py
#: reports it), so at 10 updates a second and more a third of the updates were never seen. Faster is Step x10/x100.
PLAY_SPEEDS = {1: (1000, 1), 2: (500, 1), 5: (200, 1)}
DEFAULT_SPEED = 5

#: Smallest learning rate the slider offers (a log scale needs a positive floor); the largest is params' limit.
LR_FLOOR = 1e-3


def make_controls(lr: float, loss_name: str, speed: int, actions: Mapping[str, Callable[[], Any]]
                  ) -> SimpleNamespace:
    """Every control of a step widget, named as the widget's attributes (``step_button``, ``play``, ...).

    ``actions`` maps "step", "step10", "step100", "reset", "own" and "demo" to what those buttons do.
    """
    c = SimpleNamespace()

    def button(label: str, css: str, tooltip: str, action: Callable[[], Any]) -> widgets.Button:
        b = widgets.Button(description=label, tooltip=tooltip, layout=widgets.Layout(width="auto"))
        b.on_click(lambda _: action())
        return b.add_class(css)

    c.step_button = button("Step", "wv-step", "one update", actions["step"])
    c.step10_button = button("Step ×10", "wv-step10", "ten updates", actions["step10"])
    c.step100_button = button("Step ×100", "wv-step100", "a hundred updates, drawn once",
                              actions["step100"])
    c.reset_button = button("Reset", "wv-reset", "back to the random start", actions["reset"])
    interval, per_tick = PLAY_SPEEDS[speed]
    c.play = widgets.Play(value=0, min=0, max=10**9, step=per_tick, interval=interval, show_repeat=False,
                          description="Play", tooltip="play / pause / stop",
                          layout=widgets.Layout(width="auto")).add_class("wv-play")
    high = PARAMS["lr"].high
    c.lr_slider = widgets.FloatLogSlider(
        value=lr, base=10, min=math.log10(LR_FLOOR), max=math.log10(high), step=0.1,
        description="learning rate", readout_format=".3g", continuous_update=False,
        style={"description_width": "initial"}, layout=widgets.Layout(width="300px")).add_class("wv-lr")
    c.speed_choice = widgets.Dropdown(options=[(f"{s} / s", s) for s in PLAY_SPEEDS], value=speed,
                                      description="speed", style={"description_width": "initial"},
                                      layout=widgets.Layout(width="130px")).add_class("wv-speed")
    c.loss_choice = widgets.ToggleButtons(options=[(v, k) for k, v in LOSS_LABELS.items()],
                                          value=loss_name, description="loss",
                                          style={"button_width": "auto", "description_width": "initial"}
                                          ).add_class("wv-loss")
    c.message = fixed_html("wv-step-message", "3em")
    c.sentence_html = fixed_html("wv-step-sentence", "4.4em")
    c.numbers_html = fixed_html("wv-step-numbers", "15.5em")
    c.own_text = widgets.Textarea(
        placeholder="Type a few sentences, e.g.  the cat is cute. the dog is cute. the lion is big.",
        rows=3, layout=widgets.Layout(width="98%")).add_class("wv-own-text")
    c.own_button = button("Train on my sentences", "wv-own-train", "a new model from a random start",
                          actions["own"])
    c.demo_button = button("Back to the demo", "wv-own-demo", "the eight-word demo again", actions["demo"])
    c.own_box = widgets.VBox([
        widgets.HTML(f"<b>Your own sentences</b> (at most {MAX_DRAWN_WORDS} different words; one sentence per "
                     "line or ended by a full stop):"),
        c.own_text, widgets.HBox([c.own_button, c.demo_button])])
    return c


def play_updates(ticks: int) -> int:
    """Updates a Play tick applies: one, whatever the number of ``ticks`` that arrived together (0 for none).

    Every update Play makes is drawn, so the learner sees each one: a tick that comes late, or ticks the kernel
    could not keep up with arriving together, apply one update, and Play runs slower rather than skip frames.
    """
    return 1 if ticks > 0 else 0


def show_settings(lr_slider: widgets.FloatLogSlider, loss_choice: widgets.ToggleButtons, lr: float,
                  loss_name: str) -> bool:
    """Set the slider and the loss choice to the trainer's values (changed in code); True if either moved.

    A learning rate beyond the slider's range widens it: the slider shows the real one.
    """
    changed = False
    if lr_slider.value != lr:
        exponent = math.log10(lr)
        lr_slider.min = min(lr_slider.min, math.floor(exponent))
        lr_slider.max = max(lr_slider.max, math.ceil(exponent))
        lr_slider.value = lr
        changed = True
    if loss_choice.value != loss_name:
        loss_choice.value = loss_name
        changed = True
    return changed
