"""The dials lab (helpers.evaluation.dials): one baseline shared by every dial, scores from the evaluation module, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.evaluation import dials
from helpers import evaluation

TEXT = "\n".join(" ".join(["the cat sat on the mat", "a dog ran in the park", "my cat and my dog"][i % 3].split())
                 for i in range(200))


def test_read_text_from_a_string_and_a_file(tmp_path):
    sentences = dials.read_text(TEXT)
    assert len(sentences) == 200 and sentences[0] == ["the", "cat", "sat", "on", "the", "mat"]
    path = tmp_path / "mine.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert dials.read_text(path) == sentences
    assert dials.read_text(str(path)) == sentences


def test_read_text_names_the_problem(tmp_path):
    with pytest.raises(ValueError, match="has 3 words; the lab needs at least 1000"):
        dials.read_text("far too short")
    with pytest.raises(FileNotFoundError, match="no file"):
        dials.read_text(tmp_path / "missing.txt")
    with pytest.raises(FileNotFoundError, match="no file"):
        dials.read_text("missing.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café ".encode("latin-1") * 500)
    with pytest.raises(ValueError, match="not UTF-8"):
        dials.read_text(bad)
    with pytest.raises(TypeError, match="string"):
        dials.read_text(["a", "list"])


def test_any_script_is_read():
    text = "\n".join(["кошка сидит на окне", "собака бежит в парке"] * 200)
    assert dials.read_text(text)[0] == ["кошка", "сидит", "на", "окне"]


def test_lab_corpus_is_the_start_of_the_corpus():
    assert dials.lab_corpus(articles=7) == evaluation.read_corpus("head500.noblanks.cor")[:7]
    with pytest.raises(ValueError, match="articles"):
        dials.lab_corpus(articles=0)


def test_run_lab_shares_the_baseline_and_scores_each_setting():
    sentences = dials.read_text(TEXT)
    small = {**dials.LAB_BASELINE, "min_count": 1, "epochs": 1, "dim": 8, "sample": 0.0}
    runs = dials.run_lab(sentences, {"window": (2, 5), "negative": (5, 2)}, baseline=small, progress=False)
    assert [(r.dial, r.value) for r in runs] == [("window", 2), ("window", 5), ("negative", 5), ("negative", 2)]
    # window 5 and negative 5 are the same setting: trained once, the very same vectors
    assert runs[1].vectors is runs[2].vectors
    assert runs[0].vectors is not runs[1].vectors
    assert runs[3].vectors.vector_size == 8
    table = dials.lab_table(runs)
    assert table.splitlines()[0].split() == ["dial", "value", "WordSim-353", "SimLex-999"]
    rows = table.splitlines()
    assert len(rows) == 6  # a header, one row per run, and the note that this tiny text holds too few rated pairs
    assert all(row.split()[2:] == ["—", "—"] for row in rows[1:5]) and rows[5].startswith("(—: fewer than 3")
    assert all(max(r.pairs_used) < 3 for r in runs)  # a text without the rated words still gets its table


def test_run_lab_rejects_bad_dials_before_training():
    with pytest.raises(ValueError, match="not a dial"):
        dials.run_lab([["a", "b"]], {"windw": (2,)})
    with pytest.raises(ValueError, match="window must be"):
        dials.run_lab([["a", "b"]], {"window": (0,)})


def test_lab_scores_are_the_evaluation_modules():
    corpus = dials.lab_corpus(articles=40)
    base = {**dials.LAB_BASELINE, "epochs": 1}
    (run,) = dials.run_lab(corpus, {"window": (5,)}, baseline=base, normalize=evaluation.porter_stem, progress=False)
    direct = evaluation.word_similarity(run.vectors, evaluation.load_word_pairs("wordsim353.tsv"),
                                        evaluation.porter_stem)
    assert run.wordsim == pytest.approx(direct.spearman, abs=1e-12)
    assert run.pairs_used[0] == direct.used


def test_apostrophes_and_accents_stay_in_the_word():
    text = "\n".join(["L'été de Zoë, don't stop"] * 300)
    assert dials.read_text(text)[0] == ["l'été", "de", "zoë", "don't", "stop"]
