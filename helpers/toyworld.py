"""The toy world: a small, deterministic, English-like corpus whose word classes are known in advance.

Because we know which words belong together (pets, zoo animals, body parts, foods...), we can *measure* what a model
has learned: the class purity of each word's nearest neighbours, cos(cat, dog) during training, whether the two senses
of "mole" separate. Sentences come from templates: every slot such as ``{pet}`` is filled with a member of its class,
so members of one class share contexts and different classes live in different contexts.

Planted cases
-------------
- "mole" has two senses, a zoo animal ("i saw a mole at the zoo") and a spot on the skin ("the doctor checked the mole
  on my hip"), with roughly as many sentences of each; both sentences are planted verbatim.
- "sofa" and "couch" are exact twins: every sentence made with one is also in the corpus with the other, so their
  contexts are identical.

Regenerate the shipped files with ``python -m helpers.toyworld`` (options ``--seed`` and ``--out``).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

#: The shipped files are package data (helpers/data/toyworld), so every install carries them: Binder's and a hub
#: image's ``pip install .``, a wheel, and the editable install of a checkout (where they are the tracked files).
DATA_DIR = Path(resources.files("helpers")) / "data" / "toyworld"

SEED_SENTENCE = ("i", "saw", "a", "mole", "at", "the", "zoo")
POLYSEMOUS_WORD = "mole"
TWINS = ("sofa", "couch")

# Classes that evaluation skips: glue words carry no topic, and "mole" belongs to two classes at once.
FUNCTION_CLASS = "function"
POLYSEMOUS_CLASS = "polysemous"

# Word classes, members in a fixed order so that a seed always draws the same words.
CLASSES: dict[str, tuple[str, ...]] = {
    "pet": ("cat", "dog", "rabbit", "hamster", "puppy", "kitten"),
    "wild_animal": ("lion", "tiger", "zebra", "giraffe", "hippo", "monkey", "bear"),
    "quality": ("cute", "fluffy", "playful", "loyal", "friendly", "gentle", "sleepy"),
    "wild_quality": ("big", "strong", "fierce", "huge", "wild", "dangerous", "heavy"),
    "place": ("zoo", "park", "farm", "garden", "beach", "market", "school"),
    "body_part": ("hip", "arm", "leg", "neck", "shoulder", "knee", "hand"),
    "food": ("bread", "cheese", "honey", "soup", "rice", "cake", "pasta"),
    "verb": ("saw", "found", "liked", "loved", "checked", "drew", "painted", "photographed"),
    "person": ("doctor", "nurse", "teacher", "child", "farmer", "baker", "friend"),
    "furniture": ("sofa", "couch", "chair", "table", "bed", "desk", "shelf"),
}

FUNCTION_WORDS = ("a", "and", "are", "at", "for", "has", "have", "i", "in", "is", "my", "near", "on", "our", "so",
                  "some", "the", "there", "under", "very", "was", "we", "were", "what", "with")

# Templates per topic, with the topic's share of the sentences. A slot is ``{class}`` (any member) or
# ``{class:w1|w2}`` (only these members: a doctor checks your knee but does not paint it). Everything else is a
# function word. The verbs are generic on purpose: verbs tied to one topic ("ate") would sit among that topic's nouns.
TOPICS: dict[str, tuple[float, tuple[str, ...]]] = {
    "pets": (3.0, (
        "my {pet} is very {quality}",
        "the {pet} is so {quality}",
        "i have a {quality} {pet}",
        "what a {quality} {pet}",
        "our {pet} is {quality} and {quality}",
        "the {pet} and the {pet} are very {quality}",
        "i {verb} my {quality} {pet}",
        "my {pet} is on my {body_part}",
    )),
    "zoo": (2.5, (
        "i {verb} a {wild_animal} at the zoo",
        "the {wild_animal} is very {wild_quality}",
        "what a {wild_quality} {wild_animal}",
        "there is a {wild_quality} {wild_animal}",
        "the {wild_animal} and the {wild_animal} are {wild_quality}",
        "we {verb} the {wild_quality} {wild_animal}",
    )),
    "body": (2.0, (
        "the {person:doctor|nurse} {verb:checked|saw|photographed} my {body_part}",
        "i {verb} my {body_part} and my {body_part}",
        "i {verb} my {body_part}",
        "my {person} {verb} my {body_part}",
        "there is a {pet} on my {body_part}",
    )),
    "food": (2.0, (
        "i {verb} some {food}",
        "we {verb} some {food} and some {food}",
        "i have some {food} with {food}",
        "there is some {food} on the {furniture:table|shelf|desk}",
        "the {person} has some {food}",
        "i have some {food} for my {person}",
    )),
    "places": (2.0, (
        "we {verb} the {place}",
        "i saw my {person} at the {place}",
        "the {place} is near the {place}",
        "there is a {place} near the {place}",
        "we are at the {place}",
        "we were in the {place}",
    )),
    "people": (2.0, (
        "the {person} {verb} my {person}",
        "my {person} is a {person}",
        "the {person} and the {person} are at the {place}",
        "my {person} has a {pet}",
    )),
    "furniture": (1.5, (
        "we {verb} a {furniture}",
        "there is a {furniture} near the {furniture}",
        "the {furniture} is near the {furniture}",
        "the {pet} was under the {furniture}",
        "my {pet} is on the {furniture}",
    )),
}

# The two senses of "mole". In each sense it fills the slot of one class and meets that class's members in the same
# sentence ("the mole and the lion are big", "the mole on my hip"), so it ends up between wild animals and body parts.
# The first sentence of each sense is planted verbatim (the course quotes both).
MOLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "animal": (
        "i {verb} a mole at the zoo",
        "the mole is very {wild_quality}",
        "what a {wild_quality} mole",
        "the mole and the {wild_animal} are {wild_quality}",
        "the {wild_animal} and the mole are {wild_quality}",
        "there is a {wild_quality} mole",
    ),
    "skin": (
        "the {person:doctor|nurse} checked the mole on my {body_part}",
        "there is a mole on my {body_part}",
        "i have a mole on my {body_part}",
        "i {verb} my mole and my {body_part}",
        "i {verb} my {body_part} and my mole",
    ),
}
PLANTED = {"animal": SEED_SENTENCE, "skin": ("the", "doctor", "checked", "the", "mole", "on", "my", "hip")}

N_SENTENCES = 4000  # before the mole sentences and the twins' copies
# A few more animal sentences than skin ones: the skin contexts ("... on my hip") are more uniform and pull harder.
# With 80/70, the nearest neighbours of "mole" mix wild animals and body parts; with 75/75 body parts crowd them out.
MOLE_SENTENCES = {"animal": 80, "skin": 70}

_SLOT = re.compile(r"^\{(\w+)(?::([\w|]+))?\}$")


@dataclass(frozen=True)
class ToyWorld:
    """A generated corpus with the ground truth needed to evaluate word vectors.

    Attributes
    ----------
    sentences : list of list of str
        The corpus, one list of lowercase tokens per sentence.
    classes : dict
        Word -> class name for every word of the corpus; "mole" is in class ``"polysemous"`` and the words that
        carry no topic are in class ``"function"``.
    mole_senses : list of tuple (int, str)
        ``(sentence index, sense)`` for every sentence that contains "mole", sense ``"animal"`` or ``"skin"``.
    twins : tuple of str
        The two words that occur in exactly the same contexts.
    """

    sentences: list[list[str]]
    classes: dict[str, str]
    mole_senses: list[tuple[int, str]]
    twins: tuple[str, str]

    def evaluated_words(self) -> list[str]:
        """Words whose class counts for kNN purity (everything except function words and "mole"), sorted."""
        skipped = {FUNCTION_CLASS, POLYSEMOUS_CLASS}
        return sorted(word for word, cls in self.classes.items() if cls not in skipped)


@lru_cache(maxsize=None)  # thousands of sentences reuse a few dozen slot tokens
def _parse_slot(token: str) -> tuple[str, tuple[str, ...]] | None:
    """Return ``(class, allowed members)`` for a slot token such as ``{verb:checked|saw}``, or None for a literal."""
    match = _SLOT.match(token)
    if match is None:
        return None
    cls, restriction = match.groups()
    if cls not in CLASSES:
        raise ValueError(f"unknown class {cls!r} in slot {token}; known classes: {sorted(CLASSES)}")
    members = CLASSES[cls]
    if restriction is None:
        return cls, members
    allowed = tuple(restriction.split("|"))
    strangers = [w for w in allowed if w not in members]
    if strangers:
        raise ValueError(f"slot {token} allows {strangers}, which are not in class {cls!r}")
    return cls, allowed


def _check_templates() -> None:
    """Fail early if a template uses a word that has no class (a typo would otherwise go unnoticed)."""
    known = set(FUNCTION_WORDS) | {POLYSEMOUS_WORD} | {w for members in CLASSES.values() for w in members}
    templates = [t for _, ts in TOPICS.values() for t in ts] + [t for ts in MOLE_TEMPLATES.values() for t in ts]
    for template in templates:
        for token in template.split():
            if _parse_slot(token) is None and token not in known:
                raise ValueError(f"template {template!r} uses {token!r}, which is in no class")


def _fill(template: str, rng: np.random.Generator) -> list[str]:
    """Fill every slot of ``template`` with a member drawn uniformly from the slot's allowed words.

    Two slots of one class get different words ("the lion and the zebra", never "the lion and the lion").
    """
    tokens = []
    for token in template.split():
        slot = _parse_slot(token)
        if slot is None:
            tokens.append(token)
            continue
        _, allowed = slot
        # The second twin is never drawn: it enters the corpus only as a copy of the first (see _with_twin_copies).
        choices = [w for w in allowed if w != TWINS[1] and w not in tokens]
        tokens.append(choices[rng.integers(len(choices))])
    return tokens


def _with_twin_copies(sentence: list[str]) -> list[list[str]]:
    """Return the sentence, plus a copy with the first twin swapped for the second if it contains the first."""
    if TWINS[0] not in sentence:
        return [sentence]
    return [sentence, [TWINS[1] if w == TWINS[0] else w for w in sentence]]


def generate(seed: int = 0) -> ToyWorld:
    """Build the toy world in memory; the same seed always gives the same world.

    Parameters
    ----------
    seed : int, default 0
        Seed of the one ``numpy.random.Generator`` that draws topics, templates, slot fillers and the final order.

    Returns
    -------
    ToyWorld
        Sentences in shuffled order, word classes, the sense of every "mole" sentence and the twins.

    Examples
    --------
    >>> world = generate()
    >>> ["i", "saw", "a", "mole", "at", "the", "zoo"] in world.sentences
    True
    >>> world.classes["cat"], world.classes["mole"], world.twins
    ('pet', 'polysemous', ('sofa', 'couch'))
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    _check_templates()
    rng = np.random.default_rng(int(seed))

    names = list(TOPICS)
    weights = np.array([TOPICS[name][0] for name in names])
    topic_draws = rng.choice(len(names), size=N_SENTENCES, p=weights / weights.sum())
    sentences: list[list[str]] = []
    for topic in topic_draws:
        templates = TOPICS[names[topic]][1]
        sentences.extend(_with_twin_copies(_fill(templates[rng.integers(len(templates))], rng)))

    senses: list[str | None] = [None] * len(sentences)
    for sense, templates in MOLE_TEMPLATES.items():
        for k in range(MOLE_SENTENCES[sense]):
            # Templates in turn, not drawn: where "mole" lands between its senses hangs on this balance.
            sentence = list(PLANTED[sense]) if k == 0 else _fill(templates[(k - 1) % len(templates)], rng)
            sentences.append(sentence)
            senses.append(sense)

    order = rng.permutation(len(sentences))
    sentences = [sentences[i] for i in order]
    mole_senses = [(new, senses[old]) for new, old in enumerate(order) if senses[old] is not None]

    classes = {w: cls for cls, members in CLASSES.items() for w in members}
    classes.update({w: FUNCTION_CLASS for w in FUNCTION_WORDS})
    classes[POLYSEMOUS_WORD] = POLYSEMOUS_CLASS
    used = {w for sentence in sentences for w in sentence}
    # Keep only the words that occur, so the classes describe exactly this corpus.
    classes = {w: classes[w] for w in sorted(used)}
    return ToyWorld(sentences=sentences, classes=classes, mole_senses=mole_senses, twins=TWINS)


