"""Where the step widget's plot puts its word labels and how much it magnifies its arrows: pixel arithmetic with
no drawing (:mod:`.step_figure` draws)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def nice_magnification(target: float, longest: float, span: float) -> float:
    """Factor (1, 2, 5, 10, ...) that makes the target's arrow at least ~8% of the plot's width, unless that would
    stretch the longest arrow beyond ~30% of it."""
    factors = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)
    chosen = next((f for f in factors if target * f >= 0.08 * span), factors[-1])
    while chosen > 1 and longest * chosen > 0.3 * span:
        chosen = factors[factors.index(chosen) - 1]
    return chosen


#: Where a label may sit around its point (unit directions), tried in order at growing gaps (pixels).
_DIRECTIONS = ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1))
_GAPS = (4.0, 10.0, 18.0, 28.0, 36.0)
_MARKER_HALF = 6.0  # pixels: half a marker's width, kept clear of labels


def place_labels(points: np.ndarray, sizes: Sequence[tuple[int, int]], frame: tuple[float, float, float, float],
                 obstacles: np.ndarray) -> list[tuple[float, float]]:
    """Offsets (pixels, to each label's lower-left corner) that keep labels off each other and off markers.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
        Each label's point, in pixels.
    sizes : sequence of (width, height)
        Each label's size in pixels; labels are placed in this order (the first get the best spots).
    frame : (x0, y0, x1, y1)
        The axes' box in pixels: labels stay inside.
    obstacles : ndarray, shape (m, 2)
        Marker centres in pixels (every point drawn, labelled or not).

    Every label stays within ~``_GAPS[-1]`` pixels of its marker: if no spot is free, the least covered one wins
    (a label far from its marker would be read as another point's).
    """
    boxes = [(x - _MARKER_HALF, y - _MARKER_HALF, x + _MARKER_HALF, y + _MARKER_HALF) for x, y in obstacles]
    taken = np.array(boxes, dtype=float).reshape(-1, 4)
    # Covering another label is far worse than grazing a marker: two words printed as one are misread.
    weight = np.ones(len(taken))
    offsets = []
    for (x, y), (w, h) in zip(points, sizes):
        best, best_cost = (4.0, -h / 2), np.inf
        for gap in _GAPS:
            for ux, uy in _DIRECTIONS:
                dx = x + _MARKER_HALF + gap - 2 if ux > 0 else x - _MARKER_HALF - gap - w + 2 if ux < 0 else x - w / 2
                dy = y + gap / 2 if uy > 0 else y - gap / 2 - h if uy < 0 else y - h / 2
                box = np.array([dx, dy, dx + w, dy + h])
                cw = np.clip(np.minimum(taken[:, 2], box[2]) - np.maximum(taken[:, 0], box[0]), 0, None)
                ch = np.clip(np.minimum(taken[:, 3], box[3]) - np.maximum(taken[:, 1], box[1]), 0, None)
                cost = float((cw * ch * weight).sum())
                outside = (max(0, frame[0] - box[0]) + max(0, box[2] - frame[2])
                           + max(0, frame[1] - box[1]) + max(0, box[3] - frame[3]))
                cost += outside * h * 4
                if cost < best_cost:
                    best, best_cost = (dx - x, dy - y), cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
        offsets.append(best)
        taken = np.vstack([taken, [x + best[0], y + best[1], x + best[0] + w, y + best[1] + h]])
        weight = np.append(weight, 20.0)
    return offsets
