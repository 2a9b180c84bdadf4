"""The course as a student sees it: JupyterLab in Debian's chromium, every notebook run from the top.

For every notebook: open it in JupyterLab, Run All, and check that no cell raised, nothing new went to stderr, no
widget failed to render and the page logged no JavaScript error. The step-through trainer (notebook 03) and the
neighbour explorer (notebook 04) are then used like a student would (buttons, slider, typing) and the test
checks, from the page itself, that the numbers and the plot change as they should; so is notebook 00's
"do widgets work?" slider.

Screenshots of each notebook and its key widget go to test-artifacts/browser/ (printed at the end) so a reviewer
can look at what a student sees.

Needs /usr/bin/chromium (``python3 course.py test`` installs it as root); without it the test fails and says how
to install it.
About 2-4 minutes: JupyterLab starts once, one tab opens the notebooks one after another.
"""

from __future__ import annotations

import re
import time
import functools
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Locator

from browser_attention import use_attention_explorer
from browser_support import (CHROMIUM, HOW_TO_GET_CHROMIUM, JS_COUNT_FRAMES, JS_FIND, LabServer, LabSession,
                             copy_course, ghost_pixels, launch_browser, pick_suggestion, wrong_pixels)

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
ARTIFACTS = REPO / "test-artifacts" / "browser"

#: What ipywidgets' manager prints in place of a widget it cannot show.
WIDGET_FAILURES = ("Error displaying widget", "Failed to load model class", "Error creating view")

#: Elements worth a close-up screenshot, first match wins: the notebook's key widget, else any widget or figure.
KEY_ELEMENTS = (".wv-step-widget", ".wv-neighbor-explorer", ".jp-OutputArea-output .jupyter-widgets.widget-box",
                ".jp-OutputArea-output .jupyter-widgets", ".jp-RenderedImage")


#: Seconds from "Run All" to the last cell done, per notebook, in the browser (printed at the end, not asserted).
run_all_seconds: dict[str, float] = {}
#: Every figure's size and smallest text on a 1024x768 projector, per notebook (printed at the end).
figure_text: dict[str, list[dict]] = {}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, measurements: list[str]):
    """JupyterLab over a throwaway copy of the course, and one chromium tab on it."""
    if not CHROMIUM.exists():
        pytest.fail(HOW_TO_GET_CHROMIUM, pytrace=False)
    root = copy_course(REPO, tmp_path_factory.mktemp("course"))
    state = tmp_path_factory.mktemp("lab-state")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with LabServer(root, state) as server, launch_browser(state / "chromium-profile") as context:
        session = LabSession(context, server).start()
        try:
            yield session
        finally:
            session.close()
            if run_all_seconds:
                measurements.append("Run All in JupyterLab + chromium (fresh kernel, widgets rendering), seconds:")
                for name, seconds in run_all_seconds.items():
                    measurements.append(f"  {seconds:6.1f}  {name}")
            if figure_text:
                measurements.append("Smallest figure text on screen at 1024x768, file browser open (pt; image px "
                                    "shown at px):")
                for name, figures in figure_text.items():
                    sizes = ", ".join(f"cell {f['cell']}: {f['pt'] or 0:.1f} ({f['natural']}->{f['shown']:.0f})"
                                      for f in figures)
                    output = next((f["output"] for f in figures if f["output"]), None)
                    measurements.append(f"  {name}: {sizes or 'no figures'}"
                                        + (f" [output area {output:.0f} px]" if output else ""))
            measurements.append(f"Browser screenshots (what a student sees): {ARTIFACTS}")


def saved_stderr(path: Path) -> str:
    """Everything the saved notebook printed to stderr (nbval already holds it to that)."""
    nb = nbformat.read(path, as_version=4)
    return "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.get("outputs", []) if out.get("name") == "stderr")


JS_STDERR_AND_WIDGET_TEXT = "([path, failures]) => {" + JS_FIND + """
  const w = find(path);
  const stderr = [];
  w.content.widgets.filter(c => c.model.type === 'code').forEach(cell => {
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'stream' && out.name === 'stderr') {
        stderr.push(Array.isArray(out.text) ? out.text.join('') : out.text);
      }
    }
  });
  const text = w.node.innerText;
  // ipywidgets' bar_style "danger": a progress bar that says its run failed.
  const redBars = Array.from(w.node.querySelectorAll('.progress-bar-danger'))
    .map(bar => bar.closest('.widget-hbox, .jupyter-widgets').innerText.trim());
  return {stderr, widgetFailures: failures.filter(f => text.includes(f)), redBars};
}"""


