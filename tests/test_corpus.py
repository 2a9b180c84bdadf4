"""Tests of helpers.text.corpus: tokens, vocabulary, subsampling, window pairs, CBOW examples and noise words.

Reference results are computed here the slow, obvious way (nested loops, Counter, the paper's formula) and the
fast vectorized code must agree with them.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from helpers.text import (
    NoiseSampler,
    build_vocabulary,
    cbow_examples,
    keep_probabilities,
    skipgram_pairs,
    subsample,
    tokenize,
)

# --------------------------------------------------------------------------------------------------------------
# Slow references


def brute_force_pairs(encoded: list[np.ndarray], reach: list[np.ndarray]) -> list[tuple[int, int, int, int]]:
    """(target id, context id, target flat position, context flat position), in text order.

    ``reach[s][i]`` is how far target i of sentence s looks; the window never leaves the sentence.
    """
    pairs, start = [], 0
    for sentence, sentence_reach in zip(encoded, reach):
        n = len(sentence)
        for i in range(n):
            for j in range(max(0, i - sentence_reach[i]), min(n, i + sentence_reach[i] + 1)):
                if j != i:
                    pairs.append((int(sentence[i]), int(sentence[j]), start + i, start + j))
        start += n
    return pairs


def full_window_pair_count(lengths: list[int], window: int) -> int:
    return sum(min(i, window) + min(n - 1 - i, window) for n in lengths for i in range(n))


def as_tuples(targets, contexts, positions) -> list[tuple[int, int, int, int]]:
    return [(int(t), int(c), int(p[0]), int(p[1])) for t, c, p in zip(targets, contexts, positions)]


# Sentences of word ids; empty and one-word sentences included on purpose (they have no pairs).
sentences_strategy = st.lists(
    st.lists(st.integers(0, 9), min_size=0, max_size=12).map(lambda s: np.array(s, dtype=np.int32)),
    min_size=0,
    max_size=8,
)


# --------------------------------------------------------------------------------------------------------------
# Tokenizer


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("I saw a Mole at the zoo!") == ["i", "saw", "a", "mole", "at", "the", "zoo"]


def test_tokenize_keeps_inner_apostrophes_and_digits():
    assert tokenize("Don't feed the 2 cats, 'please'.") == ["don't", "feed", "the", "2", "cats", "please"]


def test_tokenize_of_empty_or_blank_text_is_empty():
    assert tokenize("") == []
    assert tokenize("  ,;!  \n") == []


@pytest.mark.parametrize("bad", [None, 42, ["a", "b"], b"bytes"])
def test_tokenize_rejects_non_strings(bad):
    with pytest.raises(TypeError, match="string"):
        tokenize(bad)


@given(st.text(max_size=80))
def test_tokenize_is_idempotent_and_lowercase(text):
    tokens = tokenize(text)
    assert all(t == t.lower() and t for t in tokens)
    assert tokenize(" ".join(tokens)) == tokens


# --------------------------------------------------------------------------------------------------------------
# Vocabulary


def test_vocabulary_counts_order_and_min_count():
    sentences = [["b", "a", "c", "a"], ["c", "a", "d"], ["b"]]
    vocab = build_vocabulary(sentences, min_count=2)
    # a: 3, then b and c with 2 each (ties alphabetically), d (1) dropped.
    assert vocab.index_to_key == ["a", "b", "c"]
    assert vocab.counts.tolist() == [3, 2, 2]
    assert vocab.total == 7
    assert "d" not in vocab and "a" in vocab
    assert [vocab.key_to_index[w] for w in vocab.index_to_key] == [0, 1, 2]


def test_vocabulary_order_does_not_depend_on_sentence_order():
    sentences = [["x", "y", "z"], ["z", "y"], ["w"], ["q", "w", "x"]]
    shuffled = sentences[:]
    random.Random(3).shuffle(shuffled)
    a, b = build_vocabulary(sentences), build_vocabulary(shuffled)
    assert a.index_to_key == b.index_to_key
    assert np.array_equal(a.counts, b.counts)


@given(st.lists(st.lists(st.sampled_from(list("abcdefgh")), max_size=10), min_size=1, max_size=10),
       st.integers(1, 4))
def test_vocabulary_matches_counter(sentences, min_count):
    counter = Counter(w for s in sentences for w in s)
    kept = {w: c for w, c in counter.items() if c >= min_count}
    if not kept:
        with pytest.raises(ValueError, match="min_count|empty"):
            build_vocabulary(sentences, min_count)
        return
    vocab = build_vocabulary(sentences, min_count)
    assert dict(zip(vocab.index_to_key, vocab.counts.tolist())) == kept
    keys = [(-c, w) for w, c in zip(vocab.index_to_key, vocab.counts)]
    assert keys == sorted(keys)
    if min_count == 1:
        assert vocab.total == sum(len(s) for s in sentences)


def test_encode_maps_words_to_ids_and_drops_unknown_words():
    vocab = build_vocabulary([["a", "a", "b", "rare"]], min_count=2)
    encoded = vocab.encode([["a", "rare", "a"], ["rare"], ["a", "b", "z"]])
    assert [e.tolist() for e in encoded] == [[0, 0], [], [0]]
    assert all(e.dtype == np.int32 for e in encoded)


@pytest.mark.parametrize("min_count", [0, -1, 1.5, True, "2"])
def test_bad_min_count_is_named(min_count):
    with pytest.raises(ValueError, match=r"min_count must be an integer >= 1"):
        build_vocabulary([["a"]], min_count)


def test_empty_corpus_and_unreachable_min_count_raise():
    with pytest.raises(ValueError, match="empty"):
        build_vocabulary([])
    with pytest.raises(ValueError, match="empty"):
        build_vocabulary([[], []])
    with pytest.raises(ValueError, match="min_count=5"):
        build_vocabulary([["a", "b", "a"]], min_count=5)


@pytest.mark.parametrize(
    "sentences, fragment",
    [
        ("i saw a mole", "list of token lists"),
        (["i saw a mole"], "sentence 0 is a string"),
        ([["a", "b"], ["c", 3]], "sentence 1, token 1"),
        ([["a", None]], "token 1"),
    ],
)
def test_bad_sentences_raise_type_error_that_points_at_the_problem(sentences, fragment):
    with pytest.raises(TypeError, match=fragment):
        build_vocabulary(sentences)


# --------------------------------------------------------------------------------------------------------------
# Frequent-word subsampling


def test_keep_probabilities_follow_word2vec_formula():
    counts = np.array([5000, 1200, 300, 40, 3, 1])
    sample = 1e-2
    f = counts / counts.sum()
    expected = np.minimum(1.0, (np.sqrt(f / sample) + 1) * sample / f)
    keep = keep_probabilities(counts, sample)
    np.testing.assert_allclose(keep, expected, rtol=1e-12)
    assert keep[0] < 0.5, "the most frequent word must be dropped often"
    assert np.all(keep[-3:] == 1.0), "rare words are always kept"
    assert np.all(np.diff(keep) >= 0), "a more frequent word is never kept more often"


def test_sample_zero_keeps_every_token(rng):
    counts = np.array([1000, 10, 1])
    assert np.array_equal(keep_probabilities(counts, 0.0), np.ones(3))
    encoded = [np.array([0, 0, 1, 2, 0], dtype=np.int32), np.array([1, 0], dtype=np.int32)]
    kept = subsample(encoded, keep_probabilities(counts, 0), rng)
    assert [k.tolist() for k in kept] == [e.tolist() for e in encoded]


@pytest.mark.parametrize("sample", [-1e-3, 1.5, float("nan"), "1e-3", None])
def test_bad_sample_is_named(sample):
    with pytest.raises(ValueError, match="sample must be a number"):
        keep_probabilities(np.array([3, 2, 1]), sample)


def test_subsampling_keeps_each_word_at_its_probability():
    rng = np.random.default_rng(7)
    counts = np.array([40_000, 8_000, 2_000, 500])
    # A corpus with exactly these counts, cut into sentences of 10 tokens.
    tokens = rng.permutation(np.repeat(np.arange(4, dtype=np.int32), counts))
    encoded = np.split(tokens, len(tokens) // 10)
    keep = keep_probabilities(counts, sample=1e-2)
    kept = subsample(encoded, keep, rng)
    assert len(kept) == len(encoded), "sentence boundaries stay where they are"
    kept_counts = np.bincount(np.concatenate(kept), minlength=4)
    # Binomial(count, keep): allow 5 standard deviations (the seed is fixed, so this never flakes).
    sd = np.sqrt(counts * keep * (1 - keep))
    assert np.all(np.abs(kept_counts - counts * keep) <= 5 * sd + 1e-9), (kept_counts, counts * keep)
    assert kept_counts[0] < 0.5 * counts[0]
    assert kept_counts[3] == counts[3]


def test_subsample_keeps_token_order_within_sentences():
    rng = np.random.default_rng(0)
    encoded = [np.arange(50, dtype=np.int32) % 5, np.arange(7, dtype=np.int32)]
    counts = np.bincount(np.concatenate(encoded))
    kept = subsample(encoded, np.full(len(counts), 0.5), rng)
    for original, thinned in zip(encoded, kept):
        it = iter(original.tolist())
        assert all(any(x == y for y in it) for x in thinned.tolist()), "kept tokens must be a subsequence"


# --------------------------------------------------------------------------------------------------------------
# Skip-gram pairs


def test_pairs_of_a_small_example():
    encoded = [np.array([0, 1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)]
    targets, contexts, positions = skipgram_pairs(encoded, window=1)
    assert list(zip(targets.tolist(), contexts.tolist())) == [(0, 1), (1, 0), (1, 2), (2, 1), (3, 4), (4, 3)]
    # Token 2 (position 2) and token 3 (position 3) are neighbours in the flat array but not in the text.
    assert [2, 3] not in positions.tolist() and [3, 2] not in positions.tolist()


@given(sentences_strategy, st.integers(1, 5))
def test_full_window_pairs_equal_brute_force(encoded, window):
    reach = [np.full(len(s), window) for s in encoded]
    got = as_tuples(*skipgram_pairs(encoded, window))
    assert got == brute_force_pairs(encoded, reach)  # same pairs, same text order
    assert len(got) == full_window_pair_count([len(s) for s in encoded], window)


@given(sentences_strategy, st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_dynamic_window_pairs_stay_in_sentence_and_window(encoded, window, seed):
    targets, contexts, positions = skipgram_pairs(encoded, window, np.random.default_rng(seed))
    sentence_of = np.repeat(np.arange(len(encoded)), [len(s) for s in encoded])
    flat = np.concatenate(encoded) if encoded else np.empty(0, np.int32)
    t_pos, c_pos = positions[:, 0], positions[:, 1]
    assert np.all(sentence_of[t_pos] == sentence_of[c_pos])
    assert np.all((np.abs(t_pos - c_pos) >= 1) & (np.abs(t_pos - c_pos) <= window))
    assert np.array_equal(flat[t_pos], targets) and np.array_equal(flat[c_pos], contexts)
    assert len(set(map(tuple, positions.tolist()))) == len(positions), "no pair twice"
    assert len(targets) <= full_window_pair_count([len(s) for s in encoded], window)
    # Each target sees a symmetric window of one reach r: all neighbours within r that the sentence has.
    reach = []
    for s_index, sentence in enumerate(encoded):
        start = int(np.searchsorted(sentence_of, s_index)) if len(sentence) else 0
        r_of = []
        for i in range(len(sentence)):
            offsets = np.abs(c_pos[t_pos == start + i] - (start + i))
            r_of.append(int(offsets.max()) if len(offsets) else window)
        reach.append(np.array(r_of))
    assert as_tuples(targets, contexts, positions) == brute_force_pairs(encoded, reach)


def test_dynamic_window_reach_is_uniform():
    """word2vec draws each target's reach uniformly from 1..window, so near words are used more often."""
    window = 4
    encoded = [np.zeros(60, dtype=np.int32)] * 500
    _, _, positions = skipgram_pairs(encoded, window, np.random.default_rng(11))
    distance = np.abs(positions[:, 0] - positions[:, 1])
    inner = positions[:, 0] % 60
    counts = np.bincount(distance[(inner >= window) & (inner < 60 - window)], minlength=window + 1)[1:]
    # Distance d is reached when reach >= d: probability (window - d + 1) / window, twice (left and right).
    targets_away_from_edges = 500 * (60 - 2 * window)
    expected = 2 * targets_away_from_edges * (window - np.arange(window)) / window
    assert abs(counts.sum() - expected.sum()) < 5 * np.sqrt(expected.sum())
    expected *= counts.sum() / expected.sum()  # chisquare compares shapes: totals must agree exactly
    assert stats.chisquare(counts, expected).pvalue > 1e-3, (counts, expected)


