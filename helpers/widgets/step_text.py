"""The step widget's text: the sentence of the last update and its numbers, as HTML (views of an UpdateRecord)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model.losses import negative_sampling_loss
from ..model.records import UpdateRecord
from ..model.training import StepTrainer
from ..plots.style import OKABE_ITO
from .history_panels import SMOOTH

LOSS_LABELS = {"negative_sampling": "negative sampling", "softmax": "softmax"}

#: Most words of a sentence shown around the target: a 48,000-token sentence was 816 KB of HTML per redraw.
MAX_SHOWN_WORDS = 40


def display_words(record: UpdateRecord, full_sentences: Sequence[Sequence[str]] | None, vocab: Any
                  ) -> tuple[list[str], list[int | None]]:
    """Words of the record's sentence as written, and for each its position among the trained words."""
    trained = record.sentence
    full = full_sentences[record.sentence_index] if full_sentences is not None else None
    if full is None or [w for w in full if w in vocab] != trained:
        return trained, list(range(len(trained)))
    positions, k = [], 0
    for w in full:
        positions.append(k if w in vocab else None)
        k += w in vocab
    return full, positions


def sentence_html(r: UpdateRecord | None, full_sentences: Sequence[Sequence[str]] | None, vocab: Any) -> str:
    """The record's sentence with the target (blue), the context (orange) and the window (underlined)."""
    if r is None:
        return ("<p>Press <b>Step</b>: the trainer takes the next (target, context) pair from a sentence and "
                "nudges their vectors.</p>")
    words, positions = display_words(r, full_sentences, vocab)
    cut_before = cut_after = False
    if len(words) > MAX_SHOWN_WORDS:  # the part around the target, with its whole window if it fits
        here = positions.index(r.target_position)
        lo = max(0, min(here - MAX_SHOWN_WORDS // 2, len(words) - MAX_SHOWN_WORDS))
        cut_before, cut_after = lo > 0, lo + MAX_SHOWN_WORDS < len(words)
        words, positions = words[lo:lo + MAX_SHOWN_WORDS], positions[lo:lo + MAX_SHOWN_WORDS]
    spans = ["…"] if cut_before else []
    for word, pos in zip(words, positions):
        w = html.escape(word)
        if pos is None:
            spans.append(f'<span class="wv-skipped" style="color: #767676;">{w}</span>')
        elif pos == r.target_position:
            spans.append(f'<span class="wv-target" style="background: {OKABE_ITO["sky blue"]}; '
                         f'font-weight: bold; padding: 0 0.2em;">{w}</span>')
        elif pos == r.context_position:
            spans.append(f'<span class="wv-context" style="background: {OKABE_ITO["orange"]}; '
                         f'font-weight: bold; padding: 0 0.2em;">{w}</span>')
        elif r.window[0] <= pos < r.window[1]:
            spans.append(f'<span class="wv-window" style="text-decoration: underline;">{w}</span>')
        else:
            spans.append(f"<span>{w}</span>")
    if cut_after:
        spans.append("…")
    skipped = " Grey words are not trained in this small demo." if None in positions else ""
    if cut_before or cut_after:
        skipped += f" A long sentence: {MAX_SHOWN_WORDS} of its words are shown, around the target."
    return (
        f'<div style="font-size: 1.15em; line-height: 1.4;">{" ".join(spans)}</div>'
        f'<div style="font-size: 0.9em; line-height: 1.3;">Sentence {r.sentence_index}: target '
        f"<b>{html.escape(r.target)}</b> (blue), context <b>{html.escape(r.context)}</b> (orange), window "
        f"underlined.{skipped}</div>")


def numbers_html(t: StepTrainer, r: UpdateRecord | None, pair: tuple[str, str], cos: float) -> str:
    """The numbers of the last update: scores, sigmoid/probability, error, loss, nudge lengths (``data-step``
    holds the trainer's update count)."""
    done = t.steps_done
    head = (f'<div class="wv-step-data" data-step="{done}" style="font-size: 0.9em; line-height: 1.35;">'
            f"updates done: <b>{done}</b> · loss: {LOSS_LABELS[t.loss_name]}{html.escape(gradient_label(t))} · "
            f"learning rate for the next step: {t.lr:.3g} · "
            f"cos({html.escape(pair[0])}, {html.escape(pair[1])}) = {cos:+.4f}")
    if r is None:
        return head + "</div>"
    v_before, v_after = r.before["target_in"], r.after["target_in"]
    lines = [f"<br>step {r.step}: target <b>{html.escape(r.target)}</b> → context "
             f"<b>{html.escape(r.context)}</b>, lr = {r.lr:.3g}, loss = <b>{r.loss:.4f}</b>",
             f"<br>v({html.escape(r.target)}) {_vec(v_before)} → {_vec(v_after)}, "
             f"|Δv({html.escape(r.target)})| = {np.linalg.norm(v_after - v_before):.4f}"]
    errs = r.errors  # p - y, recorded by the trainer
    if r.loss_name == "negative_sampling":
        table = ["<tr><th>role</th><th>word</th><th>y</th><th>u·v</th><th>σ</th><th>σ−y</th>"
                 "<th>nudge of u</th></tr>"]
        rows = [("context", r.context, 1, r.after["context_out"] - r.before["context_out"])] + [
            ("noise", w, 0, r.after["negatives_out"][j] - r.before["negatives_out"][j])
            for j, w in enumerate(r.negatives)]
        for i, (role, word, label, move) in enumerate(rows):
            table.append(f"<tr><td>{role}</td><td>{html.escape(word)}</td><td>{label}</td>"
                         f"<td>{r.scores[i]:+.4f}</td><td>{r.probs[i]:.4f}</td><td>{errs[i]:+.4f}</td>"
                         f"<td>{_nudge(word, move)}</td></tr>")
        twice = len(set(r.negatives)) < len(r.negatives)
        note = "A noise word drawn twice gets both nudges; its rows show the total." if twice else ""
    else:
        order = [r.context_id] + [int(i) for i in np.argsort(-r.probs, kind="stable") if i != r.context_id][:3]
        table = ["<tr><th>role</th><th>word</th><th>u·v</th><th>p</th><th>p−y</th><th>nudge of u</th></tr>"]
        for i in order:
            word = t.vocab.index_to_key[i] if i < len(t.vocab) else str(i)
            move = r.after["all_out"][i] - r.before["all_out"][i]
            table.append(f"<tr><td>{'context' if i == r.context_id else 'other'}</td>"
                         f"<td>{html.escape(word)}</td><td>{r.scores[i]:+.4f}</td><td>{r.probs[i]:.4f}</td>"
                         f"<td>{errs[i]:+.4f}</td><td>{_nudge(word, move)}</td></tr>")
        note = (f"Softmax over all {len(r.probs)} words: every output vector moves (the true context and "
                f"the 3 most probable others are listed).")
    # The note has its own line whether or not it says anything: the table below never moves.
    return (head + "".join(lines) + '<table style="font-family: monospace; font-size: 0.95em;'
            ' border-spacing: 0.6em 0;">' + "".join(table) + "</table>"
            f'<div style="min-height: 1.3em;">{html.escape(note)}</div></div>')


def summary_text(t: StepTrainer, r: UpdateRecord | None, pair: tuple[str, str], cos: float) -> str:
    """What the widget shows, as short deterministic text (a saved notebook's text/plain)."""
    recent = t.loss_history[-SMOOTH:]
    loss = f"; mean loss of the last {len(recent)} updates = {np.mean(recent):.3f}" if recent else ""
    own = gradient_label(t)
    text = (f"Step-through trainer ({LOSS_LABELS[t.loss_name]}{own}, lr={t.lr:.3g}): {t.steps_done} updates; "
            f"cos({pair[0]}, {pair[1]}) = {cos:+.3f}{loss}")
    if r is not None:
        words = r.sentence
        if len(words) > MAX_SHOWN_WORDS:  # the part around the target
            lo = max(0, min(r.target_position - MAX_SHOWN_WORDS // 2, len(words) - MAX_SHOWN_WORDS))
            words = ["…"] * (lo > 0) + words[lo:lo + MAX_SHOWN_WORDS] + ["…"] * (lo + MAX_SHOWN_WORDS < len(words))
        text += f"\nLast update: target {r.target!r}, context {r.context!r} in \"{' '.join(words)}\""
    warning = t.uphill_warning()
    return text + f"\n{warning}" if warning else text


def gradient_label(t: StepTrainer) -> str:
    """``", gradient: my_sgns"`` when negative sampling takes its gradient from a function of the learner's."""
    if t.loss_name != "negative_sampling" or t.gradient is negative_sampling_loss:
        return ""
    return f", gradient: {getattr(t.gradient, '__name__', 'yours')}"


def _nudge(word: str, move: np.ndarray) -> str:
    """``|Δu(word)| = 0.0123``: how far an output vector moved (browser tests read this form)."""
    return f"|Δu({html.escape(word)})| = {np.linalg.norm(move):.4f}"


def _vec(v: np.ndarray) -> str:
    return "[" + ", ".join(f"{x:+.3f}" for x in np.ravel(v)) + "]"
