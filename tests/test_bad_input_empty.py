"""Empty neighbourhoods and silent skips: a measure that has nothing to measure says so and why, a misspelt word is
named with its closest spellings, and a string where a list of words goes is one word."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import evaluation
from helpers.space import UnknownWordError, WordVectors, knn_indices, knn_purity

WV = WordVectors(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]]), ["cat", "dog", "sofa", "couch"])
CLASSES = {"cat": "pet", "dog": "pet", "sofa": "furniture", "couch": "furniture"}

BAD = [
    ("a one-word space", lambda: knn_purity(WordVectors(np.eye(1), ["cat"]), {"cat": "pet"}),
     ValueError, r"knn_purity needs at least 2 words: a word's neighbours are the other words, and this space has 1"),
    ("k as large as the space", lambda: knn_purity(WV, CLASSES, k=4),
     ValueError, r"k=4 neighbours asked for, but with 4 words each word has only 3 others: use k <= 3"),
    ("k=0", lambda: knn_purity(WV, CLASSES, k=0), ValueError, r"k must be an integer >= 1, got 0"),
    ("a misspelt word in words", lambda: knn_purity(WV, CLASSES, k=1, words=["cat", "dgo"]),
     UnknownWordError, r"'dgo' is not in the vocabulary\. Did you mean: dog\?"),
    ("a word without a class", lambda: knn_purity(WV, {"cat": "pet", "dog": "pet"}, k=1, words=["cat", "sofa"]),
     ValueError, r"1 of words have no class in classes \(the first: 'sofa'\).*leave them out, or add their class"),
    ("no classed word", lambda: knn_purity(WV, {"lion": "wild"}, k=1),
     ValueError, r"no word of the vocabulary has a class: nothing to score \(are classes and the vectors"),
    ("words empty", lambda: knn_purity(WV, CLASSES, k=1, words=[]),
     ValueError, r"words is empty: give at least one word to score"),
    ("words a number", lambda: knn_purity(WV, CLASSES, k=1, words=3),
     TypeError, r"words must be a word or a list of words, got int"),
    ("wv not word vectors", lambda: knn_purity(np.eye(3), CLASSES),
     TypeError, r"wv must be a helpers\.space\.WordVectors, got ndarray"),
    ("progress='yes'", lambda: knn_purity(WV, CLASSES, k=1, progress="yes"),
     ValueError, r"progress must be one of True, False, 'auto'"),
    ("no pair known", lambda: evaluation.word_similarity(WV, [("lion", "tiger", 9.0), ("car", "bus", 7.0)]),
     ValueError, r"none of the 2 pairs has both words in the vocabulary \(e\.g\. \('lion', 'tiger'\), "
                 r"\('car', 'bus'\)\), so there is nothing to rank: check that normalize"),
    ("no pair at all", lambda: evaluation.word_similarity(WV, []),
     ValueError, r"pairs is empty: give rated word pairs, e\.g\. load_word_pairs\('wordsim353\.tsv'\)"),
]


@pytest.mark.parametrize("what, call, error, pattern", BAD, ids=[b[0] for b in BAD])
def test_nothing_to_measure_is_said_with_the_fix(what, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_one_string_is_one_word():
    assert knn_purity(WV, CLASSES, k=1, words="cat") == knn_purity(WV, CLASSES, k=1, words=["cat"]) == 1.0
    assert knn_purity(WV, CLASSES, k=3, words="sofa") == pytest.approx(1 / 3)


def test_the_blocked_knn_reports_progress_and_matches_one_block(monkeypatch):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 8))
    whole = knn_indices(vectors, 5)
    from helpers.space import knn

    monkeypatch.setattr(knn, "BLOCK_BYTES", 300 * 8 * 7)  # 7 rows a block: 43 blocks
    done = []
    assert np.array_equal(knn_indices(vectors, 5, progress=done.append), whole)
    assert sum(done) == 300 and len(done) == 43


def test_a_big_space_shows_a_bar(monkeypatch):
    from helpers.plots import progress as progress_module

    shown = []
    monkeypatch.setattr(progress_module, "_in_kernel", lambda: False)
    real = progress_module.Progress

    class Spy(real):
        def __init__(self, total, description, show, unit="examples"):
            shown.append((total, description, show))
            super().__init__(total, description, show, unit)

    monkeypatch.setattr(progress_module, "Progress", Spy)
    wv = WordVectors(np.random.default_rng(0).normal(size=(50, 4)), [f"w{i}" for i in range(50)])
    classes = {w: str(i % 3) for i, w in enumerate(wv.index_to_key)}
    assert knn_purity(wv, classes, k=2, progress=False) == knn_purity(wv, classes, k=2, progress=True)
    assert shown == [(50, "kNN purity of 50 words", True)]
    knn_purity(wv, classes, k=2)  # "auto": 50 x 50 x 4 multiply-adds take no time, no bar
    assert len(shown) == 1


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_empty.py: {len(BAD) + 2} empty or misspelt inputs tried, {len(BAD)} "
                        "messages checked")
