"""One declaration of every hyperparameter: its valid range, its check, its documentation, and its defaults.

The step trainer, the fast trainer, the widgets and the gensim comparison all read their ranges and defaults from
here, so a range is stated once and every trainer rejects a bad value with the same message. Values are checked
once, at the edge (the public constructor or function); code below it can trust them.

Two sets of defaults, one per kind of run:

- :data:`WORD2VEC_DEFAULTS`, gensim's and word2vec.c's defaults, for real text (:mod:`helpers.word2vec`);
- :data:`STEP_DEFAULTS`, for stepping through a tiny corpus one update at a time in 2-D (:mod:`helpers.model.training`).

Examples
--------
>>> check("window", 0)
Traceback (most recent call last):
...
ValueError: window must be an integer between 1 and 50, got 0 (words on each side of the target word)
>>> validate({"lr": 0.1}, WORD2VEC_DEFAULTS)["window"]
5
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Param:
    """A hyperparameter: its name, what it means, its kind and its valid range.

    ``kind`` is ``"int"``, ``"float"``, ``"bool"`` or ``"choice"`` (one of ``choices``, compared by type and value,
    so ``True`` is not taken for ``1``). ``low``/``high`` bound numbers; ``low_inclusive=False`` excludes ``low``.
    """

    name: str
    kind: str
    doc: str
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    choices: tuple[Any, ...] = ()

    def range_text(self) -> str:
        """The valid values in words, as the error messages and the docs give them."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "bool":
            return "True or False"
        noun = "an integer" if self.kind == "int" else "a number"
        if self.low is not None and self.high is not None and self.low_inclusive:
            return f"{noun} between {_fmt(self.low)} and {_fmt(self.high)}"
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.low_inclusive else '>'} {_fmt(self.low)}")
        if self.high is not None:
            parts.append(f"<= {_fmt(self.high)}")
        return f"{noun} {' and '.join(parts)}".rstrip()

    def check(self, value: object) -> Any:
        """Return ``value`` as this parameter's type, or raise ``ValueError`` naming the parameter and its range."""
        if self.kind == "choice":
            for choice in self.choices:
                if type(value) is type(choice) and value == choice:
                    return choice
            self._fail(value)
        if self.kind == "bool":
            if isinstance(value, (bool, _np_bool())):
                return bool(value)
            self._fail(value)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            self._fail(value)
        if self.kind == "int" and not isinstance(value, numbers.Integral):
            self._fail(value)
        try:
            x = int(value) if self.kind == "int" else float(value)
        except OverflowError:  # 10**400 as a float
            self._fail(value)
        if isinstance(x, float) and not math.isfinite(x):  # NaN or inf would only show up later as NaN vectors
            self._fail(value)
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            self._fail(value)
        if self.high is not None and x > self.high:
            self._fail(value)
        return x

    def _fail(self, value: object) -> None:
        shown = repr(value) if not isinstance(value, numbers.Real) or isinstance(value, bool) else f"{value}"
        meaning = f" ({self.doc})" if self.doc else ""
        raise ValueError(f"{self.name} must be {self.range_text()}, got {shown}{meaning}")


def _fmt(x: float) -> str:
    if isinstance(x, int):  # 2**63 - 1 reads better exactly than as 9.22337e+18
        return str(x)
    return f"{int(x)}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def _np_bool() -> type:
    import numpy as np

    return np.bool_


