"""Every bad input of the issue that falls in corpus, training, neighbors, senses, evaluation, projection, losses and
progress, and the class of input it stands for: each gets one exception whose message names the problem and the fix.

One row per input; the count of rows is the count of inputs tried and of messages checked.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import text as corpus, evaluation, senses
from helpers.model import StepTrainer, losses
from helpers.space import UnknownWordError, WordVectors, knn_purity, projection

SENTENCES = [["i", "saw", "a", "mole", "at", "the", "zoo"], ["the", "doctor", "checked", "the", "mole"]]
WV = WordVectors(np.random.default_rng(0).normal(size=(4, 3)), ["the", "mole", "zoo", "doctor"])


def gen():
    return (s for s in SENTENCES)


ROWS = [
    # --- a string where tokens belong: it must never be read as letters
    ("context_words of a string", lambda: senses.context_words("the doctor checked the mole", 4),
     TypeError, r"sentence is a string \('the doctor checked the mole'\); split it into tokens first, e\.g\. "
                r"helpers\.text\.tokenize\(text\)"),
    ("context_vector of a string", lambda: senses.context_vector(WV, "the doctor checked the mole", 4),
     TypeError, r"sentence is a string \(.*\); split it into tokens first"),
    ("attention_weights of a string", lambda: senses.attention_weights(WV, "the mole", 1),
     TypeError, r"sentence is a string \(.*\); split it into tokens first"),
    ("centroid of one string", lambda: senses.centroid(WV, "mole"),
     TypeError, r"words must be a list of words.*got str \(one string: wrap it in a list\)"),
    ("a corpus that is one string", lambda: corpus.build_vocabulary("the cat sat"),
     TypeError, r"sentences must be a list of token lists, e\.g\. \[\['i', 'saw', 'a', 'mole'\]\], not one string"),
    ("a corpus of strings", lambda: StepTrainer(["the cat sat", "a dog"]),
     TypeError, r"sentence 0 is a string \('the cat sat'\); split it into tokens first"),
    ("a token that is not a string", lambda: senses.context_words(["the", 3, "mole"], 0),
     TypeError, r"sentence, token 1 is 3 \(int\); every token must be a string"),
    # --- None or a non-iterable where a corpus belongs
    ("sentences=None, vocabulary", lambda: corpus.build_vocabulary(None),
     TypeError, r"sentences must be a list of token lists, e\.g\. .* got NoneType"),
    ("sentences=None, StepTrainer", lambda: StepTrainer(None),
     TypeError, r"sentences must be a list of token lists.*got NoneType"),
    ("sentences=None, context counts", lambda: senses.context_count_similarity(None, "a", "b", 2),
     TypeError, r"sentences must be a list of token lists.*got NoneType"),
    ("sentences=None, occurrences", lambda: senses.find_occurrences(None, "mole"),
     TypeError, r"sentences must be a list of token lists.*got NoneType"),
    ("sentences=None, gensim", lambda: evaluation.gensim_word2vec(None),
     TypeError, r"sentences must be a list of token lists.*got NoneType"),
    ("sentences=5", lambda: corpus.build_vocabulary(5),
     TypeError, r"sentences must be a list of token lists.*got int"),
    ("a sentence that is None", lambda: corpus.build_vocabulary([["a"], None]),
     TypeError, r"sentence 1 must be a list of string tokens, e\.g\. \['i', 'saw', 'a', 'mole'\], got NoneType"),
    ("encoded sentences of strings", lambda: corpus.skipgram_pairs([["a", "b"]], 2),
     TypeError, r"encoded sentence 0 must be a 1-D array of word ids \(vocab\.encode\(sentences\)\)"),
    ("encoded with a negative id", lambda: corpus.skipgram_pairs([np.array([0, -1])], 2),
     ValueError, r"encoded sentence 0 holds a negative word id \(-1\)"),
    ("rng that is a seed", lambda: corpus.skipgram_pairs([np.array([0, 1])], 2, 7),
     TypeError, r"rng must be a numpy\.random\.Generator \(np\.random\.default_rng\(seed\)\) or None, got int"),
    # --- a hyperparameter out of range or of the wrong kind (one declaration in helpers.params)
    ("allow_false_negatives='False'", lambda: StepTrainer(SENTENCES, allow_false_negatives="False"),
     ValueError, r"allow_false_negatives must be True or False, got 'False'"),
    ("dim=10**9", lambda: StepTrainer(SENTENCES, dim=10**9),
     ValueError, r"dim must be an integer between 1 and 10000, got 1000000000 \(numbers per word vector\)"),
    ("negative=10**4", lambda: StepTrainer(SENTENCES, negative=10**4),
     ValueError, r"negative must be an integer between 1 and 50, got 10000"),
    ("window=10**4", lambda: StepTrainer(SENTENCES, window=10**4),
     ValueError, r"window must be an integer between 1 and 50, got 10000"),
    ("lr=1e308", lambda: StepTrainer(SENTENCES, lr=1e308),
     ValueError, r"lr must be a number > 0 and <= 100, got 1e\+308 \(learning rate"),
    ("lr as a string", lambda: StepTrainer(SENTENCES, lr="0.1"),
     ValueError, r"lr must be a number > 0 and <= 100, got '0\.1'"),
    ("a misspelt parameter", lambda: evaluation.gensim_word2vec(SENTENCES, windw=2),
     TypeError, r"unexpected parameter 'windw'; did you mean 'window'\?"),
    ("sample=2", lambda: corpus.keep_probabilities(np.array([3, 1]), 2),
     ValueError, r"sample must be a number between 0 and 1, got 2 \(subsampling threshold"),
    ("min_count=0", lambda: corpus.build_vocabulary(SENTENCES, 0),
     ValueError, r"min_count must be an integer >= 1, got 0 \(words seen fewer times are dropped\)"),
    ("min_count too high", lambda: StepTrainer(SENTENCES, min_count=50),
     ValueError, r"no word occurs min_count=50 times .*; lower min_count or give more text"),
    ("power=-1", lambda: corpus.NoiseSampler(np.array([3, 1]), np.random.default_rng(0), power=-1),
     ValueError, r"power must be a number between 0 and 2, got -1"),
    ("counts with NaN", lambda: corpus.keep_probabilities(np.array([np.nan, 1.0]), 1e-3),
     ValueError, r"counts must be a non-empty 1-D array of finite non-negative numbers .* \(e\.g\. vocab\.counts\)"),
    # --- corpora that give nothing to train on
    ("one-word sentences", lambda: StepTrainer([["a"], ["b"]]),
     ValueError, r"the corpus has no \(target, context\) pair: .*give longer sentences or lower min_count"),
    ("an empty corpus", lambda: StepTrainer([]),
     ValueError, r"the corpus is empty: give at least one sentence with at least one token"),
    ("one word, negative sampling", lambda: StepTrainer([["a", "a"]]),
     ValueError, r"negative sampling needs at least 2 words to draw noise from; give more text or "
                 r"allow_false_negatives=True"),
    # --- positions, windows, occurrences
    ("position past the end", lambda: senses.context_words(SENTENCES[0], 7),
     ValueError, r"position must be an integer between 0 and 6, got 7"),
    ("an empty sentence", lambda: senses.context_words([], 0),
     ValueError, r"sentence is empty: it has no position to look at"),
    ("window=0", lambda: senses.context_words(SENTENCES[0], 1, window=0),
     ValueError, r"window must be an integer between 1 and 50, got 0 \(words on each side of the target word\)"),
    ("window past its declared range", lambda: senses.context_count_similarity(SENTENCES, "zoo", "doctor", 51),
     ValueError, r"window must be an integer between 1 and 50, got 51"),
    ("an occurrence that is not a pair", lambda: senses.context_vectors(WV, SENTENCES, [5]),
     ValueError, r"each occurrence must be a \(sentence index, position\) pair, got 5"),
    ("an occurrence past the sentence", lambda: senses.context_vectors(WV, SENTENCES, [(1, 9)]),
     ValueError, r"position must be an integer between 0 and 4, got 9"),
    ("no known context word", lambda: senses.context_vector(WV, ["x", "mole", "y"], 1, window=1),
     ValueError, r"no word around position 1 .* widen the window or train with a smaller min_count"),
    # --- k-means
    ("k=2 on identical points", lambda: senses.kmeans(np.ones((6, 2)), 2, np.random.default_rng(0)),
     ValueError, r"k=2 clusters asked for, but the points have only 1 different direction\(s\).* use k <= 1"),
    ("k-means on NaN", lambda: senses.kmeans(np.array([[np.nan, 1.0], [1.0, 0.0]]), 1, np.random.default_rng(0)),
     ValueError, r"points has 1 row\(s\) with NaN or infinite values, the first is row 0"),
    ("k-means on text", lambda: senses.kmeans([["a", "b"]], 1, np.random.default_rng(0)),
     ValueError, r"points must be a numeric array of shape \(n, d\), got list"),
    # --- word vectors
    ("NaN rows", lambda: WordVectors(np.array([[1.0, np.nan], [0.0, 1.0]]), ["a", "b"]),
     ValueError, r"vectors has 1 row\(s\) with NaN or infinite values, the first is row 0 \('a'\).* train with a "
                 r"smaller lr or drop those rows"),
    ("a query that cancels", lambda: WV.most_similar("mole", negative="mole"),
     ValueError, r"adds up to the zero vector.*give words that do not cancel out"),
    ("an unknown word", lambda: WV.most_similar("moel"),
     UnknownWordError, r"'moel' is not in the vocabulary\. Did you mean: mole\?"),
    ("in-place edit", lambda: WV.vectors.__setitem__(0, 1.0),
     ValueError, r"read-only"),
    ("knn_purity without classes", lambda: knn_purity(WV, {"cat": "pet"}, k=3),
     ValueError, r"no word of the vocabulary has a class: nothing to score"),
    # --- losses and projections
    ("a loss of NaN vectors", lambda: losses.negative_sampling_loss(np.array([np.nan, 1.0]), np.ones(2), np.ones((1, 2))),
     ValueError, r"target_in contains NaN or infinite values; results from them would be NaN"),
    ("a loss with mismatched d", lambda: losses.negative_sampling_loss(np.ones(2), np.ones(3), np.ones((1, 2))),
     ValueError, r"context_out must have shape \(d,\) with the last axis 2, got \(3,\)"),
    ("a softmax context out of range", lambda: losses.softmax_skipgram_loss(np.ones(2), np.ones((3, 2)), 3),
     ValueError, r"context must be a word id between 0 and 2, got 3"),
    ("CBOW without context", lambda: losses.cbow_loss(np.ones((0, 2)), np.ones(2), np.ones((1, 2))),
     ValueError, r"CBOW needs at least one context word: contexts_in must have shape \(c, d\) with c >= 1"),
    ("PCA of NaN", lambda: projection.pca(np.array([[np.nan, 1.0], [1.0, 0.0]])),
     ValueError, r"vectors contains NaN or infinite values"),
]


@pytest.mark.parametrize("what, call, error, pattern", ROWS, ids=[row[0] for row in ROWS])
def test_bad_input_gets_a_message_naming_the_problem_and_the_fix(what, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_every_row_is_a_different_input(measurements):
    measurements.append(f"test_bad_input.py: {len(ROWS)} bad inputs tried, {len(ROWS)} messages checked")
    assert len({row[0] for row in ROWS}) == len(ROWS)


# --- generators: read once, not used up by a first pass


def test_generators_work_wherever_a_corpus_goes():
    listed = StepTrainer(SENTENCES, seed=1)
    assert StepTrainer(gen(), seed=1).step().loss == listed.step().loss
    assert senses.find_occurrences(gen(), "mole") == senses.find_occurrences(SENTENCES, "mole") == [(0, 3), (1, 4)]
    assert senses.context_count_similarity(gen(), "zoo", "doctor", 2) == \
        senses.context_count_similarity(SENTENCES, "zoo", "doctor", 2)
    occurrences = [(0, 3), (1, 4)]
    assert np.array_equal(senses.context_vectors(WV, gen(), occurrences, window=2),
                          senses.context_vectors(WV, SENTENCES, occurrences, window=2))
    vocab = corpus.build_vocabulary(gen())
    assert vocab == corpus.build_vocabulary(SENTENCES)
    assert [a.tolist() for a in vocab.encode(gen())] == [a.tolist() for a in vocab.encode(SENTENCES)]
