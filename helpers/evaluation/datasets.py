"""The real-text data the course measures with, all shipped in gensim's test data, so nothing is downloaded.

A real English corpus (``head500.noblanks.cor``, Porter-stemmed, and ``lee_background.cor``, raw text), two sets of
word pairs rated by people (``wordsim353.tsv``, ``simlex999.txt``) and Mikolov's analogy questions
(``questions-words.txt``). Re-exported by :mod:`helpers.evaluation`, where notebooks find them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from os import PathLike
from pathlib import Path

from ..validation import check_int


def datapath(name: str) -> Path:
    """Path of a file in gensim's shipped test data, e.g. ``datapath("wordsim353.tsv")``.

    Raises
    ------
    FileNotFoundError
        If gensim is missing or does not ship ``name``.
    """
    try:
        from gensim.test.utils import datapath as gensim_datapath
    except ImportError as error:  # pragma: no cover - gensim is in requirements.txt
        raise FileNotFoundError(f"{name!r} comes with gensim's test data; install gensim (pip install gensim)") \
            from error
    path = Path(gensim_datapath(name))
    if not path.is_file():
        raise FileNotFoundError(f"gensim's test data has no file {name!r} (looked in {path.parent})")
    return path


def data_file(name_or_path: str | Path) -> Path:
    """``name_or_path`` if it is a file, else the file of that name in gensim's test data (:func:`datapath`).

    Raises
    ------
    TypeError
        If ``name_or_path`` is neither a string nor a path.
    FileNotFoundError
        If it is no file, here or in gensim's test data.
    """
    if not isinstance(name_or_path, (str, PathLike)):
        raise TypeError(f"name_or_path must be a file name in gensim's test data (e.g. 'wordsim353.tsv') or a path, "
                        f"got {type(name_or_path).__name__}")
    path = Path(name_or_path)
    return path if path.is_file() else datapath(str(name_or_path))


def read_corpus(name_or_path: str | Path, tokenizer: Callable[[str], list[str]] = str.split,
                max_sentences: int | None = None) -> list[list[str]]:
    """One sentence per non-empty line, split into tokens by ``tokenizer``.

    Parameters
    ----------
    name_or_path : str or Path
        A file in gensim's test data (e.g. ``"head500.noblanks.cor"``) or a path to a text file.
    tokenizer : callable, optional
        ``str.split`` (default) suits text that is already tokenized, like ``head500.noblanks.cor``;
        :func:`helpers.text.tokenize` suits raw text, like ``lee_background.cor``.
    max_sentences : int, optional
        Stop after this many sentences (lines).

    Raises
    ------
    ValueError
        If the file is not UTF-8 text (a binary file, or another encoding): the message says so, not a
        ``UnicodeDecodeError``.
    """
    path = data_file(name_or_path)
    if not callable(tokenizer):
        raise TypeError(f"tokenizer must be a function from a line of text to its tokens (str.split, "
                        f"helpers.text.tokenize), got {type(tokenizer).__name__}")
    if max_sentences is not None:
        check_int("max_sentences", max_sentences, low=1)
    sentences = []
    with open(path, encoding="utf-8") as lines:
        try:
            for line in lines:
                tokens = tokenizer(line)
                if tokens:
                    sentences.append(tokens)
                    if max_sentences is not None and len(sentences) == max_sentences:
                        break
        except UnicodeDecodeError as error:
            raise ValueError(f"{path} is not UTF-8 text (it holds the byte "
                             f"0x{error.object[error.start]:02x}, invalid there in UTF-8): read_corpus reads text files, one sentence per line; save the "
                             "text as UTF-8, or decode it yourself and pass the token lists") from None
    return sentences


def porter_stem(word: str) -> str:
    """The Porter stem of ``word``, lowercased: the form of ``head500.noblanks.cor`` ("dictionary" -> "dictionari").

    Pass it as ``normalize`` to :func:`helpers.evaluation.word_similarity` or ``analogy_accuracy`` to score vectors
    trained on that stemmed corpus. Cached: rating sets repeat words.
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    return _stem(word)


@lru_cache(maxsize=None)
def _stem(word: str) -> str:
    return _porter().stem(word.lower())


@lru_cache(maxsize=1)
def _porter() -> object:
    """gensim's Porter stemmer, made once (imported late: reading the ratings needs no gensim import)."""
    from gensim.parsing.porter import PorterStemmer

    return PorterStemmer()


def load_word_pairs(name_or_path: str | Path = "wordsim353.tsv") -> list[tuple[str, str, float]]:
    """Word pairs with a human similarity rating: lines ``word1<TAB>word2<TAB>score``, ``#`` starts a comment.

    Parameters
    ----------
    name_or_path : str or Path
        A file in gensim's test data (``"wordsim353.tsv"``, ``"simlex999.txt"``) or a path to one of that form.

    Returns
    -------
    list of (word1, word2, rating)

    Raises
    ------
    ValueError
        For a line that is not three tab-separated fields, with its file name and line number.
    """
    path = data_file(name_or_path)
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise ValueError(f"{path.name}, line {number}: expected 'word1<TAB>word2<TAB>score', got {line!r}")
        try:
            rating = float(fields[2])
        except ValueError:
            raise ValueError(f"{path.name}, line {number}: the score {fields[2]!r} is not a number") from None
        pairs.append((fields[0], fields[1], rating))
    return pairs


def load_analogies(name_or_path: str | Path = "questions-words.txt") -> dict[str, list[tuple[str, str, str, str]]]:
    """Analogy questions ``a b c d`` ("a is to b as c is to d") by section, e.g. ``"capital-common-countries"``.

    Parameters
    ----------
    name_or_path : str or Path
        A file in gensim's test data (``"questions-words.txt"``) or a path to one of that form: ``: section``
        lines, each followed by lines of four words.

    Returns
    -------
    dict of section name to list of (a, b, c, d)

    Raises
    ------
    ValueError
        For a question before any section or a line that is not four words, with its file name and line number.
    """
    path = data_file(name_or_path)
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(":"):
            current = line[1:].strip()
            sections[current] = []
        elif line.strip():
            words = line.split()
            if current is None or len(words) != 4:
                raise ValueError(f"{path.name}, line {number}: expected ': section' or four words, got {line!r}")
            sections[current].append((words[0], words[1], words[2], words[3]))
    return sections
