"""Tests of helpers.space.neighbors: kNN lookups against a full sort, analogies, errors, knn_purity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.space import (
    UnknownWordError,
    WordVectors,
    cosine_similarity,
    knn_indices,
    knn_purity,
    top_k,
    unit_rows,
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
    # Symmetric to rounding, not bit for bit: a BLAS kernel may sum a.b and b.a in another order (seen with
    # OPENBLAS_CORETYPE=Prescott: 0.8948261321781548 against ...549).
    assert s == pytest.approx(wv.similarity("b", "a"), rel=1e-12, abs=1e-15)
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


# --------------------------------------------------------------------------------------------------------------
# State: declared attributes, a cache that is never stale, no NaN let in


def test_every_attribute_is_declared_in_the_constructor():
    wv = WordVectors(np.eye(3), ["a", "b", "c"])
    assert wv.output_vectors is None and wv.counts is None and wv.loss_history == []
    full = WordVectors(np.eye(3), ["a", "b", "c"], output_vectors=2 * np.eye(3), counts=[5, 3, 1],
                       loss_history=[(10, 2.0)])
    assert np.array_equal(full.output_vectors, 2 * np.eye(3)) and full.counts.tolist() == [5, 3, 1]
    assert full.loss_history == [(10, 2.0)]
    assert not hasattr(full, "gensim_model")


def test_arrays_are_read_only_copies_so_the_unit_cache_cannot_go_stale():
    source = np.random.default_rng(0).normal(size=(4, 3))
    wv = WordVectors(source, ["a", "b", "c", "d"])
    best = wv.most_similar("a", topn=1)
    source[:] = 0.0  # the caller's array is not the one WordVectors holds
    assert wv.most_similar("a", topn=1) == best
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors[1] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        wv.unit_vectors[1] = 5.0


def test_assigning_new_vectors_clears_the_cache():
    wv = WordVectors(np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]]), ["a", "b", "c"])
    assert wv.most_similar("a", topn=1)[0][0] == "c"
    wv.most_similar("b")  # fill the cache
    wv.vectors = np.array([[1.0, 0.0], [1.0, 0.1], [-1.0, 0.0]])
    assert wv.most_similar("a", topn=1)[0][0] == "b"
    assert wv.similarity("a", "c") == pytest.approx(-1.0)
    with pytest.raises(ValueError, match=r"vectors must have shape \(V, d\) with V = 3 words, got \(2, 2\)"):
        wv.vectors = np.ones((2, 2))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_rows_are_rejected_naming_the_word(bad):
    vectors = np.eye(3)
    vectors[1, 0] = bad
    with pytest.raises(ValueError, match=r"vectors has 1 row\(s\) with NaN or infinite values, the first is row 1 "
                                         r"\('dog'\).*smaller lr"):
        WordVectors(vectors, ["cat", "dog", "zoo"])
    wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    with pytest.raises(ValueError, match="row 1 \\('dog'\\)"):
        wv.vectors = vectors
    with pytest.raises(ValueError, match="output_vectors has 1 row"):
        WordVectors(np.eye(3), ["cat", "dog", "zoo"], output_vectors=vectors)


@pytest.mark.parametrize("kwargs", [
    dict(positive="cat", negative="cat"),
    dict(positive=["cat", "dog"], negative=["dog", "cat"]),
    dict(positive=["zero"]),
])
def test_a_query_that_adds_up_to_zero_is_refused(kwargs):
    wv = WordVectors(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [0.5, 0.5]]), ["cat", "dog", "zero", "zoo"])
    with pytest.raises(ValueError, match="adds up to the zero vector, so no word is closer to it than another; "
                                         "give words that do not cancel out"):
        wv.most_similar(**kwargs)
    with pytest.raises(ValueError, match="zero vector"):
        wv.similar_by_vector(np.zeros(2))


@given(st.integers(2, 12), st.integers(1, 4), st.integers(0, 10**6), st.integers(1, 20))
def test_queries_never_return_the_query_words(V, d, seed, topn):
    rng = np.random.default_rng(seed)
    vectors = rng.integers(-2, 3, size=(V, d)).astype(float)  # duplicates and ties on purpose
    vectors[np.all(vectors == 0, axis=1)] = 1.0
    words = [f"w{i}" for i in range(V)]
    wv = WordVectors(vectors, words)
    positive = list(rng.choice(words, size=int(rng.integers(1, V)), replace=False))
    try:
        got = [w for w, _ in wv.most_similar(positive, topn=topn)]
    except ValueError as error:  # a cancelling query is refused, with its message
        assert "zero vector" in str(error)
        return
    assert not set(got) & set(positive)
    assert len(got) == min(topn, V - len(positive))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: WordVectors(np.eye(2), "ab"), TypeError, "index_to_key must be a list of words, got str"),
    (lambda: WordVectors(np.eye(2), [1, 2]), TypeError, "index_to_key must hold strings"),
    (lambda: WordVectors([["a", "b"], ["c", "d"]], ["x", "y"]), ValueError, "vectors must hold numbers"),
    (lambda: WordVectors(np.eye(2), ["a", "b"], counts=[1]), ValueError, "counts must be 2 non-negative integers"),
    (lambda: WordVectors(np.eye(2), ["a", "b"], counts=[1, -1]), ValueError, "counts must be 2 non-negative"),
    (lambda: WordVectors(np.eye(2), ["a", "b"]).most_similar(positive=5), TypeError,
     "positive must be a word or a list of words, got int"),
    (lambda: WordVectors(np.eye(2), ["a", "b"]).similar_by_vector([1.0, 2.0, 3.0]), ValueError,
     r"vector must have shape \(2,\), got \(3,\)"),
    (lambda: WordVectors(np.eye(2), ["a", "b"]).similar_by_vector([np.nan, 1.0]), ValueError,
     "vector contains NaN"),
    (lambda: knn_indices(np.array([[1.0, 0], [np.inf, 1], [0, 1]]), 1), ValueError, "vectors has 1 row"),
])
def test_bad_word_vectors_input_is_named(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# --------------------------------------------------------------------------------------------------------------
# Memory: kNN over many words is computed in blocks


def test_knn_purity_of_many_words_never_holds_a_v_by_v_matrix(monkeypatch):
    import tracemalloc

    from helpers.space import knn

    monkeypatch.setattr(knn, "BLOCK_BYTES", 2**20)  # 1 MB blocks keep the test small; the rule is the same
    V = 3000
    rng = np.random.default_rng(0)
    wv = WordVectors(rng.normal(size=(V, 8)), [f"w{i}" for i in range(V)])
    classes = {f"w{i}": str(i % 3) for i in range(V)}
    tracemalloc.start()
    purity = knn_purity(wv, classes, k=3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    full_matrix = V * V * 8  # 72 MB: what one (V, V) similarity matrix would take
    assert peak < full_matrix / 8, f"peak {peak / 2**20:.1f} MB"
    # and blocking changes nothing: the neighbours of one full matrix. Two product shapes may round a cosine
    # differently in its last bit (by CPU and BLAS kernel), so near ties may swap: compare the cosines reached.
    unit = wv.unit_vectors
    sims = unit[:200] @ unit.T
    sims[np.arange(200), np.arange(200)] = -np.inf
    blocked = knn_indices(wv.vectors, 3, rows=range(200))
    full = np.array([top_k(r, 3) for r in sims])
    np.testing.assert_allclose(np.take_along_axis(sims, blocked, axis=1), np.take_along_axis(sims, full, axis=1),
                               rtol=0, atol=1e-12)
    assert 0.0 <= purity <= 1.0


@st.composite
def exactly_tied_rows(draw) -> np.ndarray:
    """Rows whose unit vectors, and every cosine between them, are exact in binary floating point.

    Each row is a positive integer times a sign pattern with 1 or 4 non-zero entries (d = 4), so its norm is an
    integer times 1 or 2 and its unit vector holds only 0, +-1/2 and +-1: every product and sum of them is exact
    in any order, with or without FMA, in any BLAS kernel or block shape. Ties (duplicates, multiples,
    orthogonal rows, cosines of +-1/2) are then exact by construction, not by the luck of one CPU's rounding.
    """
    n = draw(st.integers(2, 30))
    rows = []
    for _ in range(n):
        if draw(st.booleans()):
            row = np.zeros(4)
            row[draw(st.integers(0, 3))] = draw(st.sampled_from([-1.0, 1.0]))
        else:
            row = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=4, max_size=4)))
        rows.append(draw(st.integers(1, 3)) * row)
    return np.array(rows)


@given(exactly_tied_rows(), st.integers(1, 29))
def test_knn_indices_break_ties_by_the_lower_row_like_a_stable_sort(vectors, k):
    from fractions import Fraction

    k = min(k, len(vectors) - 1)
    # The exact cosines, in rational arithmetic: the dot product of the sign patterns over the product of norms.
    patterns = np.sign(vectors).astype(int)
    norms = [2 if np.count_nonzero(p) == 4 else 1 for p in patterns]
    exact = [[Fraction(int(patterns[i] @ patterns[j]), norms[i] * norms[j]) for j in range(len(vectors))]
             for i in range(len(vectors))]
    expected = [sorted((j for j in range(len(vectors)) if j != i), key=lambda j: -exact[i][j])[:k]
                for i in range(len(vectors))]  # sorted() is stable: a tie goes to the lower row
    assert set(np.unique(unit_rows(vectors))) <= {-1.0, -0.5, 0.0, 0.5, 1.0}, "the construction is not exact"
    assert knn_indices(vectors, k).tolist() == expected
