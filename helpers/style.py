"""The course's look: one colour-blind-safe palette, a colour *and* a marker for every word class, projector-sized
text. :mod:`helpers.plots` draws with it; widgets use it too, so a pet looks the same in every figure.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import matplotlib as mpl
import numpy as np
from cycler import cycler


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

def distinct_styles() -> Iterator[tuple[str, str]]:
    """Endless (color, marker) pairs for groups of points, all different for the first 56.

    Unlike ``style_cycle`` (which repeats after 8), the marker shifts by one each time the colours wrap, so an
    eighth class never looks like the first. Yellow is left out: small yellow markers vanish on white.
    """
    colours = [c for c in COLORS if c != OKABE_ITO["yellow"]]
    for i in itertools.count():
        yield colours[i % len(colours)], MARKERS[(i % len(colours) + i // len(colours)) % len(MARKERS)]


#: Colours beyond Okabe-Ito's eight for figures with more than eight classes: six of Paul Tol's "muted"
#: colours (olive, wine, indigo, teal, green, rose; https://personal.sron.nl/~pault/, chosen to stay distinct under
#: colour-vision deficiencies) and a neutral grey for the glue words, which matter least on a map.
EXTRA_COLORS = {"olive": "#999933", "wine": "#882255", "indigo": "#332288", "teal": "#44AA99", "green": "#117733",
                "rose": "#CC6677", "grey": "#888888"}

#: One fixed (colour, marker) per toy-world class (``helpers.toyworld.CLASSES`` plus "function" and
#: "polysemous"), used by every class-coloured figure, so a class looks the same in every notebook. Fifteen classes,
#: fifteen colours and fifteen markers: no two classes share either, so a class is told apart by colour alone, by
#: marker alone, or both. Yellow markers get a dark edge (:data:`MARKER_EDGES`), small yellow would vanish on white.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "pet": (OKABE_ITO["orange"], "o"),
    "quality": (OKABE_ITO["sky blue"], "^"),
    "wild_animal": (OKABE_ITO["vermillion"], "s"),
    "wild_quality": (OKABE_ITO["bluish green"], "v"),
    "body_part": (OKABE_ITO["blue"], "D"),
    "polysemous": (OKABE_ITO["black"], "*"),
    "food": (OKABE_ITO["reddish purple"], "P"),
    "place": (EXTRA_COLORS["olive"], "h"),
    "person": (EXTRA_COLORS["wine"], "X"),
    "verb": (EXTRA_COLORS["indigo"], ">"),
    "furniture": (OKABE_ITO["yellow"], "p"),
    "function": (EXTRA_COLORS["grey"], "8"),
    "farm_animal": (EXTRA_COLORS["teal"], "d"),
    "action": (EXTRA_COLORS["rose"], "<"),
    "job": (EXTRA_COLORS["green"], "H"),
}

#: Marker edge per fill colour where white (the default edge) would not outline it.
MARKER_EDGES = {OKABE_ITO["yellow"]: "#333333"}

#: Legend text for each toy-world class, in plain words (the ids are for code).
CLASS_LABELS: dict[str, str] = {
    "pet": "pets", "quality": "qualities of pets", "wild_animal": "wild animals",
    "wild_quality": "qualities of wild animals", "body_part": "body parts", "polysemous": "several meanings",
    "food": "food", "place": "places", "person": "people", "verb": "verbs", "furniture": "furniture",
    "function": "glue words", "farm_animal": "farm animals", "action": "what animals do", "job": "jobs",
    "word": "words", "other": "other words",
}


def class_label(group: str) -> str:
    """The plain-words name of a class for legends: ``"wild_animal"`` -> ``"wild animals"``."""
    return CLASS_LABELS.get(group, str(group).replace("_", " "))


def marker_edge(colour: str) -> str:
    """Edge colour for a marker filled with ``colour``: white, or dark for colours white cannot outline."""
    return MARKER_EDGES.get(colour, "white")


def class_styles(groups: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(colour, marker) for each group name: the fixed :data:`CLASS_STYLES` entry for a toy-world class,
    otherwise the next :func:`distinct_styles` pair whose colour and marker no other group of this figure uses
    (if there is one; the pair itself is new for the first 56 groups)."""
    styles = {g: CLASS_STYLES[g] for g in groups if g in CLASS_STYLES}
    candidates = list(itertools.islice(distinct_styles(), 56))  # all different
    for group in groups:
        if group in styles:
            continue
        used = set(styles.values())
        colours, markers = {c for c, _ in used}, {m for _, m in used}
        fresh = [c for c in candidates if c[0] not in colours and c[1] not in markers]
        new = [c for c in candidates if c not in used]
        styles[group] = (fresh or new or candidates)[0 if fresh or new else len(styles) % len(candidates)]
    return {g: styles[g] for g in groups}
