"""State that changes under the learner: trainer parameters checked whenever they are set (or fixed), two widgets
on one trainer showing the same last update, and an interrupted run that leaves the model as before the epoch
(the fast trainer) or says exactly what was applied (the step trainer)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import toyworld
from helpers.model.training import MAX_RUN_RECORDS
from helpers.model import StepTrainer
from helpers.widgets import StepWidget
from helpers.word2vec import Word2VecTrainer

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "rug"]] * 3

CHECKED = [
    ("window", 0, ValueError, r"window must be an integer between 1 and 50, got 0"),
    ("window", 2.5, ValueError, r"window must be an integer between 1 and 50, got 2\.5"),
    ("negative", -1, ValueError, r"negative must be an integer between 1 and 50, got -1"),
    ("max_score", float("nan"), ValueError, r"max_score must be a number > 0, got nan"),
    ("allow_false_negatives", "yes", ValueError, r"allow_false_negatives must be True or False, got 'yes'"),
    ("lr", 0, ValueError, r"lr must be a number > 0 and <= 100, got 0"),
    ("loss_name", "hinge", ValueError, r"loss must be one of 'negative_sampling', 'softmax', got 'hinge'"),
    ("dim", 3, AttributeError, r"dim is fixed once the trainer is made .*: make a new one, "
                               r"StepTrainer\(sentences, dim=3\)"),
    ("min_count", 2, AttributeError, r"min_count is fixed once the trainer is made"),
    ("power", 1.0, AttributeError, r"power is fixed once the trainer is made"),
    ("seed", 7, AttributeError, r"seed is fixed once the trainer is made .*StepTrainer\(sentences, seed=7\)"),
]


@pytest.mark.parametrize("name, value, error, pattern", CHECKED, ids=[f"{c[0]}={c[1]!r}" for c in CHECKED])
def test_trainer_parameters_cannot_be_set_past_their_checks(name, value, error, pattern):
    trainer = StepTrainer(SENTENCES, seed=0)
    before = getattr(trainer, name)
    with pytest.raises(error, match=pattern):
        setattr(trainer, name, value)
    assert getattr(trainer, name) == before
    trainer.run(200)  # still trains: nothing got past a check (window=0 once gave numpy's "low >= high" here)


def test_a_valid_window_set_later_is_used_from_the_next_epoch():
    trainer = StepTrainer(SENTENCES, seed=0)
    trainer.window = 1
    trainer.run(trainer.pairs_per_epoch + 1)
    assert all(abs(r.context_position - r.target_position) == 1 for r in trainer.run(trainer.pairs_per_epoch - 1))


def test_run_keeps_the_last_records_only_and_says_so():
    trainer = StepTrainer(SENTENCES, seed=0)
    records = trainer.run(MAX_RUN_RECORDS + 500)
    assert len(records) == MAX_RUN_RECORDS and records[-1].step == trainer.steps_done == MAX_RUN_RECORDS + 500
    assert len(trainer.loss_history) == MAX_RUN_RECORDS + 500
    assert f"last :data:`MAX_RUN_RECORDS`" in StepTrainer.run.__doc__


def test_an_interrupted_step_run_says_exactly_what_was_applied(monkeypatch):
    trainer, twin = StepTrainer(SENTENCES, seed=0), StepTrainer(SENTENCES, seed=0)
    real, calls = StepTrainer.step, []

    def step(self):
        calls.append(1)
        if len(calls) == 8:
            raise KeyboardInterrupt
        return real(self)

    monkeypatch.setattr(StepTrainer, "step", step)
    with pytest.raises(KeyboardInterrupt, match=r"run\(50\) interrupted: 7 of the 50 updates were applied, each "
                                               r"one whole \(steps_done is now 7\); run again to go on"):
        trainer.run(50)
    monkeypatch.undo()
    twin.run(7)
    np.testing.assert_array_equal(trainer.W_in, twin.W_in)  # same computation, same order: exactly equal
    assert trainer.step().loss == twin.step().loss  # and it goes on from there, no update repeated


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_epoch_of_the_fast_trainer_is_undone(monkeypatch, workers):
    sentences = [list(s) for s in toyworld.load().sentences[:2000]]
    params = dict(dim=8, epochs=2, min_count=1, sample=0, seed=0, progress=False, workers=workers)
    clean, interrupted = Word2VecTrainer(sentences, **params), Word2VecTrainer(sentences, **params)
    clean.train(2)
    interrupted.train(1)
    after_one = interrupted.W_in.copy()
    real, calls = interrupted._kernel, []

    def kernel(*args):
        calls.append(1)
        if len(calls) == 20:
            raise KeyboardInterrupt
        return real(*args)

    interrupted._kernel = kernel
    steps, history = interrupted.steps_done, len(interrupted.loss_history)
    with pytest.raises(KeyboardInterrupt, match=r"training interrupted in epoch 2 of 2: that epoch's updates were "
                                               r"undone, so the vectors are as after epoch 1; train\(\) again runs "
                                               r"epoch 2 from its start"):
        interrupted.train(1)
    np.testing.assert_array_equal(interrupted.W_in, after_one)
    assert (interrupted.epochs_done, interrupted.steps_done, len(interrupted.loss_history)) == (1, steps, history)
    interrupted._kernel = real
    interrupted.train(1)
    if workers == 1:  # one thread: the same batches in the same order, so the same vectors
        np.testing.assert_array_equal(interrupted.W_in, clean.W_in)
    assert interrupted.epochs_done == 2 and interrupted.steps_done == clean.steps_done


def test_two_widgets_on_one_trainer_show_the_same_last_update():
    trainer = StepTrainer(SENTENCES, seed=0, dim=2)
    first, second = StepWidget(trainer, pair=("cat", "dog")), StepWidget(trainer, pair=("cat", "dog"))
    first.step(3)
    second.refresh()
    assert second.last_record is first.last_record and second.last_record.step == 3
    assert "updates done: <b>3</b>" in second.numbers_html.value
    second.step(2)
    first.refresh()
    assert first.last_record is second.last_record and first.last_record.step == 5
    trainer.run(4)  # stepped in code: no widget made the record, so neither shows a stale one
    first.refresh(), second.refresh()
    assert first.last_record is None and second.last_record is None
    first.close(), second.close()


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_state.py: {len(CHECKED) + 7} changes under the learner tried, "
                        f"{len(CHECKED) + 5} messages checked")


def test_a_model_too_big_to_undo_says_what_was_applied_and_stops(monkeypatch):
    from helpers.word2vec import trainer as trainer_module

    monkeypatch.setattr(trainer_module, "_UNDO_BYTES", 0)
    sentences = [list(s) for s in toyworld.load().sentences[:500]]
    trainer = Word2VecTrainer(sentences, dim=8, epochs=2, min_count=1, sample=0, seed=0, progress=False)
    real, calls = trainer._kernel, []

    def kernel(*args):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real(*args)

    trainer._kernel = kernel
    with pytest.raises(KeyboardInterrupt, match=r"training interrupted in epoch 1 of 2 after 5 of its minibatches: "
                                               r"they are applied, .* so the trainer stops; make a new one"):
        trainer.train()
    with pytest.raises(RuntimeError, match=r"this trainer stopped after an interrupt it could not undo"):
        trainer.train()
