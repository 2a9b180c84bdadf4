"""Tests of helpers.model.StepTrainer: one step is exactly one SGD update, seeded runs replay bit for bit,
divergence is caught before it does damage, and bad input gets a clear error."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from helpers.model import StepTrainer, TrainingDiverged, init_vectors, negative_sampling_loss, softmax_skipgram_loss
from helpers.space import cosine_similarity


def expected_update(trainer: StepTrainer, record, w_in: np.ndarray, w_out: np.ndarray):
    """Recompute one update from the matrices before it, the slow way: (loss, new W_in, new W_out)."""
    t, c, lr = record.target_id, record.context_id, record.lr
    new_in, new_out = w_in.copy(), w_out.copy()
    if record.loss_name == "negative_sampling":
        negs = [int(n) for n in record.negative_ids]
        out = negative_sampling_loss(w_in[t], w_out[c], w_out[negs])
        new_out[c] -= lr * out.grads["context_out"]
        for row, grad in zip(negs, out.grads["negatives_out"]):  # a word drawn twice gets both nudges
            new_out[row] -= lr * grad
    else:
        out = softmax_skipgram_loss(w_in[t], w_out, c)
        new_out -= lr * out.grads["all_out"]
    new_in[t] -= lr * out.grads["target_in"]
    return out, new_in, new_out


def assert_one_exact_update(trainer: StepTrainer, n_steps: int) -> list:
    records = []
    for _ in range(n_steps):
        w_in, w_out = trainer.W_in.copy(), trainer.W_out.copy()
        steps, history = trainer.steps_done, list(trainer.loss_history)
        record = trainer.step()
        out, new_in, new_out = expected_update(trainer, record, w_in, w_out)
        # What the record says it started from is what the matrices held.
        assert np.array_equal(record.before["target_in"], w_in[record.target_id])
        if record.loss_name == "negative_sampling":
            assert np.array_equal(record.before["context_out"], w_out[record.context_id])
            assert np.array_equal(record.before["negatives_out"], w_out[record.negative_ids])
            assert len(record.negative_ids) == trainer.negative
        else:
            assert np.array_equal(record.before["all_out"], w_out)
        # One step is the SGD step on the losses.py gradients, to float64 rounding: the trainer and losses.py take
        # other BLAS call shapes, which round the last bit differently on some CPUs (OPENBLAS_CORETYPE=Prescott).
        assert trainer.W_in.dtype == trainer.W_out.dtype == np.float64
        assert record.loss == pytest.approx(out.loss, rel=1e-12)
        np.testing.assert_allclose(trainer.W_in, new_in, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(trainer.W_out, new_out, rtol=1e-12, atol=1e-15)
        # Every row the update does not touch is unchanged, bit for bit.
        untouched_in = np.ones(len(w_in), bool)
        untouched_in[record.target_id] = False
        assert np.array_equal(trainer.W_in[untouched_in], w_in[untouched_in])
        if record.loss_name == "negative_sampling":
            untouched_out = np.ones(len(w_out), bool)
            untouched_out[[record.context_id, *record.negative_ids]] = False
            assert np.array_equal(trainer.W_out[untouched_out], w_out[untouched_out])
            assert np.array_equal(record.after["negatives_out"], trainer.W_out[record.negative_ids])
            assert np.array_equal(record.after["context_out"], trainer.W_out[record.context_id])
        else:
            assert np.array_equal(record.after["all_out"], trainer.W_out)
        assert np.array_equal(record.after["target_in"], trainer.W_in[record.target_id])
        assert trainer.steps_done == steps + 1 == record.step
        assert trainer.loss_history == history + [record.loss]
        records.append(record)
    return records


# --------------------------------------------------------------------------------------------------------------
# One step, one update


def test_negative_sampling_step_is_exactly_one_update(pets_corpus):
    trainer = StepTrainer(pets_corpus, dim=3, window=2, negative=4, lr=0.3, seed=1)
    records = assert_one_exact_update(trainer, 200)
    assert any(len(set(r.negative_ids.tolist())) < len(r.negative_ids) for r in records), \
        "the run should include a noise word drawn twice, the case np.add.at exists for"
    assert not any(r.context_id in r.negative_ids for r in records), "by default the true context is never noise"


def test_step_with_false_negatives_allowed_is_exactly_one_update(pets_corpus):
    trainer = StepTrainer(pets_corpus, dim=3, negative=5, lr=0.3, seed=2, allow_false_negatives=True)
    records = assert_one_exact_update(trainer, 200)
    assert any(r.context_id in r.negative_ids for r in records), "allowed false negatives should happen here"


def test_softmax_step_is_exactly_one_update(pets_corpus):
    trainer = StepTrainer(pets_corpus, dim=4, window=1, lr=0.5, loss="softmax", seed=3)
    records = assert_one_exact_update(trainer, 100)
    assert all(len(r.negative_ids) == 0 and r.probs.shape == (len(trainer.vocab),) for r in records)
    assert all(r.probs.sum() == pytest.approx(1.0) for r in records)


def test_record_describes_the_pair_in_its_sentence(pets_corpus):
    trainer = StepTrainer(pets_corpus, window=2, seed=4)
    for record in trainer.run(300):
        assert record.sentence == pets_corpus[record.sentence_index]
        assert record.sentence[record.target_position] == record.target
        assert record.sentence[record.context_position] == record.context
        assert 1 <= abs(record.target_position - record.context_position) <= trainer.window
        lo, hi = record.window
        assert lo <= min(record.target_position, record.context_position)
        assert max(record.target_position, record.context_position) < hi <= len(record.sentence)
        assert trainer.vocab.index_to_key[record.target_id] == record.target
        assert record.negatives == [trainer.vocab.index_to_key[i] for i in record.negative_ids]


def test_records_are_snapshots_that_later_steps_do_not_change(pets_corpus):
    for loss in ("negative_sampling", "softmax"):
        trainer = StepTrainer(pets_corpus, lr=0.5, loss=loss, seed=5)
        first = trainer.step()
        saved = {k: v.copy() for k, v in {**first.after, **{f"b_{k}": v for k, v in first.before.items()}}.items()}
        trainer.run(50)
        now = {**first.after, **{f"b_{k}": v for k, v in first.before.items()}}
        assert all(np.array_equal(saved[k], now[k]) for k in saved), loss


def test_an_epoch_uses_every_pair_once_then_starts_a_new_one():
    sentences = [["a", "b", "c", "d"], ["b", "c", "a"], ["d", "a"]]
    trainer = StepTrainer(sentences, window=2, seed=6)
    n = trainer.pairs_per_epoch
    seen = [(r.sentence_index, r.target_position, r.context_position) for r in trainer.run(n)]
    assert len(set(seen)) == n == len(seen)
    assert trainer.epoch == 0
    trainer.step()
    assert trainer.epoch == 1 and trainer.steps_done == n + 1


# --------------------------------------------------------------------------------------------------------------
# Reproducibility


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_same_seed_gives_a_bitwise_identical_trajectory(pets_corpus, loss):
    a = StepTrainer(pets_corpus, dim=5, lr=0.2, loss=loss, seed=11)
    b = StepTrainer(pets_corpus, dim=5, lr=0.2, loss=loss, seed=11)
    ra, rb = a.run(300), b.run(300)
    assert np.array_equal(a.W_in, b.W_in) and np.array_equal(a.W_out, b.W_out)
    assert a.loss_history == b.loss_history
    assert [(r.target_id, r.context_id, r.negative_ids.tolist()) for r in ra] == \
           [(r.target_id, r.context_id, r.negative_ids.tolist()) for r in rb]


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_different_seeds_give_different_runs(pets_corpus, loss):
    a = StepTrainer(pets_corpus, dim=5, loss=loss, seed=11)
    b = StepTrainer(pets_corpus, dim=5, loss=loss, seed=12)
    assert not np.array_equal(a.W_in, b.W_in)
    a.run(20), b.run(20)
    assert a.loss_history != b.loss_history


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_reset_restores_the_start_exactly_and_replays_the_run(pets_corpus, loss):
    trainer = StepTrainer(pets_corpus, dim=3, lr=0.2, loss=loss, seed=13)
    start_in, start_out = trainer.W_in.copy(), trainer.W_out.copy()
    trainer.run(trainer.pairs_per_epoch + 10)  # cross an epoch boundary too
    first_history, end_in = list(trainer.loss_history), trainer.W_in.copy()
    trainer.reset()
    assert np.array_equal(trainer.W_in, start_in) and np.array_equal(trainer.W_out, start_out)
    assert trainer.steps_done == 0 and trainer.loss_history == [] and trainer.epoch == 0
    trainer.run(len(first_history))
    assert trainer.loss_history == first_history
    assert np.array_equal(trainer.W_in, end_in)


def test_word_vectors_are_a_copy(pets_corpus):
    trainer = StepTrainer(pets_corpus, seed=0)
    wv = trainer.word_vectors()
    before = wv.vectors.copy()
    trainer.run(20)
    assert np.array_equal(wv.vectors, before)
    assert wv.index_to_key == trainer.vocab.index_to_key


# --------------------------------------------------------------------------------------------------------------
# Learning


def test_training_lowers_the_loss_and_pulls_words_with_shared_contexts_together(pets_corpus):
    trainer = StepTrainer(pets_corpus, dim=5, window=2, negative=3, lr=0.1, seed=2)
    wv0 = trainer.word_vectors()
    trainer.run(2000)
    history = np.array(trainer.loss_history)
    assert history[-500:].mean() < 0.75 * history[:500].mean()
    wv = trainer.word_vectors()
    assert wv.similarity("cat", "dog") > 0.8
    assert wv.similarity("cat", "dog") > wv0.similarity("cat", "dog") + 0.5  # this seed starts them far apart
    assert wv.similarity("cat", "dog") > wv.similarity("cat", "fish") + 0.3
    assert cosine_similarity(wv["cat"], wv["dog"]) == pytest.approx(wv.similarity("cat", "dog"))


# --------------------------------------------------------------------------------------------------------------
# Divergence


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_divergence_is_caught_and_changes_nothing(pets_corpus, loss):
    trainer = StepTrainer(pets_corpus, dim=3, lr=0.05, loss=loss, seed=31, max_score=2.0)
    trainer.run(10)
    w_in, w_out = trainer.W_in.copy(), trainer.W_out.copy()
    history = list(trainer.loss_history)
    trainer.lr = 100.0
    with pytest.raises(TrainingDiverged) as info:
        trainer.step()
    error = info.value
    assert isinstance(error, FloatingPointError)
    assert error.step == 11 and error.unit == "update" and "training diverged at update 11 with lr=100:" in str(error)
    assert error.checked and 0 < error.suggested_lr < 100
    assert re.search(r"\. Try lr=\d[.\de+-]* \(checked: it gets past update 11 on the same input\)\.$", str(error))
    assert np.array_equal(trainer.W_in, w_in) and np.array_equal(trainer.W_out, w_out)
    assert trainer.loss_history == history and trainer.steps_done == 10
    assert np.all(np.isfinite(trainer.W_in)) and np.all(np.isfinite(trainer.W_out))


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
@pytest.mark.parametrize("lr, max_score", [(100.0, 100.0), (5.0, 1e4), (100.0, 10.0), (1.0, 1.0)])
def test_the_suggested_lr_works_on_the_same_input(pets_corpus, loss, lr, max_score):
    """The lr a divergence suggests gets past the same update, both retried in place and in a new trainer."""
    settings = dict(dim=3, loss=loss, seed=5, max_score=max_score)
    trainer = StepTrainer(pets_corpus, lr=lr, **settings)
    with pytest.raises(TrainingDiverged) as info:
        trainer.run(5000)
    error = info.value
    assert error.checked and error.suggested_lr < lr
    fresh = StepTrainer(pets_corpus, lr=error.suggested_lr, **settings)
    fresh.run(error.step)  # must not raise
    assert fresh.steps_done == error.step
    trainer.lr = error.suggested_lr
    trainer.step()  # the retry in place gets past the update that diverged
    assert trainer.steps_done == error.step


def test_an_unchecked_suggestion_says_so():
    error = TrainingDiverged(4, 0.5, "minibatch 4 had a huge score", unit="minibatch")
    assert str(error) == ("training diverged at minibatch 4 with lr=0.5: minibatch 4 had a huge score. "
                          "Try lr=0.05 or smaller.")
    assert not error.checked and error.suggested_lr == 0.05
    with pytest.raises(ValueError, match="unit must be one of .update., .minibatch., .epoch."):
        TrainingDiverged(1, 0.1, "x", unit="batch")


def test_divergence_survives_pickling():
    import pickle

    error = TrainingDiverged(7, 2.0, "a score would reach 1e5", unit="minibatch", suggested_lr=0.02)
    again = pickle.loads(pickle.dumps(error))
    assert (again.step, again.lr, again.unit, again.suggested_lr, again.checked, str(again)) == \
        (7, 2.0, "minibatch", 0.02, True, str(error))


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_after_a_divergence_a_smaller_lr_replays_the_same_step(pets_corpus, loss):
    calm = StepTrainer(pets_corpus, dim=3, lr=0.05, loss=loss, seed=32, max_score=2.0)
    wild = StepTrainer(pets_corpus, dim=3, lr=0.05, loss=loss, seed=32, max_score=2.0)
    calm.run(5), wild.run(5)
    wild.lr = 100.0
    with pytest.raises(TrainingDiverged):
        wild.step()
    wild.lr = 0.05
    a, b = calm.step(), wild.step()
    assert (a.target_id, a.context_id, a.negative_ids.tolist()) == (b.target_id, b.context_id, b.negative_ids.tolist())
    assert np.array_equal(calm.W_in, wild.W_in) and np.array_equal(calm.W_out, wild.W_out)


def test_divergence_on_the_very_first_step(pets_corpus):
    trainer = StepTrainer(pets_corpus, dim=2, lr=100.0, seed=0, max_score=0.01)
    start = trainer.W_in.copy()
    with pytest.raises(TrainingDiverged, match="update 1 "):
        trainer.step()
    assert np.array_equal(trainer.W_in, start) and trainer.steps_done == 0


# --------------------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"dim": 0}, ValueError, r"dim must be an integer between 1 and 10000, got 0 \(numbers per word vector\)"),
        ({"dim": 2.5}, ValueError, r"dim must be an integer between 1 and 10000, got 2.5"),
        ({"dim": 10**9}, ValueError, r"dim must be an integer between 1 and 10000, got 1000000000"),
        ({"window": 0}, ValueError, r"window must be an integer between 1 and 50, got 0"),
        ({"window": 10**4}, ValueError, r"window must be an integer between 1 and 50, got 10000"),
        ({"negative": 0}, ValueError, r"negative must be an integer between 1 and 50, got 0"),
        ({"negative": 10**4}, ValueError, r"negative must be an integer between 1 and 50, got 10000"),
        ({"lr": 0}, ValueError, r"lr must be a number > 0 and <= 100, got 0"),
        ({"lr": -0.1}, ValueError, r"lr must be a number > 0"),
        ({"lr": float("nan")}, ValueError, r"lr must be a number > 0 and <= 100, got nan"),
        ({"lr": float("inf")}, ValueError, r"lr must be a number > 0 and <= 100, got inf"),
        ({"lr": 1e308}, ValueError, r"lr must be a number > 0 and <= 100, got 1e\+308"),
        ({"lr": "0.1"}, ValueError, r"lr must be a number > 0 and <= 100, got '0.1'"),
        ({"min_count": 0}, ValueError, r"min_count must be an integer >= 1, got 0"),
        ({"loss": "cbow"}, ValueError, r"loss must be one of 'negative_sampling', 'softmax'"),
        ({"max_score": 0}, ValueError, r"max_score must be a number > 0, got 0"),
        ({"seed": -1}, ValueError, r"seed must be an integer between 0 and 9223372036854775807, got -1"),
        ({"allow_false_negatives": "False"}, ValueError, r"allow_false_negatives must be True or False, got 'False'"),
        ({"allow_false_negatives": 0}, ValueError, r"allow_false_negatives must be True or False, got 0"),
        ({"power": -1}, ValueError, r"power must be a number between 0 and 2, got -1"),
    ],
)
def test_bad_parameters_are_named_with_their_range(pets_corpus, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        StepTrainer(pets_corpus, **kwargs)


def test_setting_a_bad_lr_later_is_rejected_and_keeps_the_old_one(pets_corpus):
    trainer = StepTrainer(pets_corpus, lr=0.1)
    with pytest.raises(ValueError, match="lr must be a number > 0"):
        trainer.lr = -1
    assert trainer.lr == 0.1


@pytest.mark.parametrize(
    "sentences, kwargs, error, pattern",
    [
        ([], {}, ValueError, "empty"),
        ([[], []], {}, ValueError, "empty"),
        ([["lonely"], ["words"]], {}, ValueError, "no \\(target, context\\) pair"),
        # Every word but "a" is dropped by min_count, so no sentence keeps two words.
        ([["a", "b"], ["a", "c"], ["a", "d"]], {"min_count": 2}, ValueError, "min_count"),
        ([["a", "b"], ["c", 7]], {}, TypeError, "sentence 1, token 1"),
        ("the cat sat", {}, TypeError, "list of token lists"),
        (["the cat sat"], {}, TypeError, "sentence 0 is a string"),
    ],
)
def test_bad_corpora_raise_clear_errors(sentences, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        StepTrainer(sentences, **kwargs)


def test_input_sentences_are_not_mutated(pets_corpus):
    original = copy.deepcopy(pets_corpus)
    trainer = StepTrainer(pets_corpus, min_count=6, seed=0)
    trainer.run(50)
    trainer.reset()
    assert pets_corpus == original


def test_sentences_may_come_from_a_generator(pets_corpus):
    from_list = StepTrainer(pets_corpus, seed=3)
    from_generator = StepTrainer((s for s in pets_corpus), seed=3)
    assert from_generator.pairs_per_epoch == from_list.pairs_per_epoch
    assert from_generator.step().loss == from_list.step().loss


def test_trainer_runs_on_the_toy_world(toy_world):
    trainer = StepTrainer(toy_world.sentences, dim=2, seed=0)
    assert len(trainer.vocab) == len({w for s in toy_world.sentences for w in s})
    records = trainer.run(100)
    assert all(np.isfinite(r.loss) for r in records)
    assert trainer.pairs_per_epoch > len(toy_world.sentences)


def test_record_window_is_the_dynamic_window_drawn_for_the_target(toy_world):
    """The highlighted window covers exactly the words the target is paired with this epoch (and itself)."""
    trainer = StepTrainer(toy_world.sentences, dim=2, window=4, seed=3)
    _, _, positions = trainer._pairs
    starts = np.concatenate([[0], np.cumsum([len(s) for s in trainer.encoded])])
    widths = set()
    for record in trainer.run(300):
        flat_target = starts[record.sentence_index] + record.target_position
        partners = positions[positions[:, 0] == flat_target, 1] - starts[record.sentence_index]
        covered = np.append(partners, record.target_position)
        assert record.window == (covered.min(), covered.max() + 1)
        assert record.window[0] <= record.context_position < record.window[1]
        widths.add(record.window[1] - record.window[0])
    assert min(widths) < max(widths)


def test_a_misspelt_parameter_gets_the_closest_name(pets_corpus):
    with pytest.raises(TypeError, match="unexpected keyword argument 'windw'"):
        StepTrainer(pets_corpus, windw=3)


def test_the_noise_table_is_sized_to_the_vocabulary_and_draws_the_noise_distribution(pets_corpus):
    """A widget's trainer has a handful of words: its noise table must not be NoiseSampler's 1e6 entries (3.9 MB in
    every widget), and the smaller table must still draw each word at its probability (counts ** 0.75)."""
    trainer = StepTrainer(pets_corpus, seed=0)
    vocab_size = len(trainer.vocab)
    assert trainer.noise.table.nbytes <= 4 * 1000 * vocab_size + 4 * vocab_size
    weights = trainer.vocab.counts.astype(float) ** trainer.power
    draws = trainer.noise.sample(200_000)
    share = np.bincount(draws, minlength=vocab_size) / len(draws)
    # 200,000 draws: a share's standard deviation is at most 0.0011; the table's rounding adds at most 0.0005/V.
    np.testing.assert_allclose(share, weights / weights.sum(), atol=0.005)


@pytest.mark.parametrize("loss", ["negative_sampling", "softmax"])
def test_the_record_holds_the_error_term_that_the_losses_gradients_are_made_of(pets_corpus, loss):
    """``errors`` is p - y per scored word: the derivative of the loss by each score. Checked against losses.py two
    ways: its gradients are the errors times the vectors (chain rule through the dot products), and a finite
    difference of the loss by a score gives the error."""
    from helpers.model import sigmoid

    trainer = StepTrainer(pets_corpus, dim=3, negative=4, lr=0.3, loss=loss, seed=21, allow_false_negatives=True)
    for record in trainer.run(40):
        errors, v = record.errors, record.before["target_in"]
        assert errors.shape == record.probs.shape == record.scores.shape
        if loss == "negative_sampling":
            outputs = np.vstack([record.before["context_out"], record.before["negatives_out"]])
            np.testing.assert_allclose(record.grads["context_out"], errors[0] * v, rtol=1e-12)
            np.testing.assert_allclose(record.grads["negatives_out"], np.outer(errors[1:], v), rtol=1e-12)
            # loss = -log sigma(s0) - sum log sigma(-s_j): its derivative by each score, numerically.
            def loss_of(scores):
                return -np.log(sigmoid(scores[0])) - np.log(sigmoid(-scores[1:])).sum()
        else:
            outputs = record.before["all_out"]
            np.testing.assert_allclose(record.grads["all_out"], np.outer(errors, v), rtol=1e-12)
            def loss_of(scores):
                return np.log(np.exp(scores - scores.max()).sum()) + scores.max() - scores[record.context_id]
        np.testing.assert_allclose(record.grads["target_in"], errors @ outputs, rtol=1e-10, atol=1e-15)
        assert loss_of(record.scores) == pytest.approx(record.loss, rel=1e-10)
        h = 1e-6
        numeric = [(loss_of(record.scores + h * e) - loss_of(record.scores - h * e)) / (2 * h)
                   for e in np.eye(len(record.scores))]
        np.testing.assert_allclose(errors, numeric, atol=1e-7)


@pytest.mark.parametrize("output", ["zeros", "random"])
def test_starting_vectors_drawn_in_blocks_are_one_draw_of_the_whole_matrix(output):
    """init_vectors draws a block of rows at a time (no (V, d) float64 temporary): the numbers must be those of
    one draw, so every seeded notebook starts from the same points."""
    w_in, w_out = init_vectors(3_001, 97, np.random.default_rng(5), output=output, dtype=np.float32)
    rng = np.random.default_rng(5)
    expected_in = ((rng.random((3_001, 97)) - 0.5) / 97).astype(np.float32)
    expected_out = np.zeros_like(expected_in) if output == "zeros" else (
        (rng.random((3_001, 97)) - 0.5) / 97).astype(np.float32)
    assert np.array_equal(w_in, expected_in) and np.array_equal(w_out, expected_out) and w_in.dtype == np.float32
