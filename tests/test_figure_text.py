"""Every figure the plotting helpers make is readable on a 1024x768 projector with JupyterLab's file browser open.

There a notebook's outputs get 577 px, and JupyterLab scales a wider image down to fit, text and all. Text of
``font`` pt in an image drawn at ``dpi`` and saved ``width`` px wide (the inline backend crops it to its content,
``bbox_inches="tight"``, which can make it wider than the figure) shows at
``font x dpi / 72 x min(1, 577 / width)`` CSS px, which must be at least 11 pt = 14.7 px. The browser test
(tests/test_browser.py) measures the same thing on the page, for every figure of every notebook.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.space import WordVectors, analogies  # noqa: E402
from helpers import plots, toyworld  # noqa: E402
from helpers.plots import FIGURE_WIDTH, MIN_SCREEN_PT, OUTPUT_WIDTH_PX, png_size, screen_text_pt, smallest_font_size
from helpers.plots.style import _with_text_metadata


@pytest.fixture(autouse=True)
def course_style():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield
    plt.close("all")


def saved_png(fig) -> bytes:
    """The figure as the inline backend sends it to JupyterLab (IPython's print_figure: tight bounding box)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches="tight", facecolor=fig.get_facecolor())
    return buf.getvalue()


def shown_pt(fig) -> tuple[float, int]:
    """(smallest text on the projector in pt, width of the saved image in px)."""
    width, _ = png_size(saved_png(fig))
    return screen_text_pt(smallest_font_size(fig), fig.dpi, width), width


@pytest.fixture(scope="module")
def world():
    return toyworld.load()


def rng():
    return np.random.default_rng(0)


def words_and_points(world, n=40):
    words = sorted(world.classes)[:n]
    return words, rng().normal(size=(len(words), 2))


def one(draw, rows=1, height=4.0):
    """A figure as the notebooks make it: the course's width, panels stacked."""
    fig, axes = plt.subplots(rows, 1, figsize=(FIGURE_WIDTH, height * rows))
    for ax in np.atleast_1d(axes):
        draw(ax)
    fig.tight_layout()
    return fig


LONG = "a title as long as the longest a notebook gives: map keeps 45% of 5-NN (23% of variance)"


def figures(world):
    words, points = words_and_points(world)
    series = {f"series {i}": np.sin(np.linspace(0, 3, 50) + i) for i in range(3)}
    wv = WordVectors(rng().normal(size=(len(world.classes), 8)), sorted(world.classes))
    labels = ["zoo", "saw", "at", "the", "i", "lion", "cat", "hip", "doctor", "bread", "sofa", "park"]
    return {
        "default figure size": plt.subplots()[0],
        "scatter_words": one(lambda ax: plots.scatter_words(ax, points, words, world.classes, title=LONG)),
        "word_map, legend below, two maps": one(
            lambda ax: plots.word_map(ax, points, words, world.classes, title=LONG, annotate=words[:8],
                                      legend="below"), rows=2, height=6),
        "word_map, no legend": one(lambda ax: plots.word_map(ax, points, words, world.classes, title=LONG,
                                                             legend="none")),
        "plot_series": one(lambda ax: plots.plot_series(ax, np.arange(50), series, title=LONG, xlabel="x",
                                                        ylabel="y", legend_title="series")),
        "similarity_over_time + loss_curve, stacked": one(
            lambda ax: plots.loss_curve(ax, np.arange(1, 401), rng().random(400), smooth=25, reference=0.5,
                                        title="Loss of each update"), rows=2, height=3.8),
        "cosine_histograms": one(lambda ax: plots.cosine_histograms(
            ax, {d: rng().normal(size=2000).clip(-1, 1) / np.sqrt(d) for d in (2, 10, 100, 1000)}, bins=50,
            title="Cosines of 5,000 random pairs: narrower as d grows")),
        "bar_chart, tilted labels and values": one(lambda ax: plots.bar_chart(
            ax, labels, rng().random(len(labels)), title="P(context | 'mole') at the random start: all about 1/V",
            ylabel="probability", xlabel="candidate context word", highlight=["zoo"], highlight_label="true context",
            reference=0.1, reference_label="uniform, 1/V", value_format="{:.2f}")),
        "plot_positions": one(lambda ax: plots.plot_positions(
            ax, {"animal sentences": rng().random(30), "skin sentences": rng().random(30)},
            marks={'static "mole"': 0.4}, ends=("hidden wild animals", "hidden body parts"),
            title='Every "mole", its learned contextual vector')),
        "analogies.parallelogram, two maps": one(lambda ax: analogies.parallelogram(
            ax, wv, [("cat", "kitten"), ("dog", "puppy"), ("cow", "calf"), ("sheep", "lamb")], world.classes,
            title="young animals: arrows from a to b"), rows=2, height=5),
    }


def test_every_helper_figure_shows_its_smallest_text_at_11_pt_or_more(world):
    found = {name: shown_pt(fig) for name, fig in figures(world).items()}
    small = {name: f"{pt:.1f} pt ({width} px wide)" for name, (pt, width) in found.items() if pt < MIN_SCREEN_PT}
    assert not small, f"figures whose smallest text shows below {MIN_SCREEN_PT} pt at {OUTPUT_WIDTH_PX} px: {small}"
    wide = {name: width for name, (_, width) in found.items() if width > OUTPUT_WIDTH_PX}
    assert not wide, f"figures wider than the projector's {OUTPUT_WIDTH_PX} px output (scaled down): {wide}"


def overlapping_ticks(fig) -> list[str]:
    """Level tick labels that touch their neighbour on the same axis (a narrow figure crowds long numbers; tilted
    labels have slanted boxes, left out)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = sorted(((t.get_window_extent(renderer), t.get_text()) for t in axis.get_ticklabels()
                            if t.get_visible() and t.get_text() and not t.get_rotation()), key=lambda bt: (bt[0].x0, bt[0].y0))
            for (a, ta), (b, tb) in zip(boxes, boxes[1:]):
                if a.overlaps(b):
                    found.append(f"{ta} / {tb}")
    return found


def test_no_tick_labels_run_into_each_other(world):
    crowded = {name: overlapping_ticks(fig) for name, fig in figures(world).items()}
    fig, ax = plt.subplots()  # large numbers along x, as notebook 04's "training pairs seen"
    plots.loss_curve(ax, np.arange(1, 640_001, 100), rng().random(6400), smooth=50, xlabel="training pairs seen")
    crowded["loss_curve over 640,000 pairs"] = overlapping_ticks(fig)
    crowded = {name: found for name, found in crowded.items() if found}
    assert not crowded, f"tick labels that overlap: {crowded}"


def test_the_measure_catches_a_figure_that_is_too_wide():
    """The old default, a 7-inch figure with 11-pt legends, shows them at about 9 pt: the rule must say so."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plots.plot_series(ax, np.arange(10), {"a": np.arange(10)}, title="t", xlabel="x", ylabel="y")
    pt, width = shown_pt(fig)
    assert width > OUTPUT_WIDTH_PX and pt < MIN_SCREEN_PT, (pt, width)
    assert screen_text_pt(11, 100, 716) == pytest.approx(15.28 * 577 / 716 * 0.75, rel=1e-3)


def test_hidden_and_empty_text_does_not_count():
    fig, ax = plt.subplots()
    ax.set_title("big", fontsize=20)
    ax.text(0, 0, "tiny but hidden", fontsize=4, visible=False)
    ax.text(0, 0, "   ", fontsize=3)
    ax.tick_params(labelsize=18)
    ax.set_xlabel("x", fontsize=18)
    ax.set_ylabel("y", fontsize=19)
    assert smallest_font_size(fig) == 18
    ax.text(0, 0, "small and shown", fontsize=9)
    assert smallest_font_size(fig) == 9


def test_a_long_title_is_broken_into_lines_not_left_to_widen_the_image():
    fig, ax = plt.subplots()
    plots.plot_series(ax, np.arange(3), {"a": np.arange(3)}, title=LONG + " " + LONG, xlabel="x", ylabel="y")
    assert "\n" in ax.get_title()
    assert png_size(saved_png(fig))[0] <= OUTPUT_WIDTH_PX


def test_inline_figures_carry_their_smallest_text_size_for_the_browser_test():
    """What a notebook's figure output carries in its image/png metadata: the smallest text in the image's own
    pixels (font pt x dpi / 72; twice that for a retina image shown at half its pixel width)."""
    fig, ax = plt.subplots()
    plots.plot_series(ax, np.arange(3), {"a": np.arange(3)}, title="t", xlabel="x", ylabel="y")
    png = saved_png(fig)
    data, metadata = _with_text_metadata(lambda f: base64.b64encode(png).decode())(fig)
    assert metadata["smallest_font_pt"] == 11 and metadata["smallest_text_px"] == pytest.approx(11 * 100 / 72, 0.01)
    width = png_size(png)[0]
    _, retina = _with_text_metadata(lambda f: (png, {"width": width // 2}))(fig)
    assert retina["smallest_text_px"] == pytest.approx(2 * 11 * 100 / 72, rel=0.01)
    assert _with_text_metadata(lambda f: None)(fig) is None  # an empty figure shows nothing


def test_the_step_widgets_canvas_fits_the_projector_and_its_text_reads_at_11_pt():
    """The canvas is shown at its pixel size (no scaling), so only its dpi and fonts count; it must also fit the
    531 px that Presentation Mode leaves."""
    from helpers.widgets import StepWidget

    widget = StepWidget()
    widget.step(3)
    fig = widget.canvas.figure
    width, height = (fig.get_size_inches() * fig.dpi).round()
    assert width <= 531, f"the step widget's canvas is {width:.0f} px wide"
    pt = screen_text_pt(smallest_font_size(fig), fig.dpi, width)
    assert pt >= MIN_SCREEN_PT, f"the step widget's smallest text shows at {pt:.1f} pt"
