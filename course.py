#!/usr/bin/env python3
"""The course's one launcher, the same on Linux, macOS and Windows. It needs only Python 3.10 or newer.

    python course.py lab [ARGS]        set up, then open the course in JupyterLab (ARGS go to `jupyter lab`)
    python course.py test [ARGS]       set up (as root on Debian also chromium), then run every test (ARGS go to pytest)
    python course.py check [ARGS]      set up, then check every notebook in this environment (strict nbval, ~1-2 min)
    python course.py execute [NB ...]  re-execute notebooks from a fresh kernel and save them with their outputs
    python course.py data              regenerate the toy world in data/toyworld byte for byte
    python course.py hub-test [ARGS]   a class on a real local JupyterHub (--students N, default 30; --help)
    python course.py --help            this text

On Windows type `py` instead of `python`; on Linux and macOS `python3` if `python` is not found.
Setup makes `.venv` in this folder and installs the pinned requirements into it. It is skipped while a stamp in
`.venv` matches the requirement files, pyproject.toml and this Python's version, so a second start is immediate.
"""

# This file must still *parse* on old Pythons (3.7 and newer) so that they reach the version check in main()
# and print a clear message instead of a SyntaxError: no match statements, no walrus, annotations stay strings.
from __future__ import annotations  # a SyntaxError here: this Python is far too old, the course needs 3.10+

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

MIN_PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
#: Which requirement file each command needs (requirements-test.txt includes requirements.txt).
REQUIREMENTS = {
    "lab": "requirements.txt",
    "data": "requirements.txt",
    "test": "requirements-test.txt",
    "check": "requirements-test.txt",
    "execute": "requirements-test.txt",
    "hub-test": "requirements-test.txt",
}
#: Besides the requirement files, what an install reads: the editable install builds the package from pyproject.toml.
ALSO_HASHED = ("pyproject.toml",)
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
#: Strict nbval over every notebook. The cell timeout is a sanity bound (cells take seconds), not a benchmark:
#: a hung cell fails in minutes instead of nbval's default of half an hour.
NBVAL_ARGS = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
              "--nbval-cell-timeout", "300"]
