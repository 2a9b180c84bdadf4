"""Tests of helpers.contextual (notebook 07's attention model), its widget and its exercise check."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

from helpers import exercises, senses, toyworld
from helpers.widgets import AttentionExplorer
from helpers.contextual import (CONTEXTUAL_DEFAULTS, PARAMETERS, SCORING_CHUNK, AttentionModel, forward,
                                loss_and_grads, masked_loss, occurrence_vectors, target_log_probs, toy_model)
from helpers.contextual import MaskedTrainer
from helpers.model import check_gradient
from helpers.space import UnknownWordError, unit_rows

SMALL = [["the", "cat", "is", "cute"], ["the", "lion", "is", "big"], ["a", "big", "lion"],
         ["my", "cat", "and", "my", "dog", "are", "cute"], ["the", "dog", "is", "cute"]]


def small_model(seed: int = 3, dim: int = 4) -> AttentionModel:
    return toy_model(SMALL, dim, np.random.default_rng(seed))


@pytest.fixture(scope="module")
def trained(toy_world):
    """The model exactly as notebook 07 trains it, with its training time."""
    rng = np.random.default_rng(CONTEXTUAL_DEFAULTS["seed"])
    model = toy_model(toy_world.sentences, CONTEXTUAL_DEFAULTS["dim"], rng)
    examples = model.examples(toy_world.sentences)
    start = masked_loss(examples, **model.params)
    trainer = MaskedTrainer(model, examples, rng, lr=CONTEXTUAL_DEFAULTS["lr"],
                            batch_size=CONTEXTUAL_DEFAULTS["batch_size"])
    seconds = time.perf_counter()
    trainer.train(CONTEXTUAL_DEFAULTS["epochs"], progress=False)
    seconds = time.perf_counter() - seconds
    return model, examples, start, masked_loss(examples, **model.params), seconds


# --- gradients -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PARAMETERS)
def test_every_gradient_matches_finite_differences(name):
    model = small_model()
    # A trained-looking point: non-zero output bias, so that no gradient vanishes by accident.
    model.params["b"] = np.random.default_rng(0).normal(size=model.params["b"].shape)
    examples = model.examples(SMALL)  # every position hidden once: padding and several lengths in one batch
    _, grads = loss_and_grads(model.params, examples)
    params = model.params

    def loss_of(**one):
        return masked_loss(examples, **{**params, **one})

    result = check_gradient(loss_of, {name: params[name]}, {name: grads[name]}, tol=1e-6)
    assert result.passed, f"{name}: {result.message}"


@pytest.mark.parametrize("name", PARAMETERS)
def test_a_wrong_gradient_fails_the_check(name):
    model = small_model()
    model.params["b"] = np.random.default_rng(0).normal(size=model.params["b"].shape)
    examples = model.examples(SMALL)
    _, grads = loss_and_grads(model.params, examples)
    wrong = grads[name] * 1.05  # 5% too large: a missing or extra factor somewhere
    result = check_gradient(lambda **one: masked_loss(examples, **{**model.params, **one}),
                            {name: model.params[name]}, {name: wrong})
    assert not result.passed


def test_loss_and_grads_returns_the_loss_it_differentiates():
    model = small_model()
    examples = model.examples(SMALL)
    loss, grads = loss_and_grads(model.params, examples)
    assert loss == pytest.approx(masked_loss(examples, **model.params))
    assert set(grads) == set(PARAMETERS)
    assert all(grads[k].shape == model.params[k].shape for k in PARAMETERS)


# --- the model's outputs ----------------------------------------------------------------------------------------

def test_attention_row_is_a_softmax_over_the_other_words():
    model = small_model()
    sentence = ["my", "cat", "and", "my", "dog"]
    weights = model.attention(sentence, 1)
    assert weights.shape == (5,) and weights[1] == 0.0 and weights.sum() == pytest.approx(1.0)
    query, keys = model.query_and_keys(sentence, 1)
    scores = keys @ query / np.sqrt(model.dim)
    scores[1] = -np.inf
    by_hand = np.exp(scores - scores.max())
    np.testing.assert_allclose(weights, by_hand / by_hand.sum())
    matrix = model.attention_matrix(sentence)
    assert matrix.shape == (5, 5) and np.all(np.diag(matrix) == 0)
    np.testing.assert_allclose(matrix[1], weights)


def test_contextual_vector_does_not_depend_on_the_hidden_word():
    model = small_model()
    a = model.contextual_vector(["the", "cat", "is", "cute"], 1)
    b = model.contextual_vector(["the", "dog", "is", "cute"], 1)
    np.testing.assert_array_equal(a, b)  # the hidden word is [mask]: only the neighbours and the slot count
    assert not np.allclose(a, model.contextual_vector(["the", "cat", "is", "big"], 1))


def test_predictions_are_probabilities_best_first():
    model = small_model()
    guesses = model.predict("the cat is cute", 3, topn=len(model.words))
    probs = [p for _, p in guesses]
    assert sum(probs) == pytest.approx(1.0) and probs == sorted(probs, reverse=True)


# --- scoring many examples in bounded memory ---------------------------------------------------------------------

def test_chunked_scoring_gives_the_values_of_one_pass(toy_world):
    """Notebook 07's start loss is printed from masked_loss: chunking must not change it. Chunks of other sizes are
    other BLAS call shapes, which may round the last bit differently on another CPU: equal to 1e-12, not bit for bit."""
    model = toy_model(toy_world.sentences, CONTEXTUAL_DEFAULTS["dim"], np.random.default_rng(5))
    examples = model.examples(toy_world.sentences)
    one_pass = forward(model.params, examples)
    rows = np.arange(len(examples))
    assert len(examples) > 3 * SCORING_CHUNK  # several chunks and a partial last one
    for chunk in (64, 1000, SCORING_CHUNK):
        np.testing.assert_allclose(target_log_probs(model.params, examples, chunk),
                                   one_pass["log_p"][rows, examples.targets], rtol=1e-12, atol=1e-13)
    assert masked_loss(examples, **model.params) == pytest.approx(
        float(-one_pass["log_p"][rows, examples.targets].mean()), rel=1e-12)
    sentences = toy_world.sentences[:2 * SCORING_CHUNK + 5]
    positions = [1] * len(sentences)
    np.testing.assert_allclose(model.contextual_vectors(sentences, positions),
                               forward(model.params, model.examples(sentences, positions))["h"], rtol=1e-12, atol=1e-13)
    with pytest.raises(ValueError, match="chunk must be"):
        target_log_probs(model.params, examples, 0)


def test_the_loss_over_the_toy_world_fits_in_a_small_kernel(toy_world, measurements):
    """One pass over 96,000 examples held 560 MB at once (notebook 07's kernel peaked at 690 MB); chunks hold ~25."""
    model = toy_model(toy_world.sentences, CONTEXTUAL_DEFAULTS["dim"], np.random.default_rng(0))
    examples = model.examples(toy_world.sentences)
    tracemalloc.start()
    try:
        masked_loss(examples, **model.params)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    measurements.append(f"masked_loss over the toy world: peak allocation {peak / 2**20:.1f} MB")
    assert peak < 100 * 2**20


# --- training ---------------------------------------------------------------------------------------------------

def test_training_lowers_the_loss(toy_world):
    rng = np.random.default_rng(0)
    sentences = toy_world.sentences[:600]
    model = toy_model(sentences, 8, rng)
    examples = model.examples(sentences)
    start = masked_loss(examples, **model.params)
    losses = MaskedTrainer(model, examples, rng, lr=0.02, batch_size=64).train(4, progress=False)
    end = masked_loss(examples, **model.params)
    assert start == pytest.approx(np.log(len(model.words)), abs=0.1)  # the random start knows nothing
    assert end < 0.5 * start
    assert losses[-1] < losses[0]


def test_same_seed_same_model_other_seed_other_model(toy_world):
    sentences = toy_world.sentences[:200]

    def run(seed):
        rng = np.random.default_rng(seed)
        model = toy_model(sentences, 6, rng)
        MaskedTrainer(model, model.examples(sentences), rng).train(2, progress=False)
        return model.params

    a, b, c = run(5), run(5), run(6)
    for name in PARAMETERS:
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.allclose(a["E"], c["E"])


def test_trainer_continues_where_it_stopped():
    def run(chunks):
        rng = np.random.default_rng(1)
        model = small_model(seed=1)
        trainer = MaskedTrainer(model, model.examples(SMALL), rng, batch_size=4)
        for epochs in chunks:
            trainer.train(epochs, progress=False)
        return model.params, trainer.epoch_losses

    (whole, losses_whole), (halves, losses_halves) = run([4]), run([2, 2])
    np.testing.assert_allclose(losses_whole, losses_halves)
    for name in PARAMETERS:
        np.testing.assert_allclose(whole[name], halves[name])


def test_notebook_07_claims_at_its_settings(toy_world, trained, measurements):
    """What notebook 07 says: the loss falls, "zoo" / "hip" get the most attention, the senses split (>= 0.95),
    the seed sentence's "mole" lies on the animals' side (<= 0.25)."""
    model, examples, start, end, seconds = trained
    measurements.append(f"notebook 07's attention model: {len(examples):,} examples x {CONTEXTUAL_DEFAULTS['epochs']} "
                        f"epochs trained in {seconds:.1f} s, loss {start:.3f} -> {end:.3f}")
    assert end < 0.25 * start
    deciders = {"animal": {"zoo"}, "skin": {"hip", "doctor"}}
    for sense, tokens in toyworld.PLANTED.items():
        tokens = list(tokens)
        weights = model.attention(tokens, tokens.index("mole"))
        assert tokens[int(np.argmax(weights))] in deciders[sense], (sense, weights)
    occurrences = [(i, toy_world.sentences[i].index("mole")) for i, _ in toy_world.mole_senses]
    vectors = model.contextual_vectors([toy_world.sentences[i] for i, _ in occurrences], [p for _, p in occurrences])
    labels, _ = senses.kmeans(vectors, 2, np.random.default_rng(0))
    assert senses.sense_agreement(labels, [s for _, s in toy_world.mole_senses]) >= 0.95
    groups = [[w for w, c in toy_world.classes.items() if c == cls] for cls in ("wild_animal", "body_part")]
    centres = [unit_rows(occurrence_vectors(model, toy_world.sentences, g)).mean(axis=0) for g in groups]
    seed = list(toyworld.SEED_SENTENCE)
    assert senses.position_between(model.contextual_vector(seed, seed.index("mole")), *centres) <= 0.25


# --- bad input --------------------------------------------------------------------------------------------------

def test_unknown_word_suggests_the_closest():
    model = small_model()
    with pytest.raises(UnknownWordError, match="'lino' is not in the vocabulary. Did you mean: lion"):
        model.attention("a big lino", 2)


@pytest.mark.parametrize("call, message", [
    (lambda m: m.attention("cat", 0), r"between 2 and 7 words \(max_len\), got 1"),
    (lambda m: m.attention("the cat is cute the cat is cute", 0), r"between 2 and 7 words"),
    (lambda m: m.attention("the cat is cute", 4), r"position must be an integer between 0 and 3, got 4"),
    (lambda m: m.attention("the cat is cute", -1), r"position must be an integer between 0 and 3"),
    (lambda m: m.predict("the cat is cute", 1, topn=0), r"topn must be an integer between 1"),
    (lambda m: m.examples([]), r"sentences is empty"),
    (lambda m: m.examples([["the", "cat"]], [0, 1]), r"one position per sentence"),
    (lambda m: m.examples([["the", "cat"]], [2]), r"positions\[0\] must be an integer between 0 and 1"),
    (lambda m: occurrence_vectors(m, SMALL, ["zebra"]), r"none of \['zebra'\] occurs"),
])
def test_bad_input_gets_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call(small_model())


@pytest.mark.parametrize("kwargs, message", [
    (dict(dim=0), r"dim must be an integer between 1"),
    (dict(max_len=1), r"max_len must be an integer between 2"),
    (dict(words=["cat"]), r"at least 2 different words"),
    (dict(words=["cat", "cat"]), r"at least 2 different words"),
    (dict(words=["cat", "[mask]"]), r"without '\[mask\]'"),
])
def test_bad_model_settings_get_a_clear_message(kwargs, message):
    args = dict(words=["cat", "dog"], dim=4, max_len=5, rng=np.random.default_rng(0)) | kwargs
    with pytest.raises(ValueError, match=message):
        AttentionModel.create(**args)


def test_a_seed_or_legacy_generator_is_refused_with_how_to_make_one():
    model = small_model()
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator \(np.random.default_rng\(seed\)\), "
                                        r"got int"):
        AttentionModel.create(["cat", "dog"], 4, 5, 0)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator .* got RandomState"):
        MaskedTrainer(model, model.examples(SMALL), np.random.RandomState(0))


