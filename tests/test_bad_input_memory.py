"""Memory with no bound: a long sentence is held once, not once per update record; run() keeps its last records
only; the text boxes cap what they take, with a message; a long sentence is drawn around its target."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from helpers.model import StepTrainer, demo
from helpers.widgets.attention_explorer import MAX_SENTENCE_CHARS
from helpers.model.training import MAX_RUN_RECORDS
from helpers.widgets import StepWidget
from helpers.widgets.step_text import MAX_SHOWN_WORDS

LONG = [[f"w{i}" for i in np.random.default_rng(0).integers(0, 12, 48_000)]]  # one 48k-token sentence


def traced(call):
    """(result, bytes still held after ``call``)."""
    tracemalloc.start()
    try:
        result = call()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, held


def test_records_of_a_long_sentence_share_it():
    trainer = StepTrainer(LONG, seed=0)
    trainer.step()  # the sentence's words are listed once, here
    records, held = traced(lambda: trainer.run(500))
    assert records[0].sentence is records[-1].sentence and len(records[0].sentence) == 48_000
    assert held / 500 < 20_000, f"{held / 500:.0f} bytes per record"  # was 735 KB per record for 100k tokens


def test_widget_step_5000_on_a_long_sentence_stays_small():
    widget = StepWidget(StepTrainer(LONG, dim=2, seed=0), pair=("w0", "w1"))
    records = widget.step(5000)  # was 1.9 GB: every record held its own copy of the sentence
    assert len(records) == 5000 and len({id(r.sentence) for r in records}) == 1
    _, held = traced(lambda: widget.step(200))
    assert held / 200 < 20_000, f"{held / 200:.0f} bytes per update"
    assert widget.sentence_html.value.count("<span") <= MAX_SHOWN_WORDS + 2
    assert len(widget.sentence_html.value) < 20_000  # was 816 KB per redraw
    assert f"{MAX_SHOWN_WORDS} of its words are shown, around the target" in widget.sentence_html.value
    assert widget.last_record.target in widget.sentence_html.value
    assert len(widget.summary()) < 2_000
    widget.close()


def test_run_of_many_updates_keeps_the_last_records(monkeypatch):
    trainer = StepTrainer([["a", "b", "c", "d"]] * 3, seed=0)
    records = trainer.run(MAX_RUN_RECORDS + 200)
    assert len(records) == MAX_RUN_RECORDS and records[-1].step == MAX_RUN_RECORDS + 200
    from helpers.model import training

    monkeypatch.setattr(training, "MAX_RUN_RECORDS", 50)  # the same bound, smaller: tracing is slow
    _, held = traced(lambda: trainer.run(300))
    _, held_twice = traced(lambda: trainer.run(600))
    assert held_twice < 1.5 * held + 2**20, (held, held_twice)  # bounded: twice the updates, not twice the memory


def test_the_text_box_caps_its_characters_with_a_message():
    widget = StepWidget()
    widget.train_on_text("the cat is cute. the dog is cute. " * 10_000)  # 340,000 characters
    assert "Your text has 340,000 characters; the box trains on at most 2,000 (a few short sentences): shorten it." \
        in widget.message.value
    assert widget.trainer is widget._demo[0]  # nothing lost: the demo is still there, and the widget works
    widget.step(1)
    widget.train_on_text("the cat is cute. the dog is cute.")
    assert "Training on your 2 sentences" in widget.message.value
    widget.close()


def test_the_attention_box_keeps_its_first_characters():
    from helpers.widgets import AttentionExplorer
    from helpers.contextual import toy_model

    model = toy_model([["the", "cat", "is", "cute"], ["the", "dog", "is", "cute"]], 4, np.random.default_rng(0))
    widget = AttentionExplorer(model, "the cat is cute", word="cat")
    widget.sentence_box.value = "the dog is cute " * 50_000
    assert len(widget.sentence_box.value) == MAX_SENTENCE_CHARS
    assert "between 2 and 4 words" in widget.message.value
    assert f"The box keeps the first {MAX_SENTENCE_CHARS} characters." in widget.message.value
    widget.sentence_box.value = "the dog is cute"
    assert widget.weights is not None and widget.message.value == ""


def test_learner_sentences_cap_is_stated():
    with pytest.raises(ValueError, match=r"Your text has 2,001 characters; the box trains on at most 2,000"):
        demo.learner_sentences("a" * 2001)
    assert "MAX_TEXT_CHARS" in demo.learner_sentences.__doc__


def test_inputs_tried(measurements):
    measurements.append("test_bad_input_memory.py: 6 unbounded inputs tried (a 48k-token sentence, run(1200), "
                        "step(5000), a 340k-character text box, a 800k-character sentence box), 4 messages checked")