#: pytest-xdist: at most this many test processes. The browser, fresh-install and launcher tests mostly wait (on
#: pip, a server, a browser), so two workers halve the run on two cores; more would only compete for memory.
MAX_WORKERS = 4
#: Environment for pip: it writes UTF-8, which run_quietly decodes (a Windows console code page would not do).
PIP_ENV = {"PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}


class SetupError(RuntimeError):
    """A setup step failed; the message holds the step's full output."""


def python_too_old(version: tuple = tuple(sys.version_info), executable: str = sys.executable) -> str | None:
    """What to tell the user if this Python cannot run the course, or None if it can."""
    if tuple(version[:2]) >= MIN_PYTHON:
        return None
    found = ".".join(str(part) for part in version[:3])
    return (
        f"This course needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; {executable} is Python {found}.\n"
        "Install a current Python from https://www.python.org/downloads/ (Windows: tick 'Add python.exe to PATH';\n"
        "macOS: the python.org installer or `brew install python`; Debian/Ubuntu: `sudo apt install python3 "
        "python3-venv`),\nthen start again with the new one, e.g. `python3.12 course.py lab` (Windows: "
        "`py -3.12 course.py lab`)."
    )


def venv_python(venv: Path, windows: bool = os.name == "nt") -> Path:
    """The interpreter inside a virtual environment: Scripts\\python.exe on Windows, bin/python elsewhere."""
    return venv / "Scripts" / "python.exe" if windows else venv / "bin" / "python"


def is_root() -> bool:
    """True when running as root (Docker, WSL, lab images). Windows has no geteuid: never root there."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def requirement_files(requirements: Path) -> list[Path]:
    """The requirement file and every file it includes with ``-r``, recursively, in reading order."""
    files = [requirements]
    for line in requirements.read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) == 2 and parts[0] in ("-r", "--requirement"):
            files += requirement_files(requirements.parent / parts[1])
    return files


def fingerprint(requirements: Path, python_version: str = platform.python_version()) -> str:
    """A hash of everything an install of ``requirements`` depends on: its files, pyproject.toml, the Python."""
    digest = hashlib.sha256(f"{platform.python_implementation()} {python_version}\n".encode())
    for path in [*requirement_files(requirements), *(requirements.parent / name for name in ALSO_HASHED)]:
        digest.update(path.name.encode() + b"\n")
        # Line endings differ between a Windows and a POSIX checkout of the same commit; they change nothing.
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") if path.exists() else b"(missing)")
    return digest.hexdigest()


def stamp_path(venv: Path, requirements: Path) -> Path:
    return venv / f"course-setup-{requirements.name}.sha256"


def up_to_date(venv: Path, requirements: Path, python_version: str = platform.python_version()) -> bool:
    """True if ``venv`` has a working Python and was set up from exactly these requirement files."""
    stamp = stamp_path(venv, requirements)
    return (venv_python(venv).exists() and stamp.exists()
            and stamp.read_text().strip() == fingerprint(requirements, python_version))


def venv_version(venv: Path) -> str | None:
    """The Python version a virtual environment was made with, from its pyvenv.cfg (None if there is none)."""
    config = venv / "pyvenv.cfg"
    if not config.exists():
        return None
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return ".".join(value.strip().split(".")[:3])
    return None


def run_quietly(args: list[str], what: str) -> None:
    """Run a setup step with its output captured; raise SetupError with all of it if the step fails."""
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, **PIP_ENV},
                            text=True, encoding="utf-8", errors="replace")
    if result.returncode != 0:
        raise SetupError(f"{what} failed (exit code {result.returncode}): {' '.join(args)}\n{result.stdout}")


def setup(requirements: Path, venv: Path = VENV) -> None:
    """Make ``venv`` match ``requirements``, printing one line; do nothing if its stamp says it already does."""
    if up_to_date(venv, requirements):
        print(f"course: {venv.name} is up to date with {requirements.name} (setup skipped)", flush=True)
        return
    start = time.perf_counter()
    print(f"course: installing {requirements.name} into {venv.name} (the first time takes a few minutes) ...",
          end=" ", flush=True)
    python = venv_python(venv)
    if not python.exists() or venv_version(venv) != platform.python_version():
        # A new venv, or one made by another Python (it would keep running that one): make it with this Python.
        run_quietly([sys.executable, "-m", "venv", "--clear", str(venv)], "creating the virtual environment")
        # The pip a venv starts with can be years old (Python 3.10.0 ships pip 21.2, which cannot install `-e .`
        # from pyproject.toml alone).
        run_quietly([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade",
                     "pip"], "upgrading pip")
    # --no-compile: Python compiles each module when it is first imported; byte-compiling every installed file up
    # front costs about a minute here.
    run_quietly([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
                 "-r", str(requirements)], f"pip install -r {requirements.name}")
    # The course's own helpers package, editable (fixes show up without reinstalling), as its own step:
    # requirements.txt holds only pinned dependencies, so it installs anywhere (Binder adds `pip install .`).
    run_quietly([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
                 "--no-deps", "-e", str(requirements.parent)], "pip install -e . (the course's helpers package)")
    for done in requirement_files(requirements):  # what a file includes is installed too
        stamp_path(venv, done).write_text(fingerprint(done) + "\n")
    print(f"done in {time.perf_counter() - start:.0f} s", flush=True)


def need_chromium() -> None:
    """The browser test drives Debian's chromium; as root on Debian/Ubuntu it is installed with apt, as before."""
    if shutil.which("chromium"):
        return
    if is_root() and shutil.which("apt-get"):
        print("course: installing Debian's chromium for the browser test ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            result = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    encoding="utf-8", errors="replace")
            if result.returncode != 0:
                raise SetupError(f"{' '.join(args)} failed (exit code {result.returncode}):\n{result.stdout}")
    else:
        print("course: note: chromium not found; the browser test will fail until you install it "
              "(Debian/Ubuntu: sudo apt-get install chromium)", file=sys.stderr, flush=True)


def command_line(command: str, extra: list[str], python: Path, root: bool) -> list[str]:
    """The program and arguments a command runs after setup; ``extra`` is what the user typed after it."""
    if command == "lab":
        # Jupyter refuses to start as root without --allow-root; a normal user must not need (or get) it.
        allow_root = ["--allow-root"] if root and "--allow-root" not in extra else []
        return [str(python), "-m", "jupyter", "lab", FIRST_NOTEBOOK, *allow_root, *extra]
    if command == "test":
        # --durations: the slowest tests, every run, so a test that grew shows up in CI's log.
        return [str(python), "-m", "pytest", "tests", "notebooks", *NBVAL_ARGS, "--durations=15", *parallel(extra),
                *extra]
    if command == "check":
        return [str(python), "-m", "pytest", "notebooks", *NBVAL_ARGS, "-p", "no:cacheprovider", *parallel(extra),
                *extra]
    if command == "execute":
        return [str(python), "scripts/execute_notebooks.py", *extra]
    if command == "hub-test":
        return [str(python), "scripts/hub_test.py", *extra]
    if command == "data":
        return [str(python), "-m", "helpers.toyworld", *extra]
    raise ValueError(f"unknown command {command!r}; choose one of {', '.join(REQUIREMENTS)}")


def parallel(extra: list[str], cpus: int | None = None) -> list[str]:
    """pytest-xdist's arguments: one worker per core (up to MAX_WORKERS), unless the user chose (-n, -p no:xdist).

    ``--dist loadfile`` keeps a file's tests in one worker: a notebook's cells share one kernel, in order, and the
    browser and fresh-install tests share one server or environment per file. ``--no-loadscope-reorder`` keeps
    the collection order (the root conftest.py puts the files that take minutes first) instead of xdist's
    most-tests-first, which started the few long tests last while the other worker idled.
    """
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    chosen = any(arg in ("-n", "--numprocesses", "no:xdist") or arg.startswith(("-n", "--numprocesses="))
                 for arg in extra)
    workers = str(max(1, min(MAX_WORKERS, cpus)))
    return [] if chosen else ["-n", workers, "--dist", "loadfile", "--no-loadscope-reorder"]


def usage() -> str:
    return __doc__.split(chr(10) * 2)[1]


def activated(venv: Path, environ: dict) -> dict:
    """The environment as `activate` would set it, so terminals and `!pip` inside JupyterLab use the venv too."""
    scripts = venv_python(venv).parent
    return {**environ, "VIRTUAL_ENV": str(venv), "PATH": f"{scripts}{os.pathsep}{environ.get('PATH', '')}"}


def run(args: list[str], env: dict) -> int:
    """Hand over to the program: replace this process on POSIX (signals go straight to it); wait on Windows."""
    if os.name != "nt":
        os.execve(args[0], args, env)
    # Windows has no real exec. Ctrl+C reaches the child through the console as well: keep waiting for it to stop.
    with subprocess.Popen(args, env=env) as child:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    too_old = python_too_old()
    if too_old:
        print(too_old, file=sys.stderr)
        return 2
    if argv and argv[0] in ("-h", "--help", "help"):
        print(f"usage:\n{usage()}")
        return 0
    if not argv or argv[0] not in REQUIREMENTS:
        unknown = f"unknown command {argv[0]!r}; " if argv else ""
        print(f"{unknown}usage:\n{usage()}", file=sys.stderr)
        return 2
    command, extra = argv[0], argv[1:]
    os.chdir(ROOT)  # every path below (requirements, notebooks, `-e .`) is relative to the repository
    try:
        setup(ROOT / REQUIREMENTS[command])
        if command == "test":
            need_chromium()
    except SetupError as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    args = command_line(command, extra, venv_python(VENV), is_root())
    print(f"course: running {' '.join([os.path.relpath(args[0]), *args[1:]])}", flush=True)
    return run(args, activated(VENV, dict(os.environ)))


if __name__ == "__main__":
    sys.exit(main())
