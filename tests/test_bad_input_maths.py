"""Non-finite maths: NaN or inf entries get a message naming the vector and the entry; vectors whose squares overflow
(1e200) or vanish (1e-200) get the right answer; NaN written into a trainer is caught at the next step or redraw."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import senses
from helpers.space import WordVectors, cosine_similarity, unit_rows
from helpers.model import StepTrainer
from helpers.widgets import StepWidget

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "rug"]] * 3

BAD = [
    ("NaN entry", lambda: cosine_similarity(np.array([1.0, np.nan]), np.ones(2)),
     r"a has 1 NaN or infinite entry \(the first: entry 1 = nan\), so it has no direction to compare; .*smaller lr"),
    ("inf entry", lambda: cosine_similarity(np.ones(3), np.array([np.inf, 0.0, -np.inf])),
     r"b has 2 NaN or infinite entries \(the first: entry 0 = inf\)"),
    ("shapes differ", lambda: cosine_similarity(np.ones(2), np.ones(3)),
     r"a and b must have the same shape \(d,\), got \(2,\) and \(3,\)"),
    ("a matrix", lambda: cosine_similarity(np.ones((2, 2)), np.ones(2)),
     r"a must be a vector of shape \(d,\), got shape \(2, 2\); for a word's vector use wv\[word\]"),
    ("text", lambda: cosine_similarity("cat", np.ones(2)), r"a must be a vector of numbers, shape \(d,\), got str"),
]


@pytest.mark.parametrize("what, call, pattern", BAD, ids=[b[0] for b in BAD])
def test_non_finite_or_malformed_vectors_get_a_message(what, call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e300, 1e-300, 1e-320, 1.0])
@pytest.mark.parametrize("a, b, expected", [([1.0, 1.0], [2.0, 2.0], 1.0), ([1.0, 0.0], [0.0, 3.0], 0.0),
                                            ([1.0, 2.0], [-1.0, -2.0], -1.0), ([3.0, 4.0], [4.0, 3.0], 0.96)])
def test_cosine_is_right_whatever_the_scale(scale, a, b, expected):
    got = cosine_similarity(np.array(a) * scale, np.array(b) * scale)
    assert got == pytest.approx(expected, abs=1e-12)
    rows = unit_rows(np.array([a, b]) * scale)
    assert float(rows[0] @ rows[1]) == pytest.approx(expected, abs=1e-12)


def test_ordinary_vectors_get_exactly_the_plain_formula():
    rng = np.random.default_rng(0)
    for _ in range(200):
        a, b = rng.normal(size=5), rng.normal(size=5)
        plain = float(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1))
        assert cosine_similarity(a, b) == plain  # the same operations: notebooks' printed numbers do not move
    matrix = rng.normal(size=(20, 4))
    assert np.array_equal(unit_rows(matrix), matrix / np.linalg.norm(matrix, axis=1, keepdims=True))
    assert unit_rows(matrix.astype(np.float32) * np.float32(1e30)).dtype == np.float32


def test_zero_vectors_keep_cosine_zero():
    assert cosine_similarity(np.zeros(3), np.ones(3)) == 0.0
    assert np.array_equal(unit_rows(np.zeros((2, 3))), np.zeros((2, 3)))


def test_word_vectors_of_huge_or_tiny_rows_have_the_right_neighbours():
    wv = WordVectors(np.array([[1e200, 1e200], [2e200, 2.1e200], [-1e200, 1e200]]), ["a", "b", "c"])
    assert wv.most_similar("a", topn=1)[0][0] == "b"
    assert wv.similarity("a", "b") == pytest.approx(4.1 / (np.sqrt(2) * np.sqrt(8.41)), abs=1e-12)
    tiny = WordVectors(np.array([[1e-200, 1e-200], [2e-200, 2.1e-200], [-1e-200, 1e-200]]), ["a", "b", "c"])
    assert tiny.similarity("a", "b") == pytest.approx(wv.similarity("a", "b"), abs=1e-12)


@pytest.mark.parametrize("scale", [1e200, 1e150, 1.0])
def test_attention_weights_of_huge_vectors_are_a_softmax_not_nan(scale):
    wv = WordVectors(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]) * scale, ["a", "b", "c"])
    weights = senses.attention_weights(wv, ["a", "b", "c"], 0)
    assert np.all(np.isfinite(weights)) and weights.sum() == pytest.approx(1.0)
    if scale > 1e100:  # the scores differ by about 1e299: the largest takes all the weight
        np.testing.assert_allclose(weights, [1.0, 0.0, 0.0])
    equal = WordVectors(np.array([[1.0, 0.0], [1.0, 0.0]]) * scale, ["a", "b"])
    np.testing.assert_allclose(senses.attention_weights(equal, ["a", "b"], 0), [0.5, 0.5])


@pytest.mark.parametrize("matrix, value", [("W_in", np.nan), ("W_out", np.inf), ("W_in", -np.inf)])
def test_nan_written_into_a_trainer_is_caught_at_the_next_step(matrix, value):
    trainer = StepTrainer(SENTENCES, seed=0)
    trainer.run(3)
    row = len(trainer.vocab) - 1  # a rare word: not the next update's target or context
    getattr(trainer, matrix)[row, 0] = value
    before = trainer.steps_done
    with pytest.raises(ValueError, match=rf"trainer\.{matrix}\[{row}\] \(the vector of '\w+'\) holds NaN or an "
                                         r"infinity, written from outside.*assign finite numbers to that row, or "
                                         r"call trainer\.reset\(\)"):
        trainer.step()
    assert trainer.steps_done == before
    trainer.reset()
    assert trainer.step().step == 1


def test_the_widget_says_so_and_never_plots_an_infinite_scale():
    widget = StepWidget()
    widget.step(3)
    widget.trainer.W_in[0] = np.inf
    widget.refresh()  # what runs after the cell that wrote it
    assert "holds NaN or an infinity" in widget.message.value and "ValueError" not in widget.message.value
    widget.step_button.click()
    assert widget.trainer.steps_done == 3 and "holds NaN or an infinity" in widget.message.value
    assert np.isfinite(widget.figure_view.limit)
    widget.reset_button.click()
    widget.step_button.click()
    assert widget.trainer.steps_done == 1 and widget.message.value == ""
    widget.close()


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_maths.py: {len(BAD) + 6 * 4 + 4 + 3 + 3 + 2} non-finite or extreme "
                        f"inputs tried, {len(BAD) + 3 + 2} messages checked")
