"""Restart and Run All, timed: every notebook from a fresh kernel, as a learner who gets lost would do it.
A benchmark, not a test: it prints seconds per notebook (kernel start included) and fails on nothing but errors.

Usage: python scripts/benchmark_notebooks.py [NOTEBOOK ...]     (default: every notebooks/NN*_*.ipynb)

The course's budget is 10 s of cell time per notebook on 2 cores. The test suite runs each notebook once, under
nbval, and prints the same per-notebook seconds in its summary; this script times them alone, one after another,
which is the figure to quote (run it on a quiet machine: shared ones are 2-4x slower).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 10.0


def restart_and_run_all(path: Path, timeout: int = 300) -> tuple[float, list[str]]:
    """Seconds to run ``path`` top to bottom in a new kernel (started inside the timing), and its error outputs.

    The notebook runs in memory: nothing is written back.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [f"cell {i}: {out.ename}: {out.evalue}" for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.output_type == "error"]
    return seconds, errors


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((REPO / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
    print(f"Restart & Run All, seconds (kernel start included; budget {BUDGET_SECONDS:.0f} s of cell time):")
    total, failed = 0.0, False
    for path in paths:
        seconds, errors = restart_and_run_all(path)
        total += seconds
        note = "  <- over the budget (busy machine? measure again)" if seconds > BUDGET_SECONDS else ""
        print(f"  {seconds:6.1f}  {path.name}{note}", flush=True)
        for error in errors:
            print(f"          {error}")
            failed = True
    print(f"  {total:6.1f}  total")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
