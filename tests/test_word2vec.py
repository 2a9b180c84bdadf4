"""Tests of helpers.word2vec: the vectorized whole-corpus trainer.

Learning is checked on the toy world, whose word classes are known: before training the space is random
(purity near chance, cos(cat, dog) near 0), after a few seconds of training it is not. The fast kernels are
checked against slow, obvious references (np.add.at, nested loops over sentences).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import word2vec
from helpers.neighbors import knn_purity
from helpers.toyworld import generate
from helpers.training import TrainingDiverged
from helpers.word2vec import _add_rows, _Workspace, context_windows, starting_vectors, train_word2vec

# Small and quick, yet enough for the toy world to reach clear structure (about a second per run).
TOY = dict(dim=50, window=3, epochs=10, min_count=1, progress=False)


@pytest.fixture(scope="module")
def world():
    return generate(seed=0)


@pytest.fixture(scope="module")
def trained(world):
    return {model: train_word2vec(world.sentences, model=model, seed=0, **TOY) for model in ("skipgram", "cbow")}


def purity(wv, world) -> float:
    return knn_purity(wv, world.classes, k=5, words=world.evaluated_words())


def chance_purity(world) -> float:
    """Expected purity of random neighbours: a word's classmates among all other vocabulary words."""
    words = world.evaluated_words()
    vocab = {w for s in world.sentences for w in s}
    sizes = {c: sum(1 for w in vocab if world.classes.get(w) == c) for c in set(world.classes.values())}
    return float(np.mean([(sizes[world.classes[w]] - 1) / (len(vocab) - 1) for w in words]))


# ----------------------------------------------------------------------------------------------------------------
# Learning


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_training_turns_a_random_space_into_one_with_classes(world, trained, model):
    before = starting_vectors(world.sentences, dim=TOY["dim"], min_count=TOY["min_count"], seed=0)
    after = trained[model]
    assert after.index_to_key == before.index_to_key
    chance = chance_purity(world)
    assert purity(before, world) < chance + 0.1, "the starting vectors should be random"
    assert abs(before.similarity("cat", "dog")) < 0.3
    assert purity(after, world) >= 0.9
    assert after.similarity("cat", "dog") >= 0.7


def test_starting_vectors_are_where_training_starts(world):
    """One minibatch at a tiny learning rate barely moves the vectors away from starting_vectors."""
    sentences = world.sentences[:50]
    start = starting_vectors(sentences, dim=8, min_count=1, seed=3)
    moved = train_word2vec(sentences, dim=8, min_count=1, seed=3, epochs=1, lr=1e-6, min_lr=0.0, progress=False)
    assert np.allclose(moved.vectors, start.vectors, atol=1e-6)
    assert not np.allclose(start.vectors, starting_vectors(sentences, dim=8, min_count=1, seed=4).vectors)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_loss_falls(trained, model):
    losses = np.array([loss for _, loss in trained[model].loss_history])
    tenth = max(1, len(losses) // 10)
    first, last = losses[:tenth].mean(), losses[-tenth:].mean()
    assert np.all(np.isfinite(losses))
    assert last < 0.75 * first, f"mean loss went from {first:.3f} to {last:.3f}"
    seen = [n for n, _ in trained[model].loss_history]
    assert seen == sorted(seen) and seen[0] > 0


def test_result_carries_output_vectors_and_counts(world, trained):
    wv = trained["skipgram"]
    assert wv.vectors.shape == wv.output_vectors.shape == (len(wv), TOY["dim"])
    assert wv.vectors.dtype == np.float32
    counts = {w: 0 for w in wv.index_to_key}
    for sentence in world.sentences:
        for w in sentence:
            counts[w] += 1
    assert list(wv.counts) == [counts[w] for w in wv.index_to_key]
    assert np.all(np.diff(wv.counts) <= 0), "most frequent word first"


# ----------------------------------------------------------------------------------------------------------------
# Reproducibility


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_same_seed_gives_identical_vectors_and_other_seeds_do_not(world, model):
    sentences = world.sentences[:600]
    settings_ = dict(model=model, dim=16, window=2, epochs=2, min_count=1, progress=False)
    first = train_word2vec(sentences, seed=7, **settings_)
    again = train_word2vec(sentences, seed=7, **settings_)
    other = train_word2vec(sentences, seed=8, **settings_)
    assert np.array_equal(first.vectors, again.vectors)
    assert np.array_equal(first.output_vectors, again.output_vectors)
    assert first.loss_history == again.loss_history
    assert not np.allclose(first.vectors, other.vectors)


def test_accepts_any_iterable_of_token_sequences(world):
    sentences = world.sentences[:300]
    settings_ = dict(dim=8, window=2, epochs=1, min_count=1, progress=False, seed=1)
    from_list = train_word2vec(sentences, **settings_)
    from_generator = train_word2vec((tuple(s) for s in sentences), **settings_)
    assert np.array_equal(from_list.vectors, from_generator.vectors)


# ----------------------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window": 0}, r"window must be an integer >= 1, got 0"),
        ({"dim": 0}, r"dim must be an integer >= 1, got 0"),
        ({"negative": 0}, r"negative must be an integer >= 1, got 0"),
        ({"negative": -1}, r"negative must be an integer >= 1, got -1"),
        ({"lr": 0.0}, r"lr must be a number > 0.0, got 0.0"),
        ({"lr": -0.1}, r"lr must be a number > 0.0, got -0.1"),
        ({"epochs": 0}, r"epochs must be an integer >= 1, got 0"),
        ({"min_count": 0}, r"min_count must be an integer >= 1, got 0"),
        ({"batch_size": 0}, r"batch_size must be an integer >= 1, got 0"),
        ({"sample": 1.5}, r"sample must be a number >= 0.0 and <= 1.0, got 1.5"),
        ({"min_lr": 0.5}, r"min_lr must be a number >= 0.0 and <= 0.025, got 0.5"),
        ({"dim": 2.5}, r"dim must be an integer >= 1, got 2.5"),
        ({"model": "glove"}, r"model must be one of 'skipgram', 'cbow', got 'glove'"),
        ({"progress": "yes"}, r"progress must be True, False or 'auto', got 'yes'"),
        ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ],
)
def test_bad_parameters_name_the_parameter_and_its_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_word2vec([["a", "b", "c"]] * 3, min_count=kwargs.pop("min_count", 1), **kwargs)


