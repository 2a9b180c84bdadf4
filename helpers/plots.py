"""Figures for the course: one colour-blind-safe palette, projector-sized text, labelled axes.

Okabe & Ito's eight colours stay distinguishable under the common colour-vision deficiencies; every series
also gets its own marker or line style, so nothing depends on colour alone.

Notebooks import everything from here; each job lives in its own module:

- :mod:`helpers.style`: the palette, markers, class styles and :func:`use_course_style`
- :mod:`helpers.plots_words`: :func:`scatter_words`, :func:`word_map` (word vectors as labelled points)
- :mod:`helpers.plots_labels`: :func:`place_labels` (labels that cover no other label or marker)
- :mod:`helpers.plots_lines`: :func:`plot_series`, :func:`similarity_over_time`, :func:`loss_curve`
- :mod:`helpers.plots_distributions`: :func:`cosine_histograms`, :func:`bar_chart`, :func:`plot_positions`

Each figure function takes an ``ax`` (so notebooks can put several side by side), draws with the course palette
*and* a marker or line style per series, sets title, axis labels and legend, and returns ``ax``.
"""

from __future__ import annotations

from .plots_distributions import bar_chart, cosine_histograms, plot_positions
from .plots_labels import place_labels
from .plots_lines import loss_curve, plot_series, similarity_over_time
from .plots_words import scatter_words, word_map
from .style import (
    CLASS_LABELS, CLASS_STYLES, COLORS, EXTRA_COLORS, LINESTYLES, MARKER_EDGES, MARKERS, OKABE_ITO, class_label,
    class_styles, distinct_styles, marker_edge, style_cycle, use_course_style,
)

__all__ = [
    "CLASS_LABELS", "CLASS_STYLES", "COLORS", "EXTRA_COLORS", "LINESTYLES", "MARKER_EDGES", "MARKERS", "OKABE_ITO",
    "class_label", "class_styles", "distinct_styles", "marker_edge", "style_cycle", "use_course_style",
    "scatter_words", "word_map", "place_labels", "plot_series", "similarity_over_time", "loss_curve",
    "cosine_histograms", "bar_chart", "plot_positions",
]
