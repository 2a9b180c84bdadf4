"""A lab for word2vec's dials on real text (notebook 06b): one baseline, one dial turned at a time, one table.

Each run is :func:`helpers.word2vec.train_word2vec` with the lab's baseline (:data:`LAB_BASELINE`) and one change;
each is scored on WordSim-353 (relatedness) and SimLex-999 (similarity) with :mod:`helpers.evaluation`. The
learner's own text enters through :func:`read_text`, with the course's rules for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
import math
from dataclasses import dataclass, field
from pathlib import Path

from .. import params as hp
from ..plots.progress import Progress
from ..space.neighbors import WordVectors
from ..word2vec import train_word2vec
from .datasets import load_word_pairs
from .datasets import data_file
from ..text.tokens import tokenize
from .measures import SimilarityResult, word_similarity

#: The lab's starting point: notebook 06's settings, smaller (25 dimensions) so a run takes a second or two.
LAB_BASELINE: Mapping[str, object] = {"dim": 25, "window": 5, "negative": 5, "power": 0.75, "min_count": 5,
                                      "sample": 1e-3, "epochs": 3, "lr": 0.05, "seed": 0}

#: The dials the lab turns, each to the values worth comparing (the baseline's own value is one of them).
DIALS: Mapping[str, tuple[object, ...]] = {"window": (2, 5, 10), "negative": (1, 5, 15), "power": (0.0, 0.75, 1.0),
                                           "dim": (10, 25, 50)}

# Words in any script (letters and digits of every alphabet, inner apostrophes), lower-cased: a learner's text need
# not be English. (helpers.text.tokenize keeps to a-z for the toy world.)

MIN_TOKENS = 1000  # below this no word is seen often enough for a neighbour to mean anything


@dataclass(frozen=True)
class LabRun:
    """One training run of the lab: the dial turned, its value, the scores, and the vectors."""

    dial: str
    value: object
    wordsim: float
    simlex: float
    pairs_used: tuple[int, int]
    vectors: WordVectors = field(repr=False)


def lab_corpus(articles: int = 125, name: str = "head500.noblanks.cor") -> list[list[str]]:
    """The first ``articles`` lines (one article each) of a corpus in gensim's test data, split at spaces, read
    without loading the rest (notebook 06b's text: half of notebook 06's)."""
    articles = _positive("articles", articles)
    sentences = []
    with data_file(name).open(encoding="utf-8") as lines:
        for line in lines:
            if len(sentences) == articles:
                break
            sentences.append(line.split())
    return sentences


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return value


def read_text(text_or_path: object, *, min_tokens: int = MIN_TOKENS) -> list[list[str]]:
    """The learner's text as sentences of tokens: a string of text, or a path to a UTF-8 text file.

    Each line is one sentence (a paragraph is fine), cut into lower-case words of any script.

    Raises
    ------
    TypeError
        If ``text_or_path`` is neither a string nor a path.
    FileNotFoundError, ValueError
        For a file that does not exist, is not UTF-8 text, or a text too short to learn from (it names the
        number of words found and how many are needed).
    """
    if isinstance(text_or_path, Path):
        text = _read_file(text_or_path)
    elif isinstance(text_or_path, str):
        looks_like_path = "\n" not in text_or_path and len(text_or_path) < 260 and \
            text_or_path.lower().endswith((".txt", ".cor", ".md"))
        text = _read_file(Path(text_or_path)) if looks_like_path else text_or_path
    else:
        raise TypeError(f"give your text as a string, or the path of a text file; got {type(text_or_path).__name__}")
    sentences = [tokens for tokens in map(tokenize, text.splitlines()) if tokens]  # the course's one tokenizer
    found = sum(map(len, sentences))
    if found < min_tokens:
        raise ValueError(f"the text has {found} words; the lab needs at least {min_tokens} to learn anything (a few "
                         "pages of text: paste more, or give the path of a longer file)")
    return sentences


def _read_file(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"no file {str(path)!r}: check the name and the folder (the notebook runs in "
                                f"{Path.cwd()})")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{str(path)!r} is not UTF-8 text; save it as UTF-8 (plain text) and try again") from None


def run_lab(sentences: Sequence[Sequence[str]], dials: Mapping[str, Iterable[object]] = DIALS, *,
            baseline: Mapping[str, object] = LAB_BASELINE, normalize: Callable[[str], str] = str.lower,
            progress: bool = True) -> list[LabRun]:
    """Train once per dial setting (the baseline once, shared by every dial) and score each run.

    Parameters
    ----------
    sentences : list of list of str
    dials : mapping of parameter name to the values to try
        Names and ranges are :data:`helpers.params.PARAMS`' (a bad one is named before anything trains).
    baseline : mapping
        Every other setting of every run.
    normalize : callable
        Applied to the rating sets' words (:func:`helpers.evaluation.porter_stem` for a stemmed corpus).
    progress : bool
        A bar over the runs.

    Returns
    -------
    list of LabRun, in the order of ``dials`` and their values.
    """
    plan = []
    for name, values in dials.items():
        if name not in hp.PARAMS:
            raise ValueError(f"{name!r} is not a dial; choose from {sorted(DIALS)}")
        for value in values:
            plan.append((name, hp.check(name, value)))
    base = {name: hp.check(name, value) for name, value in baseline.items()}
    ratings = (load_word_pairs("wordsim353.tsv"), load_word_pairs("simlex999.txt"))
    settings = {(name, value): {**base, name: value} for name, value in plan}
    unique = {tuple(sorted(s.items())): s for s in settings.values()}
    bar = Progress(len(unique), "training one run per setting", show=progress, unit="runs")
    trained: dict[tuple, tuple] = {}
    for key, setting in unique.items():
        wv = train_word2vec(sentences, progress=False, **setting)
        scores = [_score(wv, pairs, normalize) for pairs in ratings]
        trained[key] = (wv, scores)
        bar.update(1)
    bar.close()
    runs = []
    for (name, value), setting in settings.items():
        wv, (wordsim, simlex) = trained[tuple(sorted(setting.items()))]
        runs.append(LabRun(name, value, wordsim.spearman, simlex.spearman, (wordsim.used, simlex.used), wv))
    return runs


def _score(wv: WordVectors, pairs: Sequence[tuple[str, str, float]], normalize: Callable[[str], str]) -> SimilarityResult:
    """``word_similarity``, or NaN with 0 pairs used when none of the set's pairs is in ``wv`` (a learner's own text
    rarely holds the rated words: the lab still shows its other runs, and the table says so)."""
    try:
        return word_similarity(wv, pairs, normalize)
    except ValueError:
        if any(normalize(a) in wv and normalize(b) in wv for a, b, _ in pairs):
            raise  # some pairs are known: the error is another one, not "nothing to rank"
        return SimilarityResult(spearman=math.nan, used=0, total=len(pairs))


def lab_table(runs: Sequence[LabRun]) -> str:
    """The lab's results as one text table: dial, value, WordSim-353 and SimLex-999 Spearman (3 decimals)."""
    lines = [f"{'dial':>9} {'value':>6}  {'WordSim-353':>11}  {'SimLex-999':>10}"]
    for run in runs:
        cells = [f"{score:{width}.3f}" if math.isfinite(score) else f"{'—':>{width}}"
                 for score, width in ((run.wordsim, 11), (run.simlex, 10))]
        lines.append(f"{run.dial:>9} {run.value!s:>6}  {cells[0]}  {cells[1]}")
    if any(not math.isfinite(score) for run in runs for score in (run.wordsim, run.simlex)):
        lines.append("(—: fewer than 3 of the set's rated word pairs occur in this text: too few to rank)")
    return "\n".join(lines)
