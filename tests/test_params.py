"""The one declaration of every hyperparameter: ranges, messages, defaults, cross-checks."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from helpers import params
from helpers.params import PARAMS, STEP_DEFAULTS, WORD2VEC_DEFAULTS, check, parameters_doc, validate


def test_doctests_hold():
    assert doctest.testmod(params).failed == 0


@pytest.mark.parametrize("defaults", [WORD2VEC_DEFAULTS, STEP_DEFAULTS])
def test_every_default_is_valid_and_declared(defaults):
    assert validate({}, defaults) == dict(defaults)
    assert set(defaults) <= set(PARAMS)


def test_word2vec_defaults_are_gensims():
    from gensim.models import Word2Vec

    model = Word2Vec(vector_size=WORD2VEC_DEFAULTS["dim"])  # no corpus: just read the defaults
    assert (model.window, model.negative, model.min_count, model.sample, model.epochs, model.alpha,
            model.min_alpha, model.ns_exponent) == tuple(WORD2VEC_DEFAULTS[k] for k in (
                "window", "negative", "min_count", "sample", "epochs", "lr", "min_lr", "power"))


@pytest.mark.parametrize("name, bad", [
    ("window", 0), ("window", 51), ("window", 2.0), ("window", True), ("window", "3"), ("window", None),
    ("dim", 10**9), ("negative", 10**4), ("lr", 0.0), ("lr", -1), ("lr", 1e308), ("lr", float("nan")),
    ("lr", float("inf")), ("sample", 1.5), ("seed", -1), ("min_count", 0), ("epochs", 0),
    ("model", "sg"), ("loss", "ns"), ("allow_false_negatives", "False"), ("allow_false_negatives", 0),
    ("progress", 1), ("progress", "yes"),
])
def test_bad_values_name_the_parameter_and_its_range(name, bad):
    with pytest.raises(ValueError) as info:
        check(name, bad)
    message = str(info.value)
    assert message.startswith(f"{name} must be {PARAMS[name].range_text()}, got ")
    assert PARAMS[name].doc in message


@pytest.mark.parametrize("name, good, expected", [
    ("window", np.int64(3), 3), ("lr", 1, 1.0), ("lr", np.float32(0.5), 0.5), ("sample", 0, 0.0),
    ("allow_false_negatives", np.bool_(True), True), ("progress", "auto", "auto"), ("progress", False, False),
    ("window", 50, 50), ("lr", 100, 100.0),
])
def test_good_values_come_back_as_their_type(name, good, expected):
    value = check(name, good)
    assert value == expected and type(value) is type(expected)


def test_range_text_reads_well():
    assert PARAMS["window"].range_text() == "an integer between 1 and 50"
    assert PARAMS["lr"].range_text() == "a number > 0 and <= 100"
    assert PARAMS["min_count"].range_text() == "an integer >= 1"
    assert PARAMS["model"].range_text() == "one of 'skipgram', 'cbow'"


def test_unknown_name_suggests_the_closest():
    with pytest.raises(TypeError, match="did you mean 'window'"):
        validate({"windows": 3}, WORD2VEC_DEFAULTS)
    with pytest.raises(TypeError, match="valid names: "):
        validate({"zzz": 3}, STEP_DEFAULTS)


def test_min_lr_above_lr_is_refused():
    with pytest.raises(ValueError, match="min_lr must be <= lr"):
        validate({"lr": 0.01, "min_lr": 0.02}, WORD2VEC_DEFAULTS)
    assert validate({"lr": 0.01, "min_lr": 0.01}, WORD2VEC_DEFAULTS)["min_lr"] == 0.01


def test_parameters_doc_comes_from_the_declarations():
    text = parameters_doc(["window", "lr"], WORD2VEC_DEFAULTS)
    assert text.splitlines() == [
        "    window : an integer between 1 and 50, default 5",
        "        Words on each side of the target word.",
        "    lr : a number > 0 and <= 100, default 0.025",
        "        Learning rate: the size of each gradient step.",
    ]
