"""Minibatches drawn by one thread while the kernels train on others, so that drawing overlaps the arithmetic.

Why: between two kernel calls the trainer draws the next batch's windows and noise words with numpy, 14-35% of a
run's time on one core (measured: head500 CBOW d=300 and lee_background CBOW d=100; most with small d). The
kernels release the GIL, so one thread can draw the next batch while another trains on this one, as gensim's
job-producer thread fills its workers' queue. A single producer keeps a single order of draws from the trainer's
one Generator: the random numbers are the same whatever ``workers`` is, and with one worker the vectors are
bit-identical to drawing and training in turn.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

Item = TypeVar("Item")

#: Items drawn ahead of the workers: enough to keep them busy, few enough to hold little memory.
DEPTH = 4
#: How often (seconds) a thread waiting on the queue checks whether another one stopped the run.
_POLL = 0.05
_DONE = object()


def run_pipeline(items: Iterator[Item], consume: Callable[[Item], None], workers: int) -> None:
    """Call ``consume(item)`` for every item of ``items``, on ``workers`` threads (the calling thread is one of
    them), while a producer thread draws the items in order.

    The first exception raised anywhere, by ``items`` or by ``consume`` (a ``TrainingDiverged``, a
    ``KeyboardInterrupt`` in the calling thread), stops every thread and is raised here; items not consumed yet
    are dropped.
    """
    waiting: queue.Queue = queue.Queue(maxsize=DEPTH)
    stop, errors = threading.Event(), []

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=_POLL)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in items:
                put(item)
                if stop.is_set():
                    return
        except BaseException as error:  # noqa: BLE001 - raised again by the calling thread
            errors.append(error)
            stop.set()
        finally:
            for _ in range(workers):
                put(_DONE)

    def work() -> None:
        try:
            while not stop.is_set():
                try:
                    item = waiting.get(timeout=_POLL)
                except queue.Empty:
                    continue
                if item is _DONE:
                    return
                consume(item)
        except BaseException as error:  # noqa: BLE001 - raised again by the calling thread
            errors.append(error)
            stop.set()

    threads = [threading.Thread(target=produce, name="word2vec-batches", daemon=True)]
    threads += [threading.Thread(target=work, name=f"word2vec-worker-{i}", daemon=True) for i in range(1, workers)]
    for thread in threads:
        thread.start()
    try:
        work()
        if errors:
            stop.set()
        for thread in threads:
            thread.join()
    except BaseException:  # an interrupt while joining: stop the others too
        stop.set()
        for thread in threads:  # and wait for them (a batch at most): the caller may undo what they wrote
            thread.join()
        raise
    if errors:
        raise errors[0]
