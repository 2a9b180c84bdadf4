"""Re-execute notebooks top to bottom in a fresh kernel and save them with their outputs.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)

It uses nbclient, the same headless machinery nbval uses, so what is saved is what nbval will see when it
re-runs the notebook. The kernel runs in this Python environment with the notebook's folder as working directory.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> float:
    """Run ``path`` from a fresh kernel, save it in place, return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # timings would change the file on every run
        store_widget_state=False,  # random model ids; the widgets' static frame is in their own outputs
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{seconds:6.1f} s  {path.relative_to(ROOT)}")
    print(f"{total:6.1f} s  total")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