@pytest.mark.parametrize(
    ("sentences", "error", "message"),
    [
        ([], ValueError, r"corpus is empty"),
        ([[], []], ValueError, r"corpus is empty"),
        ([["a"], ["b"], ["a"]], ValueError, r"no \(target, context\) pair.*min_count"),
        ([["rare", "words"], ["only", "once"]], ValueError, r"no word occurs min_count=2 times"),
        ([["a", 1, "b"]], TypeError, r"sentence 0, token 1 is 1 \(int\); every token must be a string"),
        ([["a", "b"], ["c", None]], TypeError, r"sentence 1, token 1 is None"),
        ([["a", ["b"]]], TypeError, r"sentence 0, token 1 is \['b'\] \(list\)"),
        (["a sentence as one string"], TypeError, r"sentence 0 is a string; split it into tokens first"),
        ("one string", TypeError, r"not one string"),
    ],
)
def test_bad_corpus_gets_a_clear_message(sentences, error, message):
    with pytest.raises(error, match=message):
        train_word2vec(sentences, min_count=2 if "rare" in str(sentences) else 1, progress=False)


def test_no_pair_after_min_count(world):
    # Every word occurs, but only "the" survives min_count, and never twice in a sentence.
    sentences = [["the", f"w{i}"] for i in range(10)]
    with pytest.raises(ValueError, match=r"no \(target, context\) pair"):
        train_word2vec(sentences, min_count=2, progress=False)


# ----------------------------------------------------------------------------------------------------------------
# Divergence


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_diverging_learning_rate_raises_with_step_and_a_smaller_lr(world, model):
    with pytest.raises(TrainingDiverged) as caught:
        train_word2vec(world.sentences, model=model, lr=1000.0, seed=0, **TOY)
    error = caught.value
    assert error.step >= 1
    assert error.lr == 1000.0
    assert 0 < error.suggested_lr < 1000.0
    assert f"minibatch {error.step}" in str(error)
    assert f"lr={error.suggested_lr:g}" in str(error)


def test_divergence_is_caught_before_nan_gets_out(world, monkeypatch):
    """Even if the dot-product limit is never reached, non-finite numbers stop the run instead of being returned."""
    with pytest.raises(TrainingDiverged):
        train_word2vec(world.sentences, lr=1e30, max_score=float(np.finfo(np.float64).max), seed=0, **TOY)


def test_a_healthy_run_is_not_stopped_by_large_scores(world):
    """Scores past 17 saturate a float32 sigmoid; that is not divergence."""
    wv = train_word2vec(world.sentences, lr=0.3, seed=0, **TOY)
    assert np.isfinite(wv.vectors).all()
    assert np.isfinite([loss for _, loss in wv.loss_history]).all()


# ----------------------------------------------------------------------------------------------------------------
# Progress bar


@pytest.mark.parametrize("progress", [True, False, "auto"])
def test_progress_bar_outside_a_kernel_is_silent_and_harmless(world, capsys, progress):
    wv = train_word2vec(world.sentences[:300], dim=8, window=2, epochs=1, min_count=1, progress=progress)
    assert len(wv) > 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# ----------------------------------------------------------------------------------------------------------------
# Kernels against slow references


@settings(max_examples=40, deadline=None)
@given(
    vocab=st.integers(1, 5_000),
    entries=st.integers(1, 300),
    dim=st.integers(1, 7),
    seed=st.integers(0, 2**32 - 1),
)
def test_add_rows_sums_repeated_rows_like_add_at(vocab, entries, dim, seed):
    rng = np.random.default_rng(seed)
    # Few distinct rows, so repeats are common; sometimes all rows the same.
    rows = rng.integers(0, vocab, size=entries)
    rows = rng.choice(np.unique(rows)[:3], size=entries) if seed % 3 == 0 else rows
    updates = rng.normal(size=(entries, dim)).astype(np.float32)
    start = rng.normal(size=(vocab, dim)).astype(np.float32)
    expected = start.astype(np.float64)
    np.add.at(expected, rows, updates)
    got = start.copy()
    _add_rows(got, rows.astype(np.int32), updates, _Workspace())
    assert np.allclose(got, expected, atol=1e-4)