#: A projector: 1024x768 with JupyterLab's file browser open leaves a notebook's outputs about 577 px.
PROJECTOR = (1024, 768)
#: The smallest text a class reads there: 11 pt on screen (CSS: 96 px per 72 pt).
MIN_SCREEN_PT = 11.0

JS_FIGURE_TEXT = "(path) => {" + JS_FIND + """
  const w = find(path);
  const found = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    // Each figure's output carries its smallest text in the image's own pixels (helpers.plots.style tags it).
    const metas = cell.model.outputs.toJSON().filter(o => o.data && o.data['image/png'])
      .map(o => (o.metadata || {})['image/png'] || {});
    Array.from(cell.node.querySelectorAll('.jp-RenderedImage img')).forEach((img, i) => {
      const output = img.closest('.jp-OutputArea-output');
      found.push({cell: index, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
                  output: output ? output.getBoundingClientRect().width : null,
                  textPx: (metas[i] || {}).smallest_text_px ?? null});
    });
  });
  return found;
}"""


def on_projector(lab: LabSession, file_browser: bool = True):
    """Switch the tab to 1024x768 with the file browser open (or closed); returns a function that restores it."""
    page = lab.page
    before = page.viewport_size
    page.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
    if file_browser:
        page.evaluate("() => { window.jupyterapp.shell.expandLeft(); "
                      "window.jupyterapp.shell.activateById('filebrowser'); }")
    page.wait_for_timeout(500)

    def restore() -> None:
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        page.set_viewport_size(before)
    return restore


def figure_text_on_projector(lab: LabSession, name: str) -> list[dict]:
    """Every figure of the open notebook at 1024x768 with the file browser open: its smallest text in pt on
    screen (the image's text size in its own pixels, times displayed width over natural width)."""
    restore = on_projector(lab)
    try:
        figures = lab.page.evaluate(JS_FIGURE_TEXT, lab.current)
        if figures:
            first = lab.page.locator(".jp-RenderedImage img").first
            first.scroll_into_view_if_needed()
            lab.screenshot(ARTIFACTS / f"{Path(name).stem}-figure-1024x768.png")
    finally:
        restore()
    for figure in figures:
        scale = min(1.0, figure["shown"] / figure["natural"]) if figure["natural"] else 0.0
        figure["pt"] = None if figure["textPx"] is None else figure["textPx"] * scale * 72 / 96
    return figures


def key_element(lab: LabSession) -> str | None:
    for selector in KEY_ELEMENTS:
        if lab.page.locator(selector).count():
            return selector
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_cleanly_in_jupyterlab(lab: LabSession, path: Path):
    for stale in ARTIFACTS.glob(f"{path.stem}*.png"):  # only this notebook's: another run may share the folder
        stale.unlink()
    lab.take_console_errors()
    lab.open_notebook(f"notebooks/{path.name}")
    try:
        start = time.perf_counter()
        state = lab.run_all()
        run_all_seconds[path.name] = time.perf_counter() - start
        lab.screenshot(ARTIFACTS / f"{path.stem}.png")
        selector = key_element(lab)
        if selector:
            lab.screenshot(ARTIFACTS / f"{path.stem}-widget.png", selector)

        assert not state.get("timed_out"), f"{path.name}: {state['pending']} code cells still not run: {state}"
        assert not state["errors"], f"{path.name}: cells raised in the browser: {state['errors']}"
        assert state["pending"] == 0, f"{path.name}: {state['pending']} code cells were not run"
        extra = lab.page.evaluate(JS_STDERR_AND_WIDGET_TEXT, [lab.current, list(WIDGET_FAILURES)])
        assert not extra["widgetFailures"], f"{path.name}: widgets failed to render: {extra['widgetFailures']}"
        assert not extra["redBars"], f"{path.name}: progress bars ended red though no cell failed: {extra['redBars']}"
        expected_stderr = saved_stderr(path)
        new_stderr = [text for text in extra["stderr"] if text not in expected_stderr]
        assert not new_stderr, f"{path.name}: printed to stderr in the browser but not when saved: {new_stderr}"

        figures = figure_text_on_projector(lab, path.name)
        figure_text[path.name] = figures
        untagged = [f["cell"] for f in figures if f["pt"] is None]
        assert not untagged, f"{path.name}: figures in code cells {untagged} carry no text size (plots.use_course_style " \
                             f"tags every inline figure)"
        small = {f["cell"]: f"{f['pt']:.1f} pt ({f['natural']} px shown at {f['shown']:.0f})"
                 for f in figures if f["pt"] < MIN_SCREEN_PT}
        assert not small, f"{path.name}: at 1024x768 with the file browser open these figures' smallest text is " \
                          f"below {MIN_SCREEN_PT} pt (code cell: size): {small}"

        interact = INTERACTIONS.get(path.name.split("_")[0])  # "04", not "04b"
        if interact:
            interact(lab, path.stem)
        console = lab.take_console_errors()
        assert not console, f"{path.name}: JavaScript errors in the page: {console}"
    finally:
        lab.close_notebook()


