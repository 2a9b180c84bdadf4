"""Figures in the course style, progress bars, and what a saved notebook shows for a live display.

Used by every notebook.

Modules, one job each:

- :mod:`.style`: The course's look: one colour-blind-safe palette, a colour *and* a marker for every word class,
  projector-sized text.
- :mod:`.words`: Scatter plots and maps of word vectors: one point per word, one colour *and* marker per class, labels
  that do not overlap.
- :mod:`.labels`: Word labels next to their points, placed so that no label covers another label or a marker.
- :mod:`.lines`: Line plots against training steps: several series, one similarity per word pair, a loss curve.
- :mod:`.distributions`: How values are spread: histograms of cosines, bars over words, histograms of positions between
  two groups.
- :mod:`.progress`: A progress bar for training runs that take longer than about a second.
- :mod:`.static_view`: What a saved notebook shows for a live widget.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "CLASS_LABELS", "CLASS_STYLES", "COLORS", "EXTRA_COLORS", "FIGURE_WIDTH", "LINESTYLES", "MARKER_EDGES",
        "MARKERS", "MIN_SCREEN_PT", "MIN_SCREEN_PX", "OKABE_ITO", "OUTPUT_WIDTH_PX", "SMALLEST_FONT", "class_label",
        "class_styles", "distinct_styles", "fit_title", "marker_edge", "png_size", "screen_text_pt",
        "smallest_font_size", "style_cycle", "use_course_style",
    ], "style"),
    **dict.fromkeys(["scatter_words", "word_map"], "words"),
    **dict.fromkeys(["place_labels"], "labels"),
    **dict.fromkeys(["loss_curve", "plot_series", "similarity_over_time"], "lines"),
    **dict.fromkeys(["bar_chart", "cosine_histograms", "plot_positions"], "distributions"),
    **dict.fromkeys(["Progress"], "progress"),
    **dict.fromkeys(["with_static_view"], "static_view"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
