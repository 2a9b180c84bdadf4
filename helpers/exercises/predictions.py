"""Predict, then reveal: the learner writes down a guess before a cell shows the answer, and a check compares.

A **Predict** cell in a notebook asks a question ("which word will mole's vector sit nearest?"), the learner
records an answer in code (``my_prediction = ...``), and after the cell that measures it, a check from here reveals
the measured answer and explains it. Like the exercise checks (:mod:`helpers.exercises.feedback`), a reveal never raises: an
empty prediction still shows the answer, with an invitation to predict next time, and an answer of the wrong kind
gets a message saying what to write. The measured answer is always passed in by the notebook (it is what the
notebook just computed), never stored here.

Two kinds of question: :func:`reveal_choice` (one of a few options, a word or "yes"/"no") and :func:`reveal_number`
(a number, right within a tolerance). The ``check_*`` functions below are the notebooks' questions, one each.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .feedback import Feedback, _is_stub, _to_float, never_raises, point_back_on_name_errors

point_back_on_name_errors()  # a reveal cell's NameError points back to the prediction cell


@dataclass(frozen=True)
class Reveal(Feedback):
    """A revealed answer: ``correct`` if the prediction was right, ``predicted`` False if none was recorded."""

    predicted: bool = True

    @property
    def title(self) -> str:
        if not self.predicted:
            return "The answer"
        return "Well predicted" if self.correct else "Surprised?"

    def __repr__(self) -> str:
        return f"{'🔮' if not self.predicted else '✅' if self.correct else '💡'} {self.title}: {self.message}"

    def _repr_html_(self) -> str:
        colour = "#0072B2" if not self.predicted else "#009E73" if self.correct else "#E69F00"
        return (f'<div style="border-left: 6px solid {colour}; padding: 0.4em 0.8em;">'
                f"<b>{self.title}</b>: {html.escape(self.message)}</div>")


def _normal(text: str) -> str:
    """Case, surrounding spaces and the prime sign (W′ typed as W') do not matter."""
    return " ".join(text.replace("′", "'").lower().split())


def _no_prediction(answer_text: str, explanation: str) -> Reveal:
    return Reveal(False, f"{answer_text}. {explanation} (You did not record a prediction: next time write one in "
                         "`my_prediction` before you run the cells below; a guess you committed to sticks better.)",
                  predicted=False)


@never_raises
def reveal_choice(prediction: object, options: Sequence[str], right: Sequence[str] | str, *, answer_text: str,
                  explanation: str, wrong: dict[str, str] | None = None) -> Reveal:
    """Reveal a question with a few possible answers.

    Parameters
    ----------
    prediction : the learner's answer, one of ``options`` (case and surrounding spaces do not matter)
    options : every answer the question allows
    right : the option (or options) the notebook measured as right
    answer_text : what was measured, in one sentence ("the nearest neighbour of cat is 'very', a function word")
    explanation : why, in one or two sentences
    wrong : optional extra explanation for a particular wrong option
    """
    right = [right] if isinstance(right, str) else list(right)
    if _is_stub(prediction):
        return _no_prediction(answer_text, explanation)
    if not isinstance(prediction, str):
        return Reveal(False, f"Write your prediction as one of {', '.join(map(repr, options))} (a string in quotes),"
                             f" not {type(prediction).__name__}. {answer_text}. {explanation}")
    guess = _normal(prediction)
    allowed = {_normal(o): o for o in options}
    if guess not in allowed:
        listed = ", ".join(map(repr, options)) if len(options) <= 6 else "a word of the vocabulary"
        return Reveal(False, f"{prediction!r} is not one of the options ({listed}). {answer_text}. {explanation}")
    if guess in {_normal(r) for r in right}:
        return Reveal(True, f"{answer_text}. {explanation}")
    extra = (wrong or {}).get(allowed[guess], "")
    return Reveal(False, f"You predicted {allowed[guess]!r}. {answer_text}. {explanation}" + (f" {extra}" if extra else ""))


@never_raises
def reveal_number(prediction: object, actual: float, tolerance: float, *, answer_text: str, explanation: str,
                  digits: int = 2) -> Reveal:
    """Reveal a question whose answer is a number; a prediction within ``tolerance`` of ``actual`` is right."""
    if _is_stub(prediction):
        return _no_prediction(answer_text, explanation)
    guess = _to_float(prediction)
    if guess is None or not np.isfinite(guess):
        return Reveal(False, f"Write your prediction as one number, e.g. `my_prediction = 0.5`, not {prediction!r}. "
                             f"{answer_text}. {explanation}")
    actual = float(actual)
    if abs(guess - actual) <= tolerance:
        return Reveal(True, f"You said {guess:.{digits}f}: close. {answer_text}. {explanation}")
    direction = "higher" if actual > guess else "lower"
    return Reveal(False, f"You said {guess:.{digits}f}; it is {direction}. {answer_text}. {explanation}")


# ---- 01 · the random start -------------------------------------------------------------------------------------
@never_raises
def check_random_neighbour(prediction: object, neighbours: Sequence[str], classes: dict[str, str]) -> Reveal:
    """01: will a pet be among the nearest neighbours of 'cat' at the random start ("yes"/"no")?"""
    pets = [w for w in neighbours if classes.get(w) == "pet"]
    found = ", ".join(f"{w} ({classes.get(w, '?')})" for w in neighbours[:3])
    return reveal_choice(prediction, ["yes", "no"], "yes" if pets else "no",
                         answer_text=f"The nearest to 'cat' are {found}" + (f"; pets among them: {', '.join(pets)}"
                                                                           if pets else ": no pet"),
                         explanation="Random vectors know nothing about words: any word can come first, and a pet "
                                     "only by luck.")


@never_raises
def check_cosine_spread(prediction: object, spreads: dict[int, float]) -> Reveal:
    """01: as d grows, do random cosines spread "wider", stay "the same" or get "narrower"?"""
    dims = sorted(spreads)
    shrinks = all(spreads[a] > spreads[b] for a, b in zip(dims, dims[1:]))
    text = ", ".join(f"d = {d}: {spreads[d]:.2f}" for d in dims)
    return reveal_choice(prediction, ["wider", "the same", "narrower"], "narrower" if shrinks else "wider",
                         answer_text=f"The spread (std) of the cosines: {text}",
                         explanation="A cosine is a sum of d small random products divided by two lengths: the "
                                     "terms mostly cancel, so the spread shrinks like 1/sqrt(d).")


# ---- 04 · reading the space --------------------------------------------------------------------------------------
@never_raises
def check_analogy_guess(prediction: object, got: str, vocabulary: Sequence[str]) -> Reveal:
    """04: cat : kitten :: dog : ? (one word of the vocabulary)."""
    return reveal_choice(prediction, list(vocabulary), got,
                         answer_text=f"dog + (kitten - cat) lands nearest to {got!r}",
                         explanation="A kitten has a cat's contexts plus 'little' and 'baby'; a puppy has a dog's "
                                     "plus the same two, so kitten - cat and puppy - dog point the same way.")


@never_raises
def check_best_matrix(prediction: object, purity: dict[str, float]) -> Reveal:
    """04: which space has the highest kNN purity (``purity``: name -> purity, e.g. "W", "W′", "W + W′")?"""
    best = max(purity.values())
    winners = [name for name, value in purity.items() if round(value, 2) == round(best, 2)]
    text = ", ".join(f"{name} {value:.2f}" for name, value in purity.items())
    return reveal_choice(prediction, list(purity), winners,
                         answer_text=f"kNN purity: {text}",
                         explanation="W and W′ each put classmates together; adding them mixes in how often two words "
                                     "occur *together*, which the next cells measure.")


# ---- 05 · duplicates and polysemy ----------------------------------------------------------------------------------
@never_raises
def check_mole_position(prediction: object, position: float) -> Reveal:
    """05: where does 'mole' sit, from 0 (the wild animals' centre) to 1 (the body parts' centre)?"""
    return reveal_number(prediction, position, 0.15,
                         answer_text=f"'mole' sits at {position:.2f}",
                         explanation="The animal sentences pull one way and the skin sentences the other; the skin "
                                     "sentences, though fewer, are more alike, so their pulls add up.")


@never_raises
def check_first_epoch(prediction: object, cosine: float) -> Reveal:
    """05: after one epoch, the cosine of sofa and cat (words of different classes)."""
    return reveal_number(prediction, cosine, 0.2,
                         answer_text=f"After one epoch cos(sofa, cat) = {cosine:.2f}",
                         explanation="The first thing every word learns is what all contexts share (the, my, a), "
                                     "which turns all vectors one way; what sets words apart comes later.")


# ---- 06 · real text ----------------------------------------------------------------------------------------------
@never_raises
def check_wordsim_guess(prediction: object, spearman: float) -> Reveal:
    """06: Spearman's correlation with people's ratings on WordSim-353, from -1 to 1."""
    return reveal_number(prediction, spearman, 0.1,
                         answer_text=f"Spearman's rho on WordSim-353: {spearman:.3f}",
                         explanation="Clearly above 0 (the model orders pairs somewhat as people do), far from 1: "
                                     "a third of a million words is very little text.", digits=3)


@never_raises
def check_analogy_share(prediction: object, accuracy: float) -> Reveal:
    """06: the share of Mikolov's analogy questions answered right, as a fraction (0.5 = half)."""
    return reveal_number(prediction, accuracy, 0.05,
                         answer_text=f"{accuracy:.1%} of the answered questions came out right",
                         explanation="A relation becomes a direction only when it is seen consistently many times; "
                                     "on 330,000 words most words are seen too rarely.", digits=3)


# ---- 07 · contextual vectors -------------------------------------------------------------------------------------
@never_raises
def check_attention_guess(prediction: object, tokens: Sequence[str], weights: np.ndarray, hidden: int) -> Reveal:
    """07: which word will the hidden word listen to most (one of the sentence's other words)?"""
    weights = np.asarray(weights, dtype=np.float64)
    best = tokens[int(np.argmax(weights))]
    return reveal_choice(prediction, [w for i, w in enumerate(tokens) if i != hidden], best,
                         answer_text=f"Most weight goes to {best!r} ({float(weights.max()):.2f})",
                         explanation="The model learned which words of a slot best predict what is hidden there; "
                                     "nobody told it that 'zoo' or 'hip' are the meaningful ones.",
                         wrong={"i": "Small words are everywhere, so they say little about what is hidden.",
                                "the": "Small words are everywhere, so they say little about what is hidden."})


@never_raises
def check_loss_guess(prediction: object, loss: float, start: float) -> Reveal:
    """07: the masked-word loss after all epochs, starting from ``start`` (about log V)."""
    return reveal_number(prediction, loss, 0.3,
                         answer_text=f"The loss fell from {start:.3f} to {loss:.3f}",
                         explanation="Most of the fall comes in the first epoch (compare the losses per epoch "
                                     "above), and it ends far below log V, where it knew nothing.",
                         digits=3)
