"""Shared fixtures and settings for the unit tests of ``helpers``."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.internal.conjecture import engine as _hypothesis_engine

# Property tests must be reproducible in CI, must not fail because a shared machine is slow, and must report a
# failure in seconds: derandomize makes every run draw the same examples; the deadline is generous (examples take
# milliseconds; the first one may compile the numba kernels on a fresh clone) yet stops an example that went
# pathological; database=None keeps test runs from writing into the repository.
settings.register_profile(
    "course",
    derandomize=True,
    deadline=timedelta(seconds=30),
    database=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
# Shrinking is bounded: hypothesis shrinks a failure for up to 300 s by default (440 s were seen in CI, for a
# failure whose first example already said everything). Its settings have no public knob for this, so the limit of
# the pinned version (requirements-test.txt) is lowered where it lives; a version without it keeps its default.
if hasattr(_hypothesis_engine, "MAX_SHRINKING_SECONDS"):
    _hypothesis_engine.MAX_SHRINKING_SECONDS = 15
settings.load_profile("course")


@pytest.fixture(scope="session")
def toy_world():
    """The course's toy world: the shipped files if present, else generated with the same default seed."""
    from helpers import toyworld

    return toyworld.load_or_generate()


@pytest.fixture()
def pets_corpus() -> list[list[str]]:
    """A tiny corpus in which cat and dog share every context and fish lives elsewhere."""
    base = [
        ["the", "cat", "is", "cute"],
        ["my", "cat", "likes", "milk"],
        ["the", "dog", "is", "cute"],
        ["my", "dog", "likes", "milk"],
        ["a", "fish", "swims", "in", "water"],
        ["the", "fish", "swims", "fast"],
    ]
    return [list(s) for s in base * 5]


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
