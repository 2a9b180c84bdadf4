"""How values are spread: histograms of cosines, bars over words, histograms of positions between two groups.

Each series is told apart by colour *and* a marker, hatching or line style. Re-exported by :mod:`helpers.plots`,
where notebooks find them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .style import COLORS, LINESTYLES, fit_title, style_cycle


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
    ax.set(xlabel="cosine similarity", ylabel="density", xlim=(-1, 1))
    fit_title(ax, title)
    ax.legend(title="dimension", loc="upper left")
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
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fit_title(ax, title)
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
    ax.set(xlabel="position between the two group centres", ylabel="count")
    fit_title(ax, title)
    # Headroom above the bars keeps the legend off the data.
    ax.set_ylim(top=ax.get_ylim()[1] * 1.5)
    ax.legend(loc="upper right", framealpha=0.9)
    return ax
