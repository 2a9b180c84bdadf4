"""Figures for the course: one colour-blind-safe palette, projector-sized text, labelled axes.

Okabe & Ito's eight colours stay distinguishable under the common colour-vision deficiencies; every series
also gets its own marker or line style, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from .style import (  # re-exported: notebooks and widgets read the palette from helpers.plots
    CLASS_LABELS, CLASS_STYLES, COLORS, EXTRA_COLORS, LINESTYLES, MARKER_EDGES, MARKERS, OKABE_ITO, class_label,
    class_styles, distinct_styles, marker_edge, style_cycle, use_course_style,
)


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


def _group_order(labels: Sequence[str], classes: Mapping[str, str] | None) -> dict[str, list[int]]:
    """Row indices of each class, classes in order of first appearance (the legend follows the caller's order)."""
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(classes.get(label, "other") if classes is not None else "words", []).append(i)
    return groups


#: Where a label may go around its point, tried in this order: up-right first (the usual place), then the
#: other corners and sides, each at growing distances (in points).
_LABEL_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]
_LABEL_DISTANCES = [2, 6, 11, 17, 25]


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(ax: Axes, points: np.ndarray, rows: Sequence[int], words: Sequence[str],
                 colours: Sequence[str], *, fontsize: float = 11, marker_size: float = 60) -> list:
    """Write ``words[i]`` next to ``points[i]`` for each ``i`` in ``rows``, so that no label covers another label
    or any marker (deterministic: the first free spot from a fixed list, else the least-covered one).

    Placement is done in display coordinates for the axes as they are now, so call it once the limits and aspect
    are final. Returns the annotations, in the order of ``rows``.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    to_px = fig.dpi / 72.0
    centres = ax.transData.transform(points)
    half = (np.sqrt(marker_size) / 2 + 1.5) * to_px  # marker half-width plus its edge, in pixels
    obstacles = [Bbox.from_extents(x - half, y - half, x + half, y + half) for x, y in centres]
    frame = ax.get_window_extent(renderer)
    pad = 1.5 * to_px
    texts = []
    for i in rows:
        text = ax.annotate(words[i], points[i], xytext=(0, 0), textcoords="offset points", fontsize=fontsize,
                           color=colours[i], ha="left", va="bottom", zorder=5,
                           path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
        extent = text.get_window_extent(renderer)
        w, h = extent.width + 2 * pad, extent.height + 2 * pad
        x, y = centres[i]
        best, best_cost = None, np.inf
        for r in _LABEL_DISTANCES:
            d = r * to_px
            for ux, uy in _LABEL_DIRECTIONS:
                # Diagonal spots sit off the marker's corner, side spots off its edge.
                gap_x = (0.7 * half if uy else half) + d
                gap_y = (0.7 * half if ux else half) + 0.6 * d
                x0 = x + gap_x if ux > 0 else x - gap_x - w if ux < 0 else x - w / 2
                y0 = y + gap_y if uy > 0 else y - gap_y - h if uy < 0 else y - h / 2
                box = Bbox.from_bounds(x0, y0, w, h)
                cost = sum(_overlap(box, o) for o in obstacles)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                if not inside:
                    cost += 2 * (w * h - _overlap(box, frame)) + 1.0
                if cost < best_cost:
                    best, best_cost = box, cost
                if cost < 1e-6:
                    break
            if best_cost < 1e-6:
                break
        text.xyann = ((best.x0 + pad - x) / to_px, (best.y0 + pad - y) / to_px)
        obstacles.append(best)
        texts.append(text)
    return texts


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
    equal_aspect: bool = False,
) -> Axes:
    """Plot 2-D word vectors as labelled points, one colour and marker per class.

    Parameters
    ----------
    ax : matplotlib Axes
    points : ndarray, shape (n, 2)
        One point per word (a 2-D embedding or a 2-D projection of one).
    words : sequence of str, length n
    classes : mapping of word to class, optional
        Groups the points in the legend; words without a class go to "other". A toy-world class always gets its
        own style from :data:`CLASS_STYLES`.
    annotate : bool or sequence of str
        Write each word next to its point (True), none (False), or only the words listed (on a crowded map).
        Labels are placed so that they do not cover each other or a marker; labelled points are drawn on top.
    legend : {"inside", "outside", "none"}
        Where the class legend goes: inside the axes, right of them (for maps with many classes), or nowhere.
    equal_aspect : bool
        Same scale on both axes (for maps); set before the labels are placed.
    """
    points = _check_points("points", points, len(words))
    if legend not in ("inside", "outside", "none"):
        raise ValueError(f"legend must be one of 'inside', 'outside', 'none', got {legend!r}")
    labelled = set(words) if annotate is True else set() if annotate is False else set(annotate)
    groups = _group_order(words, classes)
    styles = class_styles(list(groups))
    colours = [""] * len(words)
    for rank, (group, rows) in enumerate(groups.items()):
        colour, marker = styles[group]
        ax.scatter(points[rows, 0], points[rows, 1], color=colour, marker=marker, s=60, label=class_label(group),
                   edgecolor=marker_edge(colour), linewidth=0.5, zorder=3)
        for i in rows:
            colours[i] = colour
        on_top = [i for i in rows if words[i] in labelled]
        if on_top:
            # The words the text talks about stay visible even where other markers crowd them; where two
            # labelled points meet, the class listed first (that of the first word) is drawn on top.
            ax.scatter(points[on_top, 0], points[on_top, 1], color=colour, marker=marker, s=60,
                       label="_labelled", edgecolor=marker_edge(colour), linewidth=0.5, zorder=4.5 - 0.01 * rank)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    place_labels(ax, points, [i for i in range(len(words)) if words[i] in labelled], words, colours)
    if classes is not None and legend == "inside":
        ax.legend(title=legend_title, loc="best", fontsize=11, title_fontsize=12, framealpha=0.8)
    elif classes is not None and legend == "outside":
        ax.legend(title=legend_title, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=11, title_fontsize=12)
    return ax


def word_map(ax: Axes, points: np.ndarray, words: Sequence[str], classes: Mapping[str, str], *, title: str,
             annotate: bool | Sequence[str] = True, legend: str = "inside") -> Axes:
    """A 2-D map (e.g. a PCA projection) of many words: like :func:`scatter_words`, axes named by component."""
    return scatter_words(ax, points, words, classes, title=title, xlabel="first principal component",
                         ylabel="second principal component", annotate=annotate, legend=legend, equal_aspect=True)


def cosine_histograms(ax: Axes, cosines: Mapping[int, np.ndarray], *, bins: int = 100,
                      title: str = "Cosine similarity of random vector pairs") -> Axes:
    """Overlaid histograms of cosine similarities, one outlined histogram per dimension.

    The cosines of random pairs in ``d`` dimensions spread about ``1/sqrt(d)``, so each dimension gets bins sized
    to its own spread (at most ``2 / bins`` wide, and at least a few bins across one spread): a narrow peak in high
    dimensions keeps its shape instead of filling one wide bin.

    Parameters
    ----------
    cosines : mapping of int to ndarray, shape (n,)
        For each dimension ``d``, cosines of ``n`` random pairs (values in [-1, 1]).
    bins : int
        Number of bins over [-1, 1] for the widest histograms; narrow ones get more.
    """
    if not cosines:
        raise ValueError("cosines is empty: give at least one dimension with its cosines")
    for i, ((dim, values), (colour, marker)) in enumerate(zip(cosines.items(), style_cycle())):
        width = min(2.0 / bins, 1.0 / (6.0 * np.sqrt(dim)))
        n_bins = int(np.ceil(2.0 / width))
        edges = np.linspace(-1.0, 1.0, n_bins + 1)
        centres = (edges[:-1] + edges[1:]) / 2
        density, _ = np.histogram(np.asarray(values), bins=edges, density=True)
        # About ten markers where the histogram is not empty (offset per series so they do not sit on each
        # other) tell the lines apart without colour, in the plot and in the legend.
        filled = np.flatnonzero(density)
        span = np.arange(filled.min(), filled.max() + 1) if len(filled) else np.arange(n_bins)
        step = max(1, len(span) // 10)
        marks = span[(i * step) // max(1, len(cosines))::step].tolist()
        ax.step(centres, density, where="mid", color=colour, linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=marker, markevery=marks, label=f"d = {dim}")
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


def plot_positions(ax: Axes, positions: Mapping[str, np.ndarray], *, marks: Mapping[str, float] | None = None,
                   ends: tuple[str, str] = ("group a", "group b"),
                   title: str = "Where the vectors lie between two groups") -> Axes:
    """Histograms of :func:`position_between` values, one per group of vectors, with vertical lines at ``marks``.

    Parameters
    ----------
    ax : matplotlib Axes
    positions : mapping of label to ndarray, shape (n,)
        E.g. the positions of the occurrences of each planted sense.
    marks : mapping of label to float, optional
        Single positions drawn as vertical lines, e.g. the static vector's.
    ends : (str, str)
        Names of the groups at position 0 and position 1.
    """
    if not positions:
        raise ValueError("positions is empty: give at least one group of values")
    marks = dict(marks or {})
    values = np.concatenate([np.asarray(v, dtype=np.float64) for v in positions.values()] + [list(marks.values())])
    bins = np.linspace(min(-0.25, values.min()), max(1.25, values.max()), 31)
    hatches = ["//", "\\\\", "..", "xx"]
    for i, ((label, group), (colour, _)) in enumerate(zip(positions.items(), style_cycle())):
        # Hatching as well as colour, so the groups stay apart in grey or for colour-blind readers.
        ax.hist(group, bins=bins, color=colour, alpha=0.55, hatch=hatches[i % len(hatches)], edgecolor=colour,
                label=f"{label} ({len(group)})")
    for i, (label, x) in enumerate(marks.items()):
        ax.axvline(x, color="black", linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2.5, label=label)
    ax.set_xticks([0.0, 0.5, 1.0], [f"0\n{ends[0]}", "0.5", f"1\n{ends[1]}"])
    ax.set(title=title, xlabel="position between the two group centres", ylabel="count")
    # Headroom above the bars keeps the legend off the data.
    ax.set_ylim(top=ax.get_ylim()[1] * 1.5)
    ax.legend(loc="upper right", framealpha=0.9)
    return ax
