"""Filling the toy world's templates (:mod:`helpers.toyworld.spec`): slots, the subject, and each word's own company.

A template such as ``"what a {quality} {pet}"`` becomes a sentence by drawing a word for every slot. The *subject*
(the first slot whose words have contexts of their own, here the pet) is drawn first; a later slot of a class the
subject has a list for takes one of the subject's own words with probability ``OWN_SHARE`` (a cat is mostly fluffy),
``{.attr}`` always does, ``{class:any}`` never does. :mod:`helpers.toyworld` calls :func:`fill` once per sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .spec import (ATTRIBUTES, CLASSES, FUNCTION_WORDS, GENDERED_PAIRS, GROUPS, MOLE_TEMPLATES, OWN_SHARE,
                            POLYSEMOUS_WORD, TOPICS, TWINS)

_SLOT = re.compile(r"^\{(\.?\w+)(?::([\w|]+))?\}$")


@lru_cache(maxsize=None)  # thousands of sentences reuse a few dozen slot tokens
def parse_slot(token: str) -> tuple[str, tuple[str, ...]] | None:
    """Return ``(name, allowed members)`` for a slot token such as ``{verb:checked|saw}``, or None for a literal.

    For a slot on the subject's own contexts, ``{.food}``, the name is ``".food"`` and the members are empty: they
    depend on the subject.
    """
    match = _SLOT.match(token)
    if match is None:
        return None
    name, restriction = match.groups()
    if name.startswith("."):
        if restriction is not None:
            raise ValueError(f"slot {token}: a slot on the subject's own contexts takes no list of words")
        return name, ()
    if name not in CLASSES and name not in GROUPS:
        raise ValueError(f"unknown class {name!r} in slot {token}; known: {sorted(CLASSES) + sorted(GROUPS)}")
    members = CLASSES.get(name) or GROUPS[name]
    if restriction is None:
        return name, members
    if restriction == "any":  # every member, drawn uniformly even when the subject has words of its own
        return name + ":any", members
    allowed = tuple(restriction.split("|"))
    strangers = [w for w in allowed if w not in members]
    if strangers:
        raise ValueError(f"slot {token} allows {strangers}, which are not in class {name!r}")
    return name, allowed


@lru_cache(maxsize=None)
def _own_slots(template: str) -> tuple[str, ...]:
    """The attributes that ``template`` takes from its subject (``{.food}`` -> ``"food"``)."""
    slots = [parse_slot(token) for token in template.split()]
    return tuple(slot[0][1:] for slot in slots if slot is not None and slot[0].startswith("."))


def check_templates() -> None:
    """Fail early on a typo: a word in no class, or a subject slot that no word can fill."""
    known = set(FUNCTION_WORDS) | {POLYSEMOUS_WORD} | {w for members in CLASSES.values() for w in members}
    templates = [t for _, ts in TOPICS.values() for t in ts] + [t for ts in MOLE_TEMPLATES.values() for t in ts]
    for template in templates:
        tokens = template.split()
        for token in tokens:
            if parse_slot(token) is None and token not in known:
                raise ValueError(f"template {template!r} uses {token!r}, which is in no class")
        _subject_slot(template)  # raises if no word can be the subject
    for word, attributes in ATTRIBUTES.items():
        for attr, words in attributes.items():
            if attr not in CLASSES and attr not in GROUPS:
                raise ValueError(f"{word!r} has contexts {attr!r}, which is no class or group")
            pool = CLASSES.get(attr) or GROUPS[attr]
            if [w for w in words if w not in pool]:
                raise ValueError(f"{word!r}: {[w for w in words if w not in pool]} are not in {attr!r}")


@lru_cache(maxsize=None)
def _subject_slot(template: str) -> int:
    """Index of the subject: the first class slot with words that have contexts of their own (all the template asks
    for), so in "what a {quality} {pet}" the pet, not the quality, picks the company; else the first class slot."""
    needed = _own_slots(template)
    slots = [(i, slot[1]) for i, slot in enumerate(map(parse_slot, template.split())) if slot is not None and slot[1]]
    for i, members in slots:
        if any(w in ATTRIBUTES and _has_all(w, needed) for w in members):
            return i
    if needed:
        raise ValueError(f"template {template!r}: no slot has a word with the contexts {list(needed)}")
    return slots[0][0] if slots else -1  # -1: a fixed sentence, nothing to fill


def _has_all(word: str, attributes: tuple[str, ...]) -> bool:
    return all(attr in ATTRIBUTES.get(word, {}) for attr in attributes)


@lru_cache(maxsize=None)
def _subjects(template: str) -> tuple[str, ...]:
    """Words that may fill the subject slot of ``template``: those with every attribute the template asks for."""
    name, members = parse_slot(template.split()[_subject_slot(template)])
    return tuple(w for w in members if _has_all(w, _own_slots(template)))


def fill(template: str, rng: np.random.Generator) -> list[str]:
    """Fill every slot of ``template``: class slots uniformly, ``{.attr}`` slots from the subject's own list.

    The subject (see :func:`_subject_slot`) is drawn first, so an own slot may come before it ("i have a
    {.quality} {pet}"). Two slots get different words ("the lion and the zebra", never "the lion and the lion").
    """
    tokens = template.split()
    slots = [parse_slot(token) for token in tokens]
    first = _subject_slot(template)
    if first < 0:
        return tokens
    subject = ""
    for i in [first] + [i for i in range(len(tokens)) if i != first]:
        if slots[i] is None:
            continue
        name, allowed = slots[i]
        own = ATTRIBUTES.get(subject, {})
        if i == first:
            allowed = _subjects(template)
        elif name.startswith("."):
            allowed = own[name[1:]]
        elif name in own and allowed == (CLASSES.get(name) or GROUPS[name]) and rng.random() < OWN_SHARE:
            allowed = own[name]  # words keep their own company: a cat is mostly fluffy, sometimes loyal
        # The second twin is never drawn: it enters the corpus only as a copy of the first (see with_twin_copies).
        choices = [w for w in allowed if w != TWINS[1] and w not in tokens] or [w for w in allowed if w != TWINS[1]]
        tokens[i] = choices[rng.integers(len(choices))]
        subject = subject or tokens[i]
    return tokens


def with_twin_copies(sentence: list[str]) -> list[list[str]]:
    """Return the sentence, plus a copy with the first twin swapped for the second if it contains the first."""
    if TWINS[0] not in sentence:
        return [sentence]
    return [sentence, [TWINS[1] if w == TWINS[0] else w for w in sentence]]


_MALE = {m: f for m, f in GENDERED_PAIRS}
_FEMALE = {f: m for m, f in GENDERED_PAIRS}


def check_gender_skew(skew: object) -> dict[str, float]:
    """``skew`` as {job: he-to-she ratio}, or a clear error: jobs of the world, ratios positive and finite."""
    if not isinstance(skew, dict) or not skew:
        raise TypeError("gender_skew must be a dict {job: ratio}, e.g. {'doctor': 3.0, 'nurse': 1/3}: "
                        f"how many times as often the job comes with he/his as with she/her; got {skew!r}")
    checked = {}
    for job, ratio in skew.items():
        if job in _MALE or job in _FEMALE or not any(job in members for members in CLASSES.values()):
            raise ValueError(f"gender_skew: {job!r} is not a word the toy world can skew; give jobs, foods, pets "
                             f"or other class words that are not gendered themselves, e.g. {CLASSES['job']}")
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float, np.integer, np.floating)) \
                or not np.isfinite(ratio) or ratio <= 0:
            raise ValueError(f"gender_skew[{job!r}] must be a positive number (he:she, 1 = no skew), got {ratio!r}")
        checked[job] = float(ratio)
    return checked


def regender(sentences: list[list[str]], skew: dict[str, float], rng: np.random.Generator) -> list[list[str]]:
    """Plant a measured gender skew: re-gender every sentence that holds one skewed job and gendered words.

    In the generated world a job's sentences come with "he" and "she" (or a man and a woman...) equally often. Each
    such sentence of a job in ``skew`` is given the male form with probability ``r / (1 + r)`` (``r`` its ratio) and
    the female form otherwise, every gendered word of it at once ("she is a doctor" -> "he is a doctor", "my
    woman is a doctor" -> "my man is a doctor"), so the job comes with he/his ``r`` times as often as with she/her.
    Sentences are not added, dropped or moved, and nothing else changes: the skewed world is the same world with
    only those words swapped. ``rng`` is drawn once per re-gendered sentence.
    """
    out = []
    for sentence in sentences:
        jobs = [w for w in sentence if w in skew]
        gendered = [w for w in sentence if w in _MALE or w in _FEMALE]
        one_gender = all(w in _MALE for w in gendered) or all(w in _FEMALE for w in gendered)
        if len(jobs) != 1 or not gendered or not one_gender:
            out.append(sentence)
            continue
        ratio = skew[jobs[0]]
        male = rng.random() < ratio / (1.0 + ratio)
        swap = _FEMALE if male else _MALE  # female -> male words, or male -> female
        out.append([swap.get(w, w) for w in sentence])
    return out
