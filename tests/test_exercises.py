"""Exercise checks: a right answer is accepted, typical wrong answers get specific feedback, nothing ever raises."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import exercises
from helpers.exercises import (
    Feedback,
    check_cosine_similarity,
    check_nearest_neighbours,
    check_pairs,
    check_softmax_loss,
)

# ---------------------------------------------------------------------------------------------- cosine (notebook 01)


def test_cosine_accepts_a_correct_function():
    feedback = check_cosine_similarity(lambda a, b: np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
    assert feedback.correct and isinstance(feedback, Feedback)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda a, b: a @ b, "dot product"),
    (lambda a, b: a @ b / np.linalg.norm(a), "divide by |b| as well"),
    (lambda a, b: a @ b / ((a @ a) * (b @ b)), "square root"),
    (lambda a, b: 1 - a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), "distance"),
    (lambda a, b: np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1)), "angle"),
    (lambda a, b: np.linalg.norm(a - b), "Euclidean"),
])
def test_cosine_names_typical_mistakes(wrong, phrase):
    feedback = check_cosine_similarity(wrong)
    assert not feedback.correct
    assert phrase in feedback.message


def _stub(a, b):
    ...


def _crashes(a, b):
    raise ZeroDivisionError("boom")


@pytest.mark.parametrize("answer, phrase", [
    (None, "still empty"),
    (_stub, "returned None"),
    (_crashes, "ZeroDivisionError: boom"),
    (0.5, "Give a function"),
    (lambda a, b: [1, 2], "one number"),
    (lambda a, b: 0.123, "you returned 0.1230"),
])
def test_cosine_never_raises_on_bad_answers(answer, phrase):
    feedback = check_cosine_similarity(answer)
    assert not feedback.correct and phrase in feedback.message


# ----------------------------------------------------------------------------------------------- pairs (notebook 02)


def good_pairs(tokens, window):
    return [(t, tokens[j]) for i, t in enumerate(tokens)
            for j in range(max(0, i - window), min(len(tokens), i + window + 1)) if j != i]


def test_pairs_accepts_a_correct_function_in_any_order():
    assert check_pairs(good_pairs).correct
    assert check_pairs(lambda tokens, window: list(reversed(good_pairs(tokens, window)))).correct


def test_pairs_accepts_a_generator_of_lists():
    assert check_pairs(lambda tokens, window: ([t, c] for t, c in good_pairs(tokens, window))).correct


@pytest.mark.parametrize("wrong, phrase", [
    (lambda tokens, w: [(t, tokens[j]) for i, t in enumerate(tokens)
                        for j in range(max(0, i - w), min(len(tokens), i + w + 1))], "with itself"),
    (lambda tokens, w: [(t, tokens[j]) for i, t in enumerate(tokens)
                        for j in range(i + 1, min(len(tokens), i + w + 1))], "only looked to the right"),
    (lambda tokens, w: [(t, tokens[j]) for i, t in enumerate(tokens)
                        for j in range(max(0, i - w), i)], "only looked to the left"),
    (lambda tokens, w: good_pairs(tokens, w + 1), "reaches 3 words"),
    (lambda tokens, w: good_pairs(tokens, w - 1), "reaches only 1 word"),
    (lambda tokens, w: good_pairs(tokens, w)[:-1], "missing 1"),
    (lambda tokens, w: list(enumerate(tokens)), "strings"),
    (lambda tokens, w: 42, "list of (target, context) tuples"),
])
def test_pairs_explains_typical_mistakes(wrong, phrase):
    feedback = check_pairs(wrong)
    assert not feedback.correct
    assert phrase in feedback.message


def test_pairs_handles_an_empty_stub():
    def make_pairs(tokens, window):
        ...  # your code here

    assert "returned None" in check_pairs(make_pairs).message
    assert "still empty" in check_pairs(None).message


# ------------------------------------------------------------------------------------------------ loss (notebook 02)

SCORES = np.array([2.0, 1.0, 0.1, -1.0, 0.5])
CONTEXT = 1


def _probabilities():
    e = np.exp(SCORES)
    return e / e.sum()


def test_loss_accepts_the_cross_entropy_also_rounded_or_as_array():
    right = -np.log(_probabilities()[CONTEXT])
    assert check_softmax_loss(right, SCORES, CONTEXT).correct
    assert check_softmax_loss(np.array(right), SCORES, CONTEXT).correct
    assert check_softmax_loss(round(float(right), 3), SCORES, CONTEXT).correct


@pytest.mark.parametrize("wrong, phrase", [
    (lambda p: np.log(p[CONTEXT]), "sign is flipped"),
    (lambda p: p[CONTEXT], "probability p"),
    (lambda p: -SCORES[CONTEXT], "raw score"),
    (lambda p: np.log(np.exp(SCORES).sum()), "normaliser"),
    (lambda p: np.log(len(SCORES)), "log V"),
    (lambda p: -np.log10(p[CONTEXT]), "log10"),
    (lambda p: -np.log(p[0]), "loss for word 0"),
    (lambda p: -np.log(p[CONTEXT]) + 0.02, "round less"),
])
def test_loss_explains_typical_mistakes(wrong, phrase):
    feedback = check_softmax_loss(float(wrong(_probabilities())), SCORES, CONTEXT)
    assert not feedback.correct
    assert phrase in feedback.message


@pytest.mark.parametrize("answer, phrase", [(None, "still empty"), (..., "still empty"), ("1.2", "one number"),
                                            ([1.0, 2.0], "one number"), (True, "one number")])
def test_loss_never_raises_on_bad_answers(answer, phrase):
    feedback = check_softmax_loss(answer, SCORES, CONTEXT)
    assert not feedback.correct and phrase in feedback.message


# ---------------------------------------------------------------------------------- nearest neighbours (notebook 04)

WORDS = ["lion", "tiger", "bear", "cat", "bread", "long"]


@pytest.fixture()
def vectors():
    # "long" points almost like lion but is 10x longer: it wins by dot product, not by cosine.
    return np.array([
        [1.0, 0.0, 0.0],
        [0.9, 0.1, 0.0],
        [0.8, 0.3, 0.0],
        [0.2, 1.0, 0.0],
        [-1.0, 0.1, 0.2],
        [3.0, 3.0, 10.0],
    ])


def test_neighbours_accepts_the_cosine_ranking(vectors):
    assert check_nearest_neighbours(["tiger", "bear"], vectors, WORDS, "lion", 2).correct
    # most_similar's (word, score) pairs are accepted too.
    assert check_nearest_neighbours([("tiger", 0.99), ("bear", 0.9)], vectors, WORDS, "lion", 2).correct


@pytest.mark.parametrize("answer, phrase", [
    (["lion", "tiger"], "Leave 'lion' itself out"),
    (["bear", "tiger"], "wrong order"),
    (["long", "tiger"], "raw dot product"),
    (["bread", "cat"], "least"),
    (["tiger"], "exactly k = 2"),
    (["tiger", "cat"], "1 of your 2 words"),
    ("tiger", "list of 2 words"),
    ([1, 2], "strings"),
    (None, "still empty"),
])
def test_neighbours_explains_typical_mistakes(vectors, answer, phrase):
    feedback = check_nearest_neighbours(answer, vectors, WORDS, "lion", 2)
    assert not feedback.correct
    assert phrase in feedback.message


def test_every_check_renders_as_html():
    html = check_pairs(None)._repr_html_()
    assert "Not yet" in html and "<div" in html
    assert exercises.not_attempted("x").correct is False


# ------------------------------------------------------------------------------------- nothing a learner types raises

_anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.tuples(st.text(max_size=3), st.text(max_size=3))),
             max_size=6),
)


@given(value=_anything)
def test_checks_never_raise_whatever_the_answer(value):
    wv = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.2]])
    results = [
        check_cosine_similarity(value),
        check_cosine_similarity(lambda a, b: value),
        check_pairs(value),
        check_pairs(lambda tokens, window: value),
        check_softmax_loss(value, SCORES, CONTEXT),
        check_nearest_neighbours(value, wv, ["a", "b", "c", "d"], "a", 2),
    ]
    assert all(isinstance(r, Feedback) and r.message for r in results)


# ------------------------------------------------------------------- hostile answers: the learner's own objects


class Hostile:
    """An object every operation of which raises: what a half-written class of the learner's can look like."""

    def __getattr__(self, name):
        if name.startswith("__"):  # let pytest and Python's protocols look for dunders as usual
            raise AttributeError(name)
        raise RuntimeError(f"no {name} here")

    def __len__(self):
        raise RuntimeError("no len")

    def __iter__(self):
        raise RuntimeError("no iter")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__

    def __float__(self):
        raise RuntimeError("no float")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __gt__(self, other):
        raise RuntimeError("no gt")