# ---------------------------------------------------------------------------------------------------------------
# Using the widgets like a student. Each function gets the tab with its notebook run, and checks what the page shows.

def step_count(widget: Locator) -> int:
    """Updates done so far, as the step widget states it in its numbers panel."""
    value = widget.locator(".wv-step-numbers").first.get_attribute("data-step")
    if value is None:  # the attribute sits on an element inside the panel
        value = widget.locator(".wv-step-numbers [data-step]").first.get_attribute("data-step")
    assert value is not None, "the step widget's numbers carry no data-step attribute"
    return int(value)


def wait_for_step(lab: LabSession, widget: Locator, expected: int, what: str) -> None:
    """Wait until the widget says it has done ``expected`` updates (fails with the count it shows)."""
    for _ in range(100):
        if step_count(widget) == expected:
            lab.wait_until_idle()
            return
        lab.page.wait_for_timeout(100)
    pytest.fail(f"after {what} the step widget shows step {step_count(widget)}, expected {expected}")


def canvas_png(widget: Locator, name: str) -> bytes:
    """A screenshot of the step widget's plot, also kept as an artifact."""
    canvas = widget.locator(".wv-step-canvas").first
    canvas.scroll_into_view_if_needed()
    data = canvas.screenshot()
    (ARTIFACTS / name).write_bytes(data)
    return data


def wait_for_new_canvas(lab: LabSession, widget: Locator, before: bytes, name: str) -> bytes:
    """The canvas redraws asynchronously (draw_idle, then an image message): poll until it differs."""
    for _ in range(50):
        now = canvas_png(widget, name)
        if now != before:
            return now
        lab.page.wait_for_timeout(200)
    return now


def numbers(widget: Locator) -> str:
    return widget.locator(".wv-step-numbers").first.inner_text()


def nudge_lengths(text: str) -> list[float]:
    """Lengths of the nudges the numbers panel reports (``|Δ...| = 0.123``)."""
    return [float(x) for x in re.findall(r"\|Δ[^|]*\|\s*=\s*([-+0-9.e]+)", text)]


def use_step_widget(lab: LabSession, stem: str) -> None:
    widget = lab.page.locator(".wv-step-widget").first
    assert widget.count(), "notebook 03 shows no step widget (.wv-step-widget)"
    start = step_count(widget)
    first_numbers, first_canvas = numbers(widget), canvas_png(widget, f"{stem}-canvas-0-start.png")

    widget.locator("button.wv-step").first.click()
    wait_for_step(lab, widget, start + 1, "Step")
    after_one = numbers(widget)
    assert after_one != first_numbers, "Step did not change the numbers shown"
    one_canvas = wait_for_new_canvas(lab, widget, first_canvas, f"{stem}-canvas-1-step.png")
    assert one_canvas != first_canvas, "Step did not change the plot"

    widget.locator("button.wv-step10").first.click()
    wait_for_step(lab, widget, start + 11, "Step x10")
    ten_canvas = wait_for_new_canvas(lab, widget, one_canvas, f"{stem}-canvas-2-step10.png")
    assert ten_canvas != one_canvas, "Step x10 did not change the plot"
    lab.screenshot(ARTIFACTS / f"{stem}-widget-after-11-steps.png", ".wv-step-widget")

    widget.locator("button.wv-reset").first.click()
    wait_for_step(lab, widget, 0, "Reset")
    reset_canvas = wait_for_new_canvas(lab, widget, ten_canvas, f"{stem}-canvas-3-reset.png")
    assert reset_canvas != ten_canvas, "Reset did not redraw the plot"

    # Reset returns to the exact seeded start (same vectors, pairs, noise words), so the first update after a
    # reset is the same update whatever the learning rate: every nudge is lr times the same gradient.
    small = first_update(lab, widget)
    widget.locator("button.wv-reset").first.click()
    wait_for_step(lab, widget, 0, "second Reset")
    handle = widget.locator(".wv-lr .noUi-handle, .wv-lr [role=slider]").first
    handle.focus()
    for _ in range(3):
        lab.page.keyboard.press("ArrowRight")
    wait_for_kernel_lr(lab, widget)
    large = first_update(lab, widget)
    lab.screenshot(ARTIFACTS / f"{stem}-widget-larger-lr.png", ".wv-step-widget")

    assert large["lr"] > small["lr"], f"moving the learning-rate slider right did not raise it: {small} -> {large}"
    assert large["pair"] == small["pair"], f"Reset should replay the same first update: {small} -> {large}"
    assert small["nudges"] and len(small["nudges"]) == len(large["nudges"]), (
        f"could not read the nudge lengths from the numbers panel: {small} / {large}")
    factor = large["lr"] / small["lr"]
    expected = [round(a * factor, 4) for a in small["nudges"]]
    assert large["nudges"] == pytest.approx(expected, rel=0.02, abs=3e-4), (
        f"lr x{factor:.2f} should scale every nudge of the same update by {factor:.2f}: {small['nudges']} -> "
        f"{large['nudges']}")

    # The notebook invites "drag the learning rate to 10": training must stop with a message, not a broken plot.
    handle.focus()
    lab.page.keyboard.press("End")
    wait_for_kernel_lr(lab, widget)
    widget.locator("button.wv-step100").first.click()
    message = widget.locator(".wv-step-message")
    message.filter(has_text="diverged").first.wait_for(timeout=20_000)
    lab.wait_until_idle()
    lab.screenshot(ARTIFACTS / f"{stem}-widget-diverged.png", ".wv-step-widget")
    assert "Try lr=" in message.inner_text(), f"the divergence message should suggest a learning rate: {message}"
    assert step_count(widget) < 101, "training went on after it diverged"


