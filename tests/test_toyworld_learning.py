"""What word2vec learns from the shipped toy world, trained as in notebook 04, over seeds 0-2.

These are the course's claims about the world (issue 12): classmates are similar but not identical, the twins stand
out, the planted analogies come out, the classes come together, and the neighbours of "cat" start with the pets.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.space import WordVectors, knn_purity
from helpers.toyworld import ToyWorld, load
from helpers.word2vec import train_word2vec

NOTEBOOK_04 = dict(dim=30, window=3, min_count=1, epochs=10, progress=False)  # notebook 04's training cell
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def world() -> ToyWorld:
    return load()


@pytest.fixture(scope="module")
def trained(world) -> dict[int, WordVectors]:
    return {seed: train_word2vec(world.sentences, seed=seed, **NOTEBOOK_04) for seed in SEEDS}


def classmate_cosines(wv: WordVectors, world: ToyWorld) -> list[float]:
    """Cosine of every pair of words of one evaluated class, the twins left out."""
    words = world.evaluated_words()
    return [wv.similarity(a, b) for i, a in enumerate(words) for b in words[i + 1:]
            if world.classes[a] == world.classes[b] and {a, b} != set(world.twins)]


def analogy_accuracy(wv: WordVectors, world: ToyWorld) -> float:
    """Share of a : b :: c : d answered with d by b - a + c (``most_similar``, query words left out)."""
    return float(np.mean([wv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0] == d
                          for a, b, c, d in world.analogies]))


def figures(wv: WordVectors, world: ToyWorld) -> dict[str, float]:
    twins = wv.similarity(*world.twins)
    median = float(np.median(classmate_cosines(wv, world)))
    return {"twins": twins, "classmates": median, "gap": twins - median,
            "purity": knn_purity(wv, world.classes, k=5, words=world.evaluated_words()),
            "analogies": analogy_accuracy(wv, world)}


def test_graded_similarity_twins_analogies_and_purity(world, trained, measurements):
    per_seed = {seed: figures(wv, world) for seed, wv in trained.items()}
    for seed, f in per_seed.items():
        measurements.append(f"toy world, notebook 04 settings, seed {seed}: " + ", ".join(
            f"{name} {value:.3f}" for name, value in f.items()))
    for seed, f in per_seed.items():
        assert f["classmates"] <= 0.85, (seed, f)  # classmates similar, not identical
        assert f["twins"] >= 0.95, (seed, f)
        assert f["gap"] >= 0.10, (seed, f)  # only the twins are (nearly) one vector
        assert f["analogies"] >= 0.80, (seed, f)
        assert f["purity"] >= 0.85, (seed, f)


def test_purity_starts_at_chance(world, trained):
    # Chance is the share of a word's classmates among the other words; a random start scores about that.
    wv = trained[0]
    rng = np.random.default_rng(0)
    random_start = WordVectors(rng.normal(size=wv.vectors.shape), wv.index_to_key)
    words = world.evaluated_words()
    chance = np.mean([(sum(world.classes[v] == world.classes[w] for v in wv.index_to_key) - 1) / (len(wv) - 1)
                      for w in words])
    assert knn_purity(random_start, world.classes, k=5, words=words) < 2 * chance < 0.3


def test_cats_neighbours_come_in_a_meaningful_order(world, trained):
    # First the other pets, then (on average) the wild animals, then every class that is not an animal.
    pets = {w for w, c in world.classes.items() if c == "pet"} - {"cat"}
    animals = {"pet", "wild_animal", "farm_animal"}
    for seed, wv in trained.items():
        nearest = [w for w, _ in wv.most_similar("cat", topn=len(pets))]
        assert set(nearest) == pets, (seed, nearest)
        by_class: dict[str, list[float]] = {}
        for word in world.evaluated_words():
            if word != "cat":
                by_class.setdefault(world.classes[word], []).append(wv.similarity("cat", word))
        mean = {cls: float(np.mean(values)) for cls, values in by_class.items()}
        assert mean["pet"] > mean["wild_animal"] > max(v for c, v in mean.items() if c not in animals), (seed, mean)
