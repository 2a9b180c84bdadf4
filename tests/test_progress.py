"""The progress bar: silent outside a kernel; in a notebook a widget whose saved text is fixed and meaningful."""

from __future__ import annotations

import pytest

from helpers.plots import progress


def test_silent_outside_a_kernel():
    bar = progress.Progress(100, "training", show=True)
    bar.update(40)
    bar.close("done")
    assert bar.done == 40 and bar._bar is None


@pytest.fixture
def shown(monkeypatch):
    """Pretend to run in a kernel and collect what would be displayed."""
    displayed = []
    monkeypatch.setattr(progress, "_in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", displayed.append)
    return displayed


def test_in_a_kernel_the_saved_text_names_the_run_not_the_widget_repr(shown):
    bar = progress.Progress(12_345, "training skipgram", show=True)
    (box,) = shown
    before = box._repr_mimebundle_()
    bar.update(12_345, "loss 2.1")
    bar.close("done")
    after = box._repr_mimebundle_()
    assert before["text/plain"] == "training skipgram: a progress bar over 12,345 examples"
    assert after["text/plain"] == before["text/plain"]  # what nbval compares never depends on progress
    assert "application/vnd.jupyter.widget-view+json" in after
    assert bar._bar.value == 12_345 and bar._bar.bar_style == "success"


def test_the_saved_text_names_the_unit_counted(shown):
    progress.Progress(3, "gensim skipgram", show=True, unit="epochs")
    assert shown[0]._repr_mimebundle_()["text/plain"] == "gensim skipgram: a progress bar over 3 epochs"


def test_a_stopped_run_turns_the_bar_red(shown):
    bar = progress.Progress(10, "training", show=True)
    bar.update(3)
    bar.close("diverged")
    assert bar._bar.bar_style == "danger" and bar._label.value == "diverged"


def test_show_false_displays_nothing(shown):
    progress.Progress(10, "training", show=False)
    assert shown == []


@pytest.mark.parametrize("args, error, pattern", [
    ((None, "training", True), ValueError, r"total must be a non-negative number of examples, got None"),
    ((-5, "training", True), ValueError, r"total must be a non-negative number of examples, got -5"),
    ((float("nan"), "training", True), ValueError, r"total must be a non-negative number of examples, got nan"),
    ((10, None, True), TypeError, r"description must be a string, got NoneType"),
    ((10, "training", "yes"), TypeError, r"show must be True or False, got 'yes'"),
])
def test_bad_arguments_are_named(args, error, pattern):
    with pytest.raises(error, match=pattern):
        progress.Progress(*args)


def test_a_bad_update_is_named_and_changes_nothing():
    bar = progress.Progress(10, "training", show=False)
    bar.update(2.7)  # estimates may be floats: rounded down
    with pytest.raises(ValueError, match=r"n must be a non-negative number of examples, got -1"):
        bar.update(-1)
    assert bar.done == 2


def test_auto_shows_a_bar_only_for_runs_of_more_than_about_a_second():
    from helpers.plots.progress import AUTO_BAR_WORK, shows_bar

    assert shows_bar(True, 0) and not shows_bar(False, 10 * AUTO_BAR_WORK)
    assert shows_bar("auto", 2 * AUTO_BAR_WORK) and not shows_bar("auto", AUTO_BAR_WORK / 2)


def test_the_gensim_comparison_asks_for_a_bar_as_the_trainer_does(monkeypatch):
    from helpers import evaluation
    from helpers.evaluation import reference as evaluation_gensim

    bars = []
    monkeypatch.setattr(evaluation_gensim, "notebook_bar", lambda: bars.append("bar") or (lambda report: None))
    corpus = evaluation.read_corpus("head500.noblanks.cor", max_sentences=15)
    evaluation.gensim_word2vec(corpus, dim=12, epochs=1, progress="auto")  # 15 articles: well under a second
    assert bars == []
    evaluation.gensim_word2vec(corpus, dim=12, epochs=1, progress=True)
    assert bars == ["bar"]


def test_the_word2vec_bar_counts_windows_as_its_trainer_does(shown):
    from helpers.word2vec import Word2VecTrainer

    sentences = [["the", "cat", "sat", "on", "the", "mat"]] * 50
    trainer = Word2VecTrainer(sentences, dim=8, window=2, min_count=1, epochs=1, seed=0, sample=0,
                              progress=True)
    trainer.train()
    text = shown[0]._repr_mimebundle_()["text/plain"]
    # the bar counts windows (centre words), the loss history counts the pairs inside them
    assert text.endswith(" windows") and "examples" not in text
    assert trainer.examples_seen > int(text.split(" over ")[1].split()[0].replace(",", ""))
