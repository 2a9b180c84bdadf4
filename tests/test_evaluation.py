"""Tests of helpers.evaluation: loading gensim's shipped data, word-similarity rank correlation, analogy accuracy.

Our measures are checked against gensim's own implementations (``KeyedVectors.evaluate_word_pairs`` and
``evaluate_word_analogies``) on the same vectors, and against cases whose answer is known by construction.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from gensim.models import KeyedVectors
from scipy import stats

from helpers import evaluation
from helpers.exercises import check_spearman
from helpers.space import WordVectors


def keyed_vectors(words: list[str], vectors: np.ndarray) -> KeyedVectors:
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


# ----------------------------------------------------------------------------------------------------------------
# Loading


def data_lines(name: str) -> list[str]:
    return [line for line in evaluation.datapath(name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("name", ["wordsim353.tsv", "simlex999.txt"])
def test_word_pairs_load_every_rated_line(name):
    pairs = evaluation.load_word_pairs(name)
    assert len(pairs) == len(data_lines(name))
    first = data_lines(name)[0].split("\t")
    assert pairs[0] == (first[0], first[1], float(first[2]))
    assert all(isinstance(r, float) for _, _, r in pairs)


def test_analogies_load_by_section():
    sections = evaluation.load_analogies()
    lines = evaluation.datapath("questions-words.txt").read_text(encoding="utf-8").splitlines()
    assert list(sections) == [line[1:].strip() for line in lines if line.startswith(":")]
    assert sum(map(len, sections.values())) == sum(1 for line in lines if line.strip() and not line.startswith(":"))
    assert all(len(q) == 4 for qs in sections.values() for q in qs)


def test_read_corpus_splits_lines_and_can_stop_early():
    path = evaluation.datapath("head500.noblanks.cor")
    text = path.read_text(encoding="utf-8")
    corpus = evaluation.read_corpus("head500.noblanks.cor")
    assert sum(map(len, corpus)) == len(text.split())
    assert corpus[0] == text.splitlines()[0].split()
    assert evaluation.read_corpus(path, max_sentences=3) == corpus[:3]


def test_read_corpus_with_another_tokenizer(tmp_path):
    from helpers.text import tokenize

    file = tmp_path / "raw.txt"
    file.write_text("I saw a Mole at the zoo!\n\nThe mole, on my hip.\n", encoding="utf-8")
    assert evaluation.read_corpus(file, tokenize) == [["i", "saw", "a", "mole", "at", "the", "zoo"],
                                                       ["the", "mole", "on", "my", "hip"]]


def test_missing_data_file_is_named():
    with pytest.raises(FileNotFoundError, match="no_such_file.txt"):
        evaluation.datapath("no_such_file.txt")


def test_malformed_pair_line_is_reported(tmp_path):
    file = tmp_path / "pairs.tsv"
    file.write_text("cat\tdog\t7.0\nlonely line\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.tsv, line 2"):
        evaluation.load_word_pairs(file)


def test_porter_stem_matches_the_stemmed_corpus():
    vocabulary = {w for sentence in evaluation.read_corpus("head500.noblanks.cor", max_sentences=20) for w in sentence}
    assert evaluation.porter_stem("Philosophy") in vocabulary
    assert evaluation.porter_stem("philosophy") != "philosophy"


# ----------------------------------------------------------------------------------------------------------------
# Word similarity


def test_word_similarity_agrees_with_gensim_on_random_vectors():
    pairs = evaluation.load_word_pairs("wordsim353.tsv")
    words = sorted({w.lower() for a, b, _ in pairs for w in (a, b)})
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(words), 8)).astype(np.float32)
    # Leave some words out so that out-of-vocabulary pairs are skipped by both.
    known = words[::3] + words[1::3]
    kept = np.array([words.index(w) for w in known])
    ours = evaluation.word_similarity(WordVectors(vectors[kept], known), pairs)
    gensim_pearson, gensim_spearman, oov_percent = keyed_vectors(known, vectors[kept]).evaluate_word_pairs(
        evaluation.datapath("wordsim353.tsv"))
    assert ours.spearman == pytest.approx(gensim_spearman.statistic, abs=1e-6)
    assert 100 * (1 - ours.used / ours.total) == pytest.approx(oov_percent)


def test_word_similarity_is_one_when_cosines_rank_like_the_ratings_and_minus_one_reversed():
    # word i sits at angle theta_i; pair (w0, wi) has cosine cos(theta_i), which falls as i grows
    words = [f"w{i}" for i in range(6)]
    angles = np.linspace(0, 1.5, 6)
    vectors = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    wv = WordVectors(vectors, words)
    falling = [("w0", f"w{i}", 10.0 - i) for i in range(1, 6)]
    rising = [("w0", f"w{i}", float(i)) for i in range(1, 6)]
    assert evaluation.word_similarity(wv, falling).spearman == pytest.approx(1.0)
    assert evaluation.word_similarity(wv, rising).spearman == pytest.approx(-1.0)


def test_normalize_maps_test_words_to_the_corpus_form_and_unknown_pairs_are_counted():
    wv = WordVectors(np.eye(3), ["cat", "dog", "zoo"])
    pairs = [("Cat", "DOG", 8.0), ("cat", "zoo", 3.0), ("dog", "zoo", 2.0), ("cat", "unicorn", 5.0)]
    result = evaluation.word_similarity(wv, pairs)
    assert (result.used, result.total) == (3, 4)
    assert result.coverage == pytest.approx(0.75)
    kept, cosines, ratings = evaluation.pair_cosines(wv, pairs, normalize=str.lower)
    assert kept == [("cat", "dog"), ("cat", "zoo"), ("dog", "zoo")]
    assert list(ratings) == [8.0, 3.0, 2.0]
    with pytest.raises(ValueError, match=r"none of the 4 pairs has both words in the vocabulary .* check that "
                                         r"normalize maps the set's words to the corpus's form"):
        evaluation.word_similarity(wv, pairs, normalize=lambda w: "x" + w)


# ----------------------------------------------------------------------------------------------------------------
# Analogies


def planted_analogy_space(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Countries and capitals whose vectors differ by one shared offset, plus noise words."""
    countries = ["greece", "iraq", "japan", "france", "egypt"]
    capitals = ["athens", "baghdad", "tokyo", "paris", "cairo"]
    base = rng.normal(size=(len(countries), 16))
    offset = rng.normal(size=16) * 2
    noise = rng.normal(size=(30, 16))
    words = countries + capitals + [f"noise{i}" for i in range(30)]
    return words, np.vstack([base, base + offset, noise]).astype(np.float32)


