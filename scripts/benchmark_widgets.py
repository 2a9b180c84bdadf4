"""Time the course widgets on this machine, kernel side; prints medians. A benchmark, not a test.

Usage: python scripts/benchmark_widgets.py [--repeats N] [--memory]

What one click costs in the kernel, as the browser would trigger it:

- ``step``: one update through the widget (``StepWidget.step(1)``): the trainer's update, the HTML numbers and
  sentence, moving the plot's artists, redrawing them over the cached background (blitting) and the whole-frame
  PNG that ipympl sends to the browser.
- ``step x100``: a hundred updates, drawn once.
- parts of a step: the trainer's update alone, the text displays, the plot (artists, blit, whole-frame PNG),
  and the PNG encoding alone (frames are sent whole: see helpers/widgets/canvas.py).
- ``full redraw``: a draw of the whole figure, which a widget without blitting would pay on every step (and
  this one pays only when an axis range grows).
- ``reference``: a full draw of an empty one-axes figure, to compare machines: timings here are noisy (shared
  cores), so only compare numbers from the same run. The CPU column (process time) suffers less from other
  processes than the wall-clock median.

Quality bars from the course's issue: one step <= 30 ms median, Step x100 <= 300 ms median.

``--memory`` instead measures what 50 displayed step widgets add to a real kernel (an ipykernel started with
jupyter_client, as JupyterLab starts one; ``display(w)`` as a notebook cell does, then 30 updates each, as clicks
would), on one shared trainer and with the demo trainer each (what ``StepWidget()`` in notebook 03 makes).
Goal from the course's issue: <= 100 MB for 50.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.space import WordVectors
from helpers.widgets import NeighborExplorer, StepWidget
from helpers.widgets.step_state import touched_outputs


class Timings(list):
    """Wall-clock and CPU milliseconds of timed calls (CPU time suffers less from other processes' load)."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []

    def __iadd__(self, other: Timings) -> Timings:
        self.extend(other)
        self.cpu.extend(other.cpu)
        return self


def timed(action: Callable[[], object], repeats: int) -> Timings:
    """Milliseconds (wall and CPU) of ``repeats`` calls of ``action``."""
    times = Timings()
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        times.cpu.append((time.process_time() - start_cpu) * 1e3)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def live_widget() -> StepWidget:
    """A step widget as it is once a browser shows it: ipympl then sends whole-frame PNGs instead of data URLs."""
    widget = StepWidget()
    widget.canvas.syncing_data_url = False  # what the browser's "initialized" message sets
    widget.step(1)  # first draw and font caches out of the way
    return widget


def reference_draw() -> Callable[[], None]:
    figure = Figure(figsize=(6.4, 4.8), dpi=80)
    canvas = FigureCanvasAgg(figure)
    figure.add_subplot().plot([0, 1], [0, 1])
    canvas.draw()
    return canvas.draw


def draw_plot(widget: StepWidget) -> None:
    """What a step costs the plot: move the artists, blit, encode and send the whole frame."""
    t = widget.trainer
    widget.figure_view.show(t.W_in, widget.last_record, touched_outputs(widget.last_record), t.loss_history,
                            widget.cos_history, list(widget._history.trails.values()), t.steps_done)


def encode_frame(widget: StepWidget) -> None:
    """The whole-frame PNG alone (Pillow, compress level 1), as ipympl's canvas sends it."""
    widget.canvas._png_is_old = True
    widget.canvas.get_diff_image()


def report(name: str, times: Timings, bar: float | None = None) -> None:
    q1, median, q3 = statistics.quantiles(times, n=4) if len(times) > 1 else (times[0],) * 3
    cpu = statistics.median(times.cpu)
    verdict = "" if bar is None else f"   bar {bar:g} ms: {'met' if median <= bar else 'NOT met'}"
    print(f"{name:<42} median {median:7.1f} ms (quartiles {q1:6.1f} .. {q3:6.1f})   CPU {cpu:7.1f} ms   "
          f"n={len(times)}{verdict}")


#: Cells run in the kernel by :func:`kernel_memory`; RESULT lines carry the numbers back.
MEMORY_CELLS = (
    # Imports, fonts and label bitmaps (caches shared by every widget) out of the way first.
    """import gc, resource, warnings
import ipywidgets
from IPython.display import display
from helpers.widgets import StepWidget, demo_trainer
def _rss_mb():
    gc.collect()
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
def _registered():
    return len(ipywidgets.widgets.widget._instances)
_w = StepWidget(); display(_w); _w.step({steps}); _w.close(); del _w
_before, _registered_before = _rss_mb(), _registered()""",
    """_shared = demo_trainer() if {shared} else None
_shown = [StepWidget(_shared) for _ in range({count})]
for _w in _shown:
    display(_w)""",
    """for _w in _shown:
    _w.step({steps})
print('RESULT shown', _rss_mb() - _before)""",
    """for _w in _shown:
    _w.close()
print('RESULT closed', _rss_mb() - _before, _registered() - _registered_before)""",
)


def kernel_memory(trainers: str = "own", count: int = 50, steps: int = 30, timeout: float = 300.0) -> dict:
    """RSS (MB) that ``count`` displayed step widgets add to a fresh kernel, and what is left after ``close()``.

    Parameters
    ----------
    trainers : "own" or "shared"
        ``StepWidget()`` (a demo trainer each, as notebook 03) or ``StepWidget(trainer)`` on one trainer.

    Returns
    -------
    dict with ``shown`` (MB after display and ``steps`` updates each), ``closed`` (MB after closing them all)
    and ``registered`` (widgets still registered after closing).
    """
    from jupyter_client.manager import start_new_kernel

    if trainers not in ("own", "shared"):
        raise ValueError(f"trainers must be 'own' or 'shared', got {trainers!r}")
    manager, client = start_new_kernel()  # inherits PYTHONPATH: the kernel imports this checkout's helpers
    results: dict = {}
    try:
        for cell in MEMORY_CELLS:
            code = cell.format(shared=trainers == "shared", count=count, steps=steps)
            msg_id = client.execute(code)
            while True:
                msg = client.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                content = msg["content"]
                if msg["msg_type"] == "error":
                    raise RuntimeError("kernel cell failed:\n" + "\n".join(content["traceback"]))
                if msg["msg_type"] == "stream":
                    for line in content["text"].splitlines():
                        if line.startswith("RESULT "):
                            name, *values = line.split()[1:]
                            results[name] = float(values[0])
                            if len(values) > 1:
                                results["registered"] = int(values[1])
                if msg["msg_type"] == "status" and content["execution_state"] == "idle":
                    break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return results


def report_memory() -> None:
    print("50 displayed StepWidgets in a fresh kernel (30 updates each); goal <= 100 MB")
    for trainers in ("shared", "own"):
        m = kernel_memory(trainers)
        print(f"{trainers + ' trainer' + 's' * (trainers == 'own'):<16} RSS +{m['shown']:.0f} MB "
              f"({m['shown'] / 50:.2f} MB per widget); after close(): +{m['closed']:.0f} MB, "
              f"{m['registered']} widgets still registered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per measurement (default 30)")
    parser.add_argument("--memory", action="store_true", help="measure kernel memory of 50 widgets instead")
    args = parser.parse_args()
    if args.memory:
        report_memory()
        return
    n = args.repeats

    widget = live_widget()
    reference = reference_draw()
    # Interleave the measurements round by round so that load from other processes hits all of them alike.
    results = {k: Timings() for k in ("step", "trainer", "text", "plot", "encode", "full", "reference")}
    for _ in range(n):
        if widget.trainer.steps_done > 400:  # stay in the same axis ranges: no full redraws inside "step"
            widget.reset()
            widget.step(1)
        results["step"] += timed(lambda: widget.step(1), 1)
        results["trainer"] += timed(widget.trainer.step, 1)
        widget._sync()
        results["text"] += timed(lambda: (widget._redraw_sentence(), widget._redraw_numbers()), 1)
        results["plot"] += timed(lambda: draw_plot(widget), 1)
        results["encode"] += timed(lambda: encode_frame(widget), 1)
        results["full"] += timed(widget.canvas.draw, 1)
        results["reference"] += timed(reference, 1)
    hundreds = Timings()
    for _ in range(max(3, n // 5)):
        widget.reset()
        widget.step(1)
        hundreds += timed(lambda: widget.step(100), 1)

    print("StepWidget, kernel side (2-D demo model, 8 words, negative sampling)")
    report("one step (click on Step)", results["step"], bar=30)
    report("Step x100 (drawn once)", hundreds, bar=300)
    report("  part: trainer update alone", results["trainer"])
    report("  part: sentence + numbers HTML", results["text"])
    report("  part: plot (artists + blit + frame PNG)", results["plot"])
    report("  part: whole-frame PNG encode", results["encode"])
    report("full figure redraw (not per step)", results["full"])
    report("reference: empty 1-axes figure draw", results["reference"])

    explorer = NeighborExplorer(widget.trainer.word_vectors(), word="cat")
    words = itertools.cycle(widget.trainer.vocab.index_to_key)
    print("NeighborExplorer")
    report("one lookup (type a word), V=8", timed(lambda: setattr(explorer.word_box, "value", next(words)), n))
    big = WordVectors(widget.trainer.rng.normal(size=(50_000, 100)), [f"w{i}" for i in range(50_000)])
    big_explorer = NeighborExplorer(big, word="w0")
    big_words = (f"w{i}" for i in itertools.count(1))
    report("one lookup, V=50,000 d=100", timed(lambda: setattr(big_explorer.word_box, "value", next(big_words)),
                                               max(5, n // 3)))

if __name__ == "__main__":
    main()
