"""Figures for the course: one colour-blind-safe palette, projector-sized text, labelled axes.

Okabe & Ito's eight colours stay distinguishable under the common colour-vision deficiencies; every series
also gets its own marker or line style, so nothing depends on colour alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib import patheffects
from matplotlib.axes import Axes

#: Okabe-Ito palette (https://jfly.uni-koeln.de/color/), black last.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
#: Order used for series: yellow (hard to see on white) comes last among the colours.
COLORS = [OKABE_ITO[c] for c in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue",
                                 "black", "yellow")]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", ":", "-."]


def use_course_style() -> None:
    """Set matplotlib defaults for the course (large text, the palette with markers, tidy axes) and short,
    stable printing of numpy arrays."""
    np.set_printoptions(precision=3, suppress=True)
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.5),
        "figure.dpi": 100,
        "font.size": 13,
        "axes.titlesize": 15,
        "axes.labelsize": 13,
        "legend.fontsize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 2.0,
        "lines.markersize": 7,
        "axes.prop_cycle": cycler(color=COLORS) + cycler(marker=MARKERS),
    })


def style_cycle():
    """Endless (color, marker) pairs for plotting groups one by one."""
    return itertools.cycle(zip(COLORS, MARKERS))


# ----------------------------------------------------------------------------------------------------------------
# Figures the notebooks share. Each takes an ``ax`` (so notebooks can put several side by side), draws with the
# course palette *and* a marker or line style per series, sets title, axis labels and legend, and returns ``ax``.
# ----------------------------------------------------------------------------------------------------------------


def _check_points(name: str, points: np.ndarray, n: int | None = None) -> np.ndarray:
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2), got {points.shape}")
    if n is not None and len(points) != n:
        raise ValueError(f"{name} has {len(points)} rows but {n} labels were given; give one label per row")
    return points


def distinct_styles() -> Iterator[tuple[str, str]]:
    """Endless (color, marker) pairs for groups of points, all different for the first 56.

    Unlike ``style_cycle`` (which repeats after 8), the marker shifts by one each time the colours wrap, so an
    eighth class never looks like the first. Yellow is left out: small yellow markers vanish on white.
    """
    colours = [c for c in COLORS if c != OKABE_ITO["yellow"]]
    for i in itertools.count():
        yield colours[i % len(colours)], MARKERS[(i % len(colours) + i // len(colours)) % len(MARKERS)]


def _group_order(labels: Sequence[str], classes: Mapping[str, str] | None) -> dict[str, list[int]]:
    """Row indices of each class, classes in order of first appearance (so colours follow the caller's order)."""
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(classes.get(label, "other") if classes is not None else "words", []).append(i)
    return groups


def scatter_words(
    ax: Axes,
    points: np.ndarray,
    words: Sequence[str],
    classes: Mapping[str, str] | None = None,
    *,
    title: str = "Word vectors",
    xlabel: str = "dimension 1",
    ylabel: str = "dimension 2",
    annotate: bool | Sequence[str] = True,
    legend_title: str = "class",
    legend: str = "inside",
) -> Axes:
    """Plot 2-D word vectors as labelled points, one colour and marker per class.

    Parameters
    ----------
    ax : matplotlib Axes
    points : ndarray, shape (n, 2)
        One point per word (a 2-D embedding or a 2-D projection of one).
    words : sequence of str, length n
    classes : mapping of word to class, optional
        Groups the points in the legend; words without a class go to "other".
    annotate : bool or sequence of str
        Write each word next to its point (True), none (False), or only the words listed (on a crowded map).
    legend : {"inside", "outside", "none"}
        Where the class legend goes: inside the axes, right of them (for maps with many classes), or nowhere.
    """
    points = _check_points("points", points, len(words))
    if legend not in ("inside", "outside", "none"):
        raise ValueError(f"legend must be one of 'inside', 'outside', 'none', got {legend!r}")
    labelled = set(words) if annotate is True else set() if annotate is False else set(annotate)
    for (group, rows), (colour, marker) in zip(_group_order(words, classes).items(), distinct_styles()):
        ax.scatter(points[rows, 0], points[rows, 1], color=colour, marker=marker, s=60, label=group,
                   edgecolor="white", linewidth=0.5, zorder=3)
        for i in rows:
            if words[i] in labelled:
                # A white halo keeps a label readable where it crosses other points.
                ax.annotate(words[i], points[i], xytext=(4, 3), textcoords="offset points", fontsize=11,
                            color=colour, zorder=4,
                            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if classes is not None and legend == "inside":
        ax.legend(title=legend_title, loc="best", fontsize=11, title_fontsize=12, framealpha=0.8)
    elif classes is not None and legend == "outside":
        ax.legend(title=legend_title, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=11, title_fontsize=12)
    return ax


def word_map(ax: Axes, points: np.ndarray, words: Sequence[str], classes: Mapping[str, str], *, title: str,
             annotate: bool | Sequence[str] = True, legend: str = "inside") -> Axes:
    """A 2-D map (e.g. a PCA projection) of many words: like :func:`scatter_words`, axes named by component."""
    scatter_words(ax, points, words, classes, title=title, xlabel="first principal component",
                  ylabel="second principal component", annotate=annotate, legend=legend)
    ax.set_aspect("equal", adjustable="datalim")
    return ax


def cosine_histograms(ax: Axes, cosines: Mapping[int, np.ndarray], *, bins: int = 100,
                      title: str = "Cosine similarity of random vector pairs") -> Axes:
    """Overlaid histograms of cosine similarities, one outlined histogram per dimension.

    Parameters
    ----------
    cosines : mapping of int to ndarray, shape (n,)
        For each dimension ``d``, cosines of ``n`` random pairs (values in [-1, 1]).
    """
    if not cosines:
        raise ValueError("cosines is empty: give at least one dimension with its cosines")
    edges = np.linspace(-1.0, 1.0, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    for i, ((dim, values), (colour, marker)) in enumerate(zip(cosines.items(), style_cycle())):
        density, _ = np.histogram(np.asarray(values), bins=edges, density=True)
        # Markers every few bins (offset per series so they do not sit on each other) tell the lines apart
        # without colour, in the plot and in the legend.
        every = max(1, bins // 10)
        ax.step(centres, density, where="mid", color=colour, linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=marker, markevery=(i * every // max(1, len(cosines)), every), label=f"d = {dim}")
    ax.set(title=title, xlabel="cosine similarity", ylabel="density", xlim=(-1, 1))
    ax.legend(title="dimension", loc="upper left")
    return ax


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
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(title=legend_title, loc="best")
    return ax


def similarity_over_time(ax: Axes, steps: np.ndarray, similarities: Mapping[str, np.ndarray], *,
                         title: str = "Cosine similarity during training") -> Axes:
    """Cosine similarity of word pairs (labels such as "cat / dog") against training steps."""
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
    ax.set(title=title, xlabel=xlabel, ylabel="loss")
    ax.legend(loc="best")
    return ax


def bar_chart(ax: Axes, labels: Sequence[str], values: np.ndarray, *, title: str, ylabel: str,
              xlabel: str = "", highlight: Sequence[str] = (), highlight_label: str = "highlighted",
              other_label: str = "other", reference: float | None = None, reference_label: str = "reference",
              value_format: str | None = None) -> Axes:
    """Vertical bars, some highlighted (other colour *and* hatching), with an optional horizontal reference.

    Parameters
    ----------
    labels : sequence of str, length n
    values : ndarray, shape (n,)
    highlight : labels whose bars stand out (e.g. the true context word)
    highlight_label, other_label : legend entries for the highlighted and the other bars
    reference : float, optional
        A level to compare with, e.g. the uniform probability 1/V.
    value_format : str, optional
        Format for writing each value above its bar, e.g. ``"{:.3f}"``.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(labels),):
        raise ValueError(f"values must have shape ({len(labels)},), one per label, got {values.shape}")
    unknown = [h for h in highlight if h not in labels]
    if unknown:
        raise ValueError(f"highlight names {unknown}, which are not among the labels")
    marked = np.array([label in highlight for label in labels])
    x = np.arange(len(labels))
    ax.bar(x[~marked], values[~marked], color=COLORS[0], label=other_label if marked.any() else None)
    if marked.any():
        ax.bar(x[marked], values[marked], color=COLORS[1], hatch="//", edgecolor="black", label=highlight_label)
    if value_format:
        for xi, v in zip(x, values):
            ax.annotate(value_format.format(v), (xi, v), xytext=(0, 3), textcoords="offset points",
                        ha="center", fontsize=11)
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=1.5, label=reference_label)
    tilt = max(map(len, labels), default=0) > 4  # long words would overlap if written level
    ax.set_xticks(x, labels, rotation=45 if tilt else 0, ha="right" if tilt else "center")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(axis="x", visible=False)
    if marked.any() or reference is not None:
        # Headroom above the tallest bar keeps the legend from hiding bars of equal height.
        top = max(float(values.max(initial=0.0)), reference or 0.0)
        if top > 0:
            ax.set_ylim(top=1.3 * top)
        ax.legend(loc="upper center", ncols=3)
    return ax
