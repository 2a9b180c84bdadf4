"""Tests of the toy world generator and of the corpus shipped in data/toyworld."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from helpers.toyworld import DATA_DIR, ToyWorld, generate, load, spec as toyworld_spec, world as toyworld, write

FILES = ("corpus.txt", "classes.tsv", "mole_senses.tsv", "analogies.tsv", "README.md")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def world() -> ToyWorld:
    return generate()


def contexts(sentences: list[list[str]], word: str, window: int = 2) -> Counter:
    """Multiset of (offset, context word) around every occurrence of ``word``."""
    found: Counter = Counter()
    for sentence in sentences:
        for i, token in enumerate(sentence):
            if token != word:
                continue
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if j != i:
                    found[(j - i, sentence[j])] += 1
    return found


def test_same_seed_same_world_other_seed_other_world(world):
    assert generate(0) == world
    other = generate(1)
    assert other.sentences != world.sentences
    assert other.classes == world.classes  # the classes are fixed; only the sentences are drawn


def test_shipped_files_are_what_write_produces_now(tmp_path):
    write(tmp_path, seed=0)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), (
            f"data/toyworld/{name} is stale; regenerate it with: python -m helpers.toyworld"
        )


def test_command_line_regenerates_the_files_byte_for_byte(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "helpers.toyworld", "--seed", "0", "--out", str(tmp_path)],
        cwd=REPO, check=True, capture_output=True,
    )
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes()


def test_write_uses_the_seed(tmp_path):
    write(tmp_path, seed=3)
    assert (tmp_path / "corpus.txt").read_bytes() != (DATA_DIR / "corpus.txt").read_bytes()
    assert load(tmp_path) == generate(3)


def test_load_equals_generate(world):
    assert load() == world


def test_load_or_generate_reads_the_files_and_generates_the_same_world_without_them(world, monkeypatch):
    assert toyworld.load_or_generate() == world

    def no_files(directory=DATA_DIR):
        raise FileNotFoundError(f"no toy world in {directory}")

    monkeypatch.setattr(toyworld, "load", no_files)  # a fresh checkout before `python3 course.py data`
    assert toyworld.load_or_generate() == world


def test_load_reads_the_analogies_from_the_files(tmp_path):
    write(tmp_path, seed=0)
    lines = (tmp_path / "analogies.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "a\tb\tc\td" and lines[1] == "cat\tkitten\tdog\tpuppy"
    (tmp_path / "analogies.tsv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    assert load(tmp_path).analogies == (("cat", "kitten", "dog", "puppy"),)


def test_load_explains_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m helpers.toyworld"):
        load(tmp_path / "nowhere")


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_generate_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed"):
        generate(seed)


def test_corpus_format_and_size():
    text = (DATA_DIR / "corpus.txt").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    lines = text.splitlines()
    bad = [line for line in lines if not re.fullmatch(r"[a-z]+( [a-z]+)*", line)]
    assert bad == [], f"lines that are not lowercase words separated by single spaces: {bad[:3]}"
    n_tokens = sum(len(line.split(" ")) for line in lines)
    vocabulary = {token for line in lines for token in line.split(" ")}
    assert 10_000 <= len(lines) <= 25_000
    assert 60_000 <= n_tokens <= 150_000
    assert 100 <= len(vocabulary) <= 160


def test_every_word_has_a_class_and_every_class_word_occurs(world):
    vocabulary = {token for sentence in world.sentences for token in sentence}
    assert set(world.classes) == vocabulary
    assert world.classes["mole"] == "polysemous"
    assert world.classes["the"] == "function"
    for cls, members in toyworld.CLASSES.items():
        assert all(world.classes[w] == cls for w in members), cls


def test_every_evaluated_class_has_at_least_six_members(world):
    sizes = Counter(world.classes[w] for w in world.evaluated_words())
    assert len(sizes) >= 8
    assert min(sizes.values()) >= 6, sizes


def test_evaluated_words_skip_function_words_and_mole(world):
    evaluated = world.evaluated_words()
    assert evaluated == sorted(evaluated)
    assert "mole" not in evaluated and "the" not in evaluated
    assert {"cat", "dog", "lion", "hip", "sofa", "couch", "zoo", "doctor"} <= set(evaluated)
    assert set(evaluated) == {w for w, c in world.classes.items() if c not in ("function", "polysemous")}


def test_seed_sentences_are_in_the_corpus(world):
    assert ["i", "saw", "a", "mole", "at", "the", "zoo"] in world.sentences
    assert ["the", "doctor", "checked", "the", "mole", "on", "my", "hip"] in world.sentences
    lines = (DATA_DIR / "corpus.txt").read_text(encoding="utf-8").splitlines()
    assert "i saw a mole at the zoo" in lines


def shared_share(sentences: list[list[str]], a: str, b: str) -> float:
    """Share of the contexts of ``a`` (window 2, function words included) that ``b`` has as well."""
    left, right = contexts(sentences, a), contexts(sentences, b)
    return sum((left & right).values()) / sum(left.values())


def test_classmates_share_many_contexts_but_not_all(world):
    # Graded similarity: cat and dog share much (the class's templates), not everything (each its own company),
    # and share more with each other than cat shares with a wild animal, which shares more than a food does.
    cat_dog = shared_share(world.sentences, "cat", "dog")
    assert 0.5 < cat_dog < 0.97, cat_dog
    assert shared_share(world.sentences, "cat", "lion") < cat_dog
    assert shared_share(world.sentences, "cat", "bread") < shared_share(world.sentences, "cat", "lion")


def test_words_keep_their_own_company(world):
    # The own contexts are really there: a cat purrs, a dog barks, never the other way round.
    cat, dog = contexts(world.sentences, "cat"), contexts(world.sentences, "dog")
    assert cat[(1, "purrs")] > 5 and dog[(1, "barks")] > 5
    assert cat[(1, "barks")] == 0 and dog[(1, "purrs")] == 0


def test_young_animals_have_their_species_contexts_plus_little_and_baby(world):
    for young, adult in toyworld_spec.YOUNG_OF.items():
        own_young, own_adult = contexts(world.sentences, young), contexts(world.sentences, adult)
        sound = toyworld_spec.ATTRIBUTES[adult]["sound"][0]
        assert own_young[(1, sound)] > 0 and own_adult[(1, sound)] > 0, young
        assert own_young[(-1, "little")] > 0 and own_adult[(-1, "little")] == 0, young


def test_gender_pairs_differ_by_the_pronouns():
    # Map she/her to he/his and the two members of a pair have the same kind of contexts.
    world = generate(0)
    swap = {"she": "he", "her": "his"}
    for male, female in toyworld_spec.GENDER_PAIRS:
        left = contexts(world.sentences, male)
        right = Counter({(k, swap.get(w, w)): n for (k, w), n in contexts(world.sentences, female).items()})
        assert left[(2, "his")] > 0 and contexts(world.sentences, female)[(2, "his")] == 0, female
        shared = sum((left & right).values()) / sum(left.values())
        assert shared > 0.6, (male, female, shared)


def test_analogies_are_well_formed(world):
    assert world.analogies == toyworld.ANALOGIES == generate(1).analogies
    assert len(world.analogies) >= 40 and len(set(world.analogies)) == len(world.analogies)
    for question in world.analogies:
        assert len(set(question)) == 4, question
        assert all(world.classes[w] not in ("function", "polysemous") for w in question), question
    assert ("cat", "kitten", "dog", "puppy") in world.analogies
    assert ("king", "queen", "man", "woman") in world.analogies
    assert ("man", "boy", "king", "prince") in world.analogies


def check_mole_senses(world: ToyWorld) -> None:
    with_mole = [i for i, sentence in enumerate(world.sentences) if "mole" in sentence]
    assert [i for i, _ in world.mole_senses] == with_mole, "every sentence with 'mole' is labelled, once, in order"
    senses = Counter(sense for _, sense in world.mole_senses)
    assert set(senses) == {"animal", "skin"}
    assert 0.4 <= senses["animal"] / len(with_mole) <= 0.6, senses
    body_parts = set(toyworld.CLASSES["body_part"])
    animals = set(toyworld.CLASSES["wild_animal"]) | {"zoo"}
    for i, sense in world.mole_senses:
        words = set(world.sentences[i])
        if sense == "animal":
            assert not words & body_parts, world.sentences[i]
        else:
            assert not words & animals, world.sentences[i]
            assert words & body_parts, world.sentences[i]


def test_mole_has_two_roughly_balanced_senses(world):
    check_mole_senses(world)


def check_twins(world: ToyWorld) -> None:
    first, second = world.twins
    assert world.classes[first] == world.classes[second] == "furniture"
    left, right = contexts(world.sentences, first), contexts(world.sentences, second)
    assert sum(left.values()) > 50
    assert left == right


def test_twins_have_identical_contexts(world):
    check_twins(world)


def test_context_check_tells_words_apart(world):
    # Guards the twin test against passing vacuously: two ordinary furniture words do differ.
    assert contexts(world.sentences, "chair") != contexts(world.sentences, "table")


# No shrinking: a smaller failing seed is no simpler, and each example costs a whole generate().
@settings(max_examples=8, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_planted_cases_hold_for_any_seed(seed):
    other = generate(seed)
    check_twins(other)
    check_mole_senses(other)
    assert ["i", "saw", "a", "mole", "at", "the", "zoo"] in other.sentences


def test_a_checkout_reads_the_top_level_data_folder():
    """The checkout's own data/toyworld (tracked), whatever installed the package: no copy inside helpers/."""
    from helpers.toyworld.world import DATA_DIR as data_dir

    repo = Path(__file__).resolve().parent.parent
    assert data_dir == repo / "data" / "toyworld"
    assert not (repo / "helpers" / "data").exists(), "the toy world lives in the top-level data/, not helpers/data"
