"""Argument checks that fail early with a message naming the argument and its valid range.

Numbers and choices are checked by :class:`helpers.params.Param`, the one checking rule of the package; arrays by
:func:`check_array`.
"""

from __future__ import annotations

import numpy as np

from .params import Param


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int, or raise a ``ValueError`` that names ``name`` and its range.

    The same check as a declared hyperparameter's (:class:`helpers.params.Param`), for arguments that are not
    hyperparameters (``topn``, ``k``, a position).

    Examples
    --------
    >>> check_int("window", 0, low=1)
    Traceback (most recent call last):
    ...
    ValueError: window must be an integer >= 1, got 0
    """
    return Param(name, "int", "", low=low, high=high).check(value)


def check_float(
    name: str,
    value: object,
    *,
    low: float,
    high: float | None = None,
    low_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite float, or raise a ``ValueError`` that names ``name`` and its range.

    Examples
    --------
    >>> check_float("lr", 0.0, low=0.0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a number > 0, got 0.0
    """
    return Param(name, "float", "", low=low, high=high, low_inclusive=low_inclusive).check(value)


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise a ``ValueError`` listing them."""
    return Param(name, "choice", "", choices=tuple(choices)).check(value)


def check_generator(rng: object, *, allow_none: bool = False) -> np.random.Generator | None:
    """Return ``rng`` if it is a ``numpy.random.Generator`` (or None, where ``allow_none``), else raise a
    ``TypeError`` that says how to make one: the course passes one seeded Generator around, never a seed or the
    legacy ``RandomState``.

    Examples
    --------
    >>> check_generator(7)
    Traceback (most recent call last):
    ...
    TypeError: rng must be a numpy.random.Generator (np.random.default_rng(seed)), got int
    """
    if isinstance(rng, np.random.Generator) or (allow_none and rng is None):
        return rng
    raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)){' or None' * allow_none}, "
                    f"got {type(rng).__name__}")


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
