"""Interactive views for the notebooks: the step-through trainer and the neighbour explorer.

Widgets wrap other helpers and add no training or lookup logic of their own: :class:`StepWidget` drives a
:class:`helpers.model.StepTrainer`, :class:`NeighborExplorer` queries a :class:`helpers.space.WordVectors`.

Both are ``ipywidgets.VBox`` subclasses, so ``display(w)`` or leaving ``w`` last in a cell shows them. Their
``_repr_mimebundle_`` adds a deterministic ``text/plain`` summary (and for the step widget an ``image/png`` of the
plot, for the explorer a ``text/html`` table): a saved notebook viewed on GitHub or nbviewer, where live widgets do
not run, still shows a meaningful frame, and nbval has stable text to compare. Errors raised inside a button or
slider callback are shown in the widget itself (JupyterLab would otherwise swallow them) and the widget keeps
working. ``close()`` frees a widget and everything it holds.

Modules: :mod:`.step_widget` (the widget: actions and bookkeeping), :mod:`.step_form` (its saved form,
``repr`` and closing), :mod:`.step_controls` (its controls and
Play's rate), :mod:`.step_state` (inputs checked, the pair's history), :mod:`.step_text` (its sentence and numbers),
:mod:`.step_figure` (the plot), :mod:`.history_panels` and :mod:`.label_layout` (parts of the plot),
:mod:`.neighbor_explorer`,
:mod:`.common` (what they share). The demo corpus and trainer live in :mod:`helpers.model.demo`.

Also here:

- :mod:`.attention_explorer`: A view of the attention of :mod:`helpers.contextual`'s model over a sentence the learner
  types.
- :mod:`.canvas`: An interactive matplotlib canvas for widgets: ipympl without its side effects, sending whole frames,
  and word labels stamped from cached bitmaps.
"""

from ..model.demo import DEMO_WORDS, DemoCorpus, demo_corpus, demo_trainer
from .neighbor_explorer import NeighborExplorer
from .step_widget import MAX_STEPS_PER_CALL, PLAY_SPEEDS, StepWidget
from .attention_explorer import AttentionExplorer

__all__ = [
    "DEMO_WORDS", "MAX_STEPS_PER_CALL", "PLAY_SPEEDS", "AttentionExplorer", "DemoCorpus", "NeighborExplorer",
    "StepWidget", "demo_corpus", "demo_trainer",
]
