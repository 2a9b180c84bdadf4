"""The step widget's two history panels: the loss of every update (and its running mean) and cos(pair).

A view: it draws the histories it is given. Its axis limits grow in coarse steps, so that a growing history
rarely forces a full redraw of the figure (see :mod:`.step_figure`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from ..plots.style import COLORS

SMOOTH = 20  # updates in the running mean of the loss: one update's loss is too noisy to read
FONT = 11  # points: the smallest text on the figure


class HistoryPanels:
    """The loss panel (top) and the cos(pair) panel (bottom) at the right of ``figure``.

    Parameters
    ----------
    figure : Figure
    pair : (str, str)
        The words whose cosine is plotted.

    Attributes
    ----------
    moving : list of Artist
        The curves: redrawn on every update (the axes are part of the cached background).
    """

    def __init__(self, figure: Figure, pair: tuple[str, str]) -> None:
        self.ax_loss = figure.add_axes((0.69, 0.66, 0.27, 0.22))
        self.ax_cos = figure.add_axes((0.69, 0.34, 0.27, 0.19))
        (self.loss_raw,) = self.ax_loss.plot([], [], marker="", lw=0.8, alpha=0.4, color=COLORS[0])
        (self.loss_mean,) = self.ax_loss.plot([], [], marker="", lw=2, color=COLORS[0], ls="-")
        self.ax_loss.set_title(f"loss (thin: each,\nthick: mean of {SMOOTH})", fontsize=FONT, loc="left")
        (self.cos_line,) = self.ax_cos.plot([], [], marker="", lw=2, color=COLORS[1], ls="--")
        self.ax_cos.axhline(0, color="#999", lw=0.8)
        self.ax_cos.set_ylim(-1.05, 1.05)
        self.ax_cos.yaxis.set_major_locator(FixedLocator([-1, 0, 1]))
        self.ax_cos.set_title(f"cos({pair[0]}, {pair[1]})", fontsize=FONT, loc="left")
        self.ax_cos.set_xlabel("updates", fontsize=FONT, labelpad=1)
        for axis in (self.ax_loss, self.ax_cos):
            axis.tick_params(labelsize=FONT)
            axis.grid(alpha=0.3)
        self.moving: list[Artist] = [self.loss_raw, self.loss_mean, self.cos_line]
        self._limits: tuple = ()

    def update(self, loss_history: Sequence[float], cos_history: Sequence[tuple[int, float]]) -> None:
        """Set the curves: every loss (1st update at x = 1), its running mean over SMOOTH, and (updates, cos)."""
        losses = np.asarray(loss_history, dtype=float)
        steps = np.arange(1, len(losses) + 1)
        self.loss_raw.set_data(steps, losses)
        if len(losses):
            window = min(SMOOTH, len(losses))
            running = np.convolve(losses, np.ones(window))[: len(losses)] / np.minimum(steps, window)
            self.loss_mean.set_data(steps, running)
        else:
            self.loss_mean.set_data([], [])
        cos = np.asarray(cos_history, dtype=float).reshape(-1, 2)
        self.cos_line.set_data(cos[:, 0], cos[:, 1])

    def set_limits(self, loss_history: Sequence[float], steps_done: int) -> tuple[float, float]:
        """Axis limits that only grow in coarse steps (reset shrinks them); returns (right, top)."""
        right = 200  # the demo needs a few hundred updates: early clicks draw short curves, but no full redraws
        while right < steps_done:
            right *= 2
        highest = max(loss_history, default=0.0)
        top = next((nice for nice in (5, 10, 20, 50, 100, 1000, 1e4, 1e6) if highest * 1.05 <= nice),
                   highest * 1.05)
        if (right, top) != self._limits:  # setting limits is not free: only when they change
            # Three ticks per axis, at the ends and the middle: round numbers, and every tick is a handful of
            # artists (about 20 kB a tick, in every widget), so none is made outside the view.
            for axis in (self.ax_loss, self.ax_cos):
                axis.set_xlim(0, right)
                axis.xaxis.set_major_locator(FixedLocator([0, right / 2, right]))
            self.ax_loss.set_ylim(0, top)
            self.ax_loss.yaxis.set_major_locator(FixedLocator([0, top / 2, top]))
            self._limits = (right, top)
        return right, top
