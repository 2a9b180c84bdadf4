"""Interactive views for the notebooks: the step-through trainer and the neighbour explorer.

Widgets wrap other helpers and add no training or lookup logic of their own: :class:`StepWidget` drives a
:class:`helpers.model.StepTrainer`, :class:`NeighborExplorer` queries a :class:`helpers.space.WordVectors`.

Both are ``ipywidgets.VBox`` subclasses, so ``display(w)`` or leaving ``w`` last in a cell shows them. Their
``_repr_mimebundle_`` adds a deterministic ``text/plain`` summary (and for the step widget an ``image/png`` of the
plot, for the explorer a ``text/html`` table): a saved notebook viewed on GitHub or nbviewer, where live widgets do
not run, still shows a meaningful frame, and nbval has stable text to compare. Errors raised inside a button or
slider callback are shown in the widget itself (JupyterLab would otherwise swallow them) and the widget keeps
working. ``close()`` frees a widget and everything it holds.

Used by notebooks 03 (StepWidget), 04 (NeighborExplorer) and 07 (AttentionExplorer).

Modules, one job each:

- :mod:`.step_widget`: :class:`StepWidget`, the step-through trainer (its actions and bookkeeping).
- :mod:`.step_controls`: its buttons, sliders and Play (one update per tick, at rates the browser can paint).
- :mod:`.step_state`: its inputs, checked, and the pair's cosine history.
- :mod:`.step_text`: the sentence of the last update and its numbers.
- :mod:`.step_figure`: the plot, with :mod:`.history_panels` and :mod:`.label_layout` (parts of it).
- :mod:`.step_form`: its saved form, ``repr`` and closing.
- :mod:`.neighbor_explorer`: :class:`NeighborExplorer`, type a word and see its neighbours.
- :mod:`.attention_explorer`: :class:`AttentionExplorer`, the attention of :mod:`helpers.contextual`'s model over a
  sentence the learner types.
- :mod:`.canvas`: an interactive matplotlib canvas (ipympl without its side effects, whole frames, cached labels).
- :mod:`.common`: what the widgets share.

The demo corpus and trainer the step widget starts from live in :mod:`helpers.model.demo` (re-exported here).
"""

from ..model.demo import DEMO_WORDS, DemoCorpus, demo_corpus, demo_trainer
from .neighbor_explorer import NeighborExplorer
from .step_widget import MAX_STEPS_PER_CALL, PLAY_SPEEDS, StepWidget
from .attention_explorer import AttentionExplorer

__all__ = [
    "DEMO_WORDS", "MAX_STEPS_PER_CALL", "PLAY_SPEEDS", "AttentionExplorer", "DemoCorpus", "NeighborExplorer",
    "StepWidget", "demo_corpus", "demo_trainer",
]
