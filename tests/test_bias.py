"""Bias in, bias out (helpers.space.bias and the toy world's planted skew)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.space import WordVectors, bias
from helpers import toyworld
from helpers.toyworld import GENDERED_PAIRS


@pytest.fixture(scope="module")
def world():
    return toyworld.load()


def random_space(seed=0, d=8):
    words = ["he", "she", "man", "woman", "doctor", "nurse", "cake"]
    return WordVectors(np.random.default_rng(seed).normal(size=(len(words), d)), words)


PAIRS = [("he", "she"), ("man", "woman")]


def test_direction_is_a_unit_vector_with_the_male_words_positive():
    wv = random_space()
    g = bias.gender_direction(wv, PAIRS)
    assert np.linalg.norm(g) == pytest.approx(1.0, abs=1e-12)
    for male, female in PAIRS:
        assert (wv.unit_vectors[wv.get_index(male)] - wv.unit_vectors[wv.get_index(female)]) @ g > 0


def test_direction_of_one_pair_is_its_difference():
    wv = random_space()
    unit = wv.unit_vectors
    diff = unit[0] - unit[1]
    g = bias.gender_direction(wv, [("he", "she")])
    np.testing.assert_allclose(g, diff / np.linalg.norm(diff), atol=1e-10)


def test_hard_debias_zeroes_neutral_words_and_keeps_the_pairs_difference():
    wv = random_space(3)
    g = bias.gender_direction(wv, PAIRS)
    neutral = ["doctor", "nurse", "cake"]
    before = bias.projection(wv, neutral, g)
    assert np.abs(before).max() > 0.01
    out = bias.hard_debias(wv, g, neutral, PAIRS)
    np.testing.assert_allclose(bias.projection(out, neutral, g), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(out.vectors, axis=1), 1.0, atol=1e-12)
    for male, female in PAIRS:
        a, b = out[male], out[female]
        difference = a - b
        # the pair still differs, along the direction only, and every neutral word is as far from both
        assert difference @ g > 0.1
        np.testing.assert_allclose(difference - (difference @ g) * g, 0.0, atol=1e-12)
        for word in neutral:
            assert out[word] @ a == pytest.approx(out[word] @ b, abs=1e-12)
    # the neutral words keep everything but their component along g
    for word in neutral:
        v = wv.unit_vectors[wv.get_index(word)]
        rest = v - (v @ g) * g
        np.testing.assert_allclose(out[word], rest / np.linalg.norm(rest), atol=1e-12)


def test_hard_debias_refuses_a_word_in_both_roles():
    wv = random_space()
    g = bias.gender_direction(wv, PAIRS)
    with pytest.raises(ValueError, match="both neutral"):
        bias.hard_debias(wv, g, ["he", "cake"], PAIRS)


def test_lean_clustering_sees_two_groups():
    words = ["a1", "a2", "b1", "b2"]
    vectors = np.array([[1.0, 0.1], [1.0, -0.1], [0.1, 1.0], [-0.1, 1.0]])
    wv = WordVectors(vectors, words)
    labels = {"a1": "he", "a2": "he", "b1": "she", "b2": "she"}
    assert bias.lean_clustering(wv, words, labels) > 0.5
    mixed = {"a1": "he", "a2": "she", "b1": "he", "b2": "she"}
    assert bias.lean_clustering(wv, words, mixed) < 0


def test_default_world_is_not_skewed_and_the_skew_touches_only_gendered_words(world):
    skew = {"doctor": 8.0, "nurse": 1 / 8}
    skewed = toyworld.with_gender_skew(world, skew)
    assert len(skewed.sentences) == len(world.sentences)
    assert skewed.mole_senses == world.mole_senses and skewed.classes == world.classes
    gendered = {w for pair in GENDERED_PAIRS for w in pair}
    changed = 0
    for old, new in zip(world.sentences, skewed.sentences):
        assert len(old) == len(new)
        for a, b in zip(old, new):
            if a != b:
                assert a in gendered and b in gendered
                changed += 1
        if old != new:
            assert ("doctor" in old) != ("nurse" in old)
    assert changed > 20
    male, female = bias.pronoun_ratio(skewed.sentences, "doctor", GENDERED_PAIRS)
    assert male > 3 * female  # planted 8:1, drawn sentence by sentence
    male, female = bias.pronoun_ratio(skewed.sentences, "nurse", GENDERED_PAIRS)
    assert female > 3 * male


def test_skew_is_seeded_and_checked(world):
    skew = {"baker": 3.0}
    assert toyworld.with_gender_skew(world, skew).sentences == toyworld.with_gender_skew(world, skew).sentences
    with pytest.raises(ValueError, match="not a word the toy world can skew"):
        toyworld.with_gender_skew(world, {"he": 2.0})
    with pytest.raises(ValueError, match="positive number"):
        toyworld.with_gender_skew(world, {"baker": 0})
    with pytest.raises(TypeError, match="dict"):
        toyworld.with_gender_skew(world, 2.0)


def test_projection_follows_the_planted_ratio(world):
    """Retrained at growing ratios, the skewed jobs move monotonically towards 'he' (and away from 'she')."""
    from helpers.word2vec import train_word2vec

    he_jobs, she_jobs = ["doctor", "farmer", "baker"], ["nurse", "teacher", "cook"]
    gaps = []
    for ratio in (1.0, 4.0, 16.0):
        skewed = toyworld.with_gender_skew(world, {**{j: ratio for j in he_jobs}, **{j: 1 / ratio for j in she_jobs}})
        wv = train_word2vec(skewed.sentences, dim=30, window=3, min_count=1, epochs=5, seed=0, progress=False)
        g = bias.gender_direction(wv, GENDERED_PAIRS)
        gaps.append(bias.projection(wv, he_jobs, g).mean() - bias.projection(wv, she_jobs, g).mean())
    assert abs(gaps[0]) < 0.1
    assert gaps[0] < gaps[1] < gaps[2]
    assert gaps[2] > 0.2
