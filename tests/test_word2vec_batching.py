"""The streamed minibatches: the right windows, each once, shuffled, from a list or a corpus object read again
each epoch (the same chunks, the same vectors), and memory that does not grow with a corpus object."""

from __future__ import annotations

import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers.text import build_vocabulary, keep_probabilities
from helpers.word2vec import Word2VecTrainer, batching, load_kernels, reading, train_word2vec
from helpers.word2vec.batching import epoch_batches, expected_windows
from helpers.word2vec.reading import encode_corpus


class ReadAgain:
    """A corpus object over a list: each ``iter()`` starts again, as a file reader's does (it is never held)."""

    def __init__(self, sentences):
        self.sentences, self.readings = sentences, 0

    def __iter__(self):
        self.readings += 1
        return iter(self.sentences)


#: The two ways a corpus is read: a list, held as ids, and a corpus object, read again each epoch.
KINDS = {"list": list, "corpus object": ReadAgain}


def brute_force_windows(sentences: list[list[int]], reach: list[list[int]]) -> list[tuple[int, tuple[int, ...]]]:
    """(centre, context words left to right) of every token with a context word, by nested loops."""
    windows = []
    for sentence, sentence_reach in zip(sentences, reach):
        for i, centre in enumerate(sentence):
            context = tuple(sentence[j] for j in range(len(sentence)) if j != i and abs(j - i) <= sentence_reach[i])
            if context:
                windows.append((centre, context))
    return windows


def batch_windows(batches) -> list[tuple[int, tuple[int, ...]]]:
    return [(int(c), tuple(int(w) for w in row[:n])) for b in batches
            for c, row, n in zip(b.centres, b.contexts, b.counts)]