class HostileWord(str):
    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = str.__hash__


class BadList(list):
    def __iter__(self):
        raise ValueError("half way")


def _failing_generator(tokens, window):
    yield (tokens[0], tokens[1])
    raise KeyError("generator broke")


def _all_checks(value):
    """Every check with ``value`` as the answer and, for function exercises, as what the function returns."""
    from helpers.space import WordVectors

    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.2]])
    wv = WordVectors(np.random.default_rng(0).normal(size=(4, 3)), ["the", "mole", "on", "hip"])
    cosines, ratings = np.array([0.1, 0.5, 0.3, 0.9]), np.array([1.0, 4.0, 2.0, 8.0])
    return [
        check_cosine_similarity(value), check_cosine_similarity(lambda a, b: value),
        check_pairs(value), check_pairs(lambda tokens, window: value),
        check_softmax_loss(value, SCORES, CONTEXT),
        check_nearest_neighbours(value, vectors, ["a", "b", "c", "d"], "a", 2),
        exercises.check_sentence_count(value, [["a", "b"], ["a"]], "a"),
        exercises.check_sgns_update(value), exercises.check_sgns_update(lambda v, u, n, lr: value),
        exercises.check_sgns_update(lambda v, u, n, lr: (value, value, value)),
        exercises.check_spearman(value, cosines, ratings),
        exercises.check_context_vector(value, wv, ["the", "mole", "on", "the", "hip"], 1, 2),
        exercises.check_attention_row(value, vectors[0], vectors, 1),
    ]


