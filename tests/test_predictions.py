"""Predict-then-reveal checks (helpers.exercises.predictions): they reveal the measured answer, say whether the learner's
prediction was right, and never raise."""

import numpy as np
import pytest

from helpers.exercises import Reveal, predictions
from helpers.exercises.predictions import reveal_choice, reveal_number

CLASSES = {"very": "function", "calf": "farm_animal", "dog": "pet"}


class Hostile:
    """A value whose every operation fails, like a learner's half-written class."""

    def __str__(self):
        raise RuntimeError("no str")

    __repr__ = __str__

    def __float__(self):
        raise RuntimeError("no float")


def test_an_empty_prediction_still_reveals_the_answer_and_invites_one():
    for empty in (None, ...):
        shown = predictions.check_mole_position(empty, 0.62)
        assert isinstance(shown, Reveal) and not shown.predicted and not shown.correct
        assert "0.62" in shown.message and "next time" in shown.message
        assert "The answer" in shown._repr_html_()


def test_a_number_within_the_tolerance_is_right_and_outside_it_says_which_way():
    assert reveal_number(0.5, 0.62, 0.15, answer_text="a", explanation="b").correct
    lower = reveal_number(0.9, 0.62, 0.15, answer_text="a", explanation="b")
    higher = reveal_number(0.1, 0.62, 0.15, answer_text="a", explanation="b")
    assert not lower.correct and "lower" in lower.message
    assert not higher.correct and "higher" in higher.message


def test_a_choice_ignores_case_spaces_and_the_prime_sign():
    purity = {"W": 0.94, "W′": 0.94, "W + W′": 0.59}
    assert predictions.check_best_matrix("  w' ", purity).correct
    assert predictions.check_best_matrix("W", purity).correct
    wrong = predictions.check_best_matrix("w + w'", purity)
    assert not wrong.correct and "0.59" in wrong.message


def test_the_answer_comes_from_the_measurement_not_from_the_module():
    # the same question, measured differently, reveals differently: nothing is hard-coded
    assert predictions.check_random_neighbour("no", ["very", "calf"], CLASSES).correct
    assert predictions.check_random_neighbour("yes", ["dog", "calf"], CLASSES).correct
    assert not predictions.check_random_neighbour("no", ["dog", "calf"], CLASSES).correct
    assert predictions.check_cosine_spread("narrower", {2: 0.7, 10: 0.32, 100: 0.1}).correct
    assert predictions.check_cosine_spread("wider", {2: 0.1, 10: 0.32, 100: 0.7}).correct
    assert predictions.check_analogy_guess("Puppy", "puppy", ["puppy", "rabbit"]).correct
    assert not predictions.check_analogy_guess("rabbit", "puppy", ["puppy", "rabbit"]).correct


def test_the_attention_guess_excludes_the_hidden_word_and_reveals_the_top_one():
    tokens = ["i", "saw", "a", "mole", "at", "the", "zoo"]
    weights = np.array([0.1, 0.1, 0.2, 0.0, 0.1, 0.1, 0.4])
    assert predictions.check_attention_guess("zoo", tokens, weights, 3).correct
    shown = predictions.check_attention_guess("the", tokens, weights, 3)
    assert not shown.correct and "'zoo'" in shown.message and "Small words" in shown.message
    assert "not one of the options" in predictions.check_attention_guess("mole", tokens, weights, 3).message


@pytest.mark.parametrize("check, args", [
    (predictions.check_mole_position, (0.62,)),
    (predictions.check_first_epoch, (0.7,)),
    (predictions.check_wordsim_guess, (0.53,)),
    (predictions.check_analogy_share, (0.027,)),
    (predictions.check_loss_guess, (0.8, 4.9)),
    (predictions.check_best_matrix, ({"W": 0.9, "W + W′": 0.6},)),
    (predictions.check_random_neighbour, (["very"], CLASSES)),
])
def test_a_prediction_of_the_wrong_kind_gets_a_message_never_an_exception(check, args):
    for odd in ("half", [0.5, 0.6], float("nan"), 10**400, Hostile(), object(), 3 + 4j, b"yes"):
        shown = check(odd, *args)
        assert not shown.correct and shown.message


def test_broken_measurements_give_feedback_not_a_traceback():
    assert not predictions.check_random_neighbour("yes", None, CLASSES).correct
    assert not reveal_choice("yes", ["yes"], None, answer_text="a", explanation="b").correct


class FakeShell:
    """What name_error_hint and point_back_on_name_errors use of IPython's shell."""

    def __init__(self, installed=()):
        self.custom_exceptions, self.shown, self.handler = installed, [], None

    def showtraceback(self, exc_tuple, tb_offset=None):
        self.shown.append(exc_tuple[0])

    def set_custom_exc(self, exceptions, handler):
        self.custom_exceptions, self.handler = exceptions, handler


def test_a_name_error_keeps_its_traceback_and_points_back_to_the_learners_cell(capsys):
    from helpers.exercises import name_error_hint
    shell = FakeShell()
    try:
        my_prediction  # noqa: B018, F821 - the learner's cell above was not run
    except NameError as error:
        name_error_hint(shell, NameError, error, error.__traceback__)
    assert shell.shown == [NameError]
    out = capsys.readouterr().out
    assert "`my_prediction` is not defined yet" in out and "the cell above" in out


def test_the_name_error_hint_is_installed_only_in_a_shell_without_one(monkeypatch):
    import IPython

    from helpers.exercises import name_error_hint, point_back_on_name_errors
    fresh, taken = FakeShell(), FakeShell(installed=(KeyError,))
    monkeypatch.setattr(IPython, "get_ipython", lambda: fresh)
    assert point_back_on_name_errors() and fresh.handler is name_error_hint
    monkeypatch.setattr(IPython, "get_ipython", lambda: taken)
    assert not point_back_on_name_errors() and taken.handler is None
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert not point_back_on_name_errors()
