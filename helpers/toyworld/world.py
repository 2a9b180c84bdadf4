"""The toy world: a small, deterministic, English-like corpus whose word classes are known in advance.

Because we know which words belong together (pets, zoo animals, body parts, foods...), we can *measure* what a model
has learned: the class purity of each word's nearest neighbours, cos(cat, dog) during training, whether the two senses
of "mole" separate, whether analogies come out. Sentences come from templates (:mod:`helpers.toyworld.spec`, filled
by :mod:`helpers.toyworld.templates`): a slot such as ``{pet}`` takes a member of its class, and a word keeps its own
company (a cat purrs and is fluffy, a dog barks and is loyal), so classmates share many contexts but not all, and
related classes share some.

Planted cases
-------------
- "mole" has two senses, a zoo animal ("i saw a mole at the zoo") and a spot on the skin ("the doctor checked the mole
  on my hip"), with roughly as many sentences of each; both sentences are planted verbatim.
- "sofa" and "couch" are exact twins: every sentence made with one is also in the corpus with the other, so their
  contexts are identical.
- Relations with a consistent difference of contexts: a young animal has its species' contexts plus "little" and
  "baby" (cat : kitten :: dog : puppy), a woman or a queen has the contexts of a man or a king with "she"/"her" for
  "he"/"his", a boy or a prince also goes to school; ``ToyWorld.analogies`` lists the questions.

Regenerate the shipped files with ``python -m helpers.toyworld`` (options ``--seed`` and ``--out``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .spec import (  # the tables of the world
    ANALOGIES,
    CLASSES,
    FUNCTION_WORDS,
    MOLE_TEMPLATES,
    POLYSEMOUS_WORD,
    TOPICS,
    TWINS,
)
from .templates import check_gender_skew, check_templates, fill, regender, with_twin_copies

#: The toy world's files. A checkout (the editable install, or the repository on sys.path) reads the tracked
#: top-level data/toyworld; an install (Binder's and a hub image's `pip install .`, a wheel) carries the same files
#: as package data, helpers/data/toyworld (pyproject.toml maps data/ there).
_CHECKOUT = Path(__file__).resolve().parents[2]
DATA_DIR = (_CHECKOUT / "data" / "toyworld" if (_CHECKOUT / "pyproject.toml").is_file()
            else Path(resources.files("helpers")) / "data" / "toyworld")

SEED_SENTENCE = ("i", "saw", "a", "mole", "at", "the", "zoo")

# Classes that evaluation skips: glue words carry no topic, and "mole" belongs to two classes at once.
FUNCTION_CLASS = "function"
POLYSEMOUS_CLASS = "polysemous"

PLANTED = {"animal": SEED_SENTENCE, "skin": ("the", "doctor", "checked", "the", "mole", "on", "my", "hip")}

N_SENTENCES = 18000  # before the mole sentences and the twins' copies
# A few more animal sentences than skin ones: the skin contexts ("... on my hip") are more uniform and pull harder.
MOLE_SENTENCES = {"animal": 90, "skin": 60}

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
    analogies : tuple of (a, b, c, d)
        Planted analogies a : b :: c : d ("cat", "kitten", "dog", "puppy"); the same for every seed.
    """

    sentences: list[list[str]]
    classes: dict[str, str]
    mole_senses: list[tuple[int, str]]
    twins: tuple[str, str]
    analogies: tuple[tuple[str, str, str, str], ...] = ANALOGIES

    def evaluated_words(self) -> list[str]:
        """Words whose class counts for kNN purity (everything except function words and "mole"), sorted."""
        skipped = {FUNCTION_CLASS, POLYSEMOUS_CLASS}
        return sorted(word for word, cls in self.classes.items() if cls not in skipped)


