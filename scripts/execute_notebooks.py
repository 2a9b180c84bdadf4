"""Re-execute notebooks top to bottom in a fresh kernel and save them with their outputs.

Usage: python scripts/execute_notebooks.py [--slides-only] [NOTEBOOK ...]   (default: every notebooks/*.ipynb)

It uses nbclient, the same headless machinery nbval uses, so what is saved is what nbval will see when it
re-runs the notebook. The kernel runs in this Python environment with the notebook's folder as working directory.

Every saved notebook also gets slide metadata (``cell.metadata.slideshow.slide_type``) from one rule, so an
instructor can present it with jupyterlab_rise: see :func:`slide_type`. ``--slides-only`` applies that rule
without executing anything (outputs stay as they are; nbval never compares metadata).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

#: Slide types jupyterlab_rise (and RISE before it) understands.
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
#: Authors may mark a cell as speaker notes or hidden from the slides; the rule keeps those choices.
AUTHOR_SLIDE_TYPES = ("skip", "notes")


def slide_type(cell: dict, index: int) -> str:
    """The slide type the rule gives cell number ``index`` (0-based) of a notebook.

    - the first cell, and markdown cells starting with ``# `` or ``## ``: a new ``slide``
    - markdown cells starting with ``### ``: a ``subslide`` (below the current slide)
    - a markdown cell starting with ``<details>`` (an exercise's solution): a ``fragment``, revealed on the next
      click, so the class can try the exercise before seeing the answer
    - a cell its author marked ``skip`` or ``notes``: unchanged
    - every other cell: ``-`` (continues the current slide)
    """
    current = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    if current in AUTHOR_SLIDE_TYPES:
        return current
    if index == 0:
        return "slide"
    if cell.get("cell_type") != "markdown":
        return "-"
    source = cell.get("source", "")
    text = ("".join(source) if isinstance(source, list) else source).lstrip()
    if text.startswith(("# ", "## ")):
        return "slide"
    if text.startswith("### "):
        return "subslide"
    if text.startswith("<details"):
        return "fragment"
    return "-"


def add_slide_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Set ``metadata.slideshow.slide_type`` on every cell of ``nb`` by :func:`slide_type` (in place, idempotent)."""
    for index, cell in enumerate(nb.cells):
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell, index)}
    return nb


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
    add_slide_metadata(nb)
    nbformat.write(nb, path)
    return elapsed


def apply_slides(path: Path) -> None:
    """Only (re)write the slide metadata of ``path``; outputs are left exactly as they are."""
    nb = nbformat.read(path, as_version=4)
    nbformat.write(add_slide_metadata(nb), path)


class UsageError(Exception):
    """An argument this script cannot run: its message says which one and what to give instead."""


def notebook_paths(args: list[str]) -> list[Path]:
    """The notebooks ``args`` name (a path, or a name in notebooks/; none: every numbered notebook), or a
    :class:`UsageError` naming the first argument that is no option of this script or no notebook."""
    usage = "usage: python course.py execute [--slides-only] [NOTEBOOK ...], e.g. notebooks/03_gradient_nudges.ipynb"
    paths = []
    for arg in args:
        if arg.startswith("-"):
            raise UsageError(f"unknown option {arg!r}: the only option is --slides-only\n{usage}")
        path = Path(arg)
        if not path.exists() and (ROOT / "notebooks" / path.name).exists():
            path = ROOT / "notebooks" / path.name  # "03_gradient_nudges.ipynb" from the repository's top
        if path.suffix != ".ipynb":
            raise UsageError(f"{arg!r} is not a notebook (a .ipynb file)\n{usage}")
        if not path.is_file():
            names = ", ".join(p.name for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))[:3])
            raise UsageError(f"no notebook {arg!r}: give a path to a .ipynb file, e.g. one of notebooks/ ({names}, "
                             f"...)\n{usage}")
        paths.append(path.resolve())
    return paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:  # a notebook outside the repository
        return str(path)


def main(argv: list[str]) -> int:
    slides_only = "--slides-only" in argv
    argv = [a for a in argv if a != "--slides-only"]
    try:
        paths = notebook_paths(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    if slides_only:
        for path in paths:
            apply_slides(path)
            print(f"slides  {_shown(path)}")
        return 0
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{seconds:6.1f} s  {_shown(path)}")
    print(f"{total:6.1f} s  total")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
