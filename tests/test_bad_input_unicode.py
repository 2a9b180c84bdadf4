"""Text that is not plain ASCII English, and bytes where text belongs: the one tokenizing rule
(:mod:`helpers.text.tokens`) keeps words of every script whole, leaves ASCII text exactly as the earlier rule did, and
bytes or a binary file get a message that says to decode first."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import text as corpus, evaluation, toyworld
from helpers.model import demo
from helpers.contextual import toy_model
from helpers.widgets import AttentionExplorer, StepWidget
from helpers.text import tokenize

OLD_RULE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")  # the course's rule before Unicode: ASCII must not change


def old_tokenize(text: str) -> list[str]:
    return OLD_RULE.findall(text.lower())


WORDS = [
    ("the café is naïve", ["the", "café", "is", "naïve"]),
    ("cafe\u0301 (decomposed accent)", ["café", "decomposed", "accent"]),
    ("don’t and don't", ["don't", "and", "don't"]),
    ("l'eau est claire", ["l'eau", "est", "claire"]),
    ("STRASSE und Straße", ["strasse", "und", "strasse"]),
    ("ｆｕｌｌ ｗｉｄｔｈ １２", ["full", "width", "12"]),
    ("ﬁne ligature", ["fine", "ligature"]),
    ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
    ("Ελληνικά και русский", ["ελληνικά", "και", "русский"]),
    ("العربية لغة", ["العربية", "لغة"]),
    ("mixed: cat кот 猫", ["mixed", "cat", "кот", "猫"]),
    ("«quoted», ¿qué? ¡sí!", ["quoted", "qué", "sí"]),
    ("emoji 🐱 between", ["emoji", "between"]),
    ("snake_case and a-b", ["snake", "case", "and", "a", "b"]),
    ("٣ digits ٤٥", ["٣", "digits", "٤٥"]),
]


@pytest.mark.parametrize("text, tokens", WORDS, ids=[w[0] for w in WORDS])
def test_letters_of_any_script_stay_whole(text, tokens):
    assert tokenize(text) == tokens
    assert corpus.tokenize(text) == tokens  # the corpus's tokenize is the same rule


def test_ascii_text_tokenizes_exactly_as_before_on_the_courses_texts():
    world = toyworld.load()
    lines = [" ".join(s) for s in world.sentences]
    texts = lines + [demo.__doc__ or "", "Type a few sentences, e.g.  the cat is cute. the dog is cute.",
                     "I saw a Mole at the zoo! It's the 90's; rock'n'roll x'2 a_b", "i saw a mole at the zoo"]
    raw = evaluation.datapath("lee_background.cor").read_text(encoding="utf-8")
    texts += [line for line in raw.splitlines() if line.isascii()]
    assert len(texts) > 1000
    for text in texts:
        assert tokenize(text) == old_tokenize(text), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_any_ascii_text_tokenizes_as_before(text):
    assert tokenize(text) == old_tokenize(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_nonempty_casefolded_tokens_without_punctuation(text):
    tokens = tokenize(text)
    for token in tokens:
        assert token and token == token.casefold() or token.casefold() == tokenize(token)[0]
        assert not any(c.isspace() for c in token)
    assert tokenize(" ".join(tokens)) == tokens  # tokens re-tokenize to themselves


BYTES = [
    ("tokenize of bytes", lambda: corpus.tokenize(b"the cat sat"),
     TypeError, r"tokenize expects a string \(text\), got bytes b'the cat sat': decode it first, e\.g\. "
                r"tokenize\(data\.decode\('utf-8'\)\)"),
    ("a sentence that is bytes", lambda: corpus.build_vocabulary([b"the cat sat"]),
     TypeError, r"sentence 0 is bytes \(b'the cat sat'\), not tokens: decode it first.*then split it into tokens"),
    ("a token that is bytes", lambda: corpus.build_vocabulary([["the", b"cat"]]),
     TypeError, r"sentence 0, token 1 is b'cat' \(bytes\); every token must be a string; decode it first"),
    ("a corpus that is bytes", lambda: corpus.check_sentences(b"the cat sat"),
     TypeError, r"sentences must be a list of token lists, .* not one bytes object"),
    ("the text box given bytes", lambda: demo.learner_sentences(b"the cat. the dog."),
     TypeError, r"text must be a string, got bytes: decode it first"),
]


@pytest.mark.parametrize("what, call, error, pattern", BYTES, ids=[b[0] for b in BYTES])
def test_bytes_get_a_message_that_says_to_decode_them(what, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_a_binary_file_gets_a_message_not_a_unicode_error(tmp_path):
    path = tmp_path / "vectors.bin"
    path.write_bytes(b"the cat\n" + bytes(range(128, 256)) * 4)
    with pytest.raises(ValueError, match=r"vectors\.bin is not UTF-8 text \(it holds the byte 0x80, invalid "
                                         r"there in UTF-8\): read_corpus "
                                         r"reads text files.*save the text as UTF-8"):
        evaluation.read_corpus(path)
    text = tmp_path / "text.txt"
    text.write_text("Le café. L'eau\nदूसरा वाक्य\n", encoding="utf-8")
    assert evaluation.read_corpus(text, tokenizer=tokenize) == [["le", "café", "l'eau"], ["दूसरा", "वाक्य"]]


def test_the_text_box_trains_on_words_of_any_script():
    widget = StepWidget()
    widget.train_on_text("le café est chaud. le thé est chaud. кот и кошка. le café est noir.")
    assert "café" in widget.trainer.vocab and "кошка" in widget.trainer.vocab
    assert "Training on your" in widget.message.value
    widget.close()


def test_the_attention_explorer_tokenizes_by_the_same_rule():
    sentences = [["the", "café", "is", "open"], ["the", "thé", "is", "hot"], ["l'eau", "is", "cold", "here"]]
    model = toy_model(sentences, 4, np.random.default_rng(0))
    widget = AttentionExplorer(model, "The Café is OPEN!", word="café")
    assert widget.tokens == ["the", "café", "is", "open"]
    assert widget.weights is not None and widget.message.value == ""
    widget.sentence_box.value = "L’eau is cold here."
    assert widget.tokens == ["l'eau", "is", "cold", "here"] and widget.weights is not None


def test_inputs_tried(measurements):
    measurements.append(f"test_bad_input_unicode.py: {len(WORDS)} texts in other scripts and {len(BYTES) + 1} "
                        f"bytes inputs tried, {len(BYTES) + 1} messages checked, ASCII checked against the old rule")
