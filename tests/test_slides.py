"""Every notebook carries slide metadata from scripts/execute_notebooks.py's rule (a slide per ``#``/``##`` section,
solutions as fragments), for static slides. Presenting live, with working widgets, is done in JupyterLab's View >
Presentation Mode: tests/test_browser.py checks that at 1024x768 (jupyterlab_rise's slides load no widget
manager, see docs/INSTRUCTOR_GUIDE.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


def load_execute_script():
    """scripts/ is not a package: load execute_notebooks.py by path to reuse its rule."""
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute_notebooks = load_execute_script()


def test_there_are_notebooks_to_present():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_cell_has_the_slide_type_the_rule_gives(path: Path):
    nb = nbformat.read(path, as_version=4)
    wrong = []
    for index, cell in enumerate(nb.cells):
        found = cell.metadata.get("slideshow", {}).get("slide_type")
        expected = execute_notebooks.slide_type(cell, index)
        if found != expected:
            wrong.append(f"cell {index} ({cell.cell_type}, {cell.source[:30]!r}): {found!r}, rule says {expected!r}")
    assert not wrong, (f"{path.name}: slide metadata missing or stale; run "
                       f"`python scripts/execute_notebooks.py --slides-only {path.relative_to(ROOT)}`\n"
                       + "\n".join(wrong))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_presentation_opens_on_a_slide(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells and nb.cells[0].metadata.get("slideshow", {}).get("slide_type") == "slide"
    assert all(c.metadata.get("slideshow", {}).get("slide_type") in execute_notebooks.SLIDE_TYPES for c in nb.cells)


def make_notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_rule_on_headings_solutions_and_code():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = make_notebook(code("import helpers"), md("# Title"), md("## Part"), md("### Detail"), md("####  small"),
                       md("  \n## indented heading"), md("<details><summary>Solution</summary>"), code("x = 1"),
                       md("Some text with # inside"))
    execute_notebooks.add_slide_metadata(nb)
    assert [c.metadata.slideshow.slide_type for c in nb.cells] == [
        "slide", "slide", "slide", "subslide", "-", "slide", "fragment", "-", "-"]


def test_rule_keeps_author_notes_and_is_idempotent():
    md = nbformat.v4.new_markdown_cell
    notes = md("## Say this aloud")
    notes.metadata["slideshow"] = {"slide_type": "notes"}
    nb = make_notebook(md("# Title"), notes, md("## Next"))
    once = [c.metadata.slideshow.slide_type for c in execute_notebooks.add_slide_metadata(nb).cells]
    twice = [c.metadata.slideshow.slide_type for c in execute_notebooks.add_slide_metadata(nb).cells]
    assert once == twice == ["slide", "notes", "slide"]