@pytest.mark.parametrize("kwargs, message", [
    (dict(lr=0.0), r"lr must be a number > 0"),
    (dict(lr=float("nan")), r"lr must be a number > 0"),
    (dict(batch_size=0), r"batch_size must be an integer between 1"),
])
def test_bad_trainer_settings_get_a_clear_message(kwargs, message):
    model = small_model()
    args = dict(rng=np.random.default_rng(0)) | kwargs
    with pytest.raises(ValueError, match=message):
        MaskedTrainer(model, model.examples(SMALL), **args)


def test_trainer_rejects_bad_epochs_and_too_long_examples():
    model = small_model()
    trainer = MaskedTrainer(model, model.examples(SMALL), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"epochs must be an integer between 1"):
        trainer.train(0, progress=False)
    short = toy_model([["a", "b", "c"]], 4, np.random.default_rng(0))
    long_examples = toy_model(SMALL, 4, np.random.default_rng(0)).examples(SMALL)
    with pytest.raises(ValueError, match=r"larger max_len"):
        MaskedTrainer(short, long_examples, np.random.default_rng(0))


# --- the widget ---------------------------------------------------------------------------------------------------

def test_widget_shows_the_models_attention_and_guesses():
    model = small_model()
    widget = AttentionExplorer(model, "my cat and my dog", word="dog")
    assert widget.position.value == 4
    np.testing.assert_array_equal(widget.weights, model.attention("my cat and my dog", 4))
    assert widget.guesses == model.predict("my cat and my dog", 4, topn=5)
    assert widget.view.value.count('class="wv-attention-cell"') == 5
    assert "hidden 'dog'" in widget.summary() and widget.message.value == ""
    widget.position.value = 1
    np.testing.assert_array_equal(widget.weights, model.attention("my cat and my dog", 1))
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == widget.summary() and "wv-attention-cell" in bundle["text/html"]


