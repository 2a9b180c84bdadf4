"""Raw errors from inside, and Python-flavoured messages: each input that once gave an AttributeError, IndexError,
TraitError or traceback now gets a message naming the problem and the fix; widgets show it in place, without
"ValueError:", and keep working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import evaluation, exercises
from helpers.model import demo_trainer, losses
from helpers.widgets import AttentionExplorer, StepWidget
from helpers.contextual import toy_model
from helpers.space import UnknownWordError, WordVectors
from helpers.word2vec import train_word2vec

ROOT = Path(__file__).resolve().parents[1]
WV = WordVectors(np.eye(3), ["cat", "dog", "zoo"])


def quadratic(x):
    return float(x @ x)


RAISED = [
    ("StepWidget(classes=a list)", lambda: StepWidget(demo_trainer(), classes=["a", "b"]),
     TypeError, r"classes must be a dict of word to class name, e\.g\. \{'cat': 'pet', 'sofa': 'furniture'\}, "
                r"got list"),
    ("StepWidget(classes={1: 2})", lambda: StepWidget(demo_trainer(), classes={1: 2}),
     TypeError, r"classes must be a dict of word to class name.*got a dict with a key or class that is not a string"),
    ("StepWidget(pair='cat')", lambda: StepWidget(demo_trainer(), pair="cat"),
     TypeError, r"pair must be two words, e\.g\. \('cat', 'dog'\), got 'cat'"),
    ("similar_by_vector(exclude=[99])", lambda: WV.similar_by_vector(np.ones(3), exclude=[99]),
     ValueError, r"exclude must hold rows between 0 and 2 \(one per word\) or words, got 99"),
    ("similar_by_vector(exclude=[-1])", lambda: WV.similar_by_vector(np.ones(3), exclude=[-1]),
     ValueError, r"exclude must hold rows between 0 and 2"),
    ("similar_by_vector(exclude=['cta'])", lambda: WV.similar_by_vector(np.ones(3), exclude=["cta"]),
     UnknownWordError, r"'cta' is not in the vocabulary\. Did you mean: cat\?"),
    ("similar_by_vector(exclude=1.5)", lambda: WV.similar_by_vector(np.ones(3), exclude=1.5),
     TypeError, r"exclude must be a list of rows \(0 to 2\) or words, got float"),
    ("check_gradient(eps=0)", lambda: losses.check_gradient(quadratic, {"x": np.ones(2)}, {"x": 2 * np.ones(2)},
                                                            eps=0),
     ValueError, r"eps must be a number > 0 and <= 1, got 0"),
    ("check_gradient(tol=-1)", lambda: losses.check_gradient(quadratic, {"x": np.ones(2)}, {"x": 2 * np.ones(2)},
                                                             tol=-1),
     ValueError, r"tol must be a number > 0, got -1"),
    ("check_gradient of a list", lambda: losses.check_gradient(quadratic, {"x": [1.0, 1.0]}, {"x": [2.0, 2.0]}),
     TypeError, r"parameter 'x' and its gradient must be numpy arrays \(perturbed in place\), got list and list"),
    ("check_gradient of no function", lambda: losses.check_gradient(3, {"x": np.ones(2)}, {"x": np.ones(2)}),
     TypeError, r"loss_fn must be a function loss_fn\(\*\*params\) -> float, got int"),
    ("evaluate(ndarray)", lambda: evaluation.evaluate(np.eye(3)),
     TypeError, r"wv must be word vectors with key_to_index and vectors .* got ndarray; for a bare array, wrap it: "
                r"WordVectors\(vectors, words\)"),
    ("word_similarity(list)", lambda: evaluation.word_similarity([[1.0]], [("a", "b", 1.0)]),
     TypeError, r"wv must be word vectors .* got list"),
    ("analogy_accuracy(dict)", lambda: evaluation.analogy_accuracy({}, {}),
     TypeError, r"wv must be word vectors .* got dict"),
    ("iterators as sentences", lambda: train_word2vec([iter(["a", "b", "c"])] * 3, min_count=1),
     TypeError, r"a sentence is an iterator \(list_iterator\), which can be read only once; give each sentence as "
                r"a list of tokens, e\.g\. \[list\(s\) for s in sentences\]"),
    ("bytes sentences", lambda: train_word2vec([b"the cat sat"]),
     TypeError, r"sentence 0 is bytes \(b'the cat sat'\), not tokens: decode it first"),
]


@pytest.mark.parametrize("what, call, error, pattern", RAISED, ids=[r[0] for r in RAISED])
def test_a_raw_error_became_a_message(what, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_evaluate_takes_one_set_name_as_one_set():  # not its letters as file names
    with pytest.raises(ValueError, match=r"none of the \d+ pairs has both words in the vocabulary"):
        evaluation.evaluate(WordVectors(np.eye(2), ["qqq", "zzz"]), similarity_sets="wordsim353.tsv", analogies=None)


SOFTMAX = [
    ("scores=None", dict(answer=1.0, scores=None, context=1), r"The check needs scores, one number per vocabulary "
                                                              r"word \(shape \(V,\), V >= 2\), got None"),
    ("scores a matrix", dict(answer=1.0, scores=np.ones((2, 2)), context=1), r"got shape \(2, 2\)"),
    ("scores with NaN", dict(answer=1.0, scores=np.array([1.0, np.nan]), context=1), r"hold NaN or infinite values"),
    ("context past the end", dict(answer=1.0, scores=np.ones(3), context=3),
     r"The check needs context, the true word's index, between 0 and 2, got 3"),
    ("context a string", dict(answer=1.0, scores=np.ones(3), context="cat"), r"between 0 and 2, got 'cat'"),
]


@pytest.mark.parametrize("what, kwargs, pattern", SOFTMAX, ids=[s[0] for s in SOFTMAX])
def test_check_softmax_loss_blames_its_own_inputs_not_the_answer(what, kwargs, pattern):
    feedback = exercises.check_softmax_loss(**kwargs)
    assert not feedback.correct
    import re

    assert re.search(pattern, feedback.message), feedback.message
    assert "check_softmax_loss(your_loss, scores, context)" in feedback.message
    assert "Your answer" not in feedback.message
    right = float(np.log(3))  # equal scores: -log(1/3)
    assert exercises.check_softmax_loss(right, np.zeros(3), 1).correct


EXECUTE = [
    (["--bogus"], r"unknown option '--bogus': the only option is --slides-only"),
    (["README.md"], r"'README.md' is not a notebook \(a \.ipynb file\)"),
    (["missing.ipynb"], r"no notebook 'missing\.ipynb': give a path to a \.ipynb file"),
]


@pytest.mark.parametrize("args, pattern", EXECUTE, ids=[e[0][0] for e in EXECUTE])
def test_execute_with_a_bad_argument_says_so_without_a_traceback(args, pattern):
    done = subprocess.run([sys.executable, "scripts/execute_notebooks.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    import re

    assert re.search(pattern, done.stderr) and "usage: python course.py execute" in done.stderr, done.stderr


# --- widgets: errors in place, no Python-flavoured prefix, and they keep working

def small_model():
    sentences = [["the", "cat", "is", "cute"], ["the", "dog", "is", "cute"], ["my", "cat", "and", "my", "dog"]]
    return toy_model(sentences, 4, np.random.default_rng(0))


def test_the_attention_explorer_reports_every_unknown_word_and_keeps_the_hidden_word():
    widget = AttentionExplorer(small_model(), "the cat is cute", word="cute")
    widget.sentence_box.value = "the cta is cuet"
    message = widget.message.value
    assert "These 2 words are not in the model&#x27;s vocabulary: &#x27;cta&#x27; (Did you mean: cat" in message
    assert "&#x27;cuet&#x27; (Did you mean: cute" in message and "retype them" in message
    assert "Error" not in message and widget.weights is None
    assert {"cat", "cute"} <= {b.description for b in widget.suggestion_box.children}
    widget.sentence_box.value = "my cat is cute"  # fixed: the word hidden before the error is hidden again
    assert widget.tokens[widget.position.value] == "cute" and widget.weights is not None
    widget.sentence_box.value = "cute"
    assert "Type a sentence of between 2 and 5 words" in widget.message.value and "Error" not in widget.message.value
    widget.sentence_box.value = "the dog is cute"
    assert widget.tokens[widget.position.value] == "cute" and widget.message.value == ""


def test_the_attention_position_is_clamped_not_a_trait_error():
    widget = AttentionExplorer(small_model(), "the cat is cute", word="cat")
    widget.position.value = 99
    assert widget.position.value == 3 and widget.weights is not None
    widget.position.value = -5
    assert widget.position.value == 0 and widget.weights is not None
    import traitlets

    with pytest.raises(traitlets.TraitError, match=r"position must be a word's position, an integer between 0 and 3, "
                                                   r"got 'x'"):
        widget.position.value = "x"


# --- property tests: whatever the learner types or sets, the widgets answer in place and keep working

typed = st.one_of(st.text(max_size=80), st.text(alphabet="the cat dog is cute my and ., !?\n’'", max_size=120),
                  st.sampled_from(["", " ", "\n\n", "the the the", "a" * 3000, "猫 и кот", "🐱🐶", "l'eau d'été"]))
WIDGET_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                  HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def step_widget():
    widget = StepWidget()
    yield widget
    widget.close()


@pytest.fixture(scope="module")
def explorer():
    return AttentionExplorer(small_model(), "the cat is cute", word="cat")


@WIDGET_SETTINGS
@given(text=typed)
def test_the_text_box_answers_any_text_in_place(step_widget, text):
    step_widget.use_demo()
    step_widget.train_on_text(text)
    message = step_widget.message.value
    assert message  # trained ("Training on your ...") or said why not
    assert "Error" not in message and "Traceback" not in message
    if "Training on your" in message:
        assert 2 <= len(step_widget.trainer.vocab) <= 12
    records = step_widget.step(3)
    assert records is None or len(records) == 3 or "diverged" in step_widget.message.value


@WIDGET_SETTINGS
@given(text=typed, position=st.integers(-3, 30))
def test_the_attention_explorer_answers_any_sentence_in_place(explorer, text, position):
    explorer.sentence_box.value = text
    explorer.position.value = position
    assert "Error" not in explorer.message.value
    assert (explorer.weights is None) == bool(explorer.message.value)
    if explorer.weights is not None:
        assert np.isfinite(explorer.weights).all() and abs(explorer.weights.sum() - 1) < 1e-9
    assert isinstance(explorer.summary(), str)


@WIDGET_SETTINGS
@given(lr=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6)),
       loss=st.sampled_from(["softmax", "negative_sampling", "hinge", ""]), n=st.integers(-2, 6))
def test_the_step_widget_answers_any_setting_in_place(step_widget, lr, loss, n):
    step_widget.use_demo()
    step_widget._on_lr({"new": lr, "old": 0.2})
    if loss in ("softmax", "negative_sampling"):
        step_widget.loss_choice.value = loss
    assert "Error" not in step_widget.message.value.replace("Unexpected error", "")
    try:
        step_widget.step(n)
    except ValueError as error:
        assert "n must be an integer between 1 and 5000" in str(error) or "n must be an integer >= 1" in str(error)
    assert np.isfinite(step_widget.trainer.W_in).all()
    assert 0 < step_widget.trainer.lr <= 100


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_raw.py: {len(RAISED) + len(SOFTMAX) + len(EXECUTE) + 9} raw-error inputs "
                        f"tried, {len(RAISED) + len(SOFTMAX) + len(EXECUTE) + 6} messages checked; property tests: "
                        "3 x 40 typed texts, sentences and settings")
