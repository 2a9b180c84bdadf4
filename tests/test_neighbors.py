"""Tests of helpers.neighbors: kNN lookups against a full sort, analogies, errors, knn_purity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.neighbors import (
    UnknownWordError,
    WordVectors,
    cosine_similarity,
    knn_indices,
    knn_purity,
    top_k,
)


def random_space(seed: int, V: int = 40, d: int = 6) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors(rng.normal(size=(V, d)), [f"w{i}" for i in range(V)])


def full_sort_neighbours(vectors: np.ndarray, query: np.ndarray, exclude: set[int]) -> list[tuple[int, float]]:
    """Cosine of every row with ``query``, sorted descending the slow way."""
    sims = [
        (i, float(row @ query / (np.linalg.norm(row) * np.linalg.norm(query))))
        for i, row in enumerate(vectors) if i not in exclude
    ]
    return sorted(sims, key=lambda pair: -pair[1])


# --------------------------------------------------------------------------------------------------------------
# Nearest neighbours


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", [1, 3, 10, 39, 100])
def test_most_similar_equals_a_full_sort(seed, k):
    wv = random_space(seed)
    for word_id in (0, 17, 39):
        expected = full_sort_neighbours(wv.vectors, wv.vectors[word_id], {word_id})[:k]
        got = wv.most_similar(f"w{word_id}", topn=k)
        assert [w for w, _ in got] == [f"w{i}" for i, _ in expected]
        np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("k", [1, 5, 40])
def test_similar_by_vector_equals_a_full_sort(k):
    wv = random_space(7)
    query = np.random.default_rng(8).normal(size=6)
    expected = full_sort_neighbours(wv.vectors, query, set())[:k]
    got = wv.similar_by_vector(query, topn=k)
    assert [w for w, _ in got] == [f"w{i}" for i, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], rtol=1e-10)


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=st.integers(-3, 3).map(float)), st.integers(1, 35))
def test_top_k_equals_a_stable_sort_even_with_ties(scores, k):
    # Integer-valued scores produce many ties: they must be broken by the lower index, as a stable sort does.
    expected = np.argsort(-scores, kind="stable")[:k]
    assert top_k(scores, k).tolist() == expected.tolist()


def test_query_words_are_excluded_even_when_a_duplicate_scores_one():
    vectors = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [-1.0, 0.2]])
    wv = WordVectors(vectors, ["cat", "cat2", "dog", "zoo"])
    got = wv.most_similar("cat", topn=3)
    assert [w for w, _ in got] == ["cat2", "dog", "zoo"]
    assert got[0][1] == pytest.approx(1.0)
    assert "cat" not in [w for w, _ in wv.most_similar(positive=["cat", "dog"], topn=10)]


def test_topn_larger_than_the_vocabulary_returns_every_other_word():
    wv = random_space(1, V=5)
    assert len(wv.most_similar("w0", topn=50)) == 4
    assert len(wv.most_similar(positive=["w0", "w1"], negative=["w2"], topn=50)) == 2


def test_analogy_finds_the_exact_fourth_word():
    rng = np.random.default_rng(3)
    d = 8
    # most_similar combines *unit* vectors, so a, b, c are unit length and d = a - b + c points exactly at the answer.
    a, b, c = (v / np.linalg.norm(v) for v in rng.normal(size=(3, d)))
    answer = a - b + c
    distractors = rng.normal(size=(30, d))
    words = ["king", "man", "woman", "queen"] + [f"x{i}" for i in range(30)]
    wv = WordVectors(np.vstack([a, b, c, 2.5 * answer, distractors]), words)
    best, score = wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0]
    assert best == "queen"
    assert score == pytest.approx(1.0, abs=1e-12)


def test_analogy_follows_the_query_not_the_nearest_query_word():
    # Without excluding the query words, "king" itself would win: check the order of the rest too.
    wv = random_space(5)
    unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    query = unit[1] - unit[2] + unit[3]
    expected = full_sort_neighbours(wv.vectors, query, {1, 2, 3})[:5]
    got = wv.most_similar(positive=["w1", "w3"], negative=["w2"], topn=5)
    assert [w for w, _ in got] == [f"w{i}" for i, _ in expected]


finite_vectors = hnp.arrays(np.float64, 5, elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))


@given(finite_vectors, finite_vectors)
def test_similarity_is_symmetric_and_between_minus_one_and_one(a, b):
    wv = WordVectors(np.vstack([a, b]), ["a", "b"])
    s = wv.similarity("a", "b")
    assert s == wv.similarity("b", "a")
    assert -1.0 <= s <= 1.0
    assert -1.0 <= wv.similarity("a", "a") <= 1.0
    assert -1.0 <= cosine_similarity(a, b) <= 1.0
    assert cosine_similarity(a, b) == pytest.approx(s, abs=1e-9)


def test_similarity_of_a_word_with_itself_is_one_and_of_opposites_minus_one():
    wv = WordVectors(np.array([[3.0, 4.0], [-6.0, -8.0], [0.0, 0.0]]), ["up", "down", "zero"])
    assert wv.similarity("up", "up") == pytest.approx(1.0)
    assert wv.similarity("up", "down") == pytest.approx(-1.0)
    assert wv.similarity("up", "zero") == 0.0, "the zero vector has no direction: cosine 0 by convention"


def test_most_similar_scores_stay_in_range():
    wv = random_space(9, V=200, d=3)
    for word in ("w0", "w50", "w199"):
        for _, s in wv.most_similar(word, topn=199):
            assert -1.0 <= s <= 1.0


# --------------------------------------------------------------------------------------------------------------
# Errors


def test_unknown_word_is_a_key_error_that_suggests_close_words():
    wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    with pytest.raises(KeyError) as info:
        wv["cta"]
    assert isinstance(info.value, UnknownWordError)
    assert "'cta'" in str(info.value) and "cat" in str(info.value)
    assert info.value.suggestions[0] == "cat"
    for call in (lambda: wv.similarity("dgo", "cat"), lambda: wv.most_similar("zooo"),
                 lambda: wv.most_similar(positive=["cat"], negative=["dgo"])):
        with pytest.raises(UnknownWordError, match="Did you mean"):
            call()


def test_unknown_word_without_a_close_match_has_no_suggestion():
    wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    with pytest.raises(UnknownWordError) as info:
        wv["elephant"]
    assert "Did you mean" not in str(info.value)
    assert info.value.suggestions == []


@pytest.mark.parametrize("word", [3, None, ("cat",)])
def test_non_string_lookups_raise_unknown_word_error(word):
    wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    with pytest.raises(UnknownWordError):
        wv[word]


@pytest.mark.parametrize("topn", [0, -3, 2.5, True, "5", None])
def test_bad_topn_is_named(topn):
    wv = random_space(0, V=5)
    with pytest.raises(ValueError, match="topn must be an integer >= 1"):
        wv.most_similar("w0", topn=topn)
    with pytest.raises(ValueError, match="topn must be an integer >= 1"):
        wv.similar_by_vector(np.ones(6), topn=topn)


def test_empty_query_and_bad_shapes_raise():
    wv = random_space(0, V=5)
    with pytest.raises(ValueError, match="at least one word"):
        wv.most_similar()
    with pytest.raises(ValueError, match="shape"):
        WordVectors(np.ones((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="twice"):
        WordVectors(np.ones((2, 2)), ["a", "a"])


# --------------------------------------------------------------------------------------------------------------
# knn_indices and knn_purity


def test_knn_indices_equal_a_full_sort():
    vectors = np.random.default_rng(4).normal(size=(25, 4))
    got = knn_indices(vectors, 4)
    for i, row in enumerate(got):
        expected = [j for j, _ in full_sort_neighbours(vectors, vectors[i], {i})[:4]]
        assert row.tolist() == expected


@pytest.mark.parametrize("k", [0, 25, -1])
def test_knn_indices_bad_k_is_named(k):
    with pytest.raises(ValueError, match="k must be an integer between 1 and 24"):
        knn_indices(np.ones((25, 3)), k)


def clustered_space(seed: int, n_classes: int = 6, per_class: int = 8, d: int = 10, noise: float = 0.05):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_classes, d))
    vectors = np.repeat(centres, per_class, axis=0) + noise * rng.normal(size=(n_classes * per_class, d))
    words = [f"w{i}" for i in range(len(vectors))]
    classes = {w: f"class{i // per_class}" for i, w in enumerate(words)}
    return WordVectors(vectors, words), classes


def test_knn_purity_is_one_on_perfectly_clustered_vectors():
    wv, classes = clustered_space(0)
    assert knn_purity(wv, classes, k=5) == 1.0


def test_knn_purity_is_about_chance_on_random_vectors():
    n_classes, per_class = 10, 20
    V = n_classes * per_class
    chance = (per_class - 1) / (V - 1)  # share of the other words that share a word's class
    purities = []
    for seed in range(5):
        wv, classes = clustered_space(seed, n_classes, per_class, d=20)
        random_wv = WordVectors(np.random.default_rng(100 + seed).normal(size=(V, 20)), wv.index_to_key)
        purities.append(knn_purity(random_wv, classes, k=5))
    assert abs(np.mean(purities) - chance) < 0.03, (purities, chance)
    wv, classes = clustered_space(0, n_classes, per_class, d=20)
    assert knn_purity(wv, classes, k=5) > 10 * chance


def test_knn_purity_counts_unclassed_neighbours_as_misses_and_scores_only_given_words():
    vectors = np.array([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0], [0.01, 1.0]])
    wv = WordVectors(vectors, ["cat", "dog", "the", "zoo"])
    classes = {"cat": "animal", "dog": "animal", "zoo": "place"}
    # cat's and dog's nearest words are each other (hits); zoo's nearest is "the", which has no class (a miss).
    assert knn_purity(wv, classes, k=1) == pytest.approx(2 / 3)
    assert knn_purity(wv, classes, k=1, words=["cat", "dog"]) == 1.0
    assert knn_purity(wv, classes, k=1, words=["zoo"]) == 0.0
    with pytest.raises(ValueError, match="class"):
        knn_purity(wv, {"lion": "animal"}, k=1)


def test_knn_purity_on_the_toy_world_classes_is_low_for_random_vectors(toy_world):
    words = sorted(toy_world.classes)
    wv = WordVectors(np.random.default_rng(0).normal(size=(len(words), 20)), words)
    purity = knn_purity(wv, toy_world.classes, k=5, words=toy_world.evaluated_words())
    assert 0.0 <= purity < 0.3
