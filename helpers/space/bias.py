"""Bias in, bias out: a direction for gender, projections on it, hard debiasing, and what debiasing leaves (04b, 06b).

- :func:`gender_direction`: Bolukbasi et al. (2016)'s he-she direction, the first principal component of the
  defining pairs' differences;
- :func:`projection`: where each word's unit vector falls along it;
- :func:`hard_debias`: their "neutralize and equalize": the direction removed from the words that should be
  neutral, each defining pair made to differ along it only;
- :func:`lean_clustering`: Gonen & Goldberg (2019)'s test of what is left: do words that leaned the same way still
  sit together after debiasing?
- :func:`pronoun_ratio`: the skew measured in the text itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .knn import unit_rows
from .neighbors import WordVectors


def _rows(wv: WordVectors, words: Sequence[str]) -> list[int]:
    return [wv.get_index(w) for w in words]  # an unknown word raises UnknownWordError with suggestions


def gender_direction(wv: WordVectors, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The unit direction (d,) along which the defining pairs (male, female) differ most.

    Each pair's two unit vectors are centred on their mean; the direction is the first principal component of
    all the centred vectors (Bolukbasi et al., 2016), signed so that the male words lie on its positive side.

    Raises
    ------
    ValueError
        With no pair, or if the pairs' vectors do not differ at all.
    """
    if len(pairs) == 0:
        raise ValueError("give at least one defining pair, e.g. [('he', 'she')]")
    unit = wv.unit_vectors
    centred = []
    for male, female in pairs:
        a, b = unit[wv.get_index(male)], unit[wv.get_index(female)]
        centred += [a - (a + b) / 2, b - (a + b) / 2]
    centred = np.array(centred)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    if s[0] == 0:
        raise ValueError("the defining pairs' vectors are identical: they define no direction")
    direction = vt[0]
    males = unit[_rows(wv, [m for m, _ in pairs])] - unit[_rows(wv, [f for _, f in pairs])]
    return direction if (males @ direction).sum() >= 0 else -direction


def projection(wv: WordVectors, words: Sequence[str], direction: np.ndarray) -> np.ndarray:
    """Cosine of each word's vector with ``direction`` (d,): its lean, male side positive; shape (len(words),)."""
    direction = np.asarray(direction, dtype=np.float64)
    if direction.shape != (wv.vector_size,) or not np.isclose(np.linalg.norm(direction), 1.0):
        raise ValueError(f"direction must be a unit vector of shape ({wv.vector_size},)")
    return wv.unit_vectors[_rows(wv, words)] @ direction


def hard_debias(wv: WordVectors, direction: np.ndarray, neutral: Sequence[str],
                equalize: Sequence[tuple[str, str]]) -> WordVectors:
    """Bolukbasi et al. (2016)'s hard debiasing, on unit vectors; returns new vectors (every row of length 1).

    - **neutralize**: every word in ``neutral`` loses its component along ``direction`` (and is rescaled to
      length 1), so its projection becomes 0;
    - **equalize**: each pair (a, b) in ``equalize`` is moved to the same point off the direction, ``nu`` (the
      pair's mean without its component along ``direction``), and to opposite sides along it,
      ``a = nu + sqrt(1 - |nu|^2) g``, ``b = nu - sqrt(1 - |nu|^2) g`` (signed as a and b were): the pair still
      differs, but only along the direction, so every neutral word is equally far from both.

    Raises
    ------
    ValueError
        If a word is both neutral and in an equalize pair, or a word is unknown.
    """
    g = np.asarray(direction, dtype=np.float64)
    if g.shape != (wv.vector_size,) or not np.isclose(np.linalg.norm(g), 1.0):
        raise ValueError(f"direction must be a unit vector of shape ({wv.vector_size},)")
    paired = {w for pair in equalize for w in pair}
    both = sorted(paired & set(neutral))
    if both:
        raise ValueError(f"{both} cannot be both neutral and in an equalize pair")
    vectors = np.array(wv.unit_vectors, dtype=np.float64)
    rows = _rows(wv, neutral)
    vectors[rows] = unit_rows(vectors[rows] - np.outer(vectors[rows] @ g, g))
    for a, b in equalize:
        i, j = wv.get_index(a), wv.get_index(b)
        mean = (vectors[i] + vectors[j]) / 2
        nu = mean - (mean @ g) * g
        along = np.sqrt(max(1.0 - nu @ nu, 0.0))
        side = 1.0 if (vectors[i] - vectors[j]) @ g >= 0 else -1.0
        vectors[i], vectors[j] = nu + side * along * g, nu - side * along * g
    return WordVectors(vectors, wv.index_to_key)


def lean_clustering(wv: WordVectors, words: Sequence[str], labels: Mapping[str, str]) -> float:
    """Mean cosine of each word to the *other* words of its label, minus its mean cosine to words of another label.

    Gonen & Goldberg (2019)'s question in one number: do words that leaned the same way still sit together? Compare
    it with the same number in a space trained without the skew: the text's own structure gives some gap too.

    Raises
    ------
    ValueError
        Unless every word has a label and there are at least two labels, one of them with two words.
    """
    missing = [w for w in words if w not in labels]
    if missing:
        raise ValueError(f"{missing} have no label")
    tags = np.array([labels[w] for w in words])
    same = tags[:, None] == tags[None, :]
    np.fill_diagonal(same, False)
    other = tags[:, None] != tags[None, :]
    if not same.any() or not other.any():
        raise ValueError("give words of at least two labels, and at least two words of one label")
    unit = wv.unit_vectors[_rows(wv, words)]
    cosines = unit @ unit.T
    return float(cosines[same].mean() - cosines[other].mean())


def pronoun_ratio(sentences: Sequence[Sequence[str]], word: str,
                  pairs: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """How many sentences with ``word`` hold a male word of ``pairs``, and how many a female one: the skew as the
    text has it, (male, female)."""
    male = {m for m, _ in pairs}
    female = {f for _, f in pairs}
    with_word = [set(s) for s in sentences if word in s]
    return sum(bool(s & male) for s in with_word), sum(bool(s & female) for s in with_word)
