"""Line plots against training steps: several series, one similarity per word pair, a loss curve.

Every line gets its own colour, marker and line style. Re-exported by :mod:`helpers.plots`, where notebooks find them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .style import COLORS, LINESTYLES, MARKERS, fit_title, style_cycle


def plot_series(ax: Axes, x: np.ndarray, series: Mapping[str, np.ndarray], *, title: str, xlabel: str,
                ylabel: str, markevery: int | None = None, legend_title: str | None = None) -> Axes:
    """Several lines over the same ``x``, each with its own colour, marker and line style.

    Parameters
    ----------
    x : ndarray, shape (n,)
    series : mapping of label to ndarray, shape (n,)
    markevery : int, optional
        Put a marker on every ``markevery``-th point (default: about 12 markers per line).
    """
    x = np.asarray(x)
    if not series:
        raise ValueError("series is empty: give at least one line")
    every = markevery or max(1, len(x) // 12)
    for i, ((label, y), (colour, marker)) in enumerate(zip(series.items(), style_cycle())):
        y = np.asarray(y)
        if y.shape != x.shape:
            raise ValueError(f"series {label!r} has shape {y.shape}, x has {x.shape}; they must match")
        ax.plot(x, y, color=colour, marker=marker, markevery=every, linestyle=LINESTYLES[i % len(LINESTYLES)],
                label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # long step counts would run into each other
    fit_title(ax, title)
    ax.legend(title=legend_title, loc="best")
    return ax


def similarity_over_time(ax: Axes, steps: np.ndarray, similarities: Mapping[str, np.ndarray], *,
                         title: str = "Cosine similarity during training") -> Axes:
    """Cosine similarity of word pairs against training steps, with a line at 0 (unrelated directions).

    Parameters
    ----------
    steps : ndarray, shape (n,)
    similarities : mapping of label (such as ``"cat / dog"``) to ndarray, shape (n,)
    """
    plot_series(ax, steps, similarities, title=title, xlabel="training step", ylabel="cosine similarity",
                legend_title="word pair")
    ax.axhline(0.0, color="grey", linewidth=1, zorder=0)
    return ax


def loss_curve(ax: Axes, steps: np.ndarray, losses: np.ndarray, *, smooth: int = 1,
               reference: float | None = None, reference_label: str = "reference",
               title: str = "Training loss", xlabel: str = "training step") -> Axes:
    """Loss against training steps, optionally with a moving average and a horizontal reference level.

    Parameters
    ----------
    steps, losses : ndarray, shape (n,)
    smooth : int, >= 1
        Width of the moving average drawn over the raw (faint) curve; 1 draws the raw curve only.
    reference : float, optional
        A level to compare with, e.g. ``log V`` for the loss of a model that knows nothing.
    """
    steps, losses = np.asarray(steps, dtype=np.float64), np.asarray(losses, dtype=np.float64)
    if steps.shape != losses.shape or steps.ndim != 1 or len(steps) == 0:
        raise ValueError(f"steps and losses must be 1-D arrays of the same non-zero length, got {steps.shape} "
                         f"and {losses.shape}")
    if not isinstance(smooth, int) or not 1 <= smooth <= len(losses):
        raise ValueError(f"smooth must be an integer between 1 and {len(losses)}, got {smooth!r}")
    every = max(1, len(steps) // 12)
    if smooth == 1:
        ax.plot(steps, losses, color=COLORS[0], marker=MARKERS[0], markevery=every, label="loss")
    else:
        ax.plot(steps, losses, color=COLORS[0], alpha=0.25, linewidth=1, marker="none", label="loss per step")
        averaged = np.convolve(losses, np.ones(smooth) / smooth, mode="valid")
        ax.plot(steps[smooth - 1:], averaged, color=COLORS[0], marker=MARKERS[0],
                markevery=max(1, len(averaged) // 12), label=f"average of {smooth} steps")
    if reference is not None:
        ax.axhline(reference, color=COLORS[1], linestyle="--", label=reference_label)
    ax.set(xlabel=xlabel, ylabel="loss")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # long step counts would run into each other
    fit_title(ax, title)
    ax.legend(loc="best")
    return ax