def test_analogy_accuracy_finds_a_planted_offset():
    words, vectors = planted_analogy_space(np.random.default_rng(1))
    questions = {"capitals": [(a, b, c, d) for a, b in zip(words[:5], words[5:10])
                              for c, d in zip(words[:5], words[5:10]) if a != c]}
    result = evaluation.analogy_accuracy(WordVectors(vectors, words), questions)
    assert result.accuracy == 1.0
    assert result.used == result.total == 20
    assert result.sections == {"capitals": (20, 20)}


def test_analogy_accuracy_agrees_with_gensim():
    rng = np.random.default_rng(2)
    sections = evaluation.load_analogies()
    words = sorted({w.lower() for qs in list(sections.values())[:2] for q in qs for w in q})
    vectors = rng.normal(size=(len(words), 10)).astype(np.float32)
    # a little structure, so that some answers are right
    vectors[: len(words) // 2] += vectors[len(words) // 2: 2 * (len(words) // 2)] * 0.5
    ours = evaluation.analogy_accuracy(WordVectors(vectors, words), sections)
    score, gensim_sections = keyed_vectors(words, vectors).evaluate_word_analogies(
        evaluation.datapath("questions-words.txt"))
    gensim_total = next(s for s in gensim_sections if s["section"] == "Total accuracy")
    assert ours.correct == len(gensim_total["correct"])
    assert ours.used == len(gensim_total["correct"]) + len(gensim_total["incorrect"])
    assert ours.accuracy == pytest.approx(score)


def test_analogies_with_unknown_words_are_skipped():
    wv = WordVectors(np.eye(4), ["a", "b", "c", "d"])
    result = evaluation.analogy_accuracy(wv, {"s": [("a", "b", "c", "zzz")]})
    assert (result.used, result.total) == (0, 1) and np.isnan(result.accuracy)
    with pytest.raises(ValueError, match="restrict_vocab must be an integer >= 1"):
        evaluation.analogy_accuracy(wv, {}, restrict_vocab=0)


# ----------------------------------------------------------------------------------------------------------------
# gensim reference run and the notebook's exercise


def test_gensim_word2vec_is_reproducible_and_uses_our_names():
    corpus = evaluation.read_corpus("head500.noblanks.cor", max_sentences=15)
    first = evaluation.gensim_word2vec(corpus, dim=12, epochs=1, seed=3)
    again = evaluation.gensim_word2vec(corpus, dim=12, epochs=1, seed=3)
    other = evaluation.gensim_word2vec(corpus, dim=12, epochs=1, seed=4)
    assert first.vectors.shape[1] == 12
    assert np.array_equal(first.vectors, again.vectors)
    assert not np.allclose(first.vectors, other.vectors)
    cbow = evaluation.gensim_word2vec(corpus, dim=12, epochs=1, seed=3, model="cbow")
    assert not np.allclose(first.vectors, cbow.vectors), "model='skipgram' is the default, 'cbow' differs"
    assert first.output_vectors.shape == first.vectors.shape and np.any(first.output_vectors)
    counts = Counter(w for s in corpus for w in s)
    assert first.counts.tolist() == [counts[w] for w in first.index_to_key]
    from_generator = evaluation.gensim_word2vec((s for s in corpus), dim=12, epochs=1, seed=3)
    assert np.array_equal(from_generator.vectors, first.vectors), "a generator is read once, as a list would be"


def test_gensim_word2vec_reports_each_epoch_and_trains_the_same_vectors():
    """gensim reports no finer steps than an epoch: a report before the first and after each one, the last
    finished. The bar (progress=True) is silent outside a notebook; either way the vectors are the same."""
    corpus = evaluation.read_corpus("head500.noblanks.cor", max_sentences=15)
    reports = []
    reported = evaluation.gensim_word2vec(corpus, dim=12, epochs=3, seed=3, progress=reports.append)
    assert [(r.done, r.total, r.finished) for r in reports] == [(0, 3, False), (1, 3, False), (2, 3, False),
                                                                  (3, 3, True)]
    assert reports[0].description == "gensim skipgram" and reports[0].note == "epoch 1 of 3"
    assert {r.unit for r in reports} == {"epochs"}
    for progress in (True, False):
        plain = evaluation.gensim_word2vec(corpus, dim=12, epochs=3, seed=3, progress=progress)
        assert np.array_equal(plain.vectors, reported.vectors)
    with pytest.raises(ValueError, match="progress must be one of"):
        evaluation.gensim_word2vec(corpus, epochs=1, progress="yes")


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"model": "glove"}, ValueError, r"model must be one of 'skipgram', 'cbow', got 'glove'"),
    ({"dim": 10**9}, ValueError, r"dim must be an integer between 1 and 10000, got 1000000000"),
    ({"window": 0}, ValueError, r"window must be an integer between 1 and 50, got 0"),
    ({"lr": 1e308}, ValueError, r"lr must be a number > 0 and <= 100, got 1e\+308"),
    ({"min_lr": 0.5}, ValueError, r"min_lr must be <= lr \(the learning rate falls from lr to min_lr\)"),
    ({"vector_size": 10}, TypeError, r"unexpected parameter 'vector_size'"),
    ({"alpha": 0.1}, TypeError, r"unexpected parameter 'alpha'"),
    ({"min_count": 10**6}, ValueError, r"no word occurs min_count=1000000 times .* lower min_count"),
])
def test_gensim_word2vec_bad_parameters_are_named(kwargs, error, pattern):
    corpus = [["a", "b", "c"], ["b", "c", "a"]]
    with pytest.raises(error, match=pattern):
        evaluation.gensim_word2vec(corpus, epochs=1, **kwargs)


