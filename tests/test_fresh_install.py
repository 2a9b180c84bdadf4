"""A Binder-like fresh install: only what the repository tracks, only what requirements.txt installs.

repo2docker (Binder) copies the repository, picks Python from runtime.txt and runs ``pip install -r
requirements.txt`` (which installs the course's ``helpers`` package with ``-e .``). This test does the same in a
temporary folder: the files ``git ls-files`` lists (a notebook that reads an uncommitted data file fails here),
a new virtual environment, requirements.txt, and nothing else unless running notebooks needs it (nbclient,
ipykernel). Then every notebook runs top to bottom in that environment's own kernel, isolated from the developer's
Jupyter and user site-packages.

Takes a few minutes (pip installs from the local cache or mirror); the times are printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Runs inside the fresh environment: executes each notebook given on the command line with nbclient, then asks
#: the same kernel where it runs from, and prints one JSON line per notebook.
RUNNER = r'''
import json, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

PROBE = "import sys, helpers; print(sys.prefix); print(helpers.__file__)"
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))  # in memory only: which Python and helpers ran it?
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc)[-2000:]
    seconds = time.perf_counter() - start
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    probe = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o.get("name") == "stdout")
    print(json.dumps({"notebook": path, "seconds": seconds, "error": error, "errors": errors,
                      "probe": probe.split()}), flush=True)
'''


def tracked_files(repo: Path) -> list[str]:
    """What a clone (and so Binder) gets: the files git tracks."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=repo, check=True, capture_output=True).stdout
    return [name for name in out.decode().split("\0") if name]


def runtime_python(repo: Path) -> str:
    """The interpreter runtime.txt asks for (``python-3.11`` -> python3.11), as Binder would pick it."""
    text = (repo / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"runtime.txt should read like 'python-3.11', got {text!r}"
    version = match.group(1)
    found = shutil.which(f"python{version}")
    if found is None and f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        found = sys.executable
    if found is None:
        pytest.fail(f"runtime.txt asks for Python {version}, which is not installed here "
                    f"(install python{version} to run this test)", pytrace=False)
    return found


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (f"{' '.join(command)} failed ({result.returncode}):\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def test_fresh_binder_like_install_runs_every_notebook(tmp_path: Path, measurements: list[str]):
    copy = tmp_path / "repo"
    for name in tracked_files(REPO):
        source = REPO / name
        if source.is_file():  # skip a tracked file deleted in the working tree: the next commit drops it
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    notebooks = sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, "git tracks no notebooks/NN_*.ipynb"

    # Nothing from this machine's Jupyter or user site may leak in: the new environment must stand alone.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "MPL"))}
    venv = tmp_path / "venv"
    env.update(PYTHONNOUSERSITE="1", JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-run"),
               MPLCONFIGDIR=str(tmp_path / "mpl"), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    python = str(venv / "bin" / "python")
    timings = {}

    start = time.perf_counter()
    run([runtime_python(copy), "-m", "venv", str(venv)], copy, env, timeout=120)
    # As repo2docker does it: from the repository's root, so "-e ." is this copy. --no-compile skips byte-compiling
    # every installed module (Python compiles what the notebooks import on first use): about a minute less here.
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
         "-r", "requirements.txt"], copy, env, timeout=600)
    timings["pip install -r requirements.txt"] = time.perf_counter() - start

    # nbclient only drives the kernels; it is not something students need, so add it only if Binder's set lacks it.
    missing = run([python, "-c", "import importlib.util as u; print(' '.join(m for m in ('nbclient', 'ipykernel') "
                                 "if u.find_spec(m) is None))"], copy, env, timeout=60).stdout.split()
    if missing:
        run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *missing], copy, env,
            timeout=300)

    runner = tmp_path / "run_notebooks.py"
    runner.write_text(RUNNER)
    start = time.perf_counter()
    result = subprocess.run([python, str(runner), *map(str, notebooks)], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=900)
    timings["all notebooks"] = time.perf_counter() - start
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]

    measurements.append(f"Fresh Binder-like install ({len(notebooks)} notebooks), seconds:")
    for what, seconds in timings.items():
        measurements.append(f"  {seconds:6.1f}  {what}")
    for report in reports:
        measurements.append(f"  {report['seconds']:6.1f}  {Path(report['notebook']).name} (fresh kernel, first run)")
    if missing:
        measurements.append(f"  (added for running only: {', '.join(missing)})")

    assert result.returncode == 0, f"the notebook runner crashed:\n{result.stderr[-3000:]}"
    assert len(reports) == len(notebooks), f"not every notebook reported:\n{result.stdout}\n{result.stderr[-2000:]}"
    failures = {Path(r["notebook"]).name: r["errors"] or r["error"] for r in reports if r["errors"] or r["error"]}
    assert not failures, f"notebooks fail in a fresh install: {json.dumps(failures, indent=1)[:4000]}"
    for report in reports:
        prefix, helpers_file = report["probe"]
        assert Path(prefix).resolve() == venv.resolve(), f"{report['notebook']} ran in {prefix}, not the fresh venv"
        assert Path(helpers_file).resolve().is_relative_to(copy.resolve()), (
            f"{report['notebook']} imported helpers from {helpers_file}, not from the fresh copy")


def test_binder_reads_the_root_files_and_the_badge_opens_a_notebook():
    """repo2docker's conventions, checked without building an image (the test above runs what it installs)."""
    tracked = set(tracked_files(REPO))
    # A binder/ or .binder/ folder would make repo2docker ignore requirements.txt and runtime.txt at the root.
    assert not any(name.startswith(("binder/", ".binder/")) for name in tracked), "a binder/ folder hides the root"
    assert {"requirements.txt", "runtime.txt"} <= tracked, "Binder needs requirements.txt and runtime.txt, committed"
    requirements = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    assert "-e ." in requirements, "requirements.txt must install the course's helpers package with '-e .'"
    runtime_python(REPO)  # runtime.txt names a Python this machine has, in Binder's 'python-X.Y' form
    badges = re.findall(r"mybinder\.org/v2/gh/[^)\s]*?urlpath=lab/tree/([^)\s&]+)", (REPO / "README.md").read_text())
    assert badges, "README.md has no Binder badge opening JupyterLab (…?urlpath=lab/tree/notebooks/…)"
    for target in badges:
        assert target in tracked, f"the Binder badge opens {target}, which git does not track"
