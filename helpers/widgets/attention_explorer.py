"""A view of the attention of :mod:`helpers.contextual`'s model over a sentence the learner types.

Type a sentence, pick the word to hide: the widget shows how much attention the hidden word pays to each other word
(a shaded bar per word) and the words the model expects in its place. It holds no model logic: every number comes
from :class:`helpers.contextual.AttentionModel`. An unknown word shows "did you mean" buttons; any error is shown in
the widget, which keeps working.

CSS classes (stable, for browser tests): ``wv-attention-explorer`` (the widget), ``wv-attention-input`` (the
sentence box), ``wv-attention-position`` (the hidden-word choice), ``wv-attention`` (the weights and guesses; one
``td`` per word with class ``wv-attention-cell``), ``wv-suggestion`` (a "did you mean" button),
``wv-attention-message`` (errors; empty when all is well).
"""

from __future__ import annotations

import html
from typing import Any

import difflib
import numbers

import ipywidgets as widgets
import numpy as np
import traitlets

from ..contextual.attention import AttentionModel
from ..plots.style import OKABE_ITO
from ..text.tokens import tokenize

#: The sentence box keeps at most this many characters (a sentence has at most the model's max_len words anyway):
#: a pasted book would otherwise be tokenized and redrawn on every keystroke.
MAX_SENTENCE_CHARS = 500


def _message_html(text: str) -> str:
    return (f'<div style="border-left: 5px solid {OKABE_ITO["vermillion"]}; padding: 0.2em 0.6em;">'
            f"{html.escape(text)}</div>")


class _PositionChoice(widgets.Dropdown):
    """The hidden-word choice: a position past the end (``position.value = 99``) goes to the last word, a negative
    one to the first, instead of ipywidgets' TraitError; anything else that is no position is refused with a
    message that says what a position is."""

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> Any:
        value, positions = proposal.value, [v for _, v in self.options]
        if value is None or not positions or value in positions:
            return value
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return positions[-1] if value > positions[-1] else positions[0]
        raise traitlets.TraitError(f"position must be a word's position, an integer between 0 and "
                                   f"{positions[-1]}, got {value!r:.40}")


def _unknown_message(unknown: list[str], words: list[str]) -> tuple[str, dict[str, list[str]]]:
    """The message for every unknown word of a sentence, and each one's suggestions (closest spellings)."""
    suggestions = {w: difflib.get_close_matches(w, words, n=3, cutoff=0.5) for w in unknown}
    parts = [f"{w!r}" + (f" (Did you mean: {', '.join(suggestions[w])}?)" if suggestions[w] else "")
             for w in unknown]
    noun = "This word is" if len(unknown) == 1 else f"These {len(unknown)} words are"
    fix = "click a suggestion or retype it" if len(unknown) == 1 else "click a suggestion or retype them"
    return f"{noun} not in the model's vocabulary: {'; '.join(parts)}; {fix}.", suggestions