@pytest.mark.parametrize("sentences, pattern", [(None, "got NoneType"), ("a b c", "not one string"),
                                                (["a b c"], "sentence 0 is a string")])
def test_gensim_word2vec_bad_corpus_is_named(sentences, pattern):
    with pytest.raises(TypeError, match=pattern):
        evaluation.gensim_word2vec(sentences, epochs=1)


def test_stable_hash_does_not_depend_on_the_process():
    assert evaluation.stable_hash("cat0") == evaluation.stable_hash("cat" + "0")
    assert evaluation.stable_hash("cat0") != evaluation.stable_hash("dog0")


def test_check_spearman_accepts_the_right_answer_and_explains_wrong_ones():
    rng = np.random.default_rng(0)
    cosines = rng.random(40)
    ratings = np.round(cosines * 10 + rng.normal(size=40), 0)  # ties on purpose
    right = stats.spearmanr(cosines, ratings).statistic
    assert check_spearman(right, cosines, ratings).correct
    by_position = np.corrcoef(np.argsort(np.argsort(cosines)), np.argsort(np.argsort(ratings)))[0, 1]
    assert check_spearman(by_position, cosines, ratings).correct
    assert not check_spearman(None, cosines, ratings).correct
    assert "empty" in check_spearman(None, cosines, ratings).message
    assert "Pearson" in check_spearman(np.corrcoef(cosines, ratings)[0, 1], cosines, ratings).message
    assert "sign" in check_spearman(-right, cosines, ratings).message
    as_text = check_spearman(f"{right}", cosines, ratings)  # the right value, but typed as a string
    assert not as_text.correct and "not a string" in as_text.message
    assert not check_spearman([1, 2], cosines, ratings).correct


# ----------------------------------------------------------------------------------------------------------------
# Bad input to the measures and loaders: one message naming the problem (found by tests/test_properties.py)

WV4 = WordVectors(np.eye(4), ["a", "b", "c", "d"])


def _fails(word):
    raise RuntimeError("no stem for this")