def test_same_rng_seed_gives_same_pairs():
    encoded = [np.arange(20, dtype=np.int32), np.arange(5, dtype=np.int32)]
    a = skipgram_pairs(encoded, 3, np.random.default_rng(5))
    b = skipgram_pairs(encoded, 3, np.random.default_rng(5))
    c = skipgram_pairs(encoded, 3, np.random.default_rng(6))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(np.array_equal(x, y) for x, y in zip(a[2:], c[2:]))


@pytest.mark.parametrize("window", [0, -2, 2.0, True])
def test_bad_window_is_named(window):
    with pytest.raises(ValueError, match=r"window must be an integer between 1 and 50, got .* \(words on each"):
        skipgram_pairs([np.arange(3)], window)


# --------------------------------------------------------------------------------------------------------------
# CBOW examples


def test_cbow_examples_of_a_small_example():
    encoded = [np.array([5, 6, 7], dtype=np.int32), np.array([8], dtype=np.int32)]
    contexts, targets = cbow_examples(encoded, window=1)
    assert targets.tolist() == [5, 6, 7]  # the one-word sentence has no context: no example
    assert contexts.tolist() == [[6, -1], [5, 7], [6, -1]]


@given(sentences_strategy, st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_cbow_contexts_are_the_skipgram_pairs_regrouped(encoded, window, seed):
    contexts, targets = cbow_examples(encoded, window, np.random.default_rng(seed))
    pair_targets, pair_contexts, positions = skipgram_pairs(encoded, window, np.random.default_rng(seed))
    assert contexts.shape == (len(targets), 2 * window)
    grouped: dict[int, list[int]] = {}
    for t, c, (t_pos, _) in zip(pair_targets.tolist(), pair_contexts.tolist(), positions.tolist()):
        grouped.setdefault(t_pos, [t]).append(c)
    expected = [group for _, group in sorted(grouped.items())]
    got = [[t] + [c for c in row if c != -1] for t, row in zip(targets.tolist(), contexts.tolist())]
    assert got == expected
    assert np.all((contexts >= -1) & (contexts <= 9))
    assert np.all((contexts != -1).sum(axis=1) >= 1), "every example has at least one context word"


@given(sentences_strategy, st.integers(1, 4))
def test_full_window_cbow_equals_brute_force(encoded, window):
    contexts, targets = cbow_examples(encoded, window)
    expected = [
        (int(s[i]), sorted(int(s[j]) for j in range(max(0, i - window), min(len(s), i + window + 1)) if j != i))
        for s in encoded if len(s) > 1 for i in range(len(s))
    ]
    got = [(t, sorted(c for c in row if c != -1)) for t, row in zip(targets.tolist(), contexts.tolist())]
    assert got == expected


# --------------------------------------------------------------------------------------------------------------
# Noise words


def test_noise_probabilities_are_unigram_to_the_three_quarters():
    counts = np.array([100, 50, 20, 5, 1, 0])
    sampler = NoiseSampler(counts, np.random.default_rng(0))
    expected = counts**0.75 / (counts**0.75).sum()
    np.testing.assert_allclose(sampler.probabilities, expected, rtol=1e-12)
    assert sampler.probabilities[0] < counts[0] / counts.sum(), "frequent words are drawn less than their share"


def test_noise_draws_match_their_distribution():
    counts = np.array([100, 50, 20, 5, 1, 0])
    sampler = NoiseSampler(counts, np.random.default_rng(42))
    draws = sampler.sample(200_000)
    observed = np.bincount(draws, minlength=len(counts))
    assert observed[5] == 0, "a word that never occurs is never noise"
    expected = counts[:5] ** 0.75 / (counts[:5] ** 0.75).sum() * len(draws)
    result = stats.chisquare(observed[:5], expected)
    assert result.pvalue > 1e-3, (observed, expected)
    # The same check must reject plain unigram frequencies: the test can tell 0.75 from 1.
    unigram = counts[:5] / counts[:5].sum() * len(draws)
    assert stats.chisquare(observed[:5], unigram).pvalue < 1e-10


def test_noise_never_returns_the_excluded_true_context_word():
    counts = np.array([1000, 10, 10, 10])  # word 0 would be drawn most of the time
    sampler = NoiseSampler(counts, np.random.default_rng(3))
    true_context = np.array([0, 1, 0, 2, 3, 0] * 2000)
    draws = sampler.sample((len(true_context), 5), exclude=true_context[:, None])
    assert draws.shape == (len(true_context), 5)
    assert not np.any(draws == true_context[:, None])
    # Excluding a word renormalises the others: rows whose context is 0 draw 1, 2, 3 equally often.
    rows = draws[true_context == 0].ravel()
    assert stats.chisquare(np.bincount(rows, minlength=4)[1:]).pvalue > 1e-3


def test_exclude_none_allows_the_true_context_word():
    counts = np.array([1000, 10, 10, 10])
    sampler = NoiseSampler(counts, np.random.default_rng(3))
    draws = sampler.sample((1000, 5), exclude=None)
    assert np.any(draws == 0), "without exclusion the frequent word 0 is drawn (a false negative)"


def test_noise_is_reproducible_with_the_same_seed():
    counts = np.array([9, 4, 1])
    a = NoiseSampler(counts, np.random.default_rng(8)).sample(50, exclude=1)
    b = NoiseSampler(counts, np.random.default_rng(8)).sample(50, exclude=1)
    assert np.array_equal(a, b)


def test_excluding_the_only_noise_word_raises_instead_of_looping():
    sampler = NoiseSampler(np.array([5, 0]), np.random.default_rng(0))
    with pytest.raises(ValueError, match="only one word"):
        sampler.sample(3, exclude=0)


@pytest.mark.parametrize("counts", [[], [0, 0], [-1, 3], [[1, 2], [3, 4]]])
def test_bad_counts_raise(counts):
    with pytest.raises(ValueError, match="counts"):
        NoiseSampler(np.array(counts), np.random.default_rng(0))


def test_bad_power_is_named():
    with pytest.raises(ValueError, match="power must be a number between 0 and 2, got -0.5"):
        NoiseSampler(np.array([1, 2]), np.random.default_rng(0), power=-0.5)


def test_vocabularies_compare_by_words_and_counts():
    a = build_vocabulary([["x", "y", "x"]])
    assert a == build_vocabulary([["x", "x", "y"]])
    assert a != build_vocabulary([["x", "y", "x", "y", "x"]])  # same words in the same order, other counts
    assert a != build_vocabulary([["x", "z", "x"]])
    assert (a == "x y") is False