class AttentionExplorer(widgets.VBox):
    """Type a sentence and choose a word to hide; see where its attention goes and what the model guesses.

    Parameters
    ----------
    model : AttentionModel
        A trained model (not copied: train more and call :meth:`refresh`).
    sentence : str
        The first sentence shown, words separated by spaces.
    word : str
        The word hidden first (its first occurrence); the first word if it is not in the sentence.

    Attributes
    ----------
    weights : ndarray, shape (len,), or None
        The attention row shown now (0 at the hidden word); None while the sentence has an error.
    guesses : list of (str, float)
        The model's top guesses for the hidden word, best first.
    """

    def __init__(self, model: AttentionModel, sentence: str = "i saw a mole at the zoo", word: str = "mole") -> None:
        if not isinstance(model, AttentionModel):
            raise TypeError(f"model must be a helpers.contextual.AttentionModel, got {type(model).__name__}")
        self.model = model
        self.weights: np.ndarray | None = None
        self.guesses: list[tuple[str, float]] = []
        self._updating = False
        self._hidden_word = word  # the word the learner chose to hide: kept through sentences with an error
        self.sentence_box = widgets.Text(value=sentence, description="sentence:", continuous_update=False,
                                         placeholder="type a sentence, press Enter",
                                         layout=widgets.Layout(width="95%")).add_class("wv-attention-input")
        self.position = _PositionChoice(description="hide:", options=[]).add_class("wv-attention-position")
        self.view = widgets.HTML().add_class("wv-attention")
        self.suggestion_box = widgets.HBox([])
        self.message = widgets.HTML().add_class("wv-attention-message")
        super().__init__([self.sentence_box, self.position, self.suggestion_box, self.view, self.message])
        self.add_class("wv-attention-explorer")
        self._set_options(preferred=word)
        if self.tokens:
            self._hidden_word = self.tokens[self.position.value]
        self.sentence_box.observe(self._on_sentence, names="value")
        self.position.observe(self._on_position, names="value")
        self.refresh()

    @property
    def tokens(self) -> list[str]:
        """The sentence box's words, by the course's one tokenizing rule (:func:`helpers.text.tokenize`)."""
        return tokenize(self.sentence_box.value[:MAX_SENTENCE_CHARS])

    def _on_position(self, change: dict) -> None:
        if self._updating:
            return
        tokens = self.tokens
        if change["new"] is not None and change["new"] < len(tokens):
            self._hidden_word = tokens[change["new"]]
        self.refresh()

    def _set_options(self, preferred: str | None = None) -> None:
        tokens = self.tokens
        old = self.position.value
        keep = preferred if preferred in tokens else None
        value = tokens.index(keep) if keep else (old if old is not None and old < len(tokens) else 0)
        self._updating = True  # new options reset the value: one refresh afterwards, not one per change
        try:
            self.position.options = [(f"{i}: {w}", i) for i, w in enumerate(tokens)] or [("(no words)", 0)]
            self.position.value = value
        finally:
            self._updating = False

    def _on_sentence(self, change: dict) -> None:
        if len(change["new"]) > MAX_SENTENCE_CHARS:  # cut here, once: the box then shows what is used
            self.sentence_box.value = change["new"][:MAX_SENTENCE_CHARS]
            return
        self._set_options(preferred=self._hidden_word)
        self.refresh()

    def refresh(self) -> None:
        """Compute the attention of the current sentence again and redraw (errors are shown in place)."""
        self.message.value = ""
        self.suggestion_box.children = ()
        self.weights, self.guesses = None, []
        tokens, position = self.tokens, self.position.value
        problem = self._problem(tokens)
        if problem is not None:
            self.view.value = ""
            self.message.value = _message_html(problem)
            return
        try:
            self.weights = self.model.attention(tokens, position)
            self.guesses = self.model.predict(tokens, position, topn=5)
            self.view.value = self._html(tokens, position)
        except Exception as error:  # noqa: BLE001 - any failure must reach the learner, and the widget live on
            self.weights, self.guesses = None, []
            self.view.value = ""
            self.message.value = _message_html(f"Could not show this sentence: {error}")

    def _problem(self, tokens: list[str]) -> str | None:
        """What is wrong with the sentence, for the learner (every unknown word, with suggestion buttons), or None."""
        cut = len(self.sentence_box.value) >= MAX_SENTENCE_CHARS
        if not 2 <= len(tokens) <= self.model.max_len:
            return (f"Type a sentence of between 2 and {self.model.max_len} words (this model was trained on sentences "
                    f"up to {self.model.max_len} words long); this one has {len(tokens)}."
                    + (f" The box keeps the first {MAX_SENTENCE_CHARS} characters." if cut else ""))
        unknown = list(dict.fromkeys(t for t in tokens if t not in self.model.key_to_index))
        if not unknown:
            return None
        text, suggestions = _unknown_message(unknown, self.model.words)
        self.suggestion_box.children = tuple(self._suggestion_button(w, s) for w in unknown for s in suggestions[w])
        return text

    def _suggestion_button(self, wrong: str, suggestion: str) -> widgets.Button:
        button = widgets.Button(description=suggestion, tooltip=f"replace {wrong!r} with {suggestion!r}",
                                layout=widgets.Layout(width="auto")).add_class("wv-suggestion")

        def replace(_: Any) -> None:
            self.sentence_box.value = " ".join(suggestion if t == wrong else t for t in self.tokens)

        button.on_click(replace)
        return button

    def _html(self, tokens: list[str], position: int) -> str:
        """One cell per word, shaded by its weight (darkest = the most attention), then the top guesses."""
        top = float(self.weights.max()) or 1.0
        cells = []
        for i, (token, weight) in enumerate(zip(tokens, self.weights)):
            if i == position:
                cells.append('<td class="wv-attention-cell" style="padding: 0.3em; border: 2px dashed #555;">'
                             f'<b>[{html.escape(token)}]</b><br><i>hidden</i></td>')
                continue
            shade = int(round(255 - 150 * weight / top))  # white (no weight) to a strong blue
            colour = f"rgb({shade}, {shade}, 255)"
            cells.append(f'<td class="wv-attention-cell" style="padding: 0.3em; background: {colour};">'
                         f"{html.escape(token)}<br><code>{weight:.2f}</code></td>")
        guesses = ", ".join(f"{html.escape(w)} {p:.2f}" for w, p in self.guesses)
        return (f"<p>Attention of the hidden word <b>{html.escape(tokens[position])}</b> (darker = more):</p>"
                f"<table><tr>{''.join(cells)}</tr></table><p>The model's guesses for it: {guesses}</p>")

    def summary(self) -> str:
        """What the widget shows, as short deterministic text."""
        if self.weights is None:
            return f"Attention explorer: {self.sentence_box.value!r} has an error"
        position = self.position.value
        row = "  ".join(f"{w} {a:.2f}" for i, (w, a) in enumerate(zip(self.tokens, self.weights)) if i != position)
        guesses = ", ".join(f"{w} {p:.2f}" for w, p in self.guesses[:3])
        return f"Attention of hidden {self.tokens[position]!r}: {row}; guesses: {guesses}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        # Static viewers (GitHub, nbviewer) show the table; a live notebook shows the widget instead.
        bundle["text/plain"] = self.summary()
        bundle["text/html"] = self.view.value or self.message.value
        return bundle
