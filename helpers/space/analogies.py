"""Analogies a : b :: c : d, answered by vector arithmetic (b - a + c), scored, and drawn as a parallelogram."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from ..plots.labels import place_labels
from ..plots.style import OKABE_ITO, class_styles
from .neighbors import WordVectors
from .projection import pca

Analogy = tuple[str, str, str, str]


def answer(wv: WordVectors, a: str, b: str, c: str) -> str:
    """The word nearest to b - a + c (unit vectors, the three query words left out), as gensim answers it."""
    return wv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]


def accuracy(wv: WordVectors, analogies: Sequence[Analogy]) -> float:
    """Share of ``analogies`` (a, b, c, d) for which :func:`answer` gives d.

    Raises
    ------
    ValueError
        If ``analogies`` is empty.
    """
    if len(analogies) == 0:
        raise ValueError("analogies is empty: give at least one (a, b, c, d) tuple")
    return float(np.mean([answer(wv, a, b, c) == d for a, b, c, d in analogies]))


def step_cosines(wv: WordVectors, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Cosines between the steps b - a of ``pairs`` (unit vectors, in the full space), one per two pairs.

    1 means two steps point exactly the same way. Measured here, not on :func:`parallelogram`'s map, whose
    horizontal axis is the pairs' average step and so flatters how parallel they are.

    Returns
    -------
    ndarray (n (n - 1) / 2,)
        Pairs (0, 1), (0, 2), ..., (1, 2), ... in that order.
    """
    if len(pairs) < 2:
        raise ValueError(f"pairs needs at least two (a, b) pairs to compare, got {len(pairs)}")
    unit = wv.unit_vectors
    steps = np.array([unit[wv.get_index(b)] - unit[wv.get_index(a)] for a, b in pairs])  # (n, d)
    steps /= np.linalg.norm(steps, axis=1, keepdims=True)
    return (steps @ steps.T)[np.triu_indices(len(pairs), 1)]


def parallelogram(ax: Axes, wv: WordVectors, pairs: Sequence[tuple[str, str]], classes: dict[str, str], *,
                  title: str) -> np.ndarray:
    """Draw the words of ``pairs`` on a plane through their unit vectors, an arrow from each a to its b.

    The horizontal axis is the average step from a to b; the vertical axis is the first principal component of what
    is left. If the pairs share one relation (cat -> kitten, dog -> puppy), every arrow is nearly horizontal and
    about as long: the corners a, b, c, d of an analogy form a parallelogram. Unrelated pairs give arrows that point
    every which way.

    Parameters
    ----------
    ax : Axes
    wv : WordVectors
    pairs : sequence of (a, b)
        At least two pairs of words of ``wv``.
    classes : dict of word to class
        Colours and markers, one per class.
    title : str

    Returns
    -------
    ndarray (len(pairs), 2)
        The arrows (b - a) on the plane, for checking how parallel they are.
    """
    if len(pairs) < 2:
        raise ValueError(f"pairs needs at least two (a, b) pairs to compare, got {len(pairs)}")
    words = [w for pair in pairs for w in pair]
    unit = wv.unit_vectors[[wv.get_index(w) for w in words]]  # (2 n, d)
    # Horizontal axis: the average step from a to b. Vertical: the main way the words differ apart from that step.
    step = (unit[1::2] - unit[0::2]).mean(axis=0)
    if np.linalg.norm(step) == 0:
        raise ValueError("the pairs' steps cancel out exactly: there is no common direction to draw")
    step /= np.linalg.norm(step)
    along = unit @ step  # (2 n,)
    rest = unit - np.outer(along, step)
    other = pca(rest, n_components=1).coords[:, 0]
    coords = np.column_stack([along, other])  # (2 n, 2)
    styles = class_styles(sorted({classes.get(w, "other") for w in words}))
    for cls, (colour, marker) in styles.items():
        rows = [i for i, w in enumerate(words) if classes.get(w, "other") == cls]
        ax.scatter(coords[rows, 0], coords[rows, 1], color=colour, marker=marker, s=90, label=cls, zorder=3)
    arrows = coords[1::2] - coords[0::2]
    for start, arrow in zip(coords[0::2], arrows):
        ax.annotate("", xy=start + arrow, xytext=start,
                    arrowprops=dict(arrowstyle="->", color=OKABE_ITO["black"], lw=1.5, shrinkA=6, shrinkB=6))
    ax.set(title=title, xlabel="along the average step a → b", ylabel="main other difference (PCA)")
    ax.margins(0.2)  # room for the labels
    ax.legend(title="class", loc="best")
    colours = [styles[classes.get(w, "other")][0] for w in words]
    place_labels(ax, coords, list(range(len(words))), words, colours, fontsize=12, marker_size=90)
    return arrows
