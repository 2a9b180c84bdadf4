"""The course's look: one colour-blind-safe palette, a colour *and* a marker for every word class, projector-sized
text. :mod:`helpers.plots` draws with it; widgets use it too, so a pet looks the same in every figure.
"""

from __future__ import annotations

import base64
import itertools
import struct
import textwrap
from collections.abc import Iterator, Sequence

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.text import Text


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


#: Width (CSS px) JupyterLab gives a notebook's outputs on a 1024x768 projector with the file browser open; a wider
#: image is scaled down to it, and its text with it.
OUTPUT_WIDTH_PX = 577
#: The smallest text a class can read on that projector: 11 pt on screen, in CSS px (96 px per 72 pt).
MIN_SCREEN_PT = 11.0
MIN_SCREEN_PX = MIN_SCREEN_PT * 96 / 72
#: The widest figure (inches at 100 dpi) that is shown at full size in that output: figures stack panels
#: vertically instead of going wider.
FIGURE_WIDTH = 5.7
#: The smallest font size (pt) a figure may use: 11 pt at 100 dpi is 15.3 px, above MIN_SCREEN_PX.
SMALLEST_FONT = 11


def smallest_font_size(fig: Figure, *, drawn: bool = False) -> float:
    """The smallest font size (pt) of any visible, non-empty text in ``fig`` (titles, labels, ticks, legends,
    annotations); ``inf`` for a figure without text. Tick labels get their text when the figure is drawn: it is
    drawn first unless ``drawn``."""
    if not drawn:
        fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())]
    return float(min(sizes, default=np.inf))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def screen_text_pt(font_pt: float, dpi: float, image_width_px: float,
                   output_width_px: float = OUTPUT_WIDTH_PX) -> float:
    """How large (pt, 96 CSS px per 72 pt) text of ``font_pt`` in an image of ``image_width_px`` drawn at ``dpi``
    shows in an output area ``output_width_px`` wide: JupyterLab scales a wider image down to fit."""
    px = font_pt * dpi / 72 * min(1.0, output_width_px / image_width_px)
    return px * 72 / 96


def fit_title(ax, title: str) -> None:
    """Set ``ax``'s title, broken into lines if it would be wider than the figure (a projector-sized figure has
    room for about 60 characters of title), so the saved image keeps its width and its text its size."""
    ax.set_title(title)
    width = ax.title.get_window_extent(ax.figure.canvas.get_renderer()).width
    room = 0.92 * ax.figure.bbox.width
    if width > room and len(title) > 1:
        ax.set_title(textwrap.fill(title, max(10, int(len(title) * room / width))))


def _with_text_metadata(formatter):
    """Wrap the inline backend's PNG formatter so each figure's output carries, in its ``image/png`` metadata,
    the smallest text size in the image's own pixels (``smallest_text_px``): a browser test multiplies it by the
    displayed width over the image's natural width to get the size on screen."""
    def png_with_text_size(fig: Figure):
        result = formatter(fig)
        if result is None:
            return None
        data, metadata = result if isinstance(result, tuple) else (result, {})
        width, _ = png_size(base64.b64decode(data) if isinstance(data, str) else data)
        # A retina image is shown at metadata["width"] CSS px, twice its pixel size: its pixels per point double.
        scale = width / metadata["width"] if metadata.get("width") else 1.0
        font = smallest_font_size(fig, drawn=True)  # print_figure drew it
        if np.isfinite(font):
            metadata = {**metadata, "smallest_text_px": round(font * fig.dpi / 72 * scale, 2),
                        "smallest_font_pt": font}
        return data, metadata
    png_with_text_size.course_text_size = True
    return png_with_text_size


def _tag_inline_figures() -> None:
    """In a kernel using the inline backend, make every shown figure carry its smallest text size (see
    :func:`_with_text_metadata`). Loads the inline backend first: loading it later would replace the formatter
    (and reset rcParams)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or "inline" not in str(mpl.rcParams._get("backend")):
        return
    import matplotlib_inline.backend_inline  # noqa: F401  (configures the shell's figure formatters on import)
    png = shell.display_formatter.formatters["image/png"]
    try:
        current = png.lookup_by_type(Figure)
    except KeyError:
        return
    if not getattr(current, "course_text_size", False):
        png.for_type(Figure, _with_text_metadata(current))


def use_course_style() -> None:
    """Set matplotlib defaults for the course (large text, the palette with markers, tidy axes) and short,
    stable printing of numpy arrays.

    Figures default to :data:`FIGURE_WIDTH` inches so that they show at full size on a 1024x768 projector with
    JupyterLab's file browser open, where the smallest text (:data:`SMALLEST_FONT` pt) reads at 11 pt.
    """
    np.set_printoptions(precision=3, suppress=True)
    _tag_inline_figures()
    mpl.rcParams.update({
        "figure.figsize": (FIGURE_WIDTH, 4.0),
        "figure.dpi": 100,
        "font.size": 13,
        "axes.titlesize": 14,
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
