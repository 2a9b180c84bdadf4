"""The launcher, course.py: its path, flag and stamp logic, and what old Pythons are told.

These tests load course.py itself and check what differs between platforms and users: the venv's interpreter
on Windows, ``--allow-root`` only as root, arguments passed through, the stamp that skips setup, chromium via apt.
A user's real first start in a fresh clone: test_launcher_fresh_clone.py; packaging warnings: test_packaging.py.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest
from launcher_support import load_launcher

REPO = Path(__file__).resolve().parent.parent


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
    check = course.command_line("check", ["-x"], python, root=False)
    assert check[:4] == ["py", "-m", "pytest", "notebooks"] and check[-1] == "-x" and "tests" not in check
    assert {"--nbval", "--nbval-current-env", "--nbval-sanitize-with"} <= set(check), "check is strict nbval"
    assert course.command_line("execute", ["notebooks/03_x.ipynb"], python, root=False) == [
        "py", "scripts/execute_notebooks.py", "notebooks/03_x.ipynb"]
    assert course.command_line("data", [], python, root=False) == ["py", "-m", "helpers.toyworld"]


@pytest.fixture()
def fake_project(tmp_path: Path, monkeypatch):
    """A project folder with requirement files and a venv whose interpreter exists; pip is recorded, not run."""
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n")
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
    assert len(calls) == 2 and calls[0][-2:] == ["-r", str(requirements)], calls
    assert calls[1][-3:] == ["--no-deps", "-e", str(root)], "the course's package, editable, after the pins"
    assert "installing requirements.txt" in capsys.readouterr().out

    course.setup(requirements, venv)
    assert len(calls) == 2, "nothing changed, yet setup ran pip again"
    assert "setup skipped" in capsys.readouterr().out

    for changed in ("requirements.txt", "pyproject.toml"):
        with open(root / changed, "a") as file:
            file.write("\n# changed\n")
        before = len(calls)
        course.setup(requirements, venv)
        assert len(calls) == before + 2, f"{changed} changed but setup was skipped"
    assert not course.up_to_date(venv, requirements, python_version="3.99.0"), "another Python must set up again"


def test_installing_the_test_requirements_also_stamps_the_file_they_include(fake_project, capsys):
    root, venv, calls = fake_project
    course.setup(root / "requirements-test.txt", venv)
    course.setup(root / "requirements.txt", venv)  # `test`, then `lab`: requirements.txt came with the first
    assert len(calls) == 2 and "setup skipped" in capsys.readouterr().out
    (root / "requirements.txt").write_text("numpy==2.4.7\n")  # an included file changed: both are stale
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


def test_pip_output_in_any_script_or_invalid_bytes_still_shows_the_real_error():
    """pip's output is decoded as UTF-8 with replacement, not with the console's code page: a package path in
    Cyrillic or a stray byte must not turn pip's error into a UnicodeDecodeError that hides it."""
    code = ("import sys; sys.stdout.buffer.write('Путь C:/Users/Zoë \\u2014 '.encode('utf-8') + b'\\xff\\n'); "
            "sys.stdout.flush(); sys.exit('ERROR: the real error')")
    with pytest.raises(course.SetupError) as error:
        course.run_quietly([sys.executable, "-c", code], "pip")
    assert "Путь C:/Users/Zoë \u2014 \ufffd" in str(error.value) and "ERROR: the real error" in str(error.value)


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_help_prints_every_command_and_exits_zero(flag, capsys):
    assert course.main([flag]) == 0
    out = capsys.readouterr().out
    for command in course.REQUIREMENTS:
        assert f"course.py {command}" in out, command
    assert course.main(["--bogus"]) == 2 and "unknown command '--bogus'" in capsys.readouterr().err


def test_tests_run_on_every_core_up_to_a_limit_unless_the_user_chooses():
    assert course.parallel([], cpus=2) == ["-n", "2", "--dist", "loadfile", "--no-loadscope-reorder"]
    assert course.parallel([], cpus=1)[:2] == ["-n", "1"]
    assert course.parallel([], cpus=64)[:2] == ["-n", str(course.MAX_WORKERS)]
    for chosen in (["-n", "0"], ["-n3"], ["--numprocesses=2"], ["-p", "no:xdist"]):
        assert course.parallel(chosen, cpus=2) == [], chosen
    assert course.parallel(["-k", "nbval"], cpus=2) != []


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
