"""The course's figures: palette and markers, titles, labels and legends, and clear errors on bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture()
def ax():
    plots.use_course_style()
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _legend_texts(ax) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "the figure has no legend"
    return [t.get_text() for t in legend.get_texts()]


def _class_groups(ax) -> list:
    """The scatter of each class (not the copies that draw labelled points on top)."""
    return [g for g in ax.collections if not g.get_label().startswith("_")]


def _style(group) -> tuple[str, tuple]:
    return to_hex(group.get_facecolor()[0]).upper(), tuple(map(tuple, group.get_paths()[0].vertices.round(3)))


def _has_labels(ax) -> bool:
    return bool(ax.get_title() and ax.get_xlabel() and ax.get_ylabel())


def test_palette_is_okabe_ito_with_distinct_markers():
    assert len(set(plots.COLORS)) == len(plots.COLORS) == 8
    assert set(plots.COLORS) == set(plots.OKABE_ITO.values())
    assert len(set(plots.MARKERS)) == len(plots.MARKERS)


def test_scatter_words_groups_by_class_with_colour_and_marker(ax):
    words = ["cat", "dog", "lion", "tiger", "bread"]
    classes = {"cat": "pet", "dog": "pet", "lion": "wild", "tiger": "wild"}
    points = np.arange(10, dtype=float).reshape(5, 2)
    plots.scatter_words(ax, points, words, classes, title="t")
    assert _legend_texts(ax) == ["pets", "wild", "other words"]  # plain words, not class ids
    groups = _class_groups(ax)
    assert [len(g.get_offsets()) for g in groups] == [2, 2, 1]
    colours = {to_hex(g.get_facecolor()[0]).upper() for g in groups}
    assert len(colours) == 3 and colours <= {c.upper() for c in [*plots.COLORS, *plots.EXTRA_COLORS.values()]}
    markers = {tuple(map(tuple, g.get_paths()[0].vertices.round(3))) for g in groups}
    assert len(markers) == 3, "every class needs its own marker, not colour alone"
    assert sorted(t.get_text() for t in ax.texts) == sorted(words)
    assert _has_labels(ax)


def test_scatter_words_rejects_mismatched_labels(ax):
    with pytest.raises(ValueError, match="3 rows but 2 labels"):
        plots.scatter_words(ax, np.zeros((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plots.scatter_words(ax, np.zeros((3, 3)), ["a", "b", "c"])


def test_word_map_names_the_principal_components(ax):
    plots.word_map(ax, np.zeros((2, 2)) + [[0, 0], [1, 1]], ["a", "b"], {"a": "x", "b": "y"}, title="map")
    assert ax.get_xlabel() == "first principal component"
    assert _legend_texts(ax) == ["x", "y"]


def test_cosine_histograms_one_line_per_dimension_and_density_integrates_to_one(ax, rng):
    cosines = {2: rng.uniform(-1, 1, 5000), 100: rng.normal(0, 0.1, 5000).clip(-1, 1)}
    plots.cosine_histograms(ax, cosines, bins=50)
    assert _legend_texts(ax) == ["d = 2", "d = 100"]
    lines = ax.get_lines()
    assert len({line.get_marker() for line in lines}) == 2 and len({line.get_linestyle() for line in lines}) == 2
    for line in lines:
        x, y = line.get_data()
        assert np.sum(y) * (x[1] - x[0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="cosines is empty"):
        plots.cosine_histograms(ax, {})


def test_plot_series_and_similarity_over_time(ax):
    x = np.arange(20)
    plots.similarity_over_time(ax, x, {"cat / dog": np.linspace(0, 0.9, 20), "cat / zoo": np.zeros(20)})
    assert _legend_texts(ax) == ["cat / dog", "cat / zoo"]
    data_lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 20]
    assert len({line.get_marker() for line in data_lines}) == 2
    assert ax.get_ylabel() == "cosine similarity" and _has_labels(ax)
    with pytest.raises(ValueError, match="'bad' has shape"):
        plots.plot_series(ax, x, {"bad": np.zeros(3)}, title="t", xlabel="x", ylabel="y")


def test_loss_curve_smooths_and_draws_the_reference(ax):
    losses = np.r_[np.full(10, 4.0), np.full(10, 2.0)]
    plots.loss_curve(ax, np.arange(20), losses, smooth=5, reference=np.log(100), reference_label="log V")
    averaged = [line for line in ax.get_lines() if line.get_label() == "average of 5 steps"][0]
    assert len(averaged.get_ydata()) == 16 and averaged.get_ydata()[0] == 4.0 and averaged.get_ydata()[-1] == 2.0
    assert "log V" in _legend_texts(ax)
    with pytest.raises(ValueError, match="smooth must be an integer between 1 and 20"):
        plots.loss_curve(ax, np.arange(20), losses, smooth=0)


def test_bar_chart_highlights_with_colour_and_hatch(ax):
    plots.bar_chart(ax, ["zoo", "the", "cat"], np.array([0.5, 0.3, 0.2]), title="p", ylabel="probability",
                    highlight=["zoo"], highlight_label="true context", reference=1 / 3, reference_label="1/V",
                    value_format="{:.2f}")
    bars = ax.patches
    assert len(bars) == 3
    hatched = [b for b in bars if b.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_height() == 0.5
    assert sorted(_legend_texts(ax)) == ["1/V", "other", "true context"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.20", "0.30", "0.50"]
    with pytest.raises(ValueError, match="not among the labels"):
        plots.bar_chart(ax, ["a"], np.array([1.0]), title="t", ylabel="y", highlight=["b"])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        plots.bar_chart(ax, ["a", "b"], np.array([1.0]), title="t", ylabel="y")


def test_ten_classes_get_ten_different_colour_marker_pairs(ax):
    words = [f"w{i}" for i in range(10)]
    classes = {w: f"class {i}" for i, w in enumerate(words)}
    plots.word_map(ax, np.arange(20, dtype=float).reshape(10, 2), words, classes, title="map",
                   annotate=["w0", "w9"], legend="outside")
    styles = {_style(g) for g in _class_groups(ax)}
    assert len(styles) == 10
    assert sorted(t.get_text() for t in ax.texts) == ["w0", "w9"]
    assert ax.get_legend().get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1  # right of the axes
    with pytest.raises(ValueError, match="legend must be one of"):
        plots.scatter_words(ax, np.zeros((1, 2)), ["a"], legend="left")


def test_distinct_styles_never_repeat_a_pair_and_skip_yellow():
    import itertools

    styles = list(itertools.islice(plots.distinct_styles(), 56))
    assert len(set(styles)) == 56
    assert plots.OKABE_ITO["yellow"] not in {colour for colour, _ in styles}


def _toyworld_classes() -> list[str]:
    from helpers import toyworld

    return list(toyworld.CLASSES) + [toyworld.FUNCTION_CLASS, toyworld.POLYSEMOUS_CLASS]


def test_every_toyworld_class_has_its_own_colour_and_its_own_marker():
    names = _toyworld_classes()
    assert set(plots.CLASS_STYLES) == set(names)
    styles = [plots.CLASS_STYLES[c] for c in names]
    colours, markers = [c for c, _ in styles], [m for _, m in styles]
    assert len(set(colours)) == len(names) == 15, "two classes share a colour"
    assert len(set(markers)) == 15, "two classes share a marker"
    palette = {*plots.OKABE_ITO.values(), *plots.EXTRA_COLORS.values()}
    assert set(colours) <= palette
    # Yellow would vanish on white without a dark edge.
    assert plots.marker_edge(plots.OKABE_ITO["yellow"]) != "white"


def test_legends_name_classes_in_plain_words(ax):
    names = _toyworld_classes()
    labels = [plots.class_label(c) for c in names]
    assert all("_" not in label for label in labels) and len(set(labels)) == len(labels)
    assert plots.class_label("wild_animal") == "wild animals" and plots.class_label("new_kind") == "new kind"
    words = ["cat", "lion", "hip"]
    classes = {"cat": "pet", "lion": "wild_animal", "hip": "body_part"}
    plots.scatter_words(ax, np.arange(6.0).reshape(3, 2), words, classes)
    assert _legend_texts(ax) == ["pets", "wild animals", "body parts"]
    assert all(t.get_fontsize() >= 11 for t in ax.get_legend().get_texts())


def test_a_class_looks_the_same_in_different_plots():
    plots.use_course_style()
    fig, (left, right) = plt.subplots(1, 2)
    try:
        classes = {"cat": "pet", "lion": "wild_animal", "hip": "body_part", "soup": "food", "mole": "polysemous"}
        plots.scatter_words(left, np.arange(6.0).reshape(3, 2), ["cat", "lion", "hip"], classes)
        plots.word_map(right, np.arange(8.0).reshape(4, 2), ["mole", "soup", "hip", "lion"], classes, title="m")
        seen = {}
        for ax in (left, right):
            for group in _class_groups(ax):
                style = _style(group)
                assert seen.setdefault(group.get_label(), style) == style, group.get_label()
        assert set(seen) == {"pets", "wild animals", "body parts", "food", "several meanings"}
        assert seen["pets"][0] == plots.CLASS_STYLES["pet"][0].upper()
        assert len(set(seen.values())) == 5
    finally:
        plt.close(fig)


def test_unknown_classes_get_unused_fallback_styles():
    styles = plots.class_styles(["pet", "wild", "other", "pet_like"])
    assert styles["pet"] == plots.CLASS_STYLES["pet"]
    assert len(set(styles.values())) == 4
    assert len({m for _, m in styles.values()}) == 4  # fresh markers while there are any


def _label_boxes(ax):
    renderer = ax.figure.canvas.get_renderer()
    return {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}


def test_labels_of_nearby_points_do_not_overlap_each_other_or_markers(ax):
    # Five words crowded around one spot, as "cat" and "soup" were on the random map.
    words = ["cat", "soup", "zebra", "dog", "bread"]
    points = np.array([[0.0, 0.0], [0.01, 0.005], [-0.01, 0.01], [0.005, -0.01], [3.0, 3.0]])
    plots.scatter_words(ax, points, words, {"cat": "pet", "soup": "food", "zebra": "wild_animal"})
    ax.figure.canvas.draw()
    boxes = _label_boxes(ax)
    assert sorted(boxes) == sorted(words)
    for a in words:
        for b in words:
            if a < b:
                assert not boxes[a].overlaps(boxes[b]), f"labels {a!r} and {b!r} overlap"
    centres = ax.transData.transform(points)
    half = np.sqrt(60) / 2 * ax.figure.dpi / 72
    for word, box in boxes.items():
        for x, y in centres:
            inner = box.padded(-1)
            assert not (inner.x0 < x + half and x - half < inner.x1 and inner.y0 < y + half and y - half < inner.y1), \
                f"label {word!r} covers a marker"


def test_labelled_points_are_drawn_on_top(ax):
    words = ["cat", "dog", "lion"]
    plots.scatter_words(ax, np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), words, {"lion": "wild_animal"},
                        annotate=["cat"])
    top = [g for g in ax.collections if g.get_label().startswith("_")]
    assert len(top) == 1 and top[0].get_offsets().tolist() == [[0.0, 0.0]]
    assert top[0].get_zorder() > max(g.get_zorder() for g in _class_groups(ax))
    assert [t.get_text() for t in ax.texts] == ["cat"]


def test_cosine_histograms_use_finer_bins_for_narrow_peaks(ax, rng):
    wide, narrow = rng.uniform(-1, 1, 5000), rng.normal(0, 1 / np.sqrt(1000), 5000)
    plots.cosine_histograms(ax, {2: wide, 1000: narrow}, bins=50)
    (x_wide, y_wide), (x_narrow, y_narrow) = (line.get_data() for line in ax.get_lines())
    assert x_wide[1] - x_wide[0] == pytest.approx(2 / 50)
    # The d = 1000 peak spans many bins, so its bell shape shows.
    assert np.count_nonzero(y_narrow) >= 20