def generate(seed: int = 0, gender_skew: dict[str, float] | None = None) -> ToyWorld:
    """Build the toy world in memory; the same seed always gives the same world.

    Parameters
    ----------
    seed : int, default 0
        Seed of the one ``numpy.random.Generator`` that draws topics, templates, slot fillers and the final order.
    gender_skew : dict {job: ratio}, optional
        Plant a skew (notebook 04b): each listed job comes with he/his ``ratio`` times as often as with she/her
        (:func:`with_gender_skew`). ``None`` (the default, the shipped world) plants none and draws nothing extra.

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
    check_templates()
    rng = np.random.default_rng(int(seed))

    names = list(TOPICS)
    weights = np.array([TOPICS[name][0] for name in names])
    topic_draws = rng.choice(len(names), size=N_SENTENCES, p=weights / weights.sum())
    sentences: list[list[str]] = []
    for topic in topic_draws:
        templates = TOPICS[names[topic]][1]
        sentences.extend(with_twin_copies(fill(templates[rng.integers(len(templates))], rng)))

    senses: list[str | None] = [None] * len(sentences)
    for sense, templates in MOLE_TEMPLATES.items():
        for k in range(MOLE_SENTENCES[sense]):
            # Templates in turn, not drawn: where "mole" lands between its senses hangs on this balance.
            sentence = list(PLANTED[sense]) if k == 0 else fill(templates[(k - 1) % len(templates)], rng)
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
    world = ToyWorld(sentences=sentences, classes=classes, mole_senses=mole_senses, twins=TWINS)
    return world if gender_skew is None else with_gender_skew(world, gender_skew, seed)


def with_gender_skew(world: ToyWorld, gender_skew: dict[str, float], seed: int = 0) -> ToyWorld:
    """The same world with a planted gender skew: ``generate(seed, gender_skew)`` from an already built world.

    Only the gendered words of the listed jobs' sentences change (:func:`helpers.toyworld.regender`); the
    sentences, their order, the classes and the senses of "mole" stay. The skew has its own generator, seeded
    with ``(seed, 24)``, so the world's own draws are untouched.

    Raises
    ------
    TypeError, ValueError
        For a skew that is not a dict of toy-world jobs to positive ratios.
    """
    skew = check_gender_skew(gender_skew)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    sentences = regender(world.sentences, skew, np.random.default_rng((int(seed), 24)))
    return ToyWorld(sentences=sentences, classes=world.classes, mole_senses=world.mole_senses, twins=world.twins,
                    analogies=world.analogies)


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

Generated by `helpers/toyworld/world.py` with seed {seed}. Do not edit these files by hand; regenerate them (byte for byte)
from the repository root with

```
python -m helpers.toyworld --seed {seed}
```

and load them with `helpers.toyworld.load()` (equal to `helpers.toyworld.generate({seed})`).

## Files

- `corpus.txt`: {len(world.sentences)} sentences, one per line, {n_tokens} lowercase tokens separated by single
  spaces, no punctuation; a vocabulary of {len(world.classes)} words.
- `classes.tsv`: the class of every word (columns `word`, `class`), sorted by class then word.
- `analogies.tsv`: the planted analogies, one question a : b :: c : d per line (columns `a`, `b`, `c`, `d`);
  `most_similar(positive=[b, c], negative=[a])` should answer d.
- `mole_senses.tsv`: the sense (`animal` or `skin`) of every sentence that contains "mole" (columns `sentence`,
  the 0-based line number in `corpus.txt`, and `sense`).

## Classes

Class `{FUNCTION_CLASS}` holds the words that carry no topic and class `{POLYSEMOUS_CLASS}` holds "mole"; evaluation
skips both. Every other class has at least 6 members, so a purity over the 5 nearest neighbours is meaningful.

| class | members | words |
|---|---|---|
{rows}

## Planted cases

- **Shared contexts, and contexts of one's own**: all members of a class fill the same template slots, so "cat" and
  "dog" share contexts ("my ... is very ...") and should become near neighbours; but each word mostly keeps its own
  company (a cat purrs in the garden and is fluffy; a dog barks in the park and is loyal), so classmates are similar,
  not identical. Related classes share some contexts: pets, farm animals and wild animals all eat, sleep and run.
- **Polysemy**: "mole" is a zoo animal in {sense_counts['animal']} sentences ("{' '.join(SEED_SENTENCE)}" is one of
  them) and a spot on the skin in {sense_counts['skin']} ("{' '.join(PLANTED['skin'])}" is one of them).
- **Exact twins**: "{world.twins[0]}" and "{world.twins[1]}" (class `furniture`): every sentence made with one is
  also in the corpus with the other, so their contexts are identical.
- **Analogies**: {len(world.analogies)} questions a : b :: c : d (`ToyWorld.analogies`, the same for every seed)
  from three relations with a consistent difference of contexts: young animals ("{' : '.join(world.analogies[0][:2])} :: {' : '.join(world.analogies[0][2:])}"),
  gender ("king : queen :: man : woman") and young people ("man : boy :: king : prince").
"""


def write(directory: Path = DATA_DIR, seed: int = 0) -> None:
    """Write ``corpus.txt``, ``classes.tsv``, ``mole_senses.tsv``, ``analogies.tsv`` and ``README.md`` for
    ``generate(seed)``.

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
    analogies = "a\tb\tc\td\n" + "".join("\t".join(question) + "\n" for question in world.analogies)
    files = {"corpus.txt": corpus, "classes.tsv": classes, "mole_senses.tsv": senses, "analogies.tsv": analogies,
             "README.md": _readme(world, seed)}
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
        Folder holding ``corpus.txt``, ``classes.tsv``, ``mole_senses.tsv`` and ``analogies.tsv``.

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
    analogies = tuple(tuple(row) for row in _read_tsv(directory / "analogies.tsv", "a\tb\tc\td"))
    return ToyWorld(sentences=sentences, classes=classes, mole_senses=mole_senses, twins=TWINS, analogies=analogies)


def load_or_generate() -> ToyWorld:
    """The shipped toy world (:func:`load`), or the same world from :func:`generate` where the files are not written
    yet (a fresh checkout before ``python3 course.py data``): what every caller that just needs the world wants."""
    try:
        return load()
    except FileNotFoundError:
        return generate()
