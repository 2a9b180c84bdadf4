"""Widget tests driven from Python: click the buttons, move the sliders, read what the widgets show."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.neighbors import WordVectors
from helpers.widgets import NeighborExplorer

# ---------------------------------------------------------------------------------------------------------------
# Neighbour explorer
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def small_vectors() -> WordVectors:
    rng = np.random.default_rng(3)
    words = ["cat", "dog", "kitten", "zoo", "lion", "tiger", "hip", "arm", "bread", "cheese"]
    return WordVectors(rng.normal(size=(len(words), 4)), words)


def test_explorer_lists_the_same_neighbours_as_most_similar(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=4)
    expected = small_vectors.most_similar("cat", topn=4)
    assert explorer.neighbors == expected
    for neighbour, sim in expected:
        assert neighbour in explorer.table.value
        assert f"{sim:+.3f}" in explorer.table.value
    assert explorer.table.value.count('class="wv-neighbor-row"') == 4


def test_typing_a_word_and_moving_the_slider_update_the_table(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=3)
    explorer.word_box.value = "Lion "  # case and stray spaces from typing are forgiven
    assert explorer.neighbors == small_vectors.most_similar("lion", topn=3)
    explorer.topn_slider.value = 6
    assert len(explorer.neighbors) == 6
    assert explorer.table.value.count('class="wv-neighbor-row"') == 6


def test_unknown_word_shows_did_you_mean_buttons_that_look_the_word_up(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cta")
    assert explorer.neighbors == []
    assert "not in the vocabulary" in explorer.table.value
    suggestions = [b.description for b in explorer.suggestion_box.children]
    assert "cat" in suggestions
    explorer.suggestion_box.children[suggestions.index("cat")].click()
    assert explorer.word_box.value == "cat"
    assert explorer.neighbors == small_vectors.most_similar("cat", topn=8)
    assert explorer.suggestion_box.children == ()


def test_static_frame_is_text_and_html_next_to_the_widget_view(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="dog", topn=2)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    best = small_vectors.most_similar("dog", topn=2)[0][0]
    assert bundle["text/plain"].startswith("Nearest neighbours of 'dog'")
    assert best in bundle["text/plain"]
    assert bundle["text/html"] == explorer.table.value


def test_refresh_shows_vectors_that_changed_in_place(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=1)
    small_vectors.vectors[small_vectors.get_index("bread")] = small_vectors["cat"] * 2
    small_vectors._unit = None  # the cache of unit rows is stale after an in-place edit
    explorer.refresh()
    assert explorer.neighbors[0][0] == "bread"
    assert explorer.neighbors[0][1] == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "5"])
def test_explorer_rejects_a_bad_topn(small_vectors, bad):
    with pytest.raises(ValueError, match="topn"):
        NeighborExplorer(small_vectors, topn=bad)


def test_explorer_shows_at_most_every_other_word(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=50)
    assert len(explorer.neighbors) == len(small_vectors) - 1


def test_explorer_rejects_something_that_is_not_word_vectors():
    with pytest.raises(TypeError, match="WordVectors"):
        NeighborExplorer(np.eye(3))


# ---------------------------------------------------------------------------------------------------------------
# Step-through widget
# ---------------------------------------------------------------------------------------------------------------

from helpers.losses import negative_sampling_loss, softmax_skipgram_loss  # noqa: E402
from helpers.training import StepTrainer  # noqa: E402
from helpers.widgets import DEMO_WORDS, StepWidget, demo_corpus, demo_trainer  # noqa: E402


@pytest.fixture(scope="module")
def demo():
    return demo_corpus()


@pytest.fixture
def widget():
    return StepWidget()


def shown_step(w: StepWidget) -> int:
    """The update count the numbers display claims (what a browser test reads from data-step)."""
    value = w.numbers_html.value
    start = value.index('data-step="') + len('data-step="')
    return int(value[start:value.index('"', start)])


def test_demo_corpus_keeps_only_demo_words_and_matches_the_full_sentences(demo):
    assert demo.sentences
    assert all(set(s) <= set(DEMO_WORDS) and len(s) >= 2 for s in demo.sentences)
    for trained, full in zip(demo.sentences, demo.full_sentences):
        assert [w for w in full if w in DEMO_WORDS] == trained
    assert set(demo.classes) == set(DEMO_WORDS)
    assert demo.classes["cat"] == demo.classes["dog"] != demo.classes["lion"]


def test_demo_corpus_rejects_unknown_words():
    with pytest.raises(ValueError, match="not in the toy world"):
        demo_corpus(words=("cat", "unicorn"))


def test_clicking_step_applies_exactly_one_update_and_shows_its_numbers(widget):
    start_in, start_out = widget.trainer.W_in.copy(), widget.trainer.W_out.copy()
    widget.step_button.click()
    r = widget.last_record
    assert widget.trainer.steps_done == 1 and r.step == 1 and shown_step(widget) == 1
    # Recompute the update from the starting vectors, independently of the trainer.
    t, c, negs = r.target_id, r.context_id, r.negative_ids
    out = negative_sampling_loss(start_in[t], start_out[c], start_out[negs])
    assert out.loss == pytest.approx(r.loss)
    np.testing.assert_allclose(widget.trainer.W_in[t], start_in[t] - r.lr * out.grads["target_in"])
    changed = np.flatnonzero(np.any(widget.trainer.W_in != start_in, axis=1))
    assert list(changed) == [t]  # one update moves exactly one input vector
    numbers = widget.numbers_html.value
    assert f"loss = <b>{out.loss:.4f}</b>" in numbers
    for score, prob, label in zip(out.scores, out.probs, [1.0] + [0.0] * len(negs)):
        assert f"{score:+.4f}" in numbers and f"{prob:.4f}" in numbers and f"{prob - label:+.4f}" in numbers
    target_nudge = np.linalg.norm(r.lr * out.grads["target_in"])
    context_nudge = np.linalg.norm(r.lr * out.grads["context_out"])
    assert f"|Δv({r.target})| = {target_nudge:.4f}" in numbers
    assert f"|Δu({r.context})| = {context_nudge:.4f}" in numbers
    assert 'class="wv-target"' in widget.sentence_html.value
    target_span = widget.sentence_html.value.split('class="wv-target"')[1]
    assert target_span.split(">", 1)[1].startswith(r.target)


def test_the_widget_adds_no_training_logic(widget):
    twin = demo_trainer()
    widget.step10_button.click()
    records = twin.run(10)
    np.testing.assert_array_equal(widget.trainer.W_in, twin.W_in)
    np.testing.assert_array_equal(widget.trainer.W_out, twin.W_out)
    assert widget.last_record.target == records[-1].target


def test_step_buttons_count_and_the_plot_shows_the_vectors(widget):
    widget.step10_button.click()
    assert widget.trainer.steps_done == 10 and shown_step(widget) == 10
    widget.step100_button.click()
    assert widget.trainer.steps_done == 110 and shown_step(widget) == 110
    assert len(widget.cos_history) == 111
    ix = widget.trainer.vocab.key_to_index
    pets = widget._class_lines[widget.classes["cat"]].get_xydata() * widget._limit  # the plane shows W / scale
    assert any(np.allclose(p, widget.trainer.W_in[ix["cat"]]) for p in pets)
    assert np.abs(widget.trainer.W_in).max() < widget._limit  # every point inside the view
    cos_line = widget._cos_line.get_xydata()
    assert cos_line[-1, 0] == 110
    cat, dog = widget.trainer.W_in[ix["cat"]], widget.trainer.W_in[ix["dog"]]
    assert cos_line[-1, 1] == pytest.approx(cat @ dog / np.linalg.norm(cat) / np.linalg.norm(dog))


def test_training_in_the_widget_brings_cat_and_dog_together(widget):
    before = widget.cos_history[0][1]
    widget.step(300)
    assert before < 0 < 0.8 < widget.cos_history[-1][1]


def test_reset_restores_the_start(widget):
    start_in, start_out = widget.trainer.W_in.copy(), widget.trainer.W_out.copy()
    first_summary = widget.summary()
    widget.step(25)
    widget.reset_button.click()
    np.testing.assert_array_equal(widget.trainer.W_in, start_in)
    np.testing.assert_array_equal(widget.trainer.W_out, start_out)
    assert widget.trainer.steps_done == 0 and shown_step(widget) == 0
    assert widget.last_record is None and len(widget.cos_history) == 1
    assert widget.summary() == first_summary
    assert "Press <b>Step</b>" in widget.sentence_html.value


def test_the_learning_rate_slider_changes_the_step_size(widget):
    widget.lr_slider.value = 0.05
    assert widget.trainer.lr == 0.05
    start = widget.trainer.W_in.copy()
    widget.step_button.click()
    r = widget.last_record
    assert r.lr == 0.05
    moved = widget.trainer.W_in[r.target_id] - start[r.target_id]
    np.testing.assert_allclose(moved, -0.05 * r.grads["target_in"])
    # The same first update at 4x the learning rate moves the target 4x as far.
    widget.reset()
    widget.lr_slider.value = 0.2
    widget.step_button.click()
    np.testing.assert_allclose(widget.trainer.W_in[r.target_id] - start[r.target_id], 4 * moved)


def test_switching_the_loss_starts_again_with_that_loss(widget):
    start = widget.trainer.W_in.copy()
    widget.step(5)
    widget.loss_choice.value = "softmax"
    assert widget.trainer.loss_name == "softmax" and widget.trainer.steps_done == 0
    np.testing.assert_array_equal(widget.trainer.W_in, start)
    assert "Loss switched to softmax" in widget.message.value
    all_out = widget.trainer.W_out.copy()
    widget.step_button.click()
    r = widget.last_record
    out = softmax_skipgram_loss(start[r.target_id], all_out, r.context_id)
    assert r.loss_name == "softmax" and r.loss == pytest.approx(out.loss)
    assert f"{out.probs[r.context_id]:.4f}" in widget.numbers_html.value


def test_a_diverging_learning_rate_shows_a_message_not_a_traceback():
    trainer = demo_trainer(max_norm=2.0)
    widget = StepWidget(trainer)
    widget.lr_slider.value = 10.0
    widget.step100_button.click()  # must not raise
    assert "diverged" in widget.message.value and "Try lr=" in widget.message.value
    assert widget.trainer.steps_done < 100
    assert np.all(np.isfinite(widget.trainer.W_in))
    assert shown_step(widget) == widget.trainer.steps_done
    # The widget keeps working: a sane learning rate trains on and clears the message.
    widget.lr_slider.value = 0.01
    done = widget.trainer.steps_done
    widget.step_button.click()
    assert widget.trainer.steps_done == done + 1 and widget.message.value == ""


def test_a_callback_error_is_shown_inside_the_widget_which_keeps_working(widget, monkeypatch):
    def broken() -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(widget.trainer, "step", broken)
    widget.step_button.click()  # must not raise
    assert "RuntimeError: something broke" in widget.message.value
    monkeypatch.undo()
    widget.step_button.click()
    assert widget.trainer.steps_done == 1 and widget.message.value == ""


def test_bad_slider_values_are_reported_in_the_widget(widget):
    widget._on_lr({"new": -1.0, "old": 0.2})
    assert "ValueError: lr must be a number &gt; 0.0" in widget.message.value
    assert widget.trainer.lr == pytest.approx(0.2)


def test_play_ticks_step_once_each_and_reset_stops_it(widget):
    for tick in range(1, 4):
        widget.play.value = tick  # what the browser's Play control does on each tick
    assert widget.trainer.steps_done == 3
    widget.play.playing = True
    widget.reset_button.click()
    assert widget.play.playing is False and widget.play.value == 0
    assert widget.trainer.steps_done == 0  # moving Play back to 0 did not step


def test_two_widgets_are_independent():
    first, second = StepWidget(), StepWidget()
    first.step(10)
    assert second.trainer.steps_done == 0 and shown_step(second) == 0
    second.step(1)
    assert first.trainer.steps_done == 10 and first.figure is not second.figure


def test_out_of_order_changes_to_the_trainer_are_picked_up():
    trainer = demo_trainer()
    first = StepWidget(trainer)
    first.step(5)
    second = StepWidget(trainer)  # a second widget on the same trainer, e.g. a cell run twice
    second.step(2)
    first.step(1)  # the first widget missed two updates: it catches up instead of mixing histories
    assert trainer.steps_done == 8 and [s for s, _ in first.cos_history][-2:] == [7, 8]
    trainer.reset()  # e.g. a cell further up run again
    first.step(1)
    assert [s for s, _ in first.cos_history] == [0, 1]
    trainer.lr = 0.123
    first.step(1)
    assert first.lr_slider.value == pytest.approx(0.123) and first.last_record.lr == pytest.approx(0.123)


def test_static_frame_has_a_png_and_stable_text(widget):
    widget.step(30)
    bundle = widget._repr_mimebundle_()
    import base64

    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "30 updates" in bundle["text/plain"] and "cos(cat, dog)" in bundle["text/plain"]
    assert bundle["text/plain"] == widget._repr_mimebundle_()["text/plain"]
    widget.step(1)  # drawing the PNG must not break the live canvas
    assert widget.trainer.steps_done == 31


@pytest.mark.parametrize("n", [0, -1, 1.5, None])
def test_step_from_code_rejects_a_bad_count(widget, n):
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        widget.step(n)
    assert widget.trainer.steps_done == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"pair": ("cat", "unicorn")}, "pair"),
    ({"full_sentences": [["cat"]]}, "full_sentences"),
    ({"play_interval": 10}, "play_interval"),
])
def test_step_widget_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        StepWidget(demo_trainer(), **kwargs)


def test_step_widget_needs_a_2d_trainer(demo):
    with pytest.raises(ValueError, match="dim must be 2"):
        StepWidget(StepTrainer(demo.sentences, dim=3))


def test_importing_the_widgets_keeps_the_notebooks_matplotlib_backend():
    # ipympl switches matplotlib's backend when imported; every later plt figure would become a live widget
    # without a static image. A fresh interpreter, because ipympl is imported once per process.
    import subprocess
    import sys

    code = ("import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot as plt; import helpers.widgets; "
            "print(matplotlib.get_backend(), type(plt.figure().canvas).__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["svg", "FigureCanvasSVG"]


def test_the_fast_png_encoder_round_trips_through_pillow():
    import io

    from PIL import Image

    from helpers.canvas import png_bytes

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    image[2:5] = 0  # a diff frame is mostly transparent zeros
    decoded = Image.open(io.BytesIO(png_bytes(image)))
    assert decoded.mode == "RGBA" and decoded.size == (5, 7)
    np.testing.assert_array_equal(np.asarray(decoded), image)


def test_labels_of_points_on_top_of_each_other_are_spread_apart():
    from helpers.widgets import _spread_labels

    points = np.array([[0.0, 0.0], [0.01, -0.01], [0.02, 0.0], [0.9, 0.0]])
    words = ["cat", "dog", "kitten", "zoo"]
    anchors = np.array(_spread_labels(points, words, char_width=0.05, height=0.1))
    np.testing.assert_allclose(anchors[:, 0], points[:, 0])  # only moved down, never sideways
    assert np.all(anchors[:, 1] <= points[:, 1])
    near = anchors[:3, 1]
    assert np.min(np.abs(np.subtract.outer(near, near))[np.triu_indices(3, 1)]) >= 0.1  # no two overlap
    assert anchors[3, 1] == points[3, 1]  # a label far from the others stays where its point is
