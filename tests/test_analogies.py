"""Tests of helpers.space.analogies: b - a + c answers, accuracy, and the parallelogram picture."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.space import WordVectors, analogies  # noqa: E402


@pytest.fixture()
def space() -> WordVectors:
    # Two factors, species (e1 cat, e2 dog) and age (e3 adult, e4 young), all rows of one length so unit vectors
    # keep the parallelogram exact: kitten - cat = puppy - dog = e4 - e3. Plus a distractor.
    rows = {"cat": [1, 0, 1, 0], "kitten": [1, 0, 0, 1], "dog": [0, 1, 1, 0], "puppy": [0, 1, 0, 1],
            "bread": [-1, -1, 0, 0.2]}
    return WordVectors(np.array(list(rows.values()), dtype=float), list(rows))


def test_answer_completes_the_parallelogram(space):
    assert analogies.answer(space, "cat", "kitten", "dog") == "puppy"
    assert analogies.answer(space, "dog", "puppy", "cat") == "kitten"


def test_accuracy_counts_right_answers(space):
    right, wrong = ("cat", "kitten", "dog", "puppy"), ("cat", "kitten", "dog", "bread")
    assert analogies.accuracy(space, [right]) == 1.0
    assert analogies.accuracy(space, [right, wrong]) == 0.5
    with pytest.raises(ValueError, match="analogies"):
        analogies.accuracy(space, [])


def test_parallelogram_draws_parallel_arrows(space):
    fig, ax = plt.subplots()
    try:
        arrows = analogies.parallelogram(ax, space, [("cat", "kitten"), ("dog", "puppy")],
                                         {"cat": "pet", "kitten": "pet", "dog": "pet", "puppy": "pet"}, title="t")
        assert arrows.shape == (2, 2)
        unit = arrows / np.linalg.norm(arrows, axis=1, keepdims=True)
        assert unit[0] @ unit[1] > 0.99  # the same step for both species
        assert ax.get_title() == "t" and len(ax.texts) == 4 + 2  # four labels, two arrows
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="pairs"):
        analogies.parallelogram(ax, space, [("cat", "kitten")], {}, title="t")


def test_step_cosines_measure_the_steps_in_the_full_space(space):
    same = analogies.step_cosines(space, [("cat", "kitten"), ("dog", "puppy")])
    assert same.shape == (1,) and same[0] == pytest.approx(1.0)
    # cat -> dog (species) and cat -> kitten (age) are perpendicular steps in the fixture
    crossed = analogies.step_cosines(space, [("cat", "kitten"), ("cat", "dog"), ("dog", "puppy")])
    assert crossed == pytest.approx([0.0, 1.0, 0.0], abs=1e-12)
    with pytest.raises(ValueError, match="pairs"):
        analogies.step_cosines(space, [("cat", "kitten")])
