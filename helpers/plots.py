"""Figures for the course: one colour-blind-safe palette, projector-sized text, labelled axes.

Okabe & Ito's eight colours stay distinguishable under the common colour-vision deficiencies; every series
also gets its own marker or line style, so nothing depends on colour alone.
"""

from __future__ import annotations

import itertools

import matplotlib as mpl
import numpy as np
from cycler import cycler

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
