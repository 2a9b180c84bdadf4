"""The step widget under JupyterLab's kernel subshells: widget messages reach the kernel on more than one thread.

Measured 2026-12-01 in tests/test_browser.py's burst test (ipykernel 7.4, JupyterLab 4): with Play running, Play's
ticks ran StepFigure.show on a subshell thread while Step clicks ran it on the main thread, up to 8 times at once
in one burst. A full draw on one thread then cached its blitting background while the other thread's moving
artists were in the shared renderer: ghosts of old frames (labels, "arrows xN") in every later frame, the kernel's
own figure included. Here two threads play the two message streams; a sound widget's frame equals a clean render.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

from helpers.widgets import StepWidget


def ghost_pixels(w: StepWidget) -> int:
    """Pixels of the frame (cached background + moving artists) that differ from a clean full render."""
    view = w.figure_view
    cached = view._background
    framed = view.pixels()
    view._background = None
    clean = view.pixels()  # no background: a full Agg draw of the same state
    view._background = cached
    return int((framed != clean).any(axis=2).sum())


@pytest.fixture
def fast_switching():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads take turns often, as the kernel's message threads can
    yield
    sys.setswitchinterval(old)


def test_step_clicks_and_draw_requests_on_two_threads_leave_no_ghosts(fast_switching):
    w = StepWidget()
    request = {"type": "draw"}  # what the browser sends after draw_idle, refresh or a resize

    clicked = [0]

    def clicks(stop: threading.Event) -> None:  # Step clicks (main thread) until the draw request is served
        while not stop.is_set():
            w.step_button.click()
            clicked[0] += 1

    def draw_request(stop: threading.Event) -> None:  # the browser's draw request (a subshell thread)
        w.canvas._handle_message(w.canvas, request, [])
        stop.set()

    ghosts = []
    for _ in range(6):
        stop = threading.Event()
        threads = [threading.Thread(target=clicks, args=(stop,)), threading.Thread(target=draw_request, args=(stop,))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ghosts.append(ghost_pixels(w))
        assert w.trainer.steps_done == clicked[0], "an update was lost or applied twice"
    assert ghosts == [0] * len(ghosts), f"frames differ from a clean render after concurrent bursts: {ghosts}"
    assert np.isfinite(w.trainer.W_in).all()
    w.close()