@settings(max_examples=60)
@given(lengths=st.lists(st.integers(0, 9), min_size=1, max_size=8).filter(any), window=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_chunk_windows_match_a_loop_over_sentences(lengths, window, seed):
    rng = np.random.default_rng(seed)
    sentences = [[f"w{i}" for i in rng.integers(0, 6, size=n)] for n in lengths]
    corpus = encode_corpus(sentences, min_count=1)
    keep = np.full(len(corpus.vocab), 0.7)
    draws = np.random.default_rng(seed + 1)
    chunk, = reading._chunks(corpus, window)  # a small corpus is one chunk
    contexts, centres, counts = batching._chunk_windows(chunk, keep, window, np.random.default_rng(seed + 1))
    # The same draws, in the same order, by hand: keep each token with probability 0.7, then a reach per kept token.
    ids = [np.array([corpus.vocab.key_to_index[w] for w in s], dtype=int) for s in sentences]
    kept_mask = draws.random(sum(lengths)) < 0.7
    kept, at = [], 0
    for s in ids:
        kept.append(list(s[kept_mask[at:at + len(s)]]))
        at += len(s)
    reach_flat = list(draws.integers(1, window + 1, size=sum(map(len, kept))))
    reach = [[reach_flat.pop(0) for _ in s] for s in kept]
    got = [(int(c), tuple(int(w) for w in row[:n])) for c, row, n in zip(centres, contexts, counts)]
    assert got == brute_force_windows(kept, reach)
    assert all((row[n:] == -1).all() for row, n in zip(contexts, counts)), "real context words first, then -1"


@pytest.mark.parametrize("chunk_tokens", [7, 1 << 16])
def test_an_epoch_is_every_window_once(toy_world, monkeypatch, chunk_tokens):
    """With window 1 and no subsampling an epoch's windows are fixed: compare them as multisets, chunked or not."""
    monkeypatch.setattr(reading, "CHUNK_TOKENS", chunk_tokens)
    sentences = toy_world.sentences[:400]
    corpus = encode_corpus(sentences, min_count=1)
    batches = list(epoch_batches(corpus, np.ones(len(corpus.vocab)), 1, 40, np.random.default_rng(0)))
    ids = [[corpus.vocab.key_to_index[w] for w in s] for s in sentences]
    assert Counter(batch_windows(batches)) == Counter(brute_force_windows(ids, [[1] * len(s) for s in ids]))
    assert all(len(b.centres) <= 40 for b in batches) and sum(len(b.centres) == 40 for b in batches) > 10
    assert all(((row[n:] == -1).all() and (row[:n] >= 0).all()) for b in batches
               for row, n in zip(b.contexts, b.counts)), "real context words first, then -1"
    progress = [b.progress for b in batches]
    assert progress == sorted(progress) and 0 <= progress[0] and progress[-1] <= 1


def test_windows_are_shuffled_within_a_chunk_not_in_text_order(toy_world):
    corpus = encode_corpus(toy_world.sentences, min_count=1)
    first = next(epoch_batches(corpus, np.ones(len(corpus.vocab)), 3, 48, np.random.default_rng(0)))
    first_chunk = next(reading._chunks(corpus, 3))  # the same chunk and the same draws, before the shuffle
    text_order = batching._chunk_windows(first_chunk, np.ones(len(corpus.vocab)), 3, np.random.default_rng(0))[1]
    assert Counter(first.centres.tolist()) != Counter(text_order[:48].tolist())
    # Windows in text order would come from a handful of sentences: shuffled, they span many sentences' words.
    assert len(set(first.centres.tolist())) > len(first.centres) // 3


@pytest.mark.parametrize("kind", KINDS)
def test_encoded_corpus_is_the_vocabulary_and_ids_of_build_vocabulary(toy_world, kind):
    sentences = toy_world.sentences[:500] + [[], ["zzz-rare"], []]
    corpus = encode_corpus(KINDS[kind](sentences), min_count=2)
    assert (corpus.ids is not None) == (kind == "list"), "a list is held as ids, a corpus object is not"
    vocab = build_vocabulary(sentences, min_count=2)
    assert corpus.vocab.index_to_key == vocab.index_to_key and list(corpus.vocab.counts) == list(vocab.counts)
    encoded = vocab.encode(sentences)
    ids, lengths = chunked(corpus)
    assert np.array_equal(ids, np.concatenate(encoded)) and ids.dtype == np.int32
    assert lengths == [len(s) for s in encoded if len(s)]


def chunked(corpus, window: int = 5) -> tuple[np.ndarray, list[int]]:
    """All of an epoch's chunks, joined: the known ids in text order, and the length of each sentence (or piece)."""
    chunks = list(reading._chunks(corpus, window))
    assert [c.start for c in chunks[1:]] == [c.stop for c in chunks[:-1]], "chunks follow each other"
    lengths = [int(n) for c in chunks for n in np.bincount(c.sentence) if n]
    return np.concatenate([c.ids for c in chunks]), lengths


@settings(max_examples=60)
@given(lengths=st.lists(st.one_of(st.integers(0, 400), st.sampled_from([511, 512, 1023, 1024, 1025, 2048])),
                        min_size=1, max_size=40),
       window=st.integers(1, 5), chunk_tokens=st.sampled_from([200, 1 << 15]))
@example(lengths=[1024, 1], window=1, chunk_tokens=200).via("a sentence exactly on a multiple")
@example(lengths=[512, 0, 512, 2000, 3], window=5, chunk_tokens=200).via("an empty one before it, two multiples")
@pytest.mark.parametrize("kind", KINDS)
def test_chunks_begin_at_the_first_sentence_at_or_after_each_multiple_of_the_chunk_size(kind, lengths, window,
                                                                                          chunk_tokens):
    """Chunk boundaries depend on the text alone (never on how the sentences were read in blocks); lengths that
    are multiples of 1024 (the smallest chunk) put sentences exactly on a multiple."""
    sentences = [[f"w{i % 9}" for i in range(n)] for n in lengths]
    if not any(lengths):
        return
    corpus = encode_corpus(KINDS[kind](sentences), min_count=1)
    size = max(1024, chunk_tokens * 5 // window)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "CHUNK_TOKENS", chunk_tokens)
        starts = [c.start for c in reading._chunks(corpus, window)]
    begins = np.cumsum([0] + lengths[:-1])[np.array(lengths) > 0]
    firsts = np.searchsorted(begins, np.arange(0, sum(lengths), size))  # len(begins): none begins after m
    expected = sorted({int(begins[i]) for i in firsts if i < len(begins)})
    assert starts == expected


def test_expected_windows_matches_the_average_of_many_epochs(toy_world):
    corpus = encode_corpus(toy_world.sentences[:50], min_count=1)
    keep = keep_probabilities(corpus.vocab.counts, 1e-3)
    rng = np.random.default_rng(0)
    counts = [sum(len(b.centres) for b in epoch_batches(corpus, keep, 5, 2048, rng)) for _ in range(300)]
    assert np.mean(counts) == pytest.approx(expected_windows(corpus, keep), rel=0.05)
    assert expected_windows(corpus, np.ones_like(keep)) == sum(len(s) for s in toy_world.sentences[:50] if len(s) > 1)



@settings(max_examples=50)
@given(lengths=st.lists(st.integers(0, 4), min_size=1, max_size=3),
       keep_of=st.lists(st.sampled_from([0.0, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0]), min_size=6, max_size=6),
       words=st.lists(st.integers(0, 5), min_size=12, max_size=12))
def test_window_counts_equal_a_brute_force_count_over_every_subsample(lengths, keep_of, words):
    """window_counts sets the learning-rate schedule (the expected windows per epoch after subsampling): pinned
    against its definition, every keep/drop outcome of every token enumerated with its probability."""
    import itertools

    words = iter(words)
    sentences = [[f"w{next(words)}" for _ in range(n)] for n in lengths]
    if sum(1 for s in sentences for _ in s) == 0:
        return
    corpus = encode_corpus(sentences, min_count=1)
    keep = np.array([keep_of[int(w[1:])] for w in corpus.vocab.index_to_key])
    tokens = [(i, corpus.vocab.index_to_key.index(w)) for i, s in enumerate(sentences) for w in s]
    expected = 0.0
    for kept in itertools.product((False, True), repeat=len(tokens)):
        chance = np.prod([keep[w] if k else 1.0 - keep[w] for (_, w), k in zip(tokens, kept)])
        per_sentence = [sum(k for (i, _), k in zip(tokens, kept) if i == s) for s in range(len(sentences))]
        expected += chance * sum(1 for (i, _), k in zip(tokens, kept) if k and per_sentence[i] >= 2)
    whole = sum(len(s) for s in sentences if len(s) >= 2)
    got_kept, got_whole = batching.window_counts(corpus, keep)
    assert got_whole == whole
    assert got_kept == pytest.approx(expected, rel=1e-9, abs=1e-12)

def peak_training_bytes(sentences) -> int:
    """Peak memory of building a trainer and training it one epoch, sentences excluded (kernels loaded before:
    numba's compiler allocates too)."""
    load_kernels()
    tracemalloc.start()
    Word2VecTrainer(sentences, dim=4, min_count=1, epochs=1, progress=False).train()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def zipf_corpus(tokens: int, seed: int = 0) -> list[list[str]]:
    """Sentences of 20 words drawn from a Zipf law over 5,000 words (real text's shape, big batches: quick)."""
    ids = np.random.default_rng(seed).zipf(1.1, size=(tokens // 20, 20)) % 5000
    names = [f"w{i}" for i in range(5000)]
    return [[names[i] for i in row] for row in ids.tolist()]


def test_a_long_line_costs_what_short_sentences_cost(measurements):
    """One sentence of 600,000 tokens trains in the memory of 30,000 sentences of 20 (before the cut: 10x more)."""
    rows = zipf_corpus(600_000)
    peaks = [peak_training_bytes(rows), peak_training_bytes([[w for s in rows for w in s]])]
    measurements.append(f"word2vec peak memory, 600,000 tokens, d=4: {peaks[0] / 2**20:.1f} MB as 20-token "
                        f"sentences, {peaks[1] / 2**20:.1f} MB as one line")
    assert peaks[1] < 1.3 * peaks[0]


def test_memory_training_adds_does_not_grow_with_a_corpus_object(measurements):
    """Training on a corpus object twice as long takes no more memory: it is read again each epoch and every
    array is made chunk by chunk."""
    sizes = (300_000, 600_000)
    peaks = [peak_training_bytes(ReadAgain(zipf_corpus(n))) for n in sizes]
    measurements.append(f"word2vec peak memory of Word2VecTrainer(corpus object).train(), d=4: "
                        f"{peaks[0] / 2**20:.1f} MB at {sizes[0]:,} tokens, {peaks[1] / 2**20:.1f} MB at {sizes[1]:,}")
    assert peaks[1] - peaks[0] < 1 * (sizes[1] - sizes[0]) and peaks[1] < 40 * 2**20


def test_a_list_adds_only_its_ids(measurements):
    """A list is held once more as int32 ids, 4 bytes a token (its own pointers already cost 8): nothing else
    grows with it."""
    sizes = (300_000, 600_000)
    peaks = [peak_training_bytes(zipf_corpus(n)) for n in sizes]
    per_token = (peaks[1] - peaks[0]) / (sizes[1] - sizes[0])
    measurements.append(f"word2vec peak memory of Word2VecTrainer(list).train(), d=4: {peaks[0] / 2**20:.1f} MB "
                        f"at {sizes[0]:,} tokens, {peaks[1] / 2**20:.1f} MB at {sizes[1]:,} "
                        f"({per_token:.1f} bytes per extra token)")
    assert per_token < 6 and peaks[1] < 40 * 2**20


@settings(max_examples=80)
@given(sentences=st.lists(st.lists(st.sampled_from("abcdefg"), max_size=6), min_size=1, max_size=10).filter(
           lambda s: any(s)),
       min_count=st.integers(1, 3), block_tokens=st.integers(1, 8), longest=st.integers(1, 5))
@pytest.mark.parametrize("kind", KINDS)
def test_encoding_block_by_block_matches_a_plain_python_encoding(kind, sentences, min_count, block_tokens, longest):
    """Tiny blocks, so that sentences are read in groups of a few tokens and the longer ones a block of tokens at
    a time; and a tiny MAX_SENTENCE_TOKENS, so that long sentences are cut into pieces across those blocks."""
    counts = Counter(w for s in sentences for w in s)
    if max(counts.values()) < min_count:
        return  # every word is rare: refused, as the step trainer's vocabulary refuses it
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "_ENCODE_TOKENS", block_tokens)
        patch.setattr(reading, "MAX_SENTENCE_TOKENS", longest)
        corpus = encode_corpus(KINDS[kind](sentences), min_count)
        known = corpus.vocab.key_to_index
        ids, lengths = chunked(corpus)
    assert ids.tolist() == [known[w] for s in sentences for w in s if w in known]
    pieces = [len(p) for s in sentences for p in pieces_of([w for w in s if w in known], longest)]
    assert lengths == [n for n in pieces if n]
    assert corpus.raw_tokens == sum(map(len, sentences)) and corpus.known_tokens == len(ids)


def pieces_of(sentence: list, longest: int) -> list[list]:
    """A sentence cut into pieces of ``longest`` tokens (the last one shorter); an empty one stays one piece."""
    return [sentence[lo:lo + longest] for lo in range(0, len(sentence), longest)] or [sentence]


@pytest.mark.parametrize("kind", KINDS)
def test_a_book_on_one_line_is_trained_in_pieces_and_no_window_crosses_a_cut(kind):
    """text8 is one 17M-token line: as one chunk its windows would take gigabytes. Cut every MAX_SENTENCE_TOKENS
    tokens, the windows are those of the pieces."""
    line = [f"w{i % 7}{i % 3}" for i in range(25_000)]
    corpus = encode_corpus(KINDS[kind]([line]), min_count=1)
    assert chunked(corpus)[1] == [10_000, 10_000, 5_000]
    batches = list(epoch_batches(corpus, np.ones(len(corpus.vocab)), 1, 512, np.random.default_rng(0)))
    ids = [corpus.vocab.key_to_index[w] for w in line]
    pieces = [ids[lo:lo + 10_000] for lo in range(0, len(ids), 10_000)]
    assert Counter(batch_windows(batches)) == Counter(brute_force_windows(pieces, [[1] * len(p) for p in pieces]))


class LinesOnDisk:
    """A corpus object as gensim's LineSentence: each ``iter()`` reads the file again, with new string objects."""

    def __init__(self, path):
        self.path, self.readings = path, 0

    def __iter__(self):
        self.readings += 1
        with open(self.path, encoding="utf-8") as lines:
            for line in lines:
                yield line.split()


def test_a_list_too_long_to_hold_is_read_again_each_epoch_and_trains_the_same(toy_world, monkeypatch):
    sentences = toy_world.sentences[:300]
    settings = dict(dim=8, min_count=1, epochs=2, seed=5, progress=False)
    held = Word2VecTrainer(sentences, **settings)
    monkeypatch.setattr(reading, "MAX_HELD_BYTES", 4 * sum(map(len, sentences)) + 24 * len(sentences) - 1)
    read_again = Word2VecTrainer(sentences, **settings)
    assert held.corpus.ids is not None and read_again.corpus.ids is None
    assert np.array_equal(held.train().vectors, read_again.train().vectors)


def test_a_corpus_object_is_read_again_each_epoch_and_trains_as_its_list(tmp_path, measurements):
    sentences = zipf_corpus(40_000)
    path = tmp_path / "corpus.txt"
    path.write_text("".join(" ".join(s) + "\n" for s in sentences), encoding="utf-8")
    on_disk = LinesOnDisk(path)
    settings = dict(dim=8, min_count=1, epochs=1, seed=3, progress=False)
    from_disk, from_list = Word2VecTrainer(on_disk, **settings), Word2VecTrainer(sentences, **settings)
    assert on_disk.readings == 3, "its lengths, its words, its windows: read a sentence at a time, never listed"
    assert np.array_equal(from_disk.train().vectors, from_list.train().vectors)
    assert on_disk.readings == 4, "and once per epoch"


def encoding_bytes_per_token(corpus_of: Callable[[int], Iterable[list[str]]]) -> float:
    """Peak memory of encoding ``corpus_of(400_000)`` minus that of ``corpus_of(200_000)``, per extra token."""
    peaks = []
    for n in (200_000, 400_000):
        corpus = corpus_of(n)
        tracemalloc.start()
        encode_corpus(reading.as_sentences(corpus), min_count=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return (peaks[1] - peaks[0]) / 200_000


def test_encoding_a_corpus_object_does_not_hold_its_sentences(tmp_path, measurements):
    """Listing a file's sentences would hold each token as a new string (about 60 bytes); the encoder holds none."""
    def on_disk(n: int) -> LinesOnDisk:
        path = tmp_path / f"corpus{n}.txt"
        path.write_text("".join(" ".join(s) + "\n" for s in zipf_corpus(n)), encoding="utf-8")
        return LinesOnDisk(path)

    per_token = encoding_bytes_per_token(on_disk)
    measurements.append(f"encode_corpus on a corpus read from a file: {per_token:.1f} bytes per extra token at peak")
    assert per_token < 2


def test_a_corpus_object_that_changes_between_readings_is_refused(tmp_path):
    class Growing:
        readings = 0

        def __iter__(self):
            Growing.readings += 1
            return iter([["a", "b"]] * Growing.readings)

    with pytest.raises(ValueError, match="must yield the same sentences each time"):
        encode_corpus(Growing(), min_count=1)


def test_a_corpus_object_that_changes_during_training_is_refused():
    class ShorterFromTheFourthReading:
        readings = 0

        def __iter__(self):  # a generator: a reading begins at its first sentence, as a file reader's does
            self.readings += 1
            yield from [["a", "b", "c", "a"]] * (20 if self.readings < 4 else 19)

    trainer = Word2VecTrainer(ShorterFromTheFourthReading(), dim=4, min_count=1, sample=0, epochs=2, progress=False)
    with pytest.raises(ValueError, match="must yield the same sentences each time"):
        trainer.train()


@pytest.mark.parametrize("kind, most", [("list", 6), ("corpus object", 2)])
def test_encoding_long_sentences_holds_their_ids_at_most(measurements, kind, most):
    """Few long sentences (a whole book per line): a list's ids are renumbered block by block of tokens (4 bytes a
    token held, no temporary of the whole corpus); a corpus object's words are counted, a sentence at a time."""
    def long_lines(n: int) -> list[list[str]]:
        rows = zipf_corpus(n)
        return KINDS[kind]([sum(rows[i:i + 100], []) for i in range(0, len(rows), 100)])  # 2,000-token sentences

    per_token = encoding_bytes_per_token(long_lines)
    measurements.append(f"encode_corpus on 2,000-token sentences, {kind}: {per_token:.1f} bytes per extra token at "
                        "peak")
    assert per_token < most


def test_the_model_is_in_memory_once_at_its_peak(measurements):
    """The start draws no (V, d) float64 temporary, and train_word2vec hands its arrays over instead of copying
    them: either would hold the model's size again at the peak."""
    rng = np.random.default_rng(0)
    names = [f"w{i}" for i in range(20_000)]
    sentences = [[names[i] for i in row] for row in rng.integers(0, 20_000, size=(10_000, 20)).tolist()]
    load_kernels()
    tracemalloc.start()
    wv = train_word2vec(sentences, dim=256, min_count=1, epochs=1, sample=0, progress=False)
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    model = wv.vectors.nbytes + wv.output_vectors.nbytes
    measurements.append(f"train_word2vec, V=20,000, d=256: model {model / 2**20:.1f} MB, peak {peak / 2**20:.1f} MB")
    assert now >= model and peak < now + 0.4 * model