BAD_MEASURE_INPUT = [
    ("pairs=None", lambda: evaluation.word_similarity(WV4, None),
     TypeError, r"pairs must be a list of \(word1, word2, rating\) triples, e\.g\. load_word_pairs\('wordsim353\.tsv'\), "
                r"got NoneType"),
    ("pairs as one string", lambda: evaluation.word_similarity(WV4, "a b 1"), TypeError, r"pairs must be .* got str"),
    ("a pair of two items", lambda: evaluation.word_similarity(WV4, [("a", "b", 1.0), ("a", "c")]),
     TypeError, r"pairs must be .*; item 1 is \('a', 'c'\)"),
    ("a NaN rating", lambda: evaluation.pair_cosines(WV4, [("a", "b", float("nan"))]),
     ValueError, r"the rating of pair 0 \('a', 'b'\) must be a finite number, got nan"),
    ("a rating beyond float range", lambda: evaluation.pair_cosines(WV4, [("a", "b", 10**400)]),
     ValueError, r"the rating of pair 0 \('a', 'b'\) must be a finite number"),
    ("a rating as text", lambda: evaluation.pair_cosines(WV4, [("a", "b", "7.5")]),
     ValueError, r"the rating of pair 0 .* got '7\.5'"),
    ("sections as a list", lambda: evaluation.analogy_accuracy(WV4, [("a", "b", "c", "d")]),
     TypeError, r"sections must be a dict of section name to \(a, b, c, d\) questions, e\.g\. "
                r"load_analogies\('questions-words\.txt'\), got list"),
    ("a question of three words", lambda: evaluation.analogy_accuracy(WV4, {"s": [("a", "b", "c")]}),
     TypeError, r"question 0 of section 's' is \('a', 'b', 'c'\)"),
    ("a section that is one string", lambda: evaluation.analogy_accuracy(WV4, {"s": "a b c d"}),
     TypeError, r"section 's' holds str"),
    ("normalize that is no function", lambda: evaluation.word_similarity(WV4, [("a", "b", 1.0)], normalize=5),
     TypeError, r"normalize must be a function from a word to a word \(str\.lower, porter_stem\), got int"),
    ("normalize that fails", lambda: evaluation.analogy_accuracy(WV4, {"s": [("a", "b", "c", "d")]}, _fails),
     ValueError, r"normalize\('a'\) raised RuntimeError: no stem for this; give a function from a word to a word"),
    ("normalize that returns no word", lambda: evaluation.word_similarity(WV4, [("a", "b", 1.0)], lambda w: None),
     TypeError, r"normalize\('a'\) returned NoneType; it must return a word \(str\)"),
    ("restrict_vocab=0", lambda: evaluation.analogy_accuracy(WV4, {}, restrict_vocab=0),
     ValueError, r"restrict_vocab must be an integer >= 1, got 0"),
    ("porter_stem of a number", lambda: evaluation.porter_stem(3), TypeError, r"word must be a string, got int"),
    ("porter_stem of a list", lambda: evaluation.porter_stem(["a"]), TypeError, r"word must be a string, got list"),
    ("stable_hash of None", lambda: evaluation.stable_hash(None), TypeError, r"text must be a string, got NoneType"),
    ("read_corpus(None)", lambda: evaluation.read_corpus(None),
     TypeError, r"name_or_path must be a file name in gensim's test data \(e\.g\. 'wordsim353\.tsv'\) or a path, "
                r"got NoneType"),
    ("a tokenizer that is no function", lambda: evaluation.read_corpus("head500.noblanks.cor", tokenizer="split"),
     TypeError, r"tokenizer must be a function from a line of text to its tokens .* got str"),
    ("load_word_pairs(3)", lambda: evaluation.load_word_pairs(3), TypeError, r"name_or_path must be .* got int"),
    ("load_analogies of an unknown name", lambda: evaluation.load_analogies("questions-wrds.txt"),
     FileNotFoundError, r"gensim's test data has no file 'questions-wrds\.txt'"),
]


@pytest.mark.parametrize("what, call, error, pattern", BAD_MEASURE_INPUT, ids=[row[0] for row in BAD_MEASURE_INPUT])
def test_bad_input_to_the_measures_gets_a_message_naming_it(what, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_a_score_that_is_not_a_number_is_named_with_its_line(tmp_path, measurements):
    path = tmp_path / "pairs.tsv"
    path.write_text("# comment\ncat\tdog\t7.5\ncat\tzoo\thigh\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs\.tsv, line 3: the score 'high' is not a number"):
        evaluation.load_word_pairs(path)
    measurements.append(f"test_evaluation.py: {len(BAD_MEASURE_INPUT) + 1} bad inputs to the measures and loaders "
                        f"tried, {len(BAD_MEASURE_INPUT) + 1} messages checked")
