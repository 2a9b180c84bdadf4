"""Tests of helpers.senses: context vectors, seeded k-means, the sense score, the 'between' measure, the exercise."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import exercises, plots, senses
from helpers.text import build_vocabulary, skipgram_pairs
from helpers.space import WordVectors, unit_rows
from helpers.toyworld import load
from helpers.word2vec import train_word2vec

# The settings notebook 05 trains with.
NOTEBOOK_SETTINGS = dict(dim=20, window=2, epochs=10, lr=0.05, min_count=1, seed=0, progress=False)


def random_vectors(words: list[str], dim: int = 6, seed: int = 0) -> WordVectors:
    return WordVectors(np.random.default_rng(seed).normal(size=(len(words), dim)), words)


SENTENCE = "the doctor checked the mole on my hip".split()
WORDS = sorted(set(SENTENCE) | {"mole", "zoo", "at"})


# --- context vectors --------------------------------------------------------------------------------------------

def test_find_occurrences_lists_every_position_in_reading_order():
    sentences = [["a", "mole"], ["no"], ["mole", "and", "mole"]]
    assert senses.find_occurrences(sentences, "mole") == [(0, 1), (2, 0), (2, 2)]
    assert senses.find_occurrences(sentences, "zoo") == []


@pytest.mark.parametrize("window", [1, 2, 3, 10, None])
def test_context_words_are_the_window_without_the_word(window):
    position = SENTENCE.index("mole")
    got = senses.context_words(SENTENCE, position, window)
    reach = len(SENTENCE) if window is None else window
    expected = [w for j, w in enumerate(SENTENCE) if 0 < abs(j - position) <= reach]
    assert got == expected
    assert "mole" not in got


def test_context_words_keep_other_copies_of_the_word_as_the_pairs_do():
    # The one context rule: every other position counts, a second "mole" too (as in skip-gram pairs).
    assert senses.context_words(["the", "mole", "and", "the", "mole"], 1, window=3) == ["the", "and", "the", "mole"]


@given(st.lists(st.lists(st.sampled_from("abc"), min_size=1, max_size=7), min_size=1, max_size=4),
       st.integers(1, 4))
def test_context_words_and_context_counts_use_the_skipgram_pairs_rule(sentences, window):
    vocab = build_vocabulary(sentences)
    targets, contexts, positions = skipgram_pairs(vocab.encode(sentences), window)
    starts = np.cumsum([0] + [len(s) for s in sentences])
    for i, sentence in enumerate(sentences):
        for p in range(len(sentence)):
            flat = starts[i] + p
            from_pairs = [vocab.index_to_key[c] for c in contexts[positions[:, 0] == flat]]
            assert senses.context_words(sentence, p, window) == from_pairs
    # context counts are the pair counts: sofa-like twins built from the same pairs score exactly 1
    if "a" in vocab and "b" in vocab:
        pairs_a = Counter(vocab.index_to_key[c] for c in contexts[targets == vocab.key_to_index["a"]])
        pairs_b = Counter(vocab.index_to_key[c] for c in contexts[targets == vocab.key_to_index["b"]])
        if pairs_a and pairs_b:
            dot = sum(pairs_a[w] * pairs_b[w] for w in pairs_a)
            norm = np.sqrt(sum(c * c for c in pairs_a.values()) * sum(c * c for c in pairs_b.values()))
            assert senses.context_count_similarity(sentences, "a", "b", window) == pytest.approx(dot / norm)


def test_context_vectors_have_one_row_per_occurrence_and_are_neighbour_means():
    wv = random_vectors(WORDS)
    sentences = [SENTENCE, "i saw a mole at the zoo".split()]
    occurrences = [(0, 4), (1, 3)]
    vectors = senses.context_vectors(wv, sentences, occurrences, window=2)
    assert vectors.shape == (2, wv.vector_size)
    np.testing.assert_allclose(vectors[0], np.mean([wv[w] for w in ["checked", "the", "on", "my"]], axis=0))
    # "saw", "a" are not in the vocabulary: skipped, not an error.
    np.testing.assert_allclose(vectors[1], np.mean([wv[w] for w in ["at", "the"]], axis=0))


def test_context_vector_does_not_depend_on_the_words_own_vector():
    wv = random_vectors(WORDS)
    before = senses.context_vector(wv, SENTENCE, 4, window=3)
    changed = wv.vectors.copy()
    changed[wv.get_index("mole")] = 1e6
    wv.vectors = changed
    np.testing.assert_array_equal(senses.context_vector(wv, SENTENCE, 4, window=3), before)


def test_context_vector_errors_name_the_problem():
    wv = random_vectors(["mole", "zoo"])
    with pytest.raises(ValueError, match="no word around position"):
        senses.context_vector(wv, SENTENCE, 4, window=1)
    with pytest.raises(ValueError, match=r"window must be an integer between 1 and 50, got"):
        senses.context_words(SENTENCE, 4, window=0)
    with pytest.raises(ValueError, match="position must be an integer between 0 and 7"):
        senses.context_words(SENTENCE, 8)
    with pytest.raises(ValueError, match="occurrences is empty"):
        senses.context_vectors(wv, [SENTENCE], [])
    with pytest.raises(ValueError, match="sentence index must be an integer between 0 and 0"):
        senses.context_vectors(wv, [SENTENCE], [(3, 0)])


# --- k-means ----------------------------------------------------------------------------------------------------

def two_blobs(seed: int, n: int = 60, d: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Two tight groups around two orthogonal directions, shuffled; returns points (n, d) and the true group."""
    rng = np.random.default_rng(seed)
    truth = rng.permutation(np.arange(n) % 2)
    centres = np.eye(d)[[0, 1]] * 3.0
    return centres[truth] + rng.normal(scale=0.2, size=(n, d)), truth