def wait_for_kernel_lr(lab: LabSession, widget: Locator) -> float:
    """Wait until the numbers panel (the kernel's side) states the learning rate the slider shows; return it."""
    shown = float(widget.locator(".wv-lr .widget-readout").first.inner_text())
    for _ in range(100):
        match = re.search(r"learning rate for the next step: ([0-9.e+-]+)", numbers(widget))
        if match and float(match.group(1)) == pytest.approx(shown, rel=0.01):
            return shown
        lab.page.wait_for_timeout(100)
    pytest.fail(f"the slider shows lr = {shown}, but the widget's numbers say: {numbers(widget)[:200]!r}")


def first_update(lab: LabSession, widget: Locator) -> dict:
    """Click Step once from a reset widget; what the numbers panel says about that update."""
    widget.locator("button.wv-step").first.click()
    wait_for_step(lab, widget, 1, "Step after Reset")
    text = numbers(widget)
    match = re.search(r"step 1: target (\S+) → context (\S+), lr = ([0-9.e+-]+)", text)
    assert match, f"the numbers panel does not describe the update: {text!r}"
    return {"pair": match.group(1, 2), "lr": float(match.group(3)), "nudges": nudge_lengths(text)}


def use_neighbor_explorer(lab: LabSession, stem: str) -> None:
    explorer = lab.page.locator(".wv-neighbor-explorer").first
    assert explorer.count(), "notebook 04 shows no neighbour explorer (.wv-neighbor-explorer)"
    box = explorer.locator(".wv-neighbor-input input").first
    rows = explorer.locator(".wv-neighbor-row")

    def look_up(word: str) -> None:
        box.fill(word)
        box.press("Enter")
        explorer.locator(".wv-neighbors").filter(has_text=word).first.wait_for(timeout=10_000)
        lab.wait_until_idle()

    look_up("dog")
    assert rows.count() > 0, "typing 'dog' showed no neighbours"
    listed = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
    assert "dog" not in listed and all(listed), f"neighbours of 'dog' look wrong: {listed}"
    assert "dog" in explorer.locator(".wv-neighbors").inner_text()
    lab.screenshot(ARTIFACTS / f"{stem}-explorer-dog.png", ".wv-neighbor-explorer")

    look_up("dgo")
    assert rows.count() == 0, "an unknown word should show no neighbour table"
    pick_suggestion(lab, ".wv-neighbor-explorer", "dgo", "dog", ARTIFACTS / f"{stem}-explorer-suggestion.png",
                    ".wv-neighbor-row")
    assert box.input_value() == "dog", "clicking the suggestion should put it in the text box"
    assert rows.count() == len(listed), "clicking the suggestion should list the neighbours again"

    # A long unknown word wraps inside the notebook instead of widening the widget (once 35,505 px wide).
    width_before = explorer.bounding_box()["width"]
    long_word = "x" * 3000
    box.fill(long_word)
    box.press("Enter")
    explorer.locator(".wv-neighbors").filter(has_text="xxxxxxxx").first.wait_for(timeout=10_000)
    lab.wait_until_idle()
    output = lab.page.evaluate("() => document.querySelector('.wv-neighbor-explorer')"
                               ".closest('.jp-OutputArea-output').getBoundingClientRect().width")
    width = explorer.bounding_box()["width"]
    lab.screenshot(ARTIFACTS / f"{stem}-explorer-long-word.png", ".wv-neighbor-explorer")
    assert width <= output + 1 and width <= width_before + 1, (
        f"a 3000-letter word made the explorer {width:.0f} px wide (output area {output:.0f} px)")


