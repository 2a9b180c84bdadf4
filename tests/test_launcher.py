"""The launcher, course.py: its path and flag logic (unit tests), and a user's first minutes in a fresh clone.

The unit tests load course.py itself and check what differs between platforms and users: the venv's interpreter
on Windows, ``--allow-root`` only as root, arguments passed through, and the stamp that skips setup.

The end-to-end test does what the README says, in a ``git clone`` of this repository (plus uncommitted changes,
so it checks what the next commit holds): ``python course.py lab --no-browser --port P`` creates ``.venv``,
installs requirements.txt with the launcher's own setup code, and starts JupyterLab, which must answer on the URL
it prints; then the server is stopped with SIGTERM. A second start must skip setup. When the test runs as root
(Docker, CI) it starts the same clone a third time as an ordinary user (``setpriv``), where ``--allow-root``
must not be passed. Setup times are reported as measurements, not asserted.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path, PureWindowsPath

import pytest

REPO = Path(__file__).resolve().parent.parent
NOBODY = 65534  # the conventional unprivileged uid/gid on Linux


def load_launcher():
    spec = importlib.util.spec_from_file_location("course_launcher", REPO / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course = load_launcher()


# ---------------------------------------------------------------- unit tests: paths, flags, arguments, stamp


def test_venv_interpreter_is_scripts_python_exe_on_windows_and_bin_python_elsewhere():
    windows = course.venv_python(PureWindowsPath(r"C:\Users\ana\course\.venv"), windows=True)
    assert windows == PureWindowsPath(r"C:\Users\ana\course\.venv\Scripts\python.exe")
    assert course.venv_python(Path("/home/ana/course/.venv"), windows=False) == Path("/home/ana/course/.venv/bin/python")


def test_is_root_only_with_euid_zero_and_never_on_windows(monkeypatch):
    monkeypatch.setattr(course.os, "geteuid", lambda: 0, raising=False)
    assert course.is_root()
    monkeypatch.setattr(course.os, "geteuid", lambda: 1000)
    assert not course.is_root()
    monkeypatch.delattr(course.os, "geteuid")  # Windows has no geteuid
    assert not course.is_root()


def test_lab_adds_allow_root_only_as_root_and_passes_extra_arguments_to_jupyter_lab():
    python = Path(".venv/bin/python")
    extra = ["--no-browser", "--port", "8899"]
    as_root = course.command_line("lab", extra, python, root=True)
    as_user = course.command_line("lab", extra, python, root=False)
    assert as_root[:5] == [str(python), "-m", "jupyter", "lab", "notebooks/00_start_here.ipynb"]
    assert as_root[5:] == ["--allow-root", *extra]
    assert as_user[5:] == extra, "a normal user must not get --allow-root"
    # Typed by the user as well: passed once, not twice.
    assert course.command_line("lab", ["--allow-root"], python, root=True).count("--allow-root") == 1


def test_test_execute_and_data_pass_their_arguments_through():
    python = Path("py")
    test = course.command_line("test", ["-k", "corpus", "-x"], python, root=False)
    assert test[:3] == ["py", "-m", "pytest"] and test[-3:] == ["-k", "corpus", "-x"]
    assert {"--nbval", "--nbval-current-env", "tests", "notebooks"} <= set(test)
    assert course.command_line("execute", ["notebooks/03_x.ipynb"], python, root=False) == [
        "py", "scripts/execute_notebooks.py", "notebooks/03_x.ipynb"]
    assert course.command_line("data", [], python, root=False) == ["py", "-m", "helpers.toyworld"]


@pytest.fixture()
def fake_project(tmp_path: Path, monkeypatch):
    """A project folder with requirement files and a venv whose interpreter exists; pip is recorded, not run."""
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n-e .\n")
    (tmp_path / "requirements-test.txt").write_text("-r requirements.txt\npytest==9.2.0\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    venv = tmp_path / ".venv"
    python = course.venv_python(venv)
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv / "pyvenv.cfg").write_text(f"home = /usr/bin\nversion = {course.platform.python_version()}\n")
    calls: list[list[str]] = []
    monkeypatch.setattr(course, "run_quietly", lambda args, what: calls.append(args))
    return tmp_path, venv, calls


def test_stamp_skips_setup_until_a_requirement_file_pyproject_or_python_changes(fake_project, capsys):
    root, venv, calls = fake_project
    requirements = root / "requirements.txt"
    course.setup(requirements, venv)
    assert len(calls) == 1 and calls[0][-2:] == ["-r", str(requirements)], calls
    assert "installing requirements.txt" in capsys.readouterr().out

    course.setup(requirements, venv)
    assert len(calls) == 1, "nothing changed, yet setup ran pip again"
    assert "setup skipped" in capsys.readouterr().out

    for changed in ("requirements.txt", "pyproject.toml"):
        with open(root / changed, "a") as file:
            file.write("\n# changed\n")
        before = len(calls)
        course.setup(requirements, venv)
        assert len(calls) == before + 1, f"{changed} changed but setup was skipped"
    assert not course.up_to_date(venv, requirements, python_version="3.99.0"), "another Python must set up again"


def test_installing_the_test_requirements_also_stamps_the_file_they_include(fake_project, capsys):
    root, venv, calls = fake_project
    course.setup(root / "requirements-test.txt", venv)
    course.setup(root / "requirements.txt", venv)  # `test`, then `lab`: requirements.txt came with the first
    assert len(calls) == 1 and "setup skipped" in capsys.readouterr().out
    (root / "requirements.txt").write_text("numpy==2.4.7\n-e .\n")  # an included file changed: both are stale
    assert not course.up_to_date(venv, root / "requirements-test.txt")
    assert not course.up_to_date(venv, root / "requirements.txt")


def test_a_missing_venv_or_one_from_another_python_is_created_again(fake_project):
    root, venv, calls = fake_project
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.10.0\n")  # made by an older Python
    course.setup(root / "requirements.txt", venv)
    assert calls[0][1:4] == ["-m", "venv", "--clear"], calls
    assert calls[1][-2:] == ["--upgrade", "pip"] and calls[2][-2:] == ["-r", str(root / "requirements.txt")]


def test_a_failing_pip_shows_its_whole_output(tmp_path: Path):
    with pytest.raises(course.SetupError) as error:
        course.run_quietly([sys.executable, "-c", "import sys; print('line 1'); sys.exit('ERROR: line 2')"], "pip")
    assert "line 1" in str(error.value) and "ERROR: line 2" in str(error.value)


def test_test_installs_debian_chromium_with_apt_only_as_root_and_only_if_missing(monkeypatch, capsys):
    calls: list[list[str]] = []
    monkeypatch.setattr(course.subprocess, "run", lambda args, **kw: calls.append(args) or
                        subprocess.CompletedProcess(args, 0, stdout=""))
    def which(found: set[str]):
        return lambda name: f"/usr/bin/{name}" if name in found else None

    monkeypatch.setattr(course, "is_root", lambda: True)
    monkeypatch.setattr(course.shutil, "which", which({"apt-get"}))
    course.need_chromium()
    assert calls == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]

    calls.clear()
    monkeypatch.setattr(course.shutil, "which", which({"apt-get", "chromium"}))
    course.need_chromium()
    assert calls == [], "chromium is there: nothing to install"

    monkeypatch.setattr(course, "is_root", lambda: False)
    monkeypatch.setattr(course.shutil, "which", which({"apt-get"}))
    course.need_chromium()
    assert calls == [] and "sudo apt-get install chromium" in capsys.readouterr().err


# ---------------------------------------------------------------- old Pythons get a clear message


def test_old_python_gets_a_message_naming_both_versions_and_the_fix():
    message = course.python_too_old((3, 9, 18), "/usr/bin/python3")
    assert "3.10 or newer" in message and "Python 3.9.18" in message and "python.org" in message
    assert course.python_too_old((3, 10, 0)) is None and course.python_too_old((3, 13, 1)) is None


def test_course_py_parses_on_python_3_7_so_old_pythons_reach_the_version_check():
    ast.parse((REPO / "course.py").read_text(), feature_version=(3, 7))


def old_pythons() -> list[str]:
    """Interpreters older than 3.10 on this machine (pyenv's, or python3.7-3.9 on PATH)."""
    found = []
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [*sorted(pyenv.glob("3.[789].*/bin/python3")), *map(shutil.which, ("python3.7", "python3.8",
                                                                                    "python3.9"))]
    for candidate in candidates:
        if candidate and subprocess.run([str(candidate), "-c", "import sys; assert (3, 7) <= sys.version_info < "
                                         "(3, 10)"], capture_output=True).returncode == 0:
            found.append(str(candidate))
    return found


def test_the_real_launcher_on_an_old_python_stops_with_the_message(tmp_path: Path):
    shutil.copy2(REPO / "course.py", tmp_path / "course.py")
    runs = [[python, "course.py", "lab"] for python in old_pythons()]
    if not runs:  # no old interpreter here: the same file, told it runs on 3.9
        runs = [[sys.executable, "-c", "import runpy, sys; sys.version_info = (3, 9, 18, 'final', 0); "
                 "sys.argv = ['course.py', 'lab']; runpy.run_path('course.py', run_name='__main__')"]]
    for args in runs:
        result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "needs Python 3.10 or newer" in result.stderr, result.stderr
        assert not (tmp_path / ".venv").exists(), "an old Python must not start a setup"


def test_readme_ci_and_the_bash_wrapper_use_the_launcher():
    ci = (REPO / ".ci" / "run").read_text()
    command = re.search(r"^exec (.+)$", ci, re.M).group(1)
    readme_top = (REPO / "README.md").read_text()[:1500]
    assert command == "python3 course.py test" and command in readme_top, "CI must run the README's test command"
    assert "py course.py lab" in readme_top and "py course.py test" in readme_top, "the Windows commands"
    assert 'course.py" "$@"' in (REPO / "course").read_text(), "./course should only hand over to course.py"


# ---------------------------------------------------------------- end to end: a fresh clone, as a user runs it


def fresh_clone(destination: Path) -> Path:
    """``git clone`` of this repository, plus its uncommitted changes (what the next commit will hold)."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(destination)], check=True)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source, target = REPO / name, destination / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists():  # deleted in the working tree
            target.unlink()
    return destination


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_user(uid: int | None) -> list[str]:
    """A command prefix that runs as ``uid`` (None: as we are)."""
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def start_lab(clone: Path, python: str, env: dict, logs: Path, uid: int | None = None) -> dict:
    """Run ``python course.py lab`` in ``clone`` until its server answers; stop it; return what happened."""
    port, token = free_port(), "launcher-test-token"
    out, err = logs.with_suffix(".out"), logs.with_suffix(".err")
    args = [*as_user(uid), python, "course.py", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}"]
    # The token URL sets a login cookie and redirects to /lab: keep the cookie, as a browser does.
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    start = time.perf_counter()
    with open(out, "w") as stdout, open(err, "w") as stderr:
        process = subprocess.Popen(args, cwd=clone, env=env, stdout=stdout, stderr=stderr)
    setup_seconds = answered = None
    try:
        deadline = start + 600
        while time.perf_counter() < deadline and process.poll() is None:
            if setup_seconds is None and "course: running" in out.read_text():
                setup_seconds = time.perf_counter() - start  # the launcher hands over to jupyter right after this
            # The server prints its URL with the token masked; we know the token.
            if f"http://127.0.0.1:{port}/lab" in err.read_text():
                try:
                    with browser.open(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as page:
                        html = page.read().decode()
                    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                                     headers={"Authorization": f"token {token}"})
                    with urllib.request.urlopen(request, timeout=10) as status:
                        answered = {"lab_page": "<title>JupyterLab</title>" in html, "status": status.read().decode()}
                    break
                except OSError:
                    pass
            time.sleep(0.5)
        startup_seconds = time.perf_counter() - start
    finally:
        stop = time.perf_counter()
        process.send_signal(signal.SIGTERM)  # the launcher exec'd jupyter: this pid is the server itself
        try:
            returncode = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = "killed after 60 s"
        stop_seconds = time.perf_counter() - stop
    return {"answered": answered, "returncode": returncode, "stdout": out.read_text(), "stderr": err.read_text(),
            "setup_seconds": setup_seconds, "startup_seconds": startup_seconds, "stop_seconds": stop_seconds,
            "args": args}


def version_as(python: str, uid: int | None) -> str | None:
    """The Python version ``python`` runs as for ``uid``, or None if that user cannot run it."""
    result = subprocess.run([*as_user(uid), python, "-c", "import platform; print(platform.python_version())"],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def launcher_python() -> str:
    """The Python a user would type; as root one that an ordinary user can run too (for the third start)."""
    if not course.is_root():
        return sys.executable
    for candidate in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        # The same interpreter for both users, or the second start would rightly make a new venv.
        version = candidate and version_as(candidate, NOBODY)
        if version and version == version_as(candidate, None) and tuple(map(int, version.split(".")[:2])) >= (3, 10):
            return candidate
    pytest.fail("running as root, but no Python >= 3.10 here can be run by an ordinary user (uid 65534), "
                "so the non-root start cannot be tried; install python3 system-wide", pytrace=False)


def describe(run: dict) -> str:
    return f"{' '.join(run['args'])}\nexit: {run['returncode']}\n--- stdout\n{run['stdout']}\n--- stderr\n" \
           f"{run['stderr'][-3000:]}"


def test_fresh_clone_lab_starts_answers_stops_then_skips_setup(measurements: list[str]):
    python = launcher_python()
    # A folder an ordinary user can reach (pytest's tmp_path is private to root) for the non-root start.
    top = Path(tempfile.mkdtemp(prefix="course-launcher-"))
    try:
        top.chmod(0o755)
        clone = fresh_clone(top / "clone")
        home = top / "home"
        home.mkdir()
        # A clean shell: no venv active, nothing from this test run's Python or Jupyter settings.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER"))}
        env.update(JUPYTER_CONFIG_DIR=str(home / "jupyter-config"), JUPYTER_DATA_DIR=str(home / "jupyter-data"),
                   JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"), IPYTHONDIR=str(home / "ipython"))

        first = start_lab(clone, python, env, top / "first")
        assert first["answered"], f"the first start never answered on its URL:\n{describe(first)}"
        assert first["answered"]["lab_page"] and '"started"' in first["answered"]["status"], describe(first)
        assert re.search(r"installing requirements\.txt into \.venv .* done in \d+ s", first["stdout"]), describe(first)
        assert first["returncode"] == 0, f"SIGTERM should stop the server cleanly:\n{describe(first)}"
        assert ("--allow-root" in first["stdout"]) == course.is_root(), describe(first)

        second = start_lab(clone, python, env, top / "second")
        assert second["answered"] and second["returncode"] == 0, describe(second)
        assert "setup skipped" in second["stdout"] and "installing" not in second["stdout"], describe(second)

        measurements.append(f"Launcher in a fresh clone ({python}, Python {version_as(python, None)}), seconds "
                            "until it hands over to jupyter / until the server answers / to stop it:")
        for label, run in (("first start (creates .venv): ", first), ("second start (setup skipped):", second)):
            measurements.append(f"  {label} {run['setup_seconds']:6.1f} / {run['startup_seconds']:6.1f} / "
                                f"{run['stop_seconds']:4.1f}")

        if course.is_root():  # also as an ordinary user, who must not get --allow-root
            subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(home), str(clone)], check=True)
            env["HOME"] = str(home)
            user = start_lab(clone, python, env, top / "user", uid=NOBODY)
            assert user["answered"] and user["returncode"] == 0, describe(user)
            assert "setup skipped" in user["stdout"] and "--allow-root" not in user["stdout"], describe(user)
            measurements.append(f"  as uid {NOBODY} (setup skipped):  {user['setup_seconds']:6.1f} / "
                                f"{user['startup_seconds']:6.1f} / {user['stop_seconds']:4.1f}")
    finally:
        shutil.rmtree(top, ignore_errors=True)


# ---------------------------------------------------------------- packaging: no warnings from the build backend


#: How a Python warning from setuptools looks in pip's output (SetuptoolsDeprecationWarning, InformationOnly, and
#: pip 25+'s BuildBackendWarning wrapper); pip's own "WARNING: ..." lines about this machine's indexes do not match.
BACKEND_WARNING = re.compile(r"\b\w*(Warning|InformationOnly): .*")


@pytest.mark.parametrize("editable", [True, False], ids=["pip install -e .", "pip install ."])
def test_installing_the_package_prints_no_setuptools_warning(tmp_path: Path, editable: bool):
    """What `-e .` in requirements.txt (the launcher, Binder's first step) and Binder's `pip install .` build."""
    copy = tmp_path / "repo"
    for name in ("pyproject.toml", "README.md", *(p.relative_to(REPO).as_posix() for p in REPO.glob("helpers/*.py"))):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # -v: pip shows the build backend's own output, where every setuptools warning is printed, in any pip version.
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(course.venv_python(venv)), "install", "-v",
                             "--no-deps", "--disable-pip-version-check", *(["-e"] if editable else []), str(copy)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = [match.group(0).strip() for match in BACKEND_WARNING.finditer(result.stdout + result.stderr)]
    assert not found, "setuptools warns:\n" + "\n".join(found)
