"""Parameter checks that fail early with a message naming the parameter and its valid range."""

from __future__ import annotations

import numbers

import numpy as np


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int, or raise a ``ValueError`` that names ``name`` and its range.

    Examples
    --------
    >>> check_int("window", 0, low=1)
    Traceback (most recent call last):
    ...
    ValueError: window must be an integer >= 1, got 0
    """
    valid = f">= {low}" if high is None else f"between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer {valid}, got {value!r}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer {valid}, got {value}")
    return int(value)


def check_float(
    name: str,
    value: object,
    *,
    low: float,
    high: float | None = None,
    low_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float, or raise a ``ValueError`` that names ``name`` and its range.

    Examples
    --------
    >>> check_float("lr", 0.0, low=0.0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a number > 0.0, got 0.0
    """
    lower = f"{'>=' if low_inclusive else '>'} {low}"
    valid = lower if high is None else f"{lower} and <= {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number {valid}, got {value!r}")
    x = float(value)
    too_low = x < low if low_inclusive else x <= low
    if x != x or too_low or (high is not None and x > high):  # x != x catches NaN
        raise ValueError(f"{name} must be a number {valid}, got {value}")
    if x == float("inf"):  # lr=inf or power=inf would only show up later as NaN vectors
        raise ValueError(f"{name} must be a finite number {valid}, got {value}")
    return x


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise a ``ValueError`` listing them."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return str(value)


def check_array(name: str, value: object, *, ndim: int, shape_text: str, last: int | None = None,
                min_rows: int = 0, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float64 array of ``ndim`` dimensions, or raise a ``ValueError`` naming ``name``, the
    shape it needs (``shape_text``, e.g. ``"(V, d)"``) and what is wrong.

    ``last`` fixes the size of the last axis (e.g. ``d``); ``min_rows`` the least length of the first axis;
    ``finite`` refuses NaN and infinities (which would only surface later, as NaN results).

    Examples
    --------
    >>> check_array("target_in", [[1.0]], ndim=1, shape_text="(d,)")
    Traceback (most recent call last):
    ...
    ValueError: target_in must have shape (d,), got (1, 1)
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # text, ragged lists, ints beyond float range
        raise ValueError(f"{name} must be a numeric array of shape {shape_text}, got {type(value).__name__}") \
            from None
    if array.ndim != ndim or (last is not None and array.shape[-1] != last) or (ndim and len(array) < min_rows):
        needs = []
        if last is not None:
            needs.append(f"the last axis {last}")
        if min_rows:
            needs.append(f"at least {min_rows} rows")
        extra = f" with {' and '.join(needs)}" if needs else ""
        raise ValueError(f"{name} must have shape {shape_text}{extra}, got {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; results from them would be NaN")
    return array