def use_angle_widget(lab: LabSession, stem: str) -> None:
    """Notebook 00's setup check: "if the numbers follow your slider, widgets work"."""
    widget = lab.page.locator(".widget-vbox:has(> .wv-angle-readout)").first
    assert widget.count(), "notebook 00 shows no angle widget (.wv-angle-readout)"
    readout = widget.locator(".wv-angle-readout")
    before = readout.inner_text()
    handle = widget.locator(".noUi-handle, [role=slider]").first
    handle.focus()
    lab.page.keyboard.press("End")  # the slider's maximum: 180 degrees
    readout.filter(has_text="-1.00").wait_for(timeout=10_000)
    lab.screenshot(ARTIFACTS / f"{stem}-widget-180-degrees.png", ".widget-vbox:has(> .wv-angle-readout)")
    assert "opposite" in readout.inner_text() and readout.inner_text() != before


INTERACTIONS: dict[str, Callable[[LabSession, str], None]] = {
    "00": use_angle_widget,
    "03": use_step_widget,
    "04": use_neighbor_explorer,
    "07": functools.partial(use_attention_explorer, artifacts=ARTIFACTS),
}


def test_there_are_notebooks_to_run():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


def test_step_widget_canvas_state_is_an_image_the_browser_can_load():
    """What JupyterLab does first with the plot's state, checked without a browser: ipympl's front end sets
    ``_data_url`` as an image source, and a bare base64 string (no ``data:`` prefix) leaves the canvas at 0 px with
    "Error setting state: drawImage" in the console (the bug the browser test found)."""
    import base64

    from helpers.widgets import StepWidget

    widget = StepWidget()
    widget.step(3)  # drawn again before any browser has connected
    url = widget.canvas._data_url
    prefix = "data:image/png;base64,"
    assert isinstance(url, str) and url.startswith(prefix), f"_data_url starts {str(url)[:40]!r}"
    assert base64.b64decode(url[len(prefix):]).startswith(b"\x89PNG"), "the data URL does not hold a PNG"


# ---------------------------------------------------------------------------------------------------------------
# Every frame right: bursts of clicks, then the painted plot against the kernel's figure, pixel by pixel.

NOTEBOOK_03 = "notebooks/03_gradient_nudges.ipynb"

