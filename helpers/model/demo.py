"""The 2-D demo of notebook 03: eight toy-world words, the sentences that use only them, and the trainer on them;
plus the learner's own sentences, checked before a trainer is built on them.

This is data preparation, not drawing: the step widget (:mod:`helpers.widgets`) shows whatever trainer it is
given, and builds one through :func:`learner_trainer` when the learner types sentences.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.tokens import tokenize
from .training import StepTrainer

#: Words of the 2-D demo: two pets, two wild animals and two qualities of each. Few enough to label every point,
#: and cat and dog visibly drift together within about a hundred updates.
DEMO_WORDS = ("cat", "dog", "lion", "tiger", "cute", "fluffy", "big", "fierce")

#: Seed of the demo: on the toy world of issue 12, cat and dog start opposite (cos -0.99) and meet within a few
#: hundred updates at lr 0.2 (0.93 after 300 with negative sampling, 0.70 with the softmax). In 2-D lion drifts
#: towards cat too (0.73 after 300): all animals share some qualities.
DEMO_SEED = 10

#: Most distinct words the step widget can draw with a readable label each (a 2-D plane of about 300 px).
MAX_DRAWN_WORDS = 12


@dataclass(frozen=True)
class DemoCorpus:
    """Toy-world sentences for a 2-D model small enough to watch.

    Attributes
    ----------
    sentences : list of list of str
        What the trainer sees: the demo words of each sentence, in order (glue words dropped).
    full_sentences : list of list of str
        The same sentences as written, glue words included (the widget shows those in grey).
    classes : dict of str to str
        Class of each demo word, for colours and markers.
    """

    sentences: list[list[str]]
    full_sentences: list[list[str]]
    classes: dict[str, str]


def _toy_world() -> Any:
    from ..toyworld import world as toyworld

    return toyworld.load_or_generate()  # the generator gives the same world where data/ is not written yet


def demo_corpus(world: Any = None, words: Sequence[str] = DEMO_WORDS) -> DemoCorpus:
    """The toy-world sentences made only of ``words`` and glue words, with the glue words dropped for training.

    In two dimensions a few very frequent glue words ("the", "is", "a") would crowd the plane and take most of
    the updates; with only topic words left, what cat and dog share shows within about a hundred steps.

    Parameters
    ----------
    world : ToyWorld, optional
        Default: the toy world shipped in ``data/toyworld``.
    words : sequence of str
        Topic words to keep; each must be a toy-world word.
    """
    if world is None:  # every StepWidget() asks: read the shipped world once, not 18k sentences per widget
        sentences, full, classes = _shipped_demo(tuple(words))
    else:
        sentences, full, classes = _filter(world, tuple(words))
    # Fresh lists each call: a caller may edit its corpus without changing the next widget's.
    return DemoCorpus([list(s) for s in sentences], [list(s) for s in full], dict(classes))


@functools.lru_cache(maxsize=4)
def _shipped_demo(words: tuple[str, ...]) -> tuple:
    return _filter(_toy_world(), words)


def _filter(world: Any, words: tuple[str, ...]) -> tuple:
    """(sentences, full sentences, classes) of :func:`demo_corpus`, as tuples (the cache hands out copies)."""
    unknown = [w for w in words if w not in world.classes]
    if unknown:
        raise ValueError(f"words {unknown} are not in the toy world")
    keep = set(words)
    glue = {w for w, cls in world.classes.items() if cls == "function"}
    sentences, full = [], []
    for sentence in world.sentences:
        if all(w in keep or w in glue for w in sentence):
            kept = tuple(w for w in sentence if w in keep)
            if len(kept) >= 2:  # a lone word has no context
                sentences.append(kept)
                full.append(tuple(sentence))
    if not sentences:
        raise ValueError(f"no toy-world sentence uses only {sorted(keep)} and glue words; add words")
    return tuple(sentences), tuple(full), tuple((w, world.classes[w]) for w in words)


def demo_trainer(lr: float = 0.2, loss: str = "negative_sampling", seed: int = DEMO_SEED, **options: Any
                 ) -> StepTrainer:
    """A 2-D :class:`StepTrainer` on :func:`demo_corpus`: the model the step-through widget shows by default.

    ``options`` go to :class:`StepTrainer` (e.g. ``allow_false_negatives=True``).
    """
    return StepTrainer(demo_corpus().sentences, dim=2, window=2, negative=3, lr=lr, loss=loss, seed=seed,
                       **options)


_SENTENCE_END = re.compile(r"[.!?;\n]+")

#: Most characters the learner's text box trains on: a pasted book would become thousands of updates' worth of
#: sentences drawn and redrawn (200,000 characters were 816 KB of HTML per redraw); a few short sentences are
#: what a 12-word plane can show.
MAX_TEXT_CHARS = 2000


def learner_sentences(text: str, max_words: int = MAX_DRAWN_WORDS) -> list[list[str]]:
    """The learner's typed text as token lists, one per sentence (split at ``. ! ? ;`` and line breaks).

    Raises
    ------
    ValueError
        With a message for the learner: more than :data:`MAX_TEXT_CHARS` characters; no words at all; no sentence with two words (a lone word has no
        context); more than ``max_words`` distinct words (the plane could not label them all).
    """
    if isinstance(text, (bytes, bytearray)):
        raise TypeError("text must be a string, got bytes: decode it first, e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"Your text has {len(text):,} characters; the box trains on at most {MAX_TEXT_CHARS:,} "
                         f"(a few short sentences): shorten it.")
    sentences = [tokenize(part) for part in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if s]
    words = list(dict.fromkeys(w for s in sentences for w in s))
    if not words:
        raise ValueError("Type a few sentences first, for example: the cat is cute. the dog is cute.")
    if len(words) < 2 or not any(len(s) >= 2 for s in sentences):
        raise ValueError(f"Only one word per sentence ({', '.join(words[:5])}): a word needs a neighbour in its "
                         "sentence to learn from. Write sentences of two or more words.")
    if len(words) > max_words:
        raise ValueError(f"{len(words)} different words is too many to draw (at most {max_words}): use fewer "
                         f"words, or repeat the same ones in more sentences.")
    return sentences


def learner_trainer(text: str, rng: np.random.Generator, *, lr: float = 0.2, loss: str = "negative_sampling",
                    max_words: int = MAX_DRAWN_WORDS, gradient: Any = None) -> StepTrainer:
    """A 2-D :class:`StepTrainer` on the learner's sentences, from a random start drawn from ``rng``
    (``gradient``: see :attr:`StepTrainer.gradient`).

    With very few words there may be fewer noise candidates than the demo's 3: ``negative`` shrinks to fit.
    """
    sentences = learner_sentences(text, max_words)
    distinct = len({w for s in sentences for w in s})
    seed = int(rng.integers(2**31))
    # Noise words exclude the true context: with V words there are V - 1 candidates at most.
    return StepTrainer(sentences, dim=2, window=2, negative=max(1, min(3, distinct - 1)), lr=lr, loss=loss,
                       seed=seed, gradient=gradient)
