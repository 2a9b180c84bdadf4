"""Tests of helpers.validation: every rejected value gets a message that names the parameter and its valid range."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import helpers.validation
from helpers.validation import check_choice, check_float, check_generator, check_int


def test_docstring_examples_hold():
    result = doctest.testmod(helpers.validation)
    assert result.attempted >= 2 and result.failed == 0


# --------------------------------------------------------------------------------------------------------------
# Integers


@pytest.mark.parametrize("value", [1, 5, np.int64(3), np.int32(7)])
def test_check_int_accepts_integers_in_range_and_returns_python_ints(value):
    result = check_int("window", value, low=1)
    assert result == value and type(result) is int


@pytest.mark.parametrize("value", [0, -4])
def test_check_int_message_names_the_parameter_and_lower_bound(value):
    with pytest.raises(ValueError, match=rf"^window must be an integer >= 1, got {value}$"):
        check_int("window", value, low=1)


def test_check_int_message_names_both_bounds():
    with pytest.raises(ValueError, match=r"^k must be an integer between 1 and 9, got 10$"):
        check_int("k", 10, low=1, high=9)
    assert check_int("k", 9, low=1, high=9) == 9 and check_int("k", 1, low=1, high=9) == 1


@pytest.mark.parametrize("value", [True, False, np.bool_(True), 2.0, 2.5, "3", None, [3], float("nan")])
def test_check_int_rejects_bools_floats_and_strings(value):
    # True is an int to Python, but dim=True is always a mistake.
    with pytest.raises(ValueError, match=r"^dim must be an integer >= 1, got "):
        check_int("dim", value, low=1)


@given(st.integers(-1000, 1000), st.integers(-50, 50), st.integers(0, 100))
def test_check_int_accepts_exactly_the_range(value, low, width):
    high = low + width
    if low <= value <= high:
        assert check_int("n", value, low=low, high=high) == value
    else:
        with pytest.raises(ValueError, match=rf"between {low} and {high}, got {value}"):
            check_int("n", value, low=low, high=high)


# --------------------------------------------------------------------------------------------------------------
# Floats


@pytest.mark.parametrize("value", [0.5, 1, np.float32(0.25), np.float64(2.0), 1e-12])
def test_check_float_accepts_numbers_and_returns_python_floats(value):
    result = check_float("lr", value, low=0.0, low_inclusive=False)
    assert result == float(value) and type(result) is float


def test_check_float_message_for_an_exclusive_lower_bound():
    with pytest.raises(ValueError, match=r"^lr must be a number > 0, got 0.0$"):
        check_float("lr", 0.0, low=0.0, low_inclusive=False)
    with pytest.raises(ValueError, match=r"^lr must be a number > 0, got -1$"):
        check_float("lr", -1, low=0.0, low_inclusive=False)


def test_check_float_message_for_an_inclusive_range():
    assert check_float("sample", 0.0, low=0.0, high=1.0) == 0.0
    assert check_float("sample", 1.0, low=0.0, high=1.0) == 1.0
    with pytest.raises(ValueError, match=r"^sample must be a number between 0 and 1, got 1.5$"):
        check_float("sample", 1.5, low=0.0, high=1.0)


@pytest.mark.parametrize("value", [float("nan"), np.nan, np.float32("nan")])
def test_check_float_rejects_nan(value):
    # NaN compares False with everything, so a naive "value < low" check would let it through.
    with pytest.raises(ValueError, match=r"^lr must be a number > 0, got nan$"):
        check_float("lr", value, low=0.0, low_inclusive=False)


@pytest.mark.parametrize("value", [math.inf, -math.inf, np.inf])
def test_check_float_rejects_infinity(value):
    with pytest.raises(ValueError, match=rf"^lr must be a number > 0, got {value}$"):
        check_float("lr", value, low=0.0, low_inclusive=False)


@pytest.mark.parametrize("value", [True, False, "0.1", None, [0.1], 1j])
def test_check_float_rejects_bools_strings_and_other_types(value):
    with pytest.raises(ValueError, match=r"^lr must be a number > 0, got "):
        check_float("lr", value, low=0.0, low_inclusive=False)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(-10, 10), st.booleans())
def test_check_float_accepts_exactly_the_range(value, low, inclusive):
    inside = value >= low if inclusive else value > low
    if inside:
        assert check_float("x", value, low=low, low_inclusive=inclusive) == value
    else:
        with pytest.raises(ValueError, match=r"^x must be a number "):
            check_float("x", value, low=low, low_inclusive=inclusive)


# --------------------------------------------------------------------------------------------------------------
# Choices


def test_check_choice_returns_the_choice():
    assert check_choice("loss", "softmax", ("negative_sampling", "softmax")) == "softmax"


@pytest.mark.parametrize("value", ["cbow", "Softmax", "", None, 3, ["softmax"]])
def test_check_choice_lists_every_valid_option(value):
    with pytest.raises(ValueError) as info:
        check_choice("loss", value, ("negative_sampling", "softmax"))
    message = str(info.value)
    assert message.startswith("loss must be one of 'negative_sampling', 'softmax', got ")
    assert message.endswith(repr(value))


def test_check_generator_accepts_a_generator_and_names_what_else_it_got():
    rng = np.random.default_rng(0)
    assert check_generator(rng) is rng
    assert check_generator(None, allow_none=True) is None
    for bad, name in [(7, "int"), (None, "NoneType"), (np.random.RandomState(0), "RandomState"), ("0", "str")]:
        with pytest.raises(TypeError, match=rf"rng must be a numpy\.random\.Generator "
                                            rf"\(np\.random\.default_rng\(seed\)\), got {name}$"):
            check_generator(bad)
    with pytest.raises(TypeError, match=r"\(np\.random\.default_rng\(seed\)\) or None, got int"):
        check_generator(7, allow_none=True)
