"""The gensim comparison guarded like the course's own trainer: the same parameter checks, the same corpus checks
(no pair, subsampling that empties a small corpus) by the same code, and divergence raised, not returned."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import toyworld
from helpers.model import TrainingDiverged
from helpers.evaluation import gensim_word2vec
from helpers.word2vec import train_word2vec

SMALL = [["the", "cat", "sat", "on", "a"]] * 60  # 300 tokens, 5 words: every word is frequent


def toy(n: int = 1500) -> list[list[str]]:
    return [list(s) for s in toyworld.load().sentences[:n]]


BAD = [
    ("lr out of range", dict(lr=1000.0), ValueError, r"lr must be a number > 0 and <= 100, got 1000"),
    ("window=0", dict(window=0), ValueError, r"window must be an integer between 1 and 50, got 0"),
    ("sample=-1", dict(sample=-1), ValueError, r"sample must be a number between 0 and 1, got -1"),
    ("min_lr above lr", dict(lr=0.01, min_lr=0.1), ValueError, r"min_lr must be <= lr"),
    ("a parameter gensim does not take", dict(batch_size=10), TypeError, r"unexpected parameter 'batch_size'"),
    ("a misspelt parameter", dict(smaple=0), TypeError, r"unexpected parameter 'smaple'; did you mean 'sample'\?"),
]


@pytest.mark.parametrize("what, params, error, pattern", BAD, ids=[b[0] for b in BAD])
def test_parameters_are_checked_by_their_one_declaration(what, params, error, pattern):
    with pytest.raises(error, match=pattern):
        gensim_word2vec(SMALL, **params)
    if error is ValueError:  # the course's trainer says the same
        with pytest.raises(error, match=pattern):
            train_word2vec(SMALL, **params)


def test_a_huge_learning_rate_raises_training_diverged_like_the_course_trainer():
    sentences = toy()
    params = dict(lr=100.0, dim=20, min_count=1, sample=0, epochs=1, seed=0)
    with pytest.raises(TrainingDiverged, match=r"training diverged at epoch 1 with lr=100: after epoch 1 gensim's "
                                               r"longest input and output vectors have lengths .* can exceed "
                                               r"max_score=10000; no vectors were returned\. Try lr=10 or smaller"):
        gensim_word2vec(sentences, **params)
    with pytest.raises(TrainingDiverged):
        train_word2vec(sentences, progress=False, **params)


def test_a_sensible_learning_rate_trains_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wv = gensim_word2vec(toy(), dim=20, min_count=1, sample=0, epochs=1, seed=0)
    assert np.isfinite(wv.vectors).all() and len(wv) > 30


def test_nan_after_an_epoch_is_caught():
    from helpers.evaluation.reference import _check_vectors

    W = np.ones((3, 2), dtype=np.float32)
    bad = W.copy()
    bad[1, 0] = np.nan
    _check_vectors(W, W, 1, 0.025, 1e4)  # fine: no error
    with np.errstate(invalid="ignore"), pytest.raises(TrainingDiverged, match=r"lengths nan"):
        _check_vectors(bad, W, 2, 0.025, 1e4)


def test_subsampling_that_empties_a_small_corpus_is_refused_with_the_fix():
    pattern = (r"subsampling would leave about [\d.]+ of the 300 windows per epoch, too few to train on: "
               r"sample=0\.001 drops frequent words.*pass sample=0")
    with pytest.raises(ValueError, match=pattern):
        gensim_word2vec(SMALL, min_count=1)
    with pytest.raises(ValueError, match=pattern):
        train_word2vec(SMALL, min_count=1)
    assert len(gensim_word2vec(SMALL, min_count=1, sample=0, dim=8, epochs=1)) == 5


def test_subsampling_that_drops_most_windows_warns():
    sentences = toy(400)
    with pytest.warns(UserWarning, match=r"subsampling leaves about [\d,]+ of the [\d,]+ windows per epoch "
                                         r"\(\d+%\), so training sees little of the text: .*pass sample=0"):
        gensim_word2vec(sentences, min_count=1, sample=1e-4, dim=8, epochs=1)


@pytest.mark.parametrize("sentences", [[["cat"]], [["cat"], ["dog"]], [["cat", "dog"], ["zoo"]] * 2])
def test_a_corpus_without_a_pair_is_refused_not_answered_with_untrained_vectors(sentences):
    if any(len(s) >= 2 for s in sentences):
        with pytest.raises(ValueError, match=r"no word occurs min_count=5 times"):
            gensim_word2vec(sentences)
        return
    with pytest.raises(ValueError, match=r"the corpus has no \(target, context\) pair: .* give longer sentences "
                                         r"or lower min_count=1"):
        gensim_word2vec(sentences, min_count=1)


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_gensim.py: {len(BAD) + 8} bad inputs to the gensim comparison tried, "
                        f"{len(BAD) + 8} messages checked")
