"""Checks of what the measures of :mod:`helpers.evaluation` are given: rated word pairs, analogy sections and the
``normalize`` function, each checked once, with a message that names the first bad item and the form expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

Normalizer = Callable[[str], str]


def normalizer(normalize: object) -> Normalizer:
    """``normalize``, checked, wrapped so that a function that fails on a word or returns no word is named with
    that word instead of failing deep inside a measure.

    Raises
    ------
    TypeError
        At once if ``normalize`` is not callable; when called, if it returns something other than a string.
    ValueError
        When called, if ``normalize`` raises (the message names the word and the error).
    """
    if not callable(normalize):
        raise TypeError(f"normalize must be a function from a word to a word (str.lower, porter_stem), got "
                        f"{type(normalize).__name__}")

    def apply(word: str) -> str:
        try:
            out = normalize(word)
        except Exception as error:  # noqa: BLE001 - the caller's own function: name the word it failed on
            raise ValueError(f"normalize({word!r}) raised {type(error).__name__}: {error}; give a function from a "
                             "word to a word, e.g. str.lower or porter_stem") from error
        if not isinstance(out, str):
            raise TypeError(f"normalize({word!r}) returned {type(out).__name__}; it must return a word (str)")
        return out

    return apply


def _is_sequence(value: object) -> bool:
    """An iterable of items, not a string (whose items are letters) or a mapping (whose items are keys)."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))


def rated_pairs(pairs: object) -> list[tuple[str, str, float]]:
    """``pairs`` as a list of (word1, word2, rating) with a float rating.

    Raises
    ------
    TypeError
        If ``pairs`` is not a list of triples of two words and a rating (names the first bad item).
    ValueError
        If a rating is not a finite number (NaN, inf, beyond float range, text).
    """
    shape = "a list of (word1, word2, rating) triples, e.g. load_word_pairs('wordsim353.tsv')"
    if not _is_sequence(pairs):
        raise TypeError(f"pairs must be {shape}, got {type(pairs).__name__}")
    checked = []
    for i, item in enumerate(pairs):
        if not (isinstance(item, (tuple, list)) and len(item) == 3 and all(isinstance(w, str) for w in item[:2])):
            raise TypeError(f"pairs must be {shape}; item {i} is {item!r:.80}")
        try:
            rating = None if isinstance(item[2], (bool, str, bytes)) else float(item[2])
        except (TypeError, ValueError, OverflowError):
            rating = None
        if rating is None or not math.isfinite(rating):
            raise ValueError(f"the rating of pair {i} ({item[0]!r}, {item[1]!r}) must be a finite number, got "
                             f"{item[2]!r:.40}")
        checked.append((item[0], item[1], rating))
    return checked


def analogy_sections(sections: object) -> dict[object, list[tuple[str, str, str, str]]]:
    """``sections`` as a dict of section name to a list of (a, b, c, d) word tuples.

    Raises
    ------
    TypeError
        If ``sections`` is not a mapping, a section is not a list, or a question is not four words (names the first
        bad one).
    """
    shape = "a dict of section name to (a, b, c, d) questions, e.g. load_analogies('questions-words.txt')"
    if not isinstance(sections, Mapping):
        raise TypeError(f"sections must be {shape}, got {type(sections).__name__}")
    checked = {}
    for name, items in sections.items():
        if not _is_sequence(items):
            raise TypeError(f"sections must be {shape}; section {name!r:.40} holds {type(items).__name__}")
        checked[name] = list(items)
        for j, item in enumerate(checked[name]):
            if not (isinstance(item, (tuple, list)) and len(item) == 4 and all(isinstance(w, str) for w in item)):
                raise TypeError(f"sections must be {shape}; question {j} of section {name!r:.40} is {item!r:.80}")
    return checked