PARAMS: Mapping[str, Param] = MappingProxyType({p.name: p for p in (
    Param("model", "choice", "which word predicts which: skip-gram predicts the context from the centre word, "
          "CBOW the centre from its averaged context", choices=("skipgram", "cbow")),
    Param("loss", "choice", "the output layer: a full softmax over the vocabulary, or yes/no questions against "
          "noise words", choices=("negative_sampling", "softmax")),
    Param("dim", "int", "numbers per word vector", low=1, high=10_000),
    Param("window", "int", "words on each side of the target word", low=1, high=50),
    Param("negative", "int", "noise words per true context word", low=1, high=50),
    Param("min_count", "int", "words seen fewer times are dropped", low=1),
    Param("sample", "float", "subsampling threshold for frequent words; 0 keeps every word", low=0.0, high=1.0),
    Param("power", "float", "noise words are drawn from the unigram distribution to this power", low=0.0, high=2.0),
    Param("epochs", "int", "passes over the corpus", low=1, high=1_000),
    Param("lr", "float", "learning rate: the size of each gradient step", low=0.0, high=100.0, low_inclusive=False),
    Param("min_lr", "float", "learning rate at the end of the run (it falls linearly from lr)", low=0.0,
          high=100.0),
    Param("batch_size", "int", "examples per minibatch", low=1, high=1_000_000),
    Param("seed", "int", "seed of the random generator: the same seed gives the same run", low=0,
          high=2**63 - 1),
    Param("max_score", "float", "a dot product between two vectors beyond this means the run diverged",
          low=0.0, low_inclusive=False),
    Param("allow_false_negatives", "bool", "if True, the true context word may be drawn as a noise word "
          "(word2vec.c and gensim skip such a draw; by default the step trainer draws again)"),
    Param("progress", "choice", "show a progress bar: True, False, or 'auto' (runs longer than about a second)",
          choices=(True, False, "auto")),
)})

#: gensim's (and word2vec.c's) defaults, except that skip-gram is the default model: for real text.
WORD2VEC_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "model": "skipgram", "dim": 100, "window": 5, "negative": 5, "min_count": 5, "sample": 1e-3, "power": 0.75,
    "epochs": 5, "lr": 0.025, "min_lr": 1e-4, "batch_size": 4096, "seed": 0, "max_score": 1e4,
    "progress": "auto",
})

#: For stepping through a tiny corpus one update at a time: 2-D vectors (plotted as they are), every word kept,
#: no subsampling, a learning rate large enough to see each nudge.
STEP_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "loss": "negative_sampling", "dim": 2, "window": 2, "negative": 3, "min_count": 1, "power": 0.75, "lr": 0.05,
    "seed": 0, "max_score": 1e4, "allow_false_negatives": False,
})


def check(name: str, value: object) -> Any:
    """Check one hyperparameter by its declaration in :data:`PARAMS`; return the value as its type."""
    return PARAMS[name].check(value)


def validate(values: Mapping[str, object], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Fill in ``defaults``, check every value, and check the values against each other.

    Parameters
    ----------
    values : mapping
        The caller's keyword arguments; names not in ``defaults`` are rejected with the closest valid name.
    defaults : mapping
        Which parameters this caller takes, and their defaults (:data:`WORD2VEC_DEFAULTS`, :data:`STEP_DEFAULTS`).

    Returns
    -------
    dict
        Every parameter of ``defaults``, checked.

    Raises
    ------
    TypeError
        For a name the caller does not take.
    ValueError
        For a value out of its range, naming the parameter, its range and its meaning.
    """
    unknown = [name for name in values if name not in defaults]
    if unknown:
        name = unknown[0]
        close = difflib.get_close_matches(name, list(defaults), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; valid names: {', '.join(defaults)}"
        raise TypeError(f"unexpected parameter {name!r}{hint}")
    checked = {name: check(name, values.get(name, default)) for name, default in defaults.items()}
    if "min_lr" in checked and "lr" in checked and checked["min_lr"] > checked["lr"]:
        raise ValueError(f"min_lr must be <= lr (the learning rate falls from lr to min_lr), got "
                         f"min_lr={checked['min_lr']:g} and lr={checked['lr']:g}")
    return checked


def parameters_doc(names: Iterable[str], defaults: Mapping[str, Any], indent: str = "    ") -> str:
    """The numpy-style ``Parameters`` entries of ``names``, from their declarations (for generated docstrings)."""
    lines = []
    for name in names:
        p = PARAMS[name]
        default = f", default {defaults[name]!r}" if name in defaults else ""
        lines.append(f"{indent}{name} : {p.range_text()}{default}")
        lines.append(f"{indent}    {p.doc[0].upper()}{p.doc[1:]}.")
    return "\n".join(lines)
