"""The course as Binder and a class hub build it: the steps come from repo2docker itself, not from a copy of them.

repo2docker (what Binder and repo2docker-built JupyterHub images use) prints the Dockerfile it would build with
``repo2docker --no-build --no-run --debug DIR``, no Docker needed. The fixture below reads that Dockerfile for a
clean ``git clone`` of this repository, takes its Python version and every build step that depends on the
repository (today: ``pip install -r requirements.txt``, then ``pip install .``), and replays them in a new virtual
environment. A step it does not know (``apt.txt``, ``postBuild``, ``environment.yml``...) fails the test, so a new
kind of step is never silently skipped.

Then every notebook runs top to bottom in that environment's own kernel, two ways:

- Binder: in the image's copy of the repository, the kernel started in ``notebooks/``;
- a class hub: the same image, but the student's home is a separate folder holding only the notebooks (nbgitpuller's
  clone; the repository copy the image was built from is out of reach), so whatever the notebooks need must come
  from the installed ``helpers``.

Each notebook's kernel reports where ``helpers`` came from (it must be the environment's site-packages) and its peak
memory. Takes a few minutes (pip installs from its cache); the times and memory are printed in pytest's summary.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Runs inside the fresh environment: executes each notebook given on the command line with nbclient in a fresh
#: kernel whose working directory is the notebook's folder, then asks that kernel where it runs from and its peak
#: memory; prints one JSON line per notebook.
RUNNER = r'''
import json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

PROBE = """
import json, resource, sys, sysconfig, helpers
print(json.dumps({"prefix": sys.prefix, "purelib": sysconfig.get_paths()["purelib"], "helpers": helpers.__file__,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))  # in memory only: which Python and helpers ran it, how big?
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
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
                      "probe": json.loads(probe) if probe else None}), flush=True)
