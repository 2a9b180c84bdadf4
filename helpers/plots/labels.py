"""Word labels next to their points, placed so that no label covers another label or a marker.

Used by :func:`helpers.plots.scatter_words` and :mod:`helpers.space.analogies`; re-exported by :mod:`helpers.plots`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

#: Where a label may go around its point, tried in this order: up-right first (the usual place), then the
#: other corners and sides, each at growing distances (in points).
_LABEL_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]
_LABEL_DISTANCES = [2, 6, 11, 17, 25]


def _overlap(a: Bbox, b: Bbox) -> float:
    """Area (in square pixels) that boxes ``a`` and ``b`` share; 0 if they do not meet."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(ax: Axes, points: np.ndarray, rows: Sequence[int], words: Sequence[str],
                 colours: Sequence[str], *, fontsize: float = 11, marker_size: float = 60) -> list:
    """Write ``words[i]`` next to ``points[i]`` for each ``i`` in ``rows``, so that no label covers another label
    or any marker (deterministic: the first free spot from a fixed list, else the least-covered one).

    Placement is done in display coordinates for the axes as they are now, so call it once the limits and aspect
    are final.

    Parameters
    ----------
    ax : matplotlib Axes
    points : ndarray, shape (n, 2)
        Data coordinates of every point drawn (all of them are obstacles, labelled or not).
    rows : sequence of int
        The points to label, in the order their labels are placed (earlier ones get the better spots).
    words, colours : sequence of str, length n
        The text and the colour of each point's label.
    fontsize : float
    marker_size : float
        The markers' area in points squared (``s`` of ``ax.scatter``), to keep labels off them.

    Returns
    -------
    list of matplotlib Annotation
        One per entry of ``rows``, in that order.
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
