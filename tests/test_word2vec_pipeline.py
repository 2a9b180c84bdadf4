"""The batch pipeline: every item trained once, drawn on another thread, and any error stops every thread."""

from __future__ import annotations

import threading
import time

import pytest

from helpers.word2vec.pipeline import run_pipeline


def idle_threads_after(started: set[int]) -> set[str]:
    """Names of the pipeline's threads still alive a moment after a run (none should be)."""
    time.sleep(0.2)
    return {t.name for t in threading.enumerate() if t.name.startswith("word2vec-") and t.ident not in started}


@pytest.mark.parametrize("workers", [1, 2])
def test_every_item_is_consumed_once_and_drawn_on_another_thread(workers):
    drawn_on, seen, lock = set(), [], threading.Lock()

    def items():
        for i in range(500):
            drawn_on.add(threading.current_thread().name)
            yield i

    def consume(item):
        with lock:
            seen.append(item)

    run_pipeline(items(), consume, workers)
    assert sorted(seen) == list(range(500))
    assert drawn_on == {"word2vec-batches"}, "the draws overlap the kernels only on a thread of their own"
    if workers == 1:
        assert seen == list(range(500)), "one worker trains in the order drawn (the same run as drawing in turn)"


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_while_consuming_stops_the_producer_and_is_raised(workers):
    before = {t.ident for t in threading.enumerate()}
    drawn = []

    def items():
        for i in range(10_000):
            drawn.append(i)
            yield i

    def consume(item):
        if item == 20:
            raise ArithmeticError("diverged at 20")

    with pytest.raises(ArithmeticError, match="diverged at 20"):
        run_pipeline(items(), consume, workers)
    assert len(drawn) < 100, "the producer stops a few items ahead, not at the end of the epoch"
    assert idle_threads_after(before) == set()


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_while_drawing_is_raised_in_the_calling_thread(workers):
    before = {t.ident for t in threading.enumerate()}

    def items():
        yield 1
        raise MemoryError("no room for the next chunk")

    with pytest.raises(MemoryError, match="next chunk"):
        run_pipeline(items(), lambda item: None, workers)
    assert idle_threads_after(before) == set()


def test_an_interrupt_in_the_calling_thread_stops_the_run():
    """Jupyter's interrupt button raises KeyboardInterrupt in the kernel's main thread, the one that trains."""
    before = {t.ident for t in threading.enumerate()}
    main = threading.current_thread()

    def consume(item):
        if item == 5 and threading.current_thread() is main:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_pipeline(iter(range(10**9)), consume, 1)
    assert idle_threads_after(before) == set()