JS_CLICK_TO_FRAME = """async (selector) => {
  const button = document.querySelector(selector);
  const before = window.__wvFrames;
  const start = performance.now();
  button.click();
  while (window.__wvFrames === before && performance.now() - start < 5000) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  return window.__wvFrames === before ? null : performance.now() - start;
}"""


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box, f"{locator} is not on screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_step_widget_frames_match_the_kernel_after_click_bursts(lab: LabSession, measurements: list[str]):
    """Double-click, 30 clicks 30 ms apart, Reset in the middle of a burst, clicks during Play: after each, the
    canvas the browser painted equals the kernel's figure, pixel for pixel (ipympl's diff frames once left
    hundreds of stale pixels), and the widget states the trainer's update count."""
    lab.open_notebook(NOTEBOOK_03)
    results: dict[str, dict] = {}
    try:
        state = lab.run_all()
        assert not state["errors"] and state["pending"] == 0, f"notebook 03 did not run: {state}"
        lab.page.evaluate(JS_COUNT_FRAMES)
        widget = lab.page.locator(".wv-step-widget").first
        widget.locator(".wv-step-canvas").first.scroll_into_view_if_needed()
        widget.scroll_into_view_if_needed()
        step, reset = widget.locator("button.wv-step").first, widget.locator("button.wv-reset").first
        play_buttons = widget.locator(".wv-play button")
        mouse = lab.page.mouse

        def check(name: str, expected_steps: int | None) -> None:
            result = results[name] = wrong_pixels(lab, save_to=ARTIFACTS / f"03-burst-{name}-wrong")
            result.update(ghost_pixels(lab))  # the kernel's frame itself must be a clean render
            lab.screenshot(ARTIFACTS / f"03-burst-{name}.png", ".wv-step-widget")
            result["shown"] = step_count(widget)
            if expected_steps is not None:
                assert result["steps"] == expected_steps, f"{name}: trainer did {result['steps']} updates, " \
                                                          f"expected {expected_steps}"

        reset.click()
        wait_for_step(lab, widget, 0, "Reset")
        x, y = centre(step)
        mouse.dblclick(x, y)
        check("double-click", 2)

        for _ in range(30):
            mouse.click(x, y)
            lab.page.wait_for_timeout(30)
        check("30-clicks-30ms", 32)

        rx, ry = centre(reset)
        for i in range(21):
            mouse.click(*((rx, ry) if i == 10 else (x, y)))
            lab.page.wait_for_timeout(30)
        check("reset-mid-burst", 10)

        px, py = centre(play_buttons.nth(0))
        mouse.click(px, py)
        lab.page.wait_for_timeout(700)
        for _ in range(10):
            mouse.click(x, y)
            lab.page.wait_for_timeout(50)
        lab.page.wait_for_timeout(500)
        mouse.click(*centre(play_buttons.nth(1)))  # pause
        check("clicks-during-play", None)

        # Play rate: painted frames and updates over a fixed number of updates (measured, not asserted).
        reset.click()
        wait_for_step(lab, widget, 0, "Reset before Play")
        frames0, start = lab.page.evaluate("() => window.__wvFrames"), time.perf_counter()
        mouse.click(px, py)
        for _ in range(600):
            if step_count(widget) >= 60:
                break
            lab.page.wait_for_timeout(50)
        mouse.click(*centre(play_buttons.nth(1)))
        elapsed = time.perf_counter() - start
        frames = lab.page.evaluate("() => window.__wvFrames") - frames0
        check("after-play", None)
        updates = results["after-play"]["steps"]
        measurements.append(f"Step widget Play: {updates} updates in {elapsed:.1f} s = {updates / elapsed:.1f} "
                            f"updates/s, {frames} frames painted")

        # Every Play rate the widget offers: painted frames per second against updates per second (measured and
        # reported, not asserted: the machine's load changes both).
        speed = widget.locator(".wv-speed select").first
        offered = [o.strip() for o in speed.locator("option").all_inner_texts()]
        for label in offered:
            reset.click()
            wait_for_step(lab, widget, 0, f"Reset before Play at {label}")
            speed.select_option(label=label)
            lab.wait_until_idle()
            frames0, start = lab.page.evaluate("() => window.__wvFrames"), time.perf_counter()
            mouse.click(px, py)
            lab.page.wait_for_timeout(4000)
            mouse.click(*centre(play_buttons.nth(1)))
            elapsed = time.perf_counter() - start
            lab.wait_until_idle()
            frames = lab.page.evaluate("() => window.__wvFrames") - frames0
            done = step_count(widget)
            measurements.append(f"Step widget Play at {label}: {done} updates in {elapsed:.1f} s = "
                                f"{done / elapsed:.1f} updates/s; {frames} frames painted = {frames / elapsed:.1f} "
                                f"frames/s ({frames / max(done, 1):.2f} frames per update)")
        check("after-play-rates", None)
        speed.select_option(index=min(2, len(offered) - 1))

        latencies = []
        for _ in range(12):
            lab.wait_until_idle()
            lab.page.wait_for_timeout(300)
            latencies.append(lab.page.evaluate(JS_CLICK_TO_FRAME, ".wv-step-widget button.wv-step"))
        painted = sorted(t for t in latencies if t is not None)
        if painted:
            measurements.append(f"Step widget click-to-canvas latency over {len(painted)} clicks: median "
                                f"{painted[len(painted) // 2]:.0f} ms, max {painted[-1]:.0f} ms "
                                f"({latencies.count(None)} clicks painted nothing within 5 s)")
        check("after-latency-clicks", None)
    finally:
        for name, result in results.items():
            measurements.append(f"Step widget wrong pixels after {name}: {result.get('wrong')} "
                                f"(canvas {result.get('browser')}, figure {result.get('kernel')}, "
                                f"{result.get('steps')} updates, widget says {result.get('shown')}; "
                                f"{result.get('ghost')} differ from a clean render)")
        lab.close_notebook()
    for name, result in results.items():
        assert result["shown"] == result["steps"], f"{name}: the widget says {result['shown']} updates, the " \
                                                   f"trainer did {result['steps']}"
    wrong = {name: result["wrong"] for name, result in results.items() if result["wrong"]}
    assert not wrong, f"the painted plot differs from the kernel's figure (wrong pixels): {wrong}"
    ghosts = {name: (result["ghost"], result["rows"]) for name, result in results.items() if result["ghost"]}
    assert not ghosts, f"the kernel's frame differs from a clean full render (ghosts of old frames baked into " \
                       f"the cached background; pixels, rows): {ghosts}"


# ---------------------------------------------------------------------------------------------------------------
# A projector: 1024x768 with JupyterLab's file browser open, then View > Appearance > Presentation Mode with a live widget.

