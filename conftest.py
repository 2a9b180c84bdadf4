"""pytest settings for the whole repository: the measurements that tests and nbval report (printed, not asserted).

Tests append lines to the ``measurements`` fixture; nbval's cells are timed per notebook here (the one run of each
notebook in this environment measures its cell time too, no separate timed run). With pytest-xdist
(``course.py test`` runs ``-n``), tests run in worker processes: their lines travel to the main process on the
test reports and are printed in its summary.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

#: Lines printed in pytest's summary: output printed inside tests and fixtures is shown only when a test fails.
MEASUREMENTS: list[str] = []
#: nbval: seconds per notebook (its cells' setup, run and teardown: the kernel's start included).
NOTEBOOK_SECONDS: dict[str, float] = defaultdict(float)
#: The course's budget for one notebook's cell time on 2 cores (CONTRIBUTING.md); reported against, not asserted.
NOTEBOOK_BUDGET_SECONDS = 10.0
_IN_WORKER = False
#: Files whose tests take minutes (a fresh environment, a browser, a fresh clone, a hub, a recompile): collected
#: first, so pytest-xdist (``--dist loadfile``, files in collection order) starts them at once and the many short
#: files fill the other worker, instead of one long file starting last while the other worker idles.
SLOW_FIRST = ("tests/test_fresh_install.py", "tests/test_browser.py", "tests/test_launcher_fresh_clone.py",
              "tests/test_hub.py", "tests/test_word2vec_boundscheck.py")


def pytest_configure(config) -> None:
    global _IN_WORKER
    _IN_WORKER = hasattr(config, "workerinput")  # a pytest-xdist worker: measurements go out on reports


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    root = config.rootpath
    def position(item) -> int:
        path = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        return rank.get(path, len(rank))
    items.sort(key=position)  # stable: the order within and between the other files is kept


@pytest.fixture(scope="session")
def measurements() -> list[str]:
    """Append lines here to have them printed at the end of the test run (not asserted: machines are noisy)."""
    return MEASUREMENTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if _IN_WORKER and MEASUREMENTS:
        outcome.get_result().user_properties.append(("measurements", list(MEASUREMENTS)))
        MEASUREMENTS.clear()


def pytest_runtest_logreport(report) -> None:
    if _IN_WORKER:
        return
    for key, lines in report.user_properties:
        if key == "measurements":
            MEASUREMENTS.extend(lines)
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        NOTEBOOK_SECONDS[path] += report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    lines = list(MEASUREMENTS)
    if NOTEBOOK_SECONDS:
        lines.append(f"nbval, seconds per notebook from a fresh kernel (kernel start included; course budget "
                     f"{NOTEBOOK_BUDGET_SECONDS:.0f} s of cell time on 2 cores; a busy machine is slower):")
        lines += [f"  {seconds:6.1f}  {path}" for path, seconds in sorted(NOTEBOOK_SECONDS.items())]
        lines.append(f"  {sum(NOTEBOOK_SECONDS.values()):6.1f}  total")
    if lines:
        terminalreporter.section("measurements (reported, not asserted)")
        for line in lines:
            terminalreporter.write_line(line)