@pytest.mark.parametrize("value", [10**400, -10**400, [10**400], float("inf"), Hostile(), [Hostile()],
                                   (Hostile(), Hostile()), BadList([1, 2]), _failing_generator, float("nan"),
                                   np.array([np.inf]), "", b"\x00", object(), {1: 2}, {"a", "b"}],
                         ids=lambda v: type(v).__name__)
def test_checks_never_raise_on_hostile_answers(value):
    with np.errstate(over="ignore"):
        results = _all_checks(value)
    assert all(isinstance(r, Feedback) and r.message and not r.correct for r in results)


def test_a_huge_number_is_reported_as_not_finite_not_as_an_overflow():
    feedback = check_softmax_loss(10**400, SCORES, CONTEXT)
    assert not feedback.correct and "Your loss is inf: -log p is a finite number" in feedback.message
    feedback = exercises.check_spearman(10**400, np.arange(4.0), np.arange(4.0))
    assert not feedback.correct and "A correlation lies between -1 and 1; you gave inf" in feedback.message


def test_an_exception_from_the_learners_object_becomes_feedback_that_names_it():
    feedback = check_pairs(lambda tokens, window: BadList([("a", "b")]))
    assert not feedback.correct
    assert "Reading the pairs make_pairs returned raised ValueError: half way; return a plain list" \
        in feedback.message
    feedback = check_pairs(_failing_generator)
    assert "Reading the pairs make_pairs returned raised KeyError: 'generator broke'" in feedback.message
    # Anything the specific checks do not foresee still becomes feedback, naming the exception.
    feedback = exercises.check_sentence_count(Hostile(), [["a"]], "a")
    assert not feedback.correct
    feedback = exercises.check_nearest_neighbours([HostileWord("b"), HostileWord("c")], np.eye(3), ["a", "b", "c"],
                                                  "a", 2)
    assert "Your answer could not be checked: working with it raised RuntimeError: no eq" in feedback.message


@given(value=st.one_of(st.integers(), st.floats(), st.text(max_size=4), st.binary(max_size=4),
                       st.lists(st.integers(min_value=-10**500, max_value=10**500), max_size=4),
                       st.tuples(st.floats(), st.floats(), st.floats()), st.dictionaries(st.text(max_size=2),
                                                                                         st.integers(), max_size=2)))
def test_checks_never_raise_on_arbitrary_values(value):
    with np.errstate(all="ignore"):
        results = _all_checks(value)
    assert all(isinstance(r, Feedback) and r.message for r in results)


@pytest.mark.parametrize("cosine, cause", [
    (lambda a, b: a @ b / np.norm(a), "np.linalg.norm"),
    (lambda a, b: a @ b / lengths, "not defined"),  # noqa: F821 - the learner's undefined name is the point
    (lambda a, b: a @ b.reshape(-1, 1)[:1], "did not fit together"),
])
def test_cosine_check_names_the_likely_cause_of_the_learners_exception(cosine, cause):
    feedback = check_cosine_similarity(cosine)
    assert not feedback.correct and "raised" in feedback.message and cause in feedback.message


def test_an_empty_answer_points_back_to_the_learners_own_cell():
    assert "If that cell showed an error" in check_cosine_similarity(None).message
