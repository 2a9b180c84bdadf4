"""Checks of notebooks 04b and 06b: right answers pass, each typical mistake is named, nothing ever raises."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import counting as ex


def right_pmi(counts):
    total = counts.sum()
    with np.errstate(divide="ignore"):
        return np.log(counts / total / np.outer(counts.sum(axis=1) / total, counts.sum(axis=0) / total))


def test_pmi_right_answer_passes():
    assert ex.check_pmi(right_pmi)


@pytest.mark.parametrize("wrong, named", [
    (lambda c: np.exp(right_pmi(c)), "take their log"),
    (lambda c: -right_pmi(c), "sign is flipped"),
    (lambda c: np.log(c / c.sum()), "log P(t, c) alone"),
    (lambda c: np.where(np.isfinite(right_pmi(c)), right_pmi(c), 0.0), "-inf"),
    (lambda c: np.log(c / np.outer(c.sum(axis=1), c.sum(axis=0))), "not raw counts"),
])
def test_pmi_mistakes_are_named(wrong, named):
    with np.errstate(divide="ignore"):
        feedback = ex.check_pmi(wrong)
    assert not feedback and named in feedback.message


@pytest.mark.parametrize("answer", [None, ..., 3, lambda c: None, lambda c: 1 / 0, lambda c: "x", lambda c: c[0]])
def test_pmi_check_never_raises(answer):
    feedback = ex.check_pmi(answer)
    assert not feedback and feedback.message


def test_neutralize():
    def right(v, g):
        rest = v - (v @ g) * g
        return rest / np.linalg.norm(rest)

    assert ex.check_neutralize(right)
    assert "length" in ex.check_neutralize(lambda v, g: v - (v @ g) * g).message
    assert "subtract it" in ex.check_neutralize(lambda v, g: (v @ g) * g).message
    assert "added" in ex.check_neutralize(lambda v, g: (v + (v @ g) * g) / np.linalg.norm(v + (v @ g) * g)).message
    for answer in (None, 1, lambda v, g: None, lambda v, g: [1, 2], lambda v, g: {}["x"]):
        assert not ex.check_neutralize(answer)


def test_noise_distribution():
    counts = np.array([50.0, 10.0, 3.0, 1.0])
    assert ex.check_noise_distribution(lambda c, a: c**a / (c**a).sum(), counts)
    assert "divide by their sum" in ex.check_noise_distribution(lambda c, a: c**a, counts).message
    assert "normalise" in ex.check_noise_distribution(lambda c, a: (c / c.sum()) ** a, counts).message
    for answer in (None, "x", lambda c, a: None, lambda c, a: c[:2]):
        assert not ex.check_noise_distribution(answer, counts)


def test_predictions_reveal_and_explain():
    assert ex.reveal_number(0.9, 0.96, what="the correlation", explanation="E.", tolerance=0.1)
    wrong = ex.reveal_number(0.2, 0.96, what="the correlation", explanation="E.", tolerance=0.1)
    assert not wrong and "0.96" in wrong.message and "E." in wrong.message
    assert not ex.reveal_number(None, 0.5, what="x", explanation="", tolerance=0.1)
    assert not ex.reveal_number("high", 0.5, what="x", explanation="", tolerance=0.1)
    assert ex.reveal_choice("Word2vec ", "word2vec", options=("word2vec", "svd"), explanation="E.")
    miss = ex.reveal_choice("svd", "word2vec", options=("word2vec", "svd"), explanation="E.")
    assert not miss and "'word2vec'" in miss.message
    assert "one of" in ex.reveal_choice("maybe", "word2vec", options=("word2vec", "svd"), explanation="").message