JS_LAYOUT = """() => {
  const widget = document.querySelector('.wv-step-widget');
  const output = widget.closest('.jp-OutputArea-output');
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
                                                                       bottom: r.bottom, width: r.width}; };
  // Anything inside the widget that sticks out of it is cut off (the widget hides overflow).
  const cut = Array.from(widget.querySelectorAll('*')).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > box(widget).right + 1 || r.left < box(widget).left - 1);
  }).map(el => el.className || el.tagName).slice(0, 5);
  return {widget: box(widget), output: box(output), step: box(widget.querySelector('button.wv-step')),
          canvas: box(widget.querySelector('.wv-step-canvas canvas')), cut,
          viewport: [window.innerWidth, window.innerHeight],
          fileBrowser: !!document.querySelector('#filebrowser') && document.querySelector('#filebrowser')
                         .getBoundingClientRect().width > 0,
          presentation: window.jupyterapp.shell.presentationMode};
}"""


def scroll_widget_to_top(lab: LabSession) -> None:
    """Scroll the notebook so that the step widget's first row sits at the top of the notebook panel."""
    lab.page.evaluate("() => document.querySelector('.wv-step-widget').scrollIntoView({block: 'start'})")
    lab.page.wait_for_timeout(300)


def check_fits(layout: dict, where: str) -> None:
    widget, output, viewport = layout["widget"], layout["output"], layout["viewport"]
    assert widget["right"] <= output["right"] + 1 and widget["width"] <= output["width"] + 1, (
        f"{where}: the step widget ({widget['width']:.0f} px) is wider than the notebook's output area "
        f"({output['width']:.0f} px)")
    assert not layout["cut"], f"{where}: parts of the widget are cut off: {layout['cut']} ({layout})"
    assert layout["canvas"]["right"] <= widget["right"] + 1, f"{where}: the plot is cut off on the right"
    assert layout["step"]["top"] >= 0 and layout["canvas"]["bottom"] <= viewport[1], (
        f"{where}: the Step button (top {layout['step']['top']:.0f}) and the plot (bottom "
        f"{layout['canvas']['bottom']:.0f}) are not on a {viewport[0]}x{viewport[1]} screen together")


def test_step_widget_fits_a_projector_and_works_in_presentation_mode(lab: LabSession, measurements: list[str]):
    """1024x768 with the file browser open (JupyterLab's default): the widget fits the notebook's width, nothing
    is cut off, the buttons and the plot are on screen together. Then View > Appearance > Presentation Mode: Step still
    changes the plot, and the painted plot equals the kernel's figure."""
    page = lab.page
    default_viewport = page.viewport_size
    page.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
    page.evaluate("() => { window.jupyterapp.shell.expandLeft(); window.jupyterapp.shell.activateById('filebrowser'); }")
    lab.open_notebook(NOTEBOOK_03)
    try:
        state = lab.run_all()
        assert not state["errors"] and state["pending"] == 0, f"notebook 03 did not run: {state}"
        widget = page.locator(".wv-step-widget").first
        scroll_widget_to_top(lab)
        layout = page.evaluate(JS_LAYOUT)
        lab.screenshot(ARTIFACTS / "03-projector-1024x768-file-browser.png")
        measurements.append(f"Step widget at 1024x768 with the file browser open: {layout['widget']['width']:.0f} px "
                            f"wide in a {layout['output']['width']:.0f} px output area; Step button top "
                            f"{layout['step']['top']:.0f} px, plot bottom {layout['canvas']['bottom']:.0f} px")
        assert layout["fileBrowser"], "the file browser should be open for this check"
        check_fits(layout, "1024x768, file browser open")

        lab.command("application:toggle-presentation-mode")
        page.wait_for_timeout(500)
        scroll_widget_to_top(lab)
        layout = page.evaluate(JS_LAYOUT)
        lab.screenshot(ARTIFACTS / "03-presentation-mode-1024x768.png")
        assert layout["presentation"], "View > Appearance > Presentation Mode did not switch on"
        check_fits(layout, "presentation mode")
        before_steps, before = step_count(widget), canvas_png(widget, "03-presentation-canvas-before.png")
        widget.locator("button.wv-step").first.click()
        wait_for_step(lab, widget, before_steps + 1, "Step in presentation mode")
        after = wait_for_new_canvas(lab, widget, before, "03-presentation-canvas-after.png")
        lab.screenshot(ARTIFACTS / "03-presentation-mode-1024x768.png")
        assert after != before, "Step in presentation mode did not change the plot"
        result = wrong_pixels(lab)
        assert result["wrong"] == 0, f"presentation mode: the painted plot differs from the kernel's: {result}"
        measurements.append(f"Presentation mode at 1024x768: Step changed the plot; {result['wrong']} wrong pixels; "
                            f"widget {layout['widget']['width']:.0f} px wide, plot bottom "
                            f"{layout['canvas']['bottom']:.0f} px")
    finally:
        if page.evaluate("() => window.jupyterapp.shell.presentationMode"):
            lab.command("application:toggle-presentation-mode")
        lab.close_notebook()
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        page.set_viewport_size(default_viewport)