def test_public_fallback_accumulates_like_add_at(monkeypatch):
    """Without scipy's private kernel, the public sparse-matrix path must give the same sums."""
    monkeypatch.setattr(word2vec, "_csc_matvecs", None)
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(500, 4)).astype(np.float32)
    rows = rng.integers(0, 500, size=2000)
    updates = rng.normal(size=(2000, 4)).astype(np.float32)
    expected = matrix.astype(np.float64)
    np.add.at(expected, rows, updates)
    _add_rows(matrix, rows, updates, _Workspace())
    assert np.allclose(matrix, expected, atol=1e-4)


def brute_force_windows(sentences: list[list[int]], reach: list[list[int]], window: int, pad: int) -> list[list[int]]:
    rows = []
    for sentence, sentence_reach in zip(sentences, reach):
        for i in range(len(sentence)):
            row = []
            for offset in [*range(-window, 0), *range(1, window + 1)]:
                j = i + offset
                inside = 0 <= j < len(sentence) and abs(offset) <= sentence_reach[i]
                row.append(sentence[j] if inside else pad)
            rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 9), min_size=1, max_size=8),
    window=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_context_windows_match_a_loop_over_sentences(lengths, window, seed):
    rng = np.random.default_rng(seed)
    sentences = [list(rng.integers(0, 6, size=n)) for n in lengths]
    reach = [list(rng.integers(1, window + 1, size=n)) for n in lengths]
    ids = np.array([w for s in sentences for w in s], dtype=np.int32)
    sentence = np.repeat(np.arange(len(lengths)), lengths)
    flat_reach = np.array([r for rs in reach for r in rs], dtype=np.int64)
    got = context_windows(ids, sentence, flat_reach, window, pad=99)
    assert got.shape == (len(ids), 2 * window)
    assert got.tolist() == brute_force_windows(sentences, reach, window, pad=99)


def test_toy_vocabulary_caps_the_batch():
    assert word2vec.auto_batch_size(96, 2048) == 96
    assert word2vec.auto_batch_size(50_000, 2048) == 2048
    assert word2vec.auto_batch_size(3, 2048) == 16


# ----------------------------------------------------------------------------------------------------------------
# Training a few epochs at a time


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_epochs_split_over_calls_give_the_same_vectors_as_one_run(world, model):
    sentences = world.sentences[:800]
    settings_ = dict(model=model, dim=12, window=2, epochs=3, min_count=1, seed=5, progress=False)
    trainer = word2vec.Word2VecTrainer(sentences, **settings_)
    after_one = trainer.train(1)
    assert trainer.epochs_done == 1
    rest = trainer.train()
    assert trainer.epochs_done == 3
    whole = train_word2vec(sentences, **settings_)
    assert np.array_equal(rest.vectors, whole.vectors)
    assert rest.loss_history == whole.loss_history
    assert not np.array_equal(after_one.vectors, rest.vectors), "train() must return a copy, not a live view"
    with pytest.raises(ValueError, match=r"epochs must be an integer between 0 and 0, got 1"):
        trainer.train(1)
    assert np.array_equal(trainer.train().vectors, rest.vectors), "nothing left to train: vectors unchanged"


def test_a_trainer_that_diverged_refuses_to_go_on(world):
    trainer = word2vec.Word2VecTrainer(world.sentences, lr=1000.0, seed=0, **TOY)
    with pytest.raises(TrainingDiverged):
        trainer.train()
    with pytest.raises(RuntimeError, match="diverg"):
        trainer.train()
    with pytest.raises(RuntimeError, match="diverg"):
        trainer.word_vectors()


def test_asking_for_more_epochs_than_remain_is_refused(world):
    trainer = word2vec.Word2VecTrainer(world.sentences[:100], dim=4, min_count=1, epochs=2, progress=False)
    with pytest.raises(ValueError, match=r"epochs must be an integer between 1 and 2, got 3"):
        trainer.train(3)


@pytest.mark.parametrize("compiled", [True, False])
def test_add_products_sums_weighted_rows_like_add_at(monkeypatch, compiled):
    if not compiled:
        monkeypatch.setattr(word2vec, "_csc_matvecs", None)
    rng = np.random.default_rng(4)
    matrix = rng.normal(size=(300, 5)).astype(np.float32)
    rows = rng.integers(0, 300, size=(400, 3))
    rows[::7] = rows[0]  # repeats across columns
    weights = rng.normal(size=(400, 3)).astype(np.float32)
    dense = rng.normal(size=(400, 5)).astype(np.float32)
    expected = matrix.astype(np.float64)
    np.add.at(expected, rows.ravel(), (weights[:, :, None] * dense[:, None, :]).reshape(-1, 5))
    word2vec._add_products(matrix, rows, weights, dense)
    assert np.allclose(matrix, expected, atol=1e-4)
