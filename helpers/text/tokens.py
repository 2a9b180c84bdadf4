"""From a line of text to word tokens, in any script: the one tokenizing rule of the course.

The corpus (:func:`helpers.text.tokenize`), the step widget's text box and the attention explorer all split text
with :func:`tokenize`, so a word the learner types is the same token everywhere.

The rule, step by step:

1. Unicode NFKC normalisation: "cafe" + a combining accent becomes "café", a full-width "ｃａｔ" becomes "cat",
   a ligature "ﬁ" becomes "fi";
2. case folding (``str.casefold``, a stronger ``lower``: "STRASSE" and "straße" both become "strasse");
3. a curly apostrophe (’) becomes a straight one ('), so "don’t" and "don't" are one word;
4. a token is a run of letters, digits and combining marks of any script (so Devanagari "हिन्दी" stays whole, its
   vowel signs are marks), optionally followed by one apostrophe and more letters ("don't", "l'eau");
   everything else (punctuation, symbols, spaces, underscores) separates tokens.

For plain ASCII text this is exactly the course's earlier rule, ``[a-z0-9]+(?:'[a-z]+)?`` on the lowercased text,
so the toy world and every saved notebook output tokenize as before. Scripts written without spaces (Chinese,
Japanese, Thai) are not cut into words: a run of their letters is one token.

Examples
--------
>>> tokenize("The café is naïve, don’t you think?")
['the', 'café', 'is', 'naïve', "don't", 'you', 'think']
>>> tokenize("l'eau, हिन्दी, Ελληνικά!")
["l'eau", 'हिन्दी', 'ελληνικά']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["tokenize", "MARK_CATEGORIES"]

#: Unicode categories that belong inside a word although Python's ``\\w`` does not match them: combining marks
#: (the vowel signs of Indic scripts, Hebrew and Arabic points, accents NFKC could not compose).
MARK_CATEGORIES = ("Mn", "Mc", "Me")

# Letters and digits of any script (\w without the underscore); for ASCII, [a-z0-9] once the text is case-folded.
_ALNUM = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_ASCII_TOKEN = re.compile(rf"{_ALNUM}+(?:'{_LETTER}+)?")


@lru_cache(maxsize=64)
def _pattern(marks: str) -> re.Pattern:
    """The token pattern for a text holding the combining marks ``marks`` (sorted, distinct)."""
    if not marks:
        return _ASCII_TOKEN
    mark = "[" + re.escape(marks) + "]"
    return re.compile(rf"(?:{_ALNUM}|{mark})+(?:'(?:{_LETTER}|{mark})+)?")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into case-folded word tokens: letters, digits and marks of any script, inner apostrophes.

    See the module's docstring for the rule. Returns an empty list for text without a letter or digit.

    Raises
    ------
    TypeError
        If ``text`` is not a string; for ``bytes``, the message says how to decode them first.

    Examples
    --------
    >>> tokenize("I saw a Mole at the zoo!")
    ['i', 'saw', 'a', 'mole', 'at', 'the', 'zoo']
    """
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"tokenize expects a string (text), got {type(text).__name__} {bytes(text[:30])!r}: "
                        "decode it first, e.g. tokenize(data.decode('utf-8'))")
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a string, got {type(text).__name__}")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    text = text.casefold()
    if text.isascii():
        return _ASCII_TOKEN.findall(text)
    # Only the marks this text holds enter the pattern: a set of its characters is one pass in C.
    marks = "".join(sorted(c for c in set(text) if not c.isascii() and unicodedata.category(c) in MARK_CATEGORIES))
    return _pattern(marks).findall(text)
