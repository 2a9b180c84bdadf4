"""Exercise checks on text: counting sentences (notebook 00) and (target, context) pairs (notebook 02).

Re-exported by :mod:`helpers.exercises`, where notebooks find them. Like every check, they never raise.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .feedback import Feedback, _describe, _is_stub, never_raises, not_attempted


@never_raises
def check_sentence_count(answer: object, sentences: list[list[str]], word: str) -> Feedback:
    """Notebook 00: how many sentences contain ``word`` at least once?"""
    if answer is None or answer is Ellipsis:
        return not_attempted("Your count")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"Give a whole number, not {type(answer).__name__}.")
    right = sum(word in s for s in sentences)
    occurrences = sum(s.count(word) for s in sentences)
    if answer == right:
        return Feedback(True, f"{right} sentences mention {word!r}.")
    if answer == occurrences and occurrences != right:
        return Feedback(False, f"That counts every occurrence of {word!r}; some sentences contain it twice. "
                               "Count each sentence once.")
    return Feedback(False, f"Not {answer}. Loop over the sentences and count those with {word!r} in them.")


def _reference_pairs(tokens: list[str], window: int, *, left: bool = True, right: bool = True,
                     self_pairs: bool = False) -> Counter:
    pairs: Counter = Counter()
    for i, target in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if (j == i and not self_pairs) or (j < i and not left) or (j > i and not right):
                continue
            pairs[(target, tokens[j])] += 1
    return pairs


@never_raises
def check_pairs(make_pairs: object) -> Feedback:
    """Notebook 02: ``make_pairs(tokens, window)`` must return every (target, context) pair of a sliding window.

    The order of the pairs does not matter. Typical mistakes (a word as its own context, looking one way only,
    a window one too wide or too narrow) are named.
    """
    if _is_stub(make_pairs):
        return not_attempted("Your function make_pairs(tokens, window)")
    if not callable(make_pairs):
        return Feedback(False, "Give a function, e.g. `def make_pairs(tokens, window): ...`, not "
                               f"{type(make_pairs).__name__}.")
    sentence = ["i", "saw", "a", "mole", "at", "the", "zoo"]
    cases = [(sentence, 2), (sentence, 1), (["the", "cat", "and", "the", "dog"], 3), (["hello"], 2)]
    for tokens, window in cases:
        try:
            value = make_pairs(list(tokens), window)
        except IndexError as error:  # the edges: the learner's own cell, in the learner's terms
            return Feedback(False, f"Your make_pairs raised {_describe(error)} on {' '.join(tokens)!r} with "
                                   f"window={window}. Likely cause: near the start or end of the sentence, i - window "
                                   "or i + window falls outside it: keep each context position between 0 and len(tokens) - 1 "
                                   "(max and min do it). Fix the cell that defines make_pairs, run it, then this one "
                                   "again.")
        except Exception as error:  # noqa: BLE001 - any other learner bug becomes feedback
            return Feedback(False, f"Your function raised {_describe(error)}. Fix the cell that defines make_pairs, "
                                   "run it, then this one again.")
        if value is None:
            return Feedback(False, "make_pairs returned None: collect the pairs in a list and `return` it.")
        if not hasattr(value, "__iter__"):
            items = value
        else:
            try:  # a generator (or the learner's own iterable) is read once; its own errors are its own
                items = list(value)
            except Exception as error:  # noqa: BLE001 - any learner bug must become feedback
                return Feedback(False, f"Reading the pairs make_pairs returned raised {_describe(error)}; "
                                       "return a plain list of (target, context) tuples.")
        try:
            got = Counter((t, c) for t, c in items)
        except (TypeError, ValueError):
            return Feedback(False, "make_pairs should return a list of (target, context) tuples, e.g. "
                                   f"[('i', 'saw'), ('i', 'a'), ...]; it returned {value!r:.80}.")
        if any(not (isinstance(t, str) and isinstance(c, str)) for t, c in got):
            return Feedback(False, "Each pair should hold two words (strings), e.g. ('mole', 'zoo'), not positions.")
        right = _reference_pairs(tokens, window)
        if got == right:
            continue
        shown = f"For {' '.join(tokens)!r} with window={window}"
        mistakes = [
            (_reference_pairs(tokens, window, self_pairs=True), "you paired a word with itself; the target is "
                                                                 "not its own context, skip position i."),
            (_reference_pairs(tokens, window, left=False), "you only looked to the right of the target; its "
                                                          "context includes the words on its left too."),
            (_reference_pairs(tokens, window, right=False), "you only looked to the left of the target; its "
                                                           "context includes the words on its right too."),
            (_reference_pairs(tokens, window + 1), f"your window reaches {window + 1} words on each side; it "
                                                   f"should reach {window} (check the end of your range)."),
            (_reference_pairs(tokens, window - 1), f"your window reaches only {window - 1} words on each side; "
                                                   f"it should reach {window} (range(i - window, i + window + 1))."),
        ]
        for pairs, hint in mistakes:
            if got == pairs and pairs != right:
                return Feedback(False, f"{shown}: {hint}")
        missing = sorted((right - got).elements())
        extra = sorted((got - right).elements())
        details = []
        if missing:
            details.append(f"missing {len(missing)}, e.g. {missing[0]}")
        if extra:
            details.append(f"{len(extra)} too many, e.g. {extra[0]}")
        return Feedback(False, f"{shown} there are {sum(right.values())} pairs, you gave {sum(got.values())}: "
                               f"{'; '.join(details)}.")
    return Feedback(True, "Every word pairs with each word up to `window` positions to its left and right "
                          f"({sum(_reference_pairs(sentence, 2).values())} pairs for the mole sentence with "
                          "window=2), never with itself.")