def _readme(world: ToyWorld, seed: int) -> str:
    """Describe the files, the classes and the planted cases of ``world`` in Markdown."""
    n_tokens = sum(len(s) for s in world.sentences)
    by_class: dict[str, list[str]] = {}
    for word, cls in world.classes.items():
        by_class.setdefault(cls, []).append(word)
    sense_counts = Counter(sense for _, sense in world.mole_senses)
    rows = "\n".join(
        f"| {cls} | {len(words)} | {', '.join(sorted(words))} |" for cls, words in sorted(by_class.items())
    )
    return f"""# The toy world

A small English-like corpus generated from templates, with word classes known in advance, so the course can measure
what word vectors learn (k-nearest-neighbour class purity, cos(cat, dog) over time, the two senses of "mole").

Generated by `helpers/toyworld.py` with seed {seed}. Do not edit these files by hand; regenerate them (byte for byte)
from the repository root with

```
python -m helpers.toyworld --seed {seed}
```

and load them with `helpers.toyworld.load()` (equal to `helpers.toyworld.generate({seed})`).

## Files

- `corpus.txt`: {len(world.sentences)} sentences, one per line, {n_tokens} lowercase tokens separated by single
  spaces, no punctuation; a vocabulary of {len(world.classes)} words.
- `classes.tsv`: the class of every word (columns `word`, `class`), sorted by class then word.
- `mole_senses.tsv`: the sense (`animal` or `skin`) of every sentence that contains "mole" (columns `sentence`,
  the 0-based line number in `corpus.txt`, and `sense`).

## Classes

Class `{FUNCTION_CLASS}` holds the words that carry no topic and class `{POLYSEMOUS_CLASS}` holds "mole"; evaluation
skips both. Every other class has at least 6 members, so a purity over the 5 nearest neighbours is meaningful.

| class | members | words |
|---|---|---|
{rows}

## Planted cases

- **Shared contexts**: all members of a class fill the same template slots, so "cat" and "dog" share their
  contexts ("my ... is very cute") and should become near neighbours.
- **Polysemy**: "mole" is a zoo animal in {sense_counts['animal']} sentences ("{' '.join(SEED_SENTENCE)}" is one of
  them) and a spot on the skin in {sense_counts['skin']} ("{' '.join(PLANTED['skin'])}" is one of them).
- **Exact twins**: "{world.twins[0]}" and "{world.twins[1]}" (class `furniture`): every sentence made with one is
  also in the corpus with the other, so their contexts are identical.
"""