'''

#: The interpreter repo2docker's Dockerfile sets up: it copies the conda lock file ``environment.py-X.Y-...lock``.
CONDA_LOCK = re.compile(r"environment\.py-(\d+\.\d+)-linux-64\.lock")
#: The repository's own build steps: every RUN after the repository is copied into the image.
REPO_COPY = re.compile(r"^COPY .*\bsrc/ \$\{REPO_DIR\}/$")
KERNEL_PIP = ("${KERNEL_PYTHON_PREFIX}/bin/pip", "${NB_PYTHON_PREFIX}/bin/pip")


def tracked_files(repo: Path) -> list[str]:
    """What a clone (and so Binder) gets: the files git tracks."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=repo, check=True, capture_output=True).stdout
    return [name for name in out.decode().split("\0") if name]


def clean_clone(repo: Path, target: Path) -> str:
    """``git clone`` of ``repo``'s HEAD, plus its uncommitted edits to tracked files (none in CI); returns what."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(repo), str(target)], check=True,
                   capture_output=True)
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=repo, check=True, capture_output=True).stdout
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=target, input=diff, check=True,
                       capture_output=True)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()
    return f"clone of {head}" + (" + uncommitted edits of tracked files" if diff else "")


def dockerfile_lines(text: str) -> list[str]:
    """Dockerfile instructions with backslash continuations joined, comments and blank lines dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        lines.append(current.strip())
        current = ""
    return lines


def unescape(text: str) -> str:
    """repo2docker names build files with escapism's '-XX' hex escapes ('-2e' is '.')."""
    return re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text)


def repo2docker_build_steps(dockerfile: str) -> tuple[str, list[list[str]]]:
    """The Python version and the repository's pip steps (argument lists after ``pip``) from repo2docker's output."""
    lines = dockerfile_lines(dockerfile)
    versions = {m.group(1) for line in lines if line.startswith("COPY") for m in CONDA_LOCK.finditer(unescape(line))}
    assert len(versions) == 1, f"expected one conda environment lock file in repo2docker's Dockerfile, got {versions}"
    copied = [i for i, line in enumerate(lines) if REPO_COPY.match(line)]
    assert copied, "repo2docker's Dockerfile never copies the repository (COPY src/ ${REPO_DIR}/): format changed?"
    steps = []
    for line in lines[copied[0] + 1:]:
        if not line.startswith("RUN "):
            continue
        words = shlex.split(line[len("RUN "):])
        assert words[0] in KERNEL_PIP and words[1:2] == ["install"], (
            f"repo2docker builds this repository with a step the test does not replay yet: {line!r}")
        steps.append(words[1:])
    assert steps, "repo2docker's Dockerfile has no build step for this repository"
    return versions.pop(), steps


def venv_python(venv: Path) -> Path:
    """A virtual environment's interpreter on this OS: Scripts\\python.exe on Windows, bin/python elsewhere."""
    return venv / "Scripts" / "python.exe" if os.name == "nt" else venv / "bin" / "python"


def interpreter(version: str) -> str:
    """An installed Python ``version`` (from runtime.txt, via repo2docker), the one its image would have: this one
    if it is that version, else ``python{version}`` on PATH, else (Windows) the py launcher's ``py -{version}``."""
    found = sys.executable if f"{sys.version_info.major}.{sys.version_info.minor}" == version else None
    found = found or shutil.which(f"python{version}")
    if found is None and shutil.which("py"):
        asked = subprocess.run(["py", f"-{version}", "-c", "import sys; print(sys.executable)"],
                               capture_output=True, text=True)
        found = asked.stdout.strip() if asked.returncode == 0 else None
    if found is None:
        pytest.fail(f"repo2docker builds with Python {version} (runtime.txt), which is not installed here "
                    f"(install python{version} to run this test)", pytrace=False)
    return found


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (f"{' '.join(command)} failed ({result.returncode}):\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


@dataclass
class Image:
    """A virtual environment built as repo2docker builds the image, and the repository copy it was built from."""

    repo: Path
    venv: Path
    env: dict[str, str]
    runner: Path
    log: list[str] = field(default_factory=list)

    def run_notebooks(self, notebooks: list[Path], cwd: Path) -> list[dict]:
        result = subprocess.run([str(venv_python(self.venv)), str(self.runner), *map(str, notebooks)],
                                cwd=cwd, env=self.env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"the notebook runner crashed:\n{result.stderr[-3000:]}"
        reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert len(reports) == len(notebooks), f"not every notebook reported:\n{result.stdout}\n{result.stderr[-2000:]}"
        return reports


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory, measurements: list[str]) -> Image:
    """One environment for both tests: a hub's image is exactly what repo2docker builds for Binder."""
    root = tmp_path_factory.mktemp("repo2docker")
    repo = root / "repo"
    what = clean_clone(REPO, repo)
    start = time.perf_counter()
    # From an empty folder: repo2docker also reads a repo2docker_config.py in its working directory.
    printed = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(repo)],
                             cwd=tmp_path_factory.mktemp("repo2docker-cwd"), capture_output=True, text=True,
                             timeout=120)
    assert printed.returncode == 0, f"repo2docker failed:\n{printed.stdout[-2000:]}\n{printed.stderr[-2000:]}"
    version, steps = repo2docker_build_steps(printed.stdout)
    log = [f"repo2docker build of a {what} ({time.perf_counter() - start:.1f} s to print the Dockerfile):",
           f"  python {version}"] + [f"  RUN pip {' '.join(step)}" for step in steps]

    # Nothing from this machine's Jupyter or user site may leak in: the new environment must stand alone.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "MPL"))}
    venv = root / "venv"
    env.update(PYTHONNOUSERSITE="1", JUPYTER_CONFIG_DIR=str(root / "jupyter-config"),
               JUPYTER_DATA_DIR=str(root / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(root / "jupyter-run"),
               MPLCONFIGDIR=str(root / "mpl"), PATH=f"{venv_python(venv).parent}{os.pathsep}{env.get('PATH', '')}")
    python = str(venv_python(venv))
    run([interpreter(version), "-m", "venv", str(venv)], repo, env, timeout=120)
    quiet = ["--quiet", "--disable-pip-version-check"]
    for step in steps:
        # repo2docker's WORKDIR is the repository copy. Two flags differ, neither changes what gets installed:
        # pip's cache is kept (CI time), and --no-compile skips byte-compiling every module (about a minute here).
        args = [word for word in step if word != "--no-cache-dir"]
        start = time.perf_counter()
        run([python, "-m", "pip", *args[:1], *quiet, "--no-compile", *args[1:]], repo, env, timeout=900)
        log.append(f"  {time.perf_counter() - start:6.1f} s  pip {' '.join(step)}")

    # nbclient only drives the kernels (repo2docker's base environment brings Jupyter); add it only if it is missing.
    missing = run([python, "-c", "import importlib.util as u; print(' '.join(m for m in ('nbclient', 'ipykernel') "
                                 "if u.find_spec(m) is None))"], repo, env, timeout=60).stdout.split()
    if missing:
        run([python, "-m", "pip", "install", *quiet, *missing], repo, env, timeout=300)
        log.append(f"  (added for running the notebooks only: {', '.join(missing)})")
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file() and not f.is_symlink())
    log.append(f"  environment on disk: {size / 2**20:.0f} MB")
    runner = root / "run_notebooks.py"
    runner.write_text(RUNNER)
    measurements.extend(log)
    return Image(repo=repo, venv=venv, env=env, runner=runner)


def check(reports: list[dict], image: Image, where: str, measurements: list[str]) -> None:
    """Report times and peak memory, then require every notebook to run, with helpers from site-packages."""
    measurements.append(f"{where}: seconds (fresh kernel each), kernel peak memory (ru_maxrss):")
    for report in reports:
        peak = f"{report['probe']['peak_mb']:6.0f} MB" if report["probe"] else "     ? MB"
        measurements.append(f"  {report['seconds']:6.1f} s  {peak}  {Path(report['notebook']).name}")
    failures = {Path(r["notebook"]).name: r["errors"] or r["error"] for r in reports if r["errors"] or r["error"]}
    assert not failures, f"notebooks fail ({where}): {json.dumps(failures, indent=1)[:4000]}"
    for report in reports:
        probe, name = report["probe"], Path(report["notebook"]).name
        assert Path(probe["prefix"]).resolve() == image.venv.resolve(), f"{name} ran in {probe['prefix']}"
        assert Path(probe["helpers"]).resolve().is_relative_to(Path(probe["purelib"]).resolve()), (
            f"{name} imported helpers from {probe['helpers']}, not from the environment's site-packages")


def test_binder_build_runs_every_notebook(image: Image, measurements: list[str]):
    notebooks = sorted((image.repo / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
    assert notebooks, "git tracks no notebooks/NN_*.ipynb"
    reports = image.run_notebooks(notebooks, cwd=image.repo)
    check(reports, image, f"Binder (repo2docker build, {len(notebooks)} notebooks in the repository copy)",
          measurements)


def test_hub_layout_runs_every_notebook(image: Image, tmp_path: Path, measurements: list[str]):
    """The hub's image, and only the notebooks in the student's home (as nbgitpuller's clone puts them there)."""
    course = tmp_path / "home" / "course" / "notebooks"
    course.mkdir(parents=True)
    for notebook in sorted((image.repo / "notebooks").glob("[0-9][0-9]*_*.ipynb")):
        shutil.copy2(notebook, course / notebook.name)
    notebooks = sorted(course.glob("*.ipynb"))
    assert notebooks, "git tracks no notebooks/NN_*.ipynb"
    # On a hub the student's home replaces the image's repository copy: hide it so nothing can reach into it.
    hidden = image.repo.with_name("repo-hidden")
    image.repo.rename(hidden)
    try:
        reports = image.run_notebooks(notebooks, cwd=tmp_path / "home")
    finally:
        hidden.rename(image.repo)
    check(reports, image, f"Class hub ({len(notebooks)} notebooks alone in home/course/notebooks)", measurements)
    # The guide's link (…/hub/user-redirect/git-pull?repo=…) needs nbgitpuller's server extension in the image.
    listed = subprocess.run([str(venv_python(image.venv)), "-m", "jupyter", "server", "extension", "list"],
                            env=image.env, capture_output=True, text=True, timeout=120)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr).splitlines()
    assert any(line.split()[:2] == ["nbgitpuller", "enabled"] for line in lines if line.strip()), (
        f"nbgitpuller is not an enabled server extension in the image:\n{listed.stdout}\n{listed.stderr}")


def test_repo2docker_steps_are_parsed_from_its_dockerfile():
    """The parser against a Dockerfile of the shape repo2docker prints, and against one with a step it lacks."""
    dockerfile = "\n".join([
        "COPY --chown=0:0 build_script_files/-2fx-2fconda-2fenvironment-2epy-2d3-2e12-2dlinux-2d64-2elock-8 /tmp/e",
        "RUN apt-get -qq update && \\", "    apt-get install foo",
        "COPY --chown=0:0 src/requirements.txt ${REPO_DIR}/requirements.txt",
        "COPY --chown=0:0 src/ ${REPO_DIR}/",
        "# Run assemble scripts!",
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"',
        "RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir .",
        'LABEL repo2docker.ref="None"',
    ])
    assert repo2docker_build_steps(dockerfile) == (
        "3.12", [["install", "--no-cache-dir", "-r", "requirements.txt"], ["install", "--no-cache-dir", "."]])
    with pytest.raises(AssertionError, match="postBuild"):
        repo2docker_build_steps(dockerfile + "\nRUN ./postBuild")


def test_binder_reads_the_root_files_and_the_badge_opens_a_notebook():
    """repo2docker's conventions, checked without building an image (the tests above run what it installs)."""
    tracked = set(tracked_files(REPO))
    # A binder/ or .binder/ folder would make repo2docker ignore requirements.txt and runtime.txt at the root.
    assert not any(name.startswith(("binder/", ".binder/")) for name in tracked), "a binder/ folder hides the root"
    assert {"requirements.txt", "runtime.txt"} <= tracked, "Binder needs requirements.txt and runtime.txt, committed"
    requirements = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    assert not any(line.startswith("-e") for line in requirements), (
        "requirements.txt must hold pinned dependencies only: '-e .' fails outside the checkout and conflicts with "
        "Binder's `pip install .` (the launcher installs the package editable as its own step)")
    match = re.fullmatch(r"python-(\d+\.\d+)", (REPO / "runtime.txt").read_text().strip())
    assert match, "runtime.txt should read like 'python-3.11'"
    interpreter(match.group(1))  # a Python this machine has, so the tests above can build the environment
    badges = re.findall(r"mybinder\.org/v2/gh/[^)\s]*?urlpath=lab/tree/([^)\s&]+)", (REPO / "README.md").read_text())
    assert badges, "README.md has no Binder badge opening JupyterLab (…?urlpath=lab/tree/notebooks/…)"
    for target in badges:
        assert target in tracked, f"the Binder badge opens {target}, which git does not track"
