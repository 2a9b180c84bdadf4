"""What a local hub needs besides the course's venv: JupyterHub's proxy, configurable-http-proxy, from npm.

JupyterHub itself is pinned in requirements-test.txt (course.py's setup installs it). The proxy is a Node program:
it goes into ``.hub/`` beside the course (gitignored), once; later runs reuse it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .settings import ROOT

PROXY_VERSION = "5.3.0"
TOOLS = ROOT / ".hub"


class ToolError(RuntimeError):
    """Something the hub test needs is missing and cannot be installed here; the message says what to do."""


def proxy_command(tools: Path = TOOLS) -> Path:
    """The configurable-http-proxy executable, installed with npm into ``tools`` if it is not there yet."""
    installed = tools / "node_modules" / ".bin" / "configurable-http-proxy"
    stamp = tools / f"configurable-http-proxy-{PROXY_VERSION}.installed"
    if installed.exists() and stamp.exists():
        return installed
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise ToolError("the hub's proxy (configurable-http-proxy) needs Node.js and npm: install them "
                        "(Debian/Ubuntu: sudo apt-get install nodejs npm; elsewhere https://nodejs.org) and run again")
    tools.mkdir(exist_ok=True)
    print(f"hub-test: installing configurable-http-proxy {PROXY_VERSION} from npm into {tools.name}/ ...", flush=True)
    result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(tools),
                             f"configurable-http-proxy@{PROXY_VERSION}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    if result.returncode != 0 or not installed.exists():
        raise ToolError(f"npm install configurable-http-proxy@{PROXY_VERSION} failed:\n{result.stdout}")
    stamp.write_text(PROXY_VERSION + "\n")
    return installed


def check_jupyterhub() -> str:
    """JupyterHub's version; a clear error if this Python lacks it (run through course.py, which installs it)."""
    try:
        import jupyterhub
    except ImportError as error:
        raise ToolError("JupyterHub is not installed in this Python: run `python3 course.py hub-test`, which "
                        "installs requirements-test.txt (jupyterhub is pinned there)") from error
    return jupyterhub.__version__
