"""A user's first minutes with the launcher, in a fresh clone: ``python course.py lab`` as the README says.

In a ``git clone`` of this repository (plus uncommitted changes, so it checks what the next commit holds),
``python course.py lab --no-browser --port P`` creates ``.venv``, installs requirements.txt with the launcher's
own setup code, and starts JupyterLab, which must answer on its URL; then the server is stopped with SIGTERM.
A second start must skip setup. When the test runs as root (Docker, CI) it starts the same clone a third time as
an ordinary user (``setpriv``), where ``--allow-root`` must not be passed. Times are reported, not asserted.
About 2-4 minutes (the first setup installs requirements.txt from the package index or the local cache).
"""

from __future__ import annotations

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
from pathlib import Path

import pytest
from launcher_support import load_launcher

REPO = Path(__file__).resolve().parent.parent
NOBODY = 65534  # the conventional unprivileged uid/gid on Linux


course = load_launcher()


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


