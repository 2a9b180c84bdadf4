"""Tests of helpers.word2vec's trainer: learning, reproducibility, the learning-rate schedule, bad input, divergence.

Learning is checked on the toy world, whose word classes are known: before training the space is random (purity
near chance, cos(cat, dog) near 0), after a second of training it is not. The kernels are held to helpers.model.losses in
test_word2vec_kernels.py, the streamed batches to brute-force windows in test_word2vec_batching.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from helpers.space import knn_purity
from helpers.model import TrainingDiverged
from helpers.word2vec import Word2VecTrainer, kernels, starting_vectors, train_word2vec

# Small and quick, yet enough for the toy world to reach clear structure (well under a second per run).
TOY = dict(dim=50, window=3, epochs=10, min_count=1, progress=False)
SEED_SENTENCE = [["i", "saw", "a", "mole", "at", "the", "zoo"]]


@pytest.fixture(scope="module")
def trained(toy_world):
    return {model: train_word2vec(toy_world.sentences, model=model, seed=0, **TOY) for model in ("skipgram", "cbow")}


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
def test_training_turns_a_random_space_into_one_with_classes(toy_world, trained, model):
    before = starting_vectors(toy_world.sentences, dim=TOY["dim"], min_count=TOY["min_count"], seed=0)
    after = trained[model]
    assert after.index_to_key == before.index_to_key
    assert purity(before, toy_world) < chance_purity(toy_world) + 0.1, "the starting vectors should be random"
    assert abs(before.similarity("cat", "dog")) < 0.3
    assert purity(after, toy_world) >= 0.9
    assert after.similarity("cat", "dog") >= 0.7


def test_two_workers_learn_as_well(toy_world):
    trainer = Word2VecTrainer(toy_world.sentences, seed=0, workers=2, **TOY)
    wv = trainer.train()
    assert purity(wv, toy_world) >= 0.9 and wv.similarity("cat", "dog") >= 0.7
    assert trainer.steps_done == len(trainer.loss_history) and trainer.epochs_done == TOY["epochs"]


def test_starting_vectors_are_where_training_starts(toy_world):
    """A tiny learning rate barely moves the vectors away from starting_vectors."""
    sentences = toy_world.sentences[:50]
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


def test_result_carries_output_vectors_and_counts(toy_world, trained):
    wv = trained["skipgram"]
    assert wv.vectors.shape == wv.output_vectors.shape == (len(wv), TOY["dim"])
    assert wv.vectors.dtype == np.float32
    counts = dict.fromkeys(wv.index_to_key, 0)
    for sentence in toy_world.sentences:
        for w in sentence:
            counts[w] += 1
    assert list(wv.counts) == [counts[w] for w in wv.index_to_key]


def test_learning_rate_falls_linearly_from_lr_to_min_lr_over_all_epochs(toy_world, monkeypatch):
    rates = []

    def recording(w_in, w_out, contexts, counts, centres, negatives, lr):
        rates.append(lr)
        return kernels.skipgram_batch(w_in, w_out, contexts, counts, centres, negatives, lr)

    monkeypatch.setitem(kernels.KERNELS, "skipgram", recording)
    trainer = Word2VecTrainer(toy_world.sentences, dim=8, window=2, epochs=3, min_count=1, lr=0.05, min_lr=0.01,
                              progress=False)
    trainer.train(1)
    trainer.train(2)
    rates = np.array(rates)
    assert rates[0] == pytest.approx(0.05, rel=0.01) and rates[-1] == pytest.approx(0.01, rel=0.01)
    assert np.all(np.diff(rates) <= 1e-12), "the learning rate never rises"
    third = len(rates) // 3
    assert rates[third] == pytest.approx(0.05 - (0.05 - 0.01) / 3, rel=0.02), "linear over the whole run"


# ----------------------------------------------------------------------------------------------------------------
# Reproducibility and training in parts


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_same_seed_gives_identical_vectors_and_other_seeds_do_not(toy_world, model):
    settings_ = dict(model=model, dim=16, window=2, epochs=2, min_count=1, progress=False)
    first = train_word2vec(toy_world.sentences[:600], seed=7, **settings_)
    again = train_word2vec(toy_world.sentences[:600], seed=7, **settings_)
    other = train_word2vec(toy_world.sentences[:600], seed=8, **settings_)
    assert np.array_equal(first.vectors, again.vectors)
    assert np.array_equal(first.output_vectors, again.output_vectors)
    assert first.loss_history == again.loss_history
    assert not np.allclose(first.vectors, other.vectors)


def test_accepts_any_iterable_of_token_sequences(toy_world):
    settings_ = dict(dim=8, window=2, epochs=1, min_count=1, progress=False, seed=1)
    from_list = train_word2vec(toy_world.sentences[:300], **settings_)
    from_generator = train_word2vec((tuple(s) for s in toy_world.sentences[:300]), **settings_)
    assert np.array_equal(from_list.vectors, from_generator.vectors)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_epochs_split_over_calls_give_the_same_vectors_as_one_run(toy_world, model):
    settings_ = dict(model=model, dim=12, window=2, epochs=3, min_count=1, seed=5, progress=False)
    trainer = Word2VecTrainer(toy_world.sentences[:800], **settings_)
    after_one = trainer.train(1)
    assert trainer.epochs_done == 1
    rest = trainer.train()
    assert trainer.epochs_done == 3 and trainer.steps_done == len(rest.loss_history)
    whole = train_word2vec(toy_world.sentences[:800], **settings_)
    assert np.array_equal(rest.vectors, whole.vectors)
    assert rest.loss_history == whole.loss_history
    assert not np.array_equal(after_one.vectors, rest.vectors), "train() must return a copy, not a live view"
    assert np.array_equal(trainer.train().vectors, rest.vectors), "nothing left to train: vectors unchanged"


def test_training_past_the_last_epoch_says_the_run_is_finished(toy_world):
    """Notebook 06 re-run: trainer.train(1) after all epochs."""
    trainer = Word2VecTrainer(toy_world.sentences[:100], dim=4, min_count=1, epochs=2, progress=False)
    with pytest.raises(ValueError, match=r"epochs must be an integer between 1 and 2, got 3"):
        trainer.train(3)
    trainer.train()
    with pytest.raises(RuntimeError, match=r"all 2 epochs are done.*new Word2VecTrainer with a larger epochs"):
        trainer.train(1)


def test_speed_before_training_is_a_clear_error_not_a_division_by_zero(toy_world):
    trainer = Word2VecTrainer(toy_world.sentences[:100], dim=4, min_count=1, epochs=1, progress=False)
    with pytest.raises(RuntimeError, match=r"no epoch has been trained yet: call train\(\) first"):
        trainer.words_per_second
    trainer.train()
    assert trainer.words_per_second > 0


# ----------------------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window": 0}, r"window must be an integer between 1 and 50, got 0"),
        ({"dim": 10**9}, r"dim must be an integer between 1 and 10000, got 1000000000"),
        ({"negative": 10**4}, r"negative must be an integer between 1 and 50, got 10000"),
        ({"lr": 1e308}, r"lr must be a number > 0 and <= 100, got 1e\+308"),
        ({"lr": 0.0}, r"lr must be a number > 0 and <= 100, got 0.0"),
        ({"min_lr": 0.5}, r"min_lr must be <= lr"),
        ({"model": "glove"}, r"model must be one of 'skipgram', 'cbow', got 'glove'"),
        ({"progress": "yes"}, r"progress must be one of True, False, 'auto', got 'yes'"),
        ({"workers": 3}, r"workers must be an integer between 1 and 2, got 3"),
    ],
)
def test_bad_parameters_name_the_parameter_and_its_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_word2vec([["a", "b", "c"]] * 3, min_count=1, **kwargs)


def test_a_misspelt_parameter_is_named_with_the_closest_valid_one():
    with pytest.raises(TypeError, match=r"unexpected parameter 'windows'; did you mean 'window'\?"):
        train_word2vec([["a", "b", "c"]] * 3, min_count=1, windows=3)


@pytest.mark.parametrize(
    ("sentences", "error", "message"),
    [
        (None, TypeError, r"sentences must be a list of token lists.*not NoneType"),
        ("one string", TypeError, r"not one string"),
        (iter([]), ValueError, r"iterator that yielded nothing: was it used up already"),
        ([], ValueError, r"corpus is empty"),
        ([["a"], ["b"], ["a"]], ValueError, r"no \(target, context\) pair.*min_count"),
        ([["a", 1, "b"]], TypeError, r"sentence 0, token 1 is 1 \(int\); every token must be a string"),
        ([["a", ["b"]]], TypeError, r"sentence 0, token 1 is \['b'\] \(list\)"),
        (["a sentence as one string"], TypeError, r"sentence 0 is a string .*; split it into tokens first"),
    ],
)
def test_bad_corpus_gets_a_clear_message(sentences, error, message):
    with pytest.raises(error, match=message):
        train_word2vec(sentences, min_count=1, progress=False)


def test_subsampling_that_empties_a_tiny_corpus_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"leave about 0.3 of the 7 windows per epoch.*pass sample=0"):
        train_word2vec(SEED_SENTENCE, min_count=1)
    wv = train_word2vec(SEED_SENTENCE, min_count=1, sample=0, dim=4)  # the fix works
    assert len(wv.loss_history) > 0


def test_subsampling_that_keeps_little_of_the_text_says_so(toy_world):
    with pytest.warns(UserWarning, match=r"subsampling leaves about .* windows per epoch \(\d+%\).*pass sample=0"):
        train_word2vec(toy_world.sentences[:300], min_count=1, sample=1e-4, dim=4, epochs=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default on the whole toy world keeps enough: no warning
        train_word2vec(toy_world.sentences, min_count=1, dim=4, epochs=1, progress=False)


def test_embedding_matrices_too_large_for_memory_are_refused_before_allocating():
    sentences = [[f"w{i}", f"v{i}"] for i in range(30_000)]
    with pytest.raises(ValueError, match=r"dim=10000 with 60,000 words needs 4.5 GiB.*lower dim, or raise min_count"):
        Word2VecTrainer(sentences, dim=10_000, min_count=1)


# ----------------------------------------------------------------------------------------------------------------
# Divergence


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_divergence_raises_with_the_minibatch_and_a_checked_lr_that_works(toy_world, model):
    settings_ = dict(TOY, model=model, seed=0)
    with pytest.raises(TrainingDiverged) as caught:
        train_word2vec(toy_world.sentences, **{**settings_, "lr": 100.0})
    error = caught.value
    assert error.unit == "minibatch" and error.step >= 1 and error.lr == 100.0
    assert f"at minibatch {error.step} with lr=100" in str(error)
    assert error.checked and 0 < error.suggested_lr <= 0.025
    wv = train_word2vec(toy_world.sentences, **{**settings_, "lr": error.suggested_lr})  # the whole run works
    assert np.isfinite(wv.vectors).all()


def test_the_last_minibatch_is_checked_too(monkeypatch):
    """A kernel reports the scores it saw *before* each step, so the last minibatch's steps are seen only by the
    check of the vectors after the run: a kernel that reports nothing wrong must still be caught."""
    real = kernels.KERNELS["skipgram"]

    def quiet(*args):
        result = real(*args)
        return kernels.BatchResult(result.loss, result.loss_examples, result.examples, 0.0)

    monkeypatch.setitem(kernels.KERNELS, "skipgram", quiet)
    trainer = Word2VecTrainer([["cat", "dog"]], min_count=1, sample=0, dim=4, epochs=1, lr=50.0, max_score=1e-4,
                              progress=False)
    with pytest.raises(TrainingDiverged, match=r"after minibatch 2 the longest input and output vectors"):
        trainer.train()
    assert trainer.steps_done == 2  # two windows, one per minibatch (an epoch has up to 200 minibatches)
    with pytest.raises(RuntimeError, match="diverg"):
        trainer.train()
    with pytest.raises(RuntimeError, match="diverg"):
        trainer.word_vectors()


def test_a_healthy_run_is_not_stopped_by_large_scores(toy_world):
    """Scores past 17 saturate a float32 sigmoid; that is not divergence."""
    wv = train_word2vec(toy_world.sentences, lr=0.15, seed=0, **TOY)
    assert np.isfinite(wv.vectors).all() and np.isfinite([loss for _, loss in wv.loss_history]).all()


# ----------------------------------------------------------------------------------------------------------------
# Progress is a callback


def test_progress_callback_hears_the_run_and_its_end(toy_world):
    reports = []
    trainer = Word2VecTrainer(toy_world.sentences, dim=8, epochs=2, min_count=1, progress=reports.append)
    trainer.train(1)
    assert 50 <= len(reports) <= 210
    assert [r.finished for r in reports] == [False] * (len(reports) - 1) + [True]
    done = [r.done for r in reports]
    assert done == sorted(done) and reports[-1].done == pytest.approx(reports[-1].total, rel=0.1)
    assert reports[-1].description == "skipgram epoch 1 of 2" and reports[-1].note.startswith("done: epoch 1 of 2")


def test_the_trainer_imports_no_widget():
    code = ("import sys; from helpers.word2vec import train_word2vec; "
            "train_word2vec([['a', 'b', 'c']] * 20, min_count=1, sample=0, dim=4, progress=True); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("progress", [True, False, "auto"])
def test_progress_bar_outside_a_kernel_is_silent_and_harmless(toy_world, capsys, progress):
    wv = train_word2vec(toy_world.sentences[:300], dim=8, window=2, epochs=1, min_count=1, progress=progress)
    assert len(wv) > 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_two_workers_stop_at_a_divergence_and_pass_on_errors(toy_world, monkeypatch):
    with pytest.raises(TrainingDiverged, match=r"at minibatch \d+ with lr=100"):
        train_word2vec(toy_world.sentences, lr=100.0, workers=2, **TOY)

    def broken(*args):
        raise MemoryError("no room in this thread")

    monkeypatch.setitem(kernels.KERNELS, "skipgram", broken)
    with pytest.raises(MemoryError, match="no room in this thread"):  # not lost inside the thread
        train_word2vec(toy_world.sentences, workers=2, **TOY)


def test_load_kernels_loads_exactly_what_training_runs():
    """A benchmark calls load_kernels() before its timer: training must then compile or load nothing more (a kernel
    loaded for other argument types would be loaded again inside the timed run). A fresh process: no kernel yet."""
    code = ("from helpers.word2vec import kernels, batching, load_kernels, train_word2vec\n"
            "compiled = [kernels._skipgram, kernels._cbow, batching._fill_windows]\n"
            "assert not any(f.signatures for f in compiled)\n"
            "seconds = load_kernels()\n"
            "loaded = [list(f.signatures) for f in compiled]\n"
            "for model in ('skipgram', 'cbow'):\n"
            "    for workers in (1, 2):\n"
            "        train_word2vec([['a', 'b', 'c', 'd']] * 50, model=model, workers=workers, min_count=1, sample=0,\n"
            "                       dim=4, epochs=1, progress=False)\n"
            "print(seconds > 0, all(s for s in loaded), [list(f.signatures) for f in compiled] == loaded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True True"


def test_a_kernel_built_for_another_cpu_trains_the_same_vectors_to_float32_rounding(tmp_path, measurements):
    """The kernels are compiled for the machine they run on, with fastmath (sums may be reordered, FMA used), so
    vectors are bit-identical on one kind of CPU but not across kinds. Built for a generic x86-64 instead of this
    CPU, they agree to float32 rounding (measured 5e-7 on lee_background, 2 epochs): what keeps the saved
    notebooks' 2- and 3-decimal outputs the same on a student's or a CI machine's processor."""
    code = ("import sys, numpy as np\n"
            "from helpers.word2vec import train_word2vec\n"
            "rng = np.random.default_rng(0)\n"
            "rows = (rng.zipf(1.2, size=(2000, 12)) % 300).tolist()\n"
            "sentences = [[f'w{i}' for i in row] for row in rows]\n"
            "for model in ('skipgram', 'cbow'):\n"
            "    wv = train_word2vec(sentences, model=model, dim=16, epochs=3, min_count=2, seed=3, progress=False)\n"
            "    np.save(f'{sys.argv[1]}-{model}.npy', wv.vectors)\n")
    builds = {"this cpu": {}, "generic": {"NUMBA_CPU_NAME": "generic", "NUMBA_CACHE_DIR": str(tmp_path / "cache")}}
    for name, env in builds.items():
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], env={**os.environ, **env}, check=True)
    for model in ("skipgram", "cbow"):
        here, generic = (np.load(tmp_path / f"{name}-{model}.npy") for name in builds)
        gap = float(np.abs(here - generic).max())
        measurements.append(f"word2vec {model}, kernels built for a generic x86-64 against this CPU: vectors differ "
                            f"by at most {gap:.1e} (largest entry {np.abs(here).max():.2f})")
        assert gap < 1e-4 * np.abs(here).max(), model
