"""Scatter plots and maps of word vectors: one point per word, one colour *and* marker per class, labels that
do not overlap. Re-exported by :mod:`helpers.plots`, where notebooks find them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .labels import place_labels
from .style import class_label, class_styles, fit_title, marker_edge


def _check_points(name: str, points: np.ndarray, n: int | None = None) -> np.ndarray:
    """``points`` as float64 of shape (n, 2), or a ValueError naming ``name``, its shape and the fix."""
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
    legend : {"inside", "outside", "below", "none"}
        Where the class legend goes: inside the axes, right of them or below them (for maps with many classes; below
        keeps the figure as narrow as the output area of a projector), or nowhere.
    equal_aspect : bool
        Same scale on both axes (for maps); set before the labels are placed.
    """
    points = _check_points("points", points, len(words))
    if legend not in ("inside", "outside", "below", "none"):
        raise ValueError(f"legend must be one of 'inside', 'outside', 'below', 'none', got {legend!r}")
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
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fit_title(ax, title)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    place_labels(ax, points, [i for i in range(len(words)) if words[i] in labelled], words, colours)
    if classes is not None and legend == "inside":
        ax.legend(title=legend_title, loc="best", fontsize=11, title_fontsize=12, framealpha=0.8)
    elif classes is not None and legend == "outside":
        ax.legend(title=legend_title, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=11, title_fontsize=12)
    elif classes is not None and legend == "below":
        ax.legend(title=legend_title, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize=11,
                  title_fontsize=12)
    return ax


def word_map(ax: Axes, points: np.ndarray, words: Sequence[str], classes: Mapping[str, str], *, title: str,
             annotate: bool | Sequence[str] = True, legend: str = "inside") -> Axes:
    """A 2-D map (e.g. a PCA projection) of many words: like :func:`scatter_words`, axes named by component.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
    words : sequence of str, length n
    classes : mapping of word to class
    annotate, legend : as for :func:`scatter_words`; both axes have the same scale.
    """
    return scatter_words(ax, points, words, classes, title=title, xlabel="first principal component",
                         ylabel="second principal component", annotate=annotate, legend=legend, equal_aspect=True)