@pytest.mark.parametrize("seed", range(5))
def test_kmeans_separates_two_well_separated_blobs(seed):
    points, truth = two_blobs(seed)
    labels, centroids = senses.kmeans(points, 2, np.random.default_rng(seed))
    assert senses.sense_agreement(labels, truth.astype(str)) == 1.0
    assert centroids.shape == (2, points.shape[1])
    assert labels[0] == 0  # numbered in order of first appearance


def test_kmeans_is_deterministic_per_seed():
    rng = np.random.default_rng(1)
    points = rng.normal(size=(80, 4))  # no clear clusters: the answer hangs on the seeds drawn
    first = senses.kmeans(points, 3, np.random.default_rng(7))
    again = senses.kmeans(points, 3, np.random.default_rng(7))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    outcomes = {tuple(senses.kmeans(points, 3, np.random.default_rng(s), n_init=1)[0]) for s in range(10)}
    assert len(outcomes) > 1, "different seeds should be able to give different clusterings of structureless data"


def test_kmeans_rejects_bad_input():
    points = np.ones((4, 2))
    with pytest.raises(ValueError, match="k must be an integer between 1 and 4"):
        senses.kmeans(points, 5, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator \(np.random.default_rng\(seed\)\)"):
        senses.kmeans(points, 2, 0)
    with pytest.raises(ValueError, match=r"points must have shape \(n, d\)"):
        senses.kmeans(np.ones(4), 2, np.random.default_rng(0))


def test_kmeans_on_identical_points_says_there_are_too_few_directions():
    labels, centroids = senses.kmeans(np.ones((5, 3)), 1, np.random.default_rng(0))
    assert set(labels.tolist()) == {0} and centroids.shape == (1, 3)
    with pytest.raises(ValueError, match=r"k=2 clusters asked for, but the points have only 1 different "
                                         r"direction.*use k <= 1"):
        senses.kmeans(np.ones((5, 3)), 2, np.random.default_rng(0))
    # parallel points are one direction for cosine k-means
    with pytest.raises(ValueError, match="only 2 different direction"):
        senses.kmeans(np.array([[1.0, 0], [2.0, 0], [0, 1.0], [0, 3.0]]), 3, np.random.default_rng(0))


@pytest.mark.parametrize("seed", range(20))
def test_kmeans_always_returns_k_centroids_and_labels_below_k(seed):
    rng = np.random.default_rng(seed)
    points = rng.integers(-1, 2, size=(int(rng.integers(3, 12)), 2)).astype(float)  # many duplicates
    distinct = len(np.unique(unit_rows(points), axis=0))
    k = int(rng.integers(1, distinct + 1))
    labels, centroids = senses.kmeans(points, k, np.random.default_rng(seed), n_init=2)
    assert centroids.shape == (k, 2) and set(labels.tolist()) == set(range(k))


def test_kmeans_rejects_nan_points():
    with pytest.raises(ValueError, match="points has 1 row.*NaN or infinite.*row 1"):
        senses.kmeans(np.array([[1.0, 0], [np.nan, 1]]), 1, np.random.default_rng(0))


# --- the sense score --------------------------------------------------------------------------------------------

def test_sense_agreement_is_one_for_a_perfect_split_whatever_the_cluster_names():
    planted = ["animal"] * 5 + ["skin"] * 5
    assert senses.sense_agreement([0] * 5 + [1] * 5, planted) == 1.0
    assert senses.sense_agreement([1] * 5 + [0] * 5, planted) == 1.0


def test_sense_agreement_is_about_one_half_for_a_random_split():
    rng = np.random.default_rng(0)
    planted = np.repeat(["animal", "skin"], 1000)
    scores = [senses.sense_agreement(rng.integers(0, 2, size=len(planted)), planted) for _ in range(20)]
    assert 0.5 <= np.mean(scores) < 0.53
    assert max(scores) < 0.56


def test_sense_agreement_does_not_reward_one_big_cluster():
    assert senses.sense_agreement([0] * 10, ["animal"] * 5 + ["skin"] * 5) == 0.5


def test_sense_agreement_counts_the_best_matching():
    # cluster 0: 3 animal + 1 skin; cluster 1: 1 animal + 3 skin -> 6 of 8 agree.
    assert senses.sense_agreement([0, 0, 0, 0, 1, 1, 1, 1], list("aaasasss")) == 0.75


def test_sense_agreement_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same non-zero length"):
        senses.sense_agreement([0, 1], ["a"])


# --- between two groups -----------------------------------------------------------------------------------------

def test_position_between_is_zero_at_a_one_at_b_and_one_half_in_the_middle():
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    assert senses.position_between(5 * a, a, b) == pytest.approx(0.0)
    assert senses.position_between(b, a, b) == pytest.approx(1.0)
    assert senses.position_between(a + b, a, b) == pytest.approx(0.5)
    assert senses.position_between(a + 3 * b, a, b) > 0.5


def test_position_between_needs_two_different_centres():
    a = np.array([1.0, 0.0])
    with pytest.raises(ValueError, match="same point"):
        senses.position_between(a, a, a)


def test_centroid_is_the_mean_of_unit_vectors():
    wv = WordVectors(np.array([[2.0, 0.0], [0.0, 5.0], [1.0, 1.0]]), ["x", "y", "z"])
    np.testing.assert_allclose(senses.centroid(wv, ["x", "y"]), [0.5, 0.5])


# --- attention glimpse ------------------------------------------------------------------------------------------

def test_attention_weights_are_a_distribution_favouring_similar_words():
    wv = WordVectors(np.array([[3.0, 0.0], [3.0, 0.3], [-3.0, 0.0]]), ["mole", "zoo", "the"])
    weights = senses.attention_weights(wv, ["the", "mole", "zoo"], 1)
    assert weights.shape == (3,)
    assert weights.sum() == pytest.approx(1.0)
    assert np.all(weights >= 0)
    assert weights[2] > weights[0]


# --- the trained toy world --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained():
    world = load()
    return world, train_word2vec(world.sentences, **NOTEBOOK_SETTINGS)


def test_toy_world_mole_occurrences_are_recovered(trained):
    world, wv = trained
    occurrences = [(i, world.sentences[i].index("mole")) for i, _ in world.mole_senses]
    planted = [sense for _, sense in world.mole_senses]
    vectors = senses.context_vectors(wv, world.sentences, occurrences, window=3)
    labels, _ = senses.kmeans(vectors, 2, np.random.default_rng(0))
    assert senses.sense_agreement(labels, planted) >= 0.9


def test_toy_world_static_mole_lies_between_animals_and_body_parts(trained):
    world, wv = trained
    groups = {cls: [w for w, c in world.classes.items() if c == cls] for cls in ("wild_animal", "body_part")}
    animals, body = senses.centroid(wv, groups["wild_animal"]), senses.centroid(wv, groups["body_part"])
    assert 0.2 < senses.position_between(wv["mole"], animals, body) < 0.8
    # The groups' own members sit near their own end, which is what makes "between" meaningful.
    assert np.mean([senses.position_between(wv[w], animals, body) for w in groups["wild_animal"]]) < 0.2
    assert np.mean([senses.position_between(wv[w], animals, body) for w in groups["body_part"]]) > 0.8


# --- the exercise check -----------------------------------------------------------------------------------------

@pytest.fixture()
def exercise():
    wv = random_vectors(WORDS, seed=3)
    return wv, SENTENCE, SENTENCE.index("mole"), 2


def test_check_accepts_the_right_vector(exercise):
    wv, sentence, position, window = exercise
    answer = np.mean([wv[w] for w in ["checked", "the", "on", "my"]], axis=0)
    feedback = exercises.check_context_vector(answer, wv, sentence, position, window)
    assert feedback.correct, feedback.message
    assert feedback.correct == bool(feedback)


@pytest.mark.parametrize("words, expected", [
    (["checked", "the", "mole", "on", "my"], "included 'mole' itself"),
    (["doctor", "checked", "the", "the", "on", "my", "hip"], "whole sentence"),
    (["checked", "the"], "left of 'mole'"),
    (["on", "my"], "right of 'mole'"),
    (["the", "on"], "window=1"),
    (["doctor", "checked", "the", "on", "my", "hip"], "window=3"),
])
def test_check_names_typical_mistakes(exercise, words, expected):
    wv, sentence, position, window = exercise
    answer = np.mean([wv[w] for w in words], axis=0)
    feedback = exercises.check_context_vector(answer, wv, sentence, position, window)
    assert not feedback.correct
    assert expected in feedback.message


def test_check_explains_a_sum_and_a_rescaled_vector(exercise):
    wv, sentence, position, window = exercise
    rows = [wv[w] for w in ["checked", "the", "on", "my"]]
    assert "divide by their number" in exercises.check_context_vector(np.sum(rows, axis=0), wv, sentence, position,
                                                                   window).message
    unit = np.mean(rows, axis=0) / np.linalg.norm(np.mean(rows, axis=0))
    assert "wrong length" in exercises.check_context_vector(unit, wv, sentence, position, window).message
    mean_of_units = np.mean([r / np.linalg.norm(r) for r in rows], axis=0)
    assert "unit-length" in exercises.check_context_vector(mean_of_units, wv, sentence, position, window).message
    stacked = exercises.check_context_vector(np.stack(rows), wv, sentence, position, window)
    assert "np.mean(..., axis=0)" in stacked.message


@pytest.mark.parametrize("answer", [None, ..., "mole", ["a", "b"], {"x": 1}, np.full(6, np.nan), np.zeros(6), 3.0,
                                    [np.zeros(6), np.zeros(3)]])
def test_check_never_raises_and_never_accepts_junk(exercise, answer):
    wv, sentence, position, window = exercise
    feedback = exercises.check_context_vector(answer, wv, sentence, position, window)
    assert not feedback.correct
    assert feedback.message


# --- context counts and the positions figure --------------------------------------------------------------------

def test_context_count_similarity_is_one_for_twins_and_lower_for_different_contexts():
    sentences = [["a", "sofa", "is", "here"], ["a", "couch", "is", "here"], ["the", "cat", "is", "cute"]]
    assert senses.context_count_similarity(sentences, "sofa", "couch", window=2) == 1.0
    assert senses.context_count_similarity(sentences, "sofa", "cat", window=1) == pytest.approx(0.5)
    assert senses.context_count_similarity(sentences, "sofa", "cat", window=2) < 1.0


def test_context_count_similarity_of_the_toy_world_twins_is_exactly_one():
    world = load()
    assert senses.context_count_similarity(world.sentences, *world.twins, window=2) == 1.0
    assert senses.context_count_similarity(world.sentences, world.twins[0], "cat", window=2) < 0.9


def test_context_count_similarity_names_an_unknown_word():
    with pytest.raises(ValueError, match="'sofaa' has no context"):
        senses.context_count_similarity([["a", "sofa"]], "sofa", "sofaa", window=1)


def test_plot_positions_draws_one_histogram_per_group_and_the_marks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    groups = {"animal": np.array([0.1, 0.2, 0.2]), "skin": np.array([0.9, 0.8])}
    plots.plot_positions(ax, groups, marks={"static": 0.5}, ends=("animals", "body parts"))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["animal (3)", "skin (2)", "static"]
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == 5  # every value counted once
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [0.5]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="positions is empty"):
        plots.plot_positions(ax, {})
    plt.close(fig)


def test_check_copes_with_context_words_missing_from_the_vocabulary():
    wv = random_vectors(["the", "mole", "on", "my"], seed=4)  # "checked" is unknown: skipped, as context_vector does
    sentence = "the doctor checked the mole on my hip".split()
    right = np.mean([wv[w] for w in ["the", "on", "my"]], axis=0)
    assert exercises.check_context_vector(right, wv, sentence, 4, 2).correct
    assert not exercises.check_context_vector(right * 3, wv, sentence, 4, 2).correct