def write(directory: Path = DATA_DIR, seed: int = 0) -> None:
    """Write ``corpus.txt``, ``classes.tsv``, ``mole_senses.tsv`` and ``README.md`` for ``generate(seed)``.

    The output is byte-for-byte deterministic (UTF-8, ``\\n`` line endings), so the shipped files can be checked
    against a fresh run.

    Parameters
    ----------
    directory : Path, default DATA_DIR
        Where to write; created if missing.
    seed : int, default 0
        Seed passed to :func:`generate`.
    """
    world = generate(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    corpus = "".join(" ".join(sentence) + "\n" for sentence in world.sentences)
    by_class = sorted(world.classes.items(), key=lambda item: (item[1], item[0]))
    classes = "word\tclass\n" + "".join(f"{word}\t{cls}\n" for word, cls in by_class)
    senses = "sentence\tsense\n" + "".join(f"{i}\t{sense}\n" for i, sense in world.mole_senses)
    files = {"corpus.txt": corpus, "classes.tsv": classes, "mole_senses.tsv": senses, "README.md": _readme(world, seed)}
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8", newline="\n")


def _read_tsv(path: Path, header: str) -> list[list[str]]:
    """Return the rows of a two-column TSV file after checking its header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != header:
        raise ValueError(f"{path} should start with the header {header!r}")
    return [line.split("\t") for line in lines[1:]]


def load(directory: Path = DATA_DIR) -> ToyWorld:
    """Read a toy world written by :func:`write` (by default the one shipped with the course).

    Parameters
    ----------
    directory : Path, default DATA_DIR
        Folder holding ``corpus.txt``, ``classes.tsv`` and ``mole_senses.tsv``.

    Returns
    -------
    ToyWorld
        Equal to ``generate(seed)`` for the seed the files were written with.
    """
    directory = Path(directory)
    if not (directory / "corpus.txt").exists():
        raise FileNotFoundError(
            f"no toy world in {directory}; create it with: python -m helpers.toyworld --out {directory}"
        )
    sentences = [line.split(" ") for line in (directory / "corpus.txt").read_text(encoding="utf-8").splitlines()]
    classes = dict(sorted((word, cls) for word, cls in _read_tsv(directory / "classes.tsv", "word\tclass")))
    mole_senses = [(int(i), sense) for i, sense in _read_tsv(directory / "mole_senses.tsv", "sentence\tsense")]
    return ToyWorld(sentences=sentences, classes=classes, mole_senses=mole_senses, twins=TWINS)


def main(argv: list[str] | None = None) -> None:
    """Command line: regenerate the toy world files."""
    parser = argparse.ArgumentParser(description="Regenerate the toy world corpus and its ground truth.")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0, the shipped corpus)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help=f"output folder (default: {DATA_DIR})")
    args = parser.parse_args(argv)
    write(args.out, seed=args.seed)
    print(f"wrote the toy world (seed {args.seed}) to {args.out}")


if __name__ == "__main__":
    main()