# ---------------------------------------------------------------------------------------------------------------
# Presenting a whole lesson: View > Appearance > Presentation Mode at 1024x768, section by section.

JS_SECTIONS = "(path) => {" + JS_FIND + """
  const w = find(path);
  const cells = w.content.widgets;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  const screen = scroller.getBoundingClientRect().height;
  // Sections start at every rendered #, ## or ### heading (one may sit inside a markdown cell).
  const headings = Array.from(w.content.node.querySelectorAll(
    '.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3'));
  const end = cells[cells.length - 1].node.getBoundingClientRect().bottom;
  const sections = headings.map((h, k) => {
    const top = h.getBoundingClientRect().top;
    const bottom = k + 1 < headings.length ? headings[k + 1].getBoundingClientRect().top : end;
    // A section made of one cell's output alone (a widget) cannot be split further.
    const inside = cells.filter(c => { const r = c.node.getBoundingClientRect();
                                       return r.bottom > top + 1 && r.top < bottom - 1; });
    const onlyCode = inside.filter(c => c.model.type === 'code');
    const tallest = Math.max(0, ...onlyCode.map(c => c.node.getBoundingClientRect().height));
    return {title: h.textContent.replace('¶', '').trim().slice(0, 60), height: bottom - top, tallestCell: tallest};
  });
  // A display equation wider than its cell is cut off on the right, with no scrollbar.
  const cut = Array.from(w.node.querySelectorAll('mjx-container[display="true"], .MathJax_Display')).map(eq => {
    const cell = eq.closest('.jp-RenderedMarkdown') || eq.parentElement;
    const over = eq.scrollWidth - cell.getBoundingClientRect().width;
    const inner = eq.firstElementChild ? eq.firstElementChild.getBoundingClientRect().width : eq.scrollWidth;
    return {text: (eq.getAttribute('aria-label') || eq.textContent || '').slice(0, 50),
            over: Math.max(over, inner - cell.getBoundingClientRect().width)};
  }).filter(e => e.over > 1);
  return {screen, sections, cut};
}"""


@pytest.mark.xfail(strict=True, reason="measured 2026-12-08: 7 of 11 sections of notebook 03 are 1.0-2.7 screens tall "
                   "in Presentation Mode (the step widget and the stacked 400-update figure are each most of a "
                   "screen); splitting them is notebook text work still to do. Strict: remove this mark once it passes")
def test_notebook_03_in_presentation_mode_fits_a_screen_section_by_section(lab: LabSession, measurements: list[str]):
    """A presenter scrolls from one section (## or ### heading) to the next: each must fit one 1024x768 screen in
    Presentation Mode, and no display equation may be cut off on the right."""
    restore = on_projector(lab, file_browser=False)
    lab.open_notebook(NOTEBOOK_03)
    try:
        state = lab.run_all()
        assert not state["errors"] and state["pending"] == 0, f"notebook 03 did not run: {state}"
        lab.command("application:toggle-presentation-mode")
        lab.page.wait_for_timeout(800)
        found = lab.page.evaluate(JS_SECTIONS, lab.current)
        lab.screenshot(ARTIFACTS / "03-presentation-mode-top.png")
        measurements.append(f"Notebook 03 in Presentation Mode at 1024x768: {found['screen']:.0f} px of notebook on "
                            f"screen; sections (px tall): " + "; ".join(
                                f"{s['title']} {s['height']:.0f}" for s in found["sections"]) + " (largest cell of each: " + ", ".join(
                                f"{s['tallestCell']:.0f}" for s in found["sections"]) + ")")
        measurements.append(f"Notebook 03 display equations cut off on the right: {found['cut'] or 'none'}")
    finally:
        if lab.page.evaluate("() => window.jupyterapp.shell.presentationMode"):
            lab.command("application:toggle-presentation-mode")
        lab.close_notebook()
        restore()
    assert not found["cut"], f"display equations cut off in Presentation Mode (px over): {found['cut']}"
    # A section may be taller than the screen only by one cell that is itself taller (the step widget: its
    # buttons and plot fit, see the projector test); everything else must be split where a presenter pauses.
    tall = {s["title"]: f"{s['height'] / found['screen']:.1f} screens" for s in found["sections"]
            if s["height"] > found["screen"] + 1 and s["height"] - s["tallestCell"] > found["screen"] / 3}
    assert not tall, f"sections of notebook 03 taller than one Presentation Mode screen: {tall}"
