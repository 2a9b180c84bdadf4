"""Packaging metadata is current: building the course's package prints no setuptools warning.

The launcher installs it with ``pip install -e .`` (a step of its own after requirements.txt) and Binder's second
step runs ``pip install .``; both read pyproject.toml through setuptools.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def venv_python(venv: Path) -> Path:
    return venv / "Scripts" / "python.exe" if sys.platform == "win32" else venv / "bin" / "python"


#: How a Python warning from setuptools looks in pip's output (SetuptoolsDeprecationWarning, InformationOnly, and
#: pip 25+'s BuildBackendWarning wrapper); pip's own "WARNING: ..." lines about this machine's indexes do not match.
BACKEND_WARNING = re.compile(r"\b\w*(Warning|InformationOnly): .*")


def package_copy(tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of what git tracks of the package (subpackages and package data too) with its build files, as a
    clone has it, and the tracked paths it holds."""
    copy = tmp_path / "repo"
    tracked = subprocess.run(["git", "ls-files", "helpers", "data"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    for name in ("pyproject.toml", "README.md", *tracked):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    return copy, tracked


@pytest.mark.parametrize("editable", [True, False], ids=["pip install -e .", "pip install ."])
def test_installing_the_package_prints_no_setuptools_warning(tmp_path: Path, editable: bool):
    """What the launcher's `pip install -e .` and Binder's `pip install .` build."""
    copy, tracked = package_copy(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # -v: pip shows the build backend's own output, where every setuptools warning is printed, in any pip version.
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv_python(venv)), "install", "-v",
                             "--no-deps", "--disable-pip-version-check", *(["-e"] if editable else []), str(copy)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = [match.group(0).strip() for match in BACKEND_WARNING.finditer(result.stdout + result.stderr)]
    if editable:  # helpers.data maps to the top-level data/, so setuptools serves the checkout with its import hook
        found = [line for line in found if not line.endswith(("InformationOnly: Editable installation.",
                                                              "BuildBackendWarning: Editable installation."))]
    assert not found, "setuptools warns:\n" + "\n".join(found)
    if not editable:  # a regular install is a copy: it must hold every file git tracks in the package
        purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
        site = Path(subprocess.run([str(venv_python(venv)), "-c", purelib], capture_output=True, text=True,
                                   check=True).stdout.strip())
        installed = [name.replace("data/", "helpers/data/", 1) if name.startswith("data/") else name
                     for name in tracked]
        missing = [name for name in installed if not (site / name).is_file()]
        assert not missing, f"`pip install .` leaves out {len(missing)} package files, e.g. {missing[:5]}"


def test_the_license_file_matches_the_package_metadata():
    declared = re.search(r'^license\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M).group(1)
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert declared == "MIT" and text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_data_files_and_notebooks_are_checked_out_byte_exact_on_every_os():
    """A Windows checkout (core.autocrlf=true) converts text files' line endings: the toy world would no longer
    match its generator byte for byte. .gitattributes must mark every data file and notebook as not text."""
    tracked = subprocess.run(["git", "ls-files", "-z", "helpers/data", "data", "notebooks"], cwd=REPO, check=True,
                             capture_output=True).stdout.decode().split("\0")
    files = [name for name in tracked if name]
    assert any(name.endswith(".ipynb") for name in files) and any("toyworld" in name for name in files)
    attrs = subprocess.run(["git", "check-attr", "text", "--", *files], cwd=REPO, check=True, capture_output=True,
                           text=True).stdout.splitlines()
    converted = [line for line in attrs if not line.endswith(": text: unset")]
    assert not converted, f"these would get CRLF on Windows: {converted}"


def test_a_wheel_carries_the_toy_world_as_package_data(tmp_path: Path):
    """A wheel (what pip builds and caches for `pip install .`) holds data/toyworld as helpers/data/toyworld."""
    import zipfile

    copy, tracked = package_copy(tmp_path)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--disable-pip-version-check",
                             "-w", str(tmp_path / "dist"), str(copy)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = [match.group(0).strip() for match in BACKEND_WARNING.finditer(result.stdout + result.stderr)]
    assert not found, "setuptools warns:\n" + "\n".join(found)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [name for name in tracked if name.startswith("data/toyworld/")]
    assert data, "git tracks no data/toyworld files"
    missing = [name for name in data if "helpers/" + name not in names]
    assert not missing, f"the wheel leaves out {missing}"
    stray = sorted(name for name in names if name.startswith("data/"))
    assert not stray, f"the wheel installs a top-level data/ folder into site-packages: {stray[:5]}"