def test_widget_unknown_word_gets_suggestions_and_recovers():
    model = small_model()
    widget = AttentionExplorer(model, "the cat is cute", word="cat")
    widget.sentence_box.value = "the cta is cute"
    assert widget.weights is None and "Did you mean: cat" in widget.message.value
    buttons = widget.suggestion_box.children
    assert [b.description for b in buttons][0] == "cat"
    buttons[0].click()
    assert widget.sentence_box.value == "the cat is cute"
    assert widget.message.value == "" and widget.weights is not None and widget.position.value == 1


def test_widget_shows_errors_in_place_and_keeps_working():
    model = small_model()
    widget = AttentionExplorer(model, "the cat is cute")
    widget.sentence_box.value = "cat"
    assert widget.weights is None and "between 2 and 7 words" in widget.message.value
    assert "has an error" in widget._repr_mimebundle_()["text/plain"]
    widget.sentence_box.value = "the dog is cute"
    assert widget.weights is not None and widget.message.value == ""


def test_widget_keeps_the_hidden_word_when_the_sentence_changes():
    widget = AttentionExplorer(small_model(), "the cat is cute", word="cute")
    widget.sentence_box.value = "my cat is cute"
    assert widget.tokens[widget.position.value] == "cute"


# --- the exercise ---------------------------------------------------------------------------------------------

def test_check_attention_row_accepts_the_answer_and_names_mistakes():
    rng = np.random.default_rng(0)
    query, keys, hidden = rng.normal(size=4), rng.normal(size=(5, 4)), 2
    model_like = keys @ query / 2.0
    masked = model_like.copy()
    masked[hidden] = -np.inf
    right = np.exp(masked - masked.max()) / np.exp(masked - masked.max()).sum()
    assert exercises.check_attention_row(right, query, keys, hidden).correct
    assert "still empty" in exercises.check_attention_row(None, query, keys, hidden).message
    unscaled = keys @ query
    unscaled[hidden] = -np.inf
    cases = {
        "forgot to divide the scores by sqrt(d)": np.exp(unscaled - unscaled.max()) / np.exp(unscaled - unscaled.max()).sum(),
        "hidden word itself": np.exp(model_like - model_like.max()) / np.exp(model_like - model_like.max()).sum(),
        "These are the scores": model_like,
        "sum to 1": np.ones(5),
        "one weight per word": right[:4],
        "not str": "weights",
    }
    for expected, answer in cases.items():
        feedback = exercises.check_attention_row(answer, query, keys, hidden)
        assert not feedback.correct and expected in feedback.message, (expected, feedback.message)
