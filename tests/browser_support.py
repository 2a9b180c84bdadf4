"""What the real-browser test needs: a private JupyterLab server and Debian's chromium driven by Playwright.

``LabServer`` starts JupyterLab from this Python environment on 127.0.0.1 (free port, random token) over a copy of
the notebooks, with settings that keep pop-ups away (no news, no update check, no autosave) and cells rendered even
when scrolled out of view, so the test can read the whole notebook from the DOM.

``launch_browser`` starts the system chromium (Playwright downloads nothing: it cannot, here) in a fresh profile.

``LabSession`` wraps one browser tab: open a notebook, run all cells, wait until the kernel is done, read errors
from the notebook model and JavaScript errors from the page.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
#: Flags chromium needs on these machines (no sandbox in containers, no GPU, nothing phoning home).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
HOW_TO_GET_CHROMIUM = (
    f"The browser test drives Debian's chromium at {CHROMIUM}, which is not installed.\n"
    "Enable it with:  sudo apt-get update && sudo apt-get install chromium\n"
    "(python3 course.py test does this itself when run as root; Playwright's own browser download is not used.)\n"
    "Another chromium binary can be chosen with COURSE_CHROMIUM=/path/to/chromium."
)

#: JupyterLab user settings for the test session: quiet and fully rendered.
LAB_SETTINGS = {
    # The news/update toasts would cover the notebook.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # The server works on a throwaway copy; autosave would only add "file changed" noise.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Lab 4 renders only the cells in view by default; the test reads every cell from the DOM.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_course(repo: Path, dest: Path) -> Path:
    """Copy the notebooks (and the data they read) to ``dest`` so JupyterLab never touches the repo's files."""
    shutil.copytree(repo / "notebooks", dest / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    if (repo / "data").is_dir():
        shutil.copytree(repo / "data", dest / "data")
    return dest


class LabServer:
    """JupyterLab serving ``root`` on 127.0.0.1; use as a context manager (the server is stopped on exit).

    Parameters
    ----------
    root : Path
        Folder the server shows (a copy of the course, see :func:`copy_course`).
    state_dir : Path
        Empty folder for the server's settings, workspaces, runtime files and log.
    python : str
        Interpreter whose JupyterLab runs: by default the one running the tests (the project's .venv).
    """

    def __init__(self, root: Path, state_dir: Path, python: str = sys.executable) -> None:
        self.root, self.state_dir, self.python = Path(root), Path(state_dir), python
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = self.state_dir / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        """``path`` on the server, with the token (and ``reset``: start from an empty workspace)."""
        return f"{self.base_url}/{path}?reset&token={self.token}"

    def _write_settings(self) -> Path:
        settings = self.state_dir / "settings"
        for plugin, values in LAB_SETTINGS.items():
            file = settings / f"{plugin}.jupyterlab-settings"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values))
        return settings

    def start(self, timeout: float = 90.0) -> LabServer:
        settings = self._write_settings()
        env = dict(os.environ,
                   JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.state_dir / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(self.state_dir / "runtime"),
                   JUPYTER_DATA_DIR=str(self.state_dir / "data"),
                   # Ignore the developer's own jupyter config: the test must see what a fresh student sees.
                   JUPYTER_CONFIG_DIR=str(self.state_dir / "config"))
        command = [
            self.python, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp lets the test use Lab's own commands (open, run all) instead of fragile clicks.
            "--LabApp.expose_app_in_browser=True",
            # Nothing the test needs, and each would try the network or start processes.
            "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            command.append("--ServerApp.allow_root=True")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/status?token={self.token}", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.base_url}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every running kernel (the 2 shared cores should run one notebook at a time)."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def launch_browser(user_data_dir: Path, viewport: tuple[int, int] = (1280, 1400)) -> Iterator[BrowserContext]:
    """A Playwright browser context on the system chromium with a fresh profile; closed on exit.

    Raises
    ------
    RuntimeError
        If chromium is not installed: the message says how to install it (the test fails, it does not skip).
    """
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        raise RuntimeError(HOW_TO_GET_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        try:
            yield context
        finally:
            context.close()


# JavaScript run in the page. ``jupyterapp`` is exposed by --LabApp.expose_app_in_browser. The notebook is found by
# its path among the main area's widgets: ``shell.currentWidget`` follows focus, which a headless tab may not have.
JS_FIND = """const find = (path) => Array.from(window.jupyterapp.shell.widgets('main'))
  .find(w => w.context && w.context.path === path && w.content && w.sessionContext);"""

JS_NOTEBOOK_READY = "(path) => {" + JS_FIND + """
  const w = window.jupyterapp && window.jupyterapp.shell && find(path);
  if (!w || !w.context.isReady) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && w.content.widgets.length > 0;
}"""

JS_RUN_STATE = "(path) => {" + JS_FIND + """
  const w = find(path);
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const result = {kernel: kernel ? kernel.status : 'none', pending: 0, cells: cells.length, errors: []};
  cells.forEach((cell, i) => {
    const source = cell.model.sharedModel.getSource();
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') {
        result.errors.push({cell: i, ename: out.ename, evalue: out.evalue, source: source.slice(0, 80)});
      }
    }
    if (source.trim() && cell.model.executionCount === null) result.pending += 1;
  });
  return result;
}"""

JS_KERNEL_IDLE = "(path) => {" + JS_FIND + """
  const w = find(path);
  const kernel = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

JS_DISPOSE = "(path) => {" + JS_FIND + """
  const w = find(path);
  if (w) w.dispose();
}"""


class LabSession:
    """One browser tab on a :class:`LabServer`, opening notebooks one after another.

    JupyterLab takes many seconds to load in a headless browser on these machines, so the tab is loaded once and
    notebooks are opened and closed in it with Lab's own commands. JavaScript console errors and uncaught page
    errors are collected as they happen; :meth:`take_console_errors` hands over (and forgets) those so far.
    """

    def __init__(self, context: BrowserContext, server: LabServer) -> None:
        self.server = server
        self.current: str | None = None  # path of the open notebook
        self.page = context.new_page()
        self._console_errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._console_errors.append(f"uncaught: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            self._console_errors.append(f"{message.text} ({location.get('url', '?')})")

    def take_console_errors(self) -> list[str]:
        errors, self._console_errors = self._console_errors, []
        return errors

    def start(self, timeout: float = 90.0) -> LabSession:
        """Load JupyterLab (empty workspace), wait until it is ready and fold the file browser away."""
        self.page.goto(self.server.url("lab"), wait_until="domcontentloaded")
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell && "
                                    "window.jupyterapp.commands.hasCommand('docmanager:open')",
                                    timeout=timeout * 1000, polling=250)
        # More room for the notebook: fold the file browser once Lab has restored its layout.
        self.page.evaluate("() => window.jupyterapp.restored.then(() => window.jupyterapp.shell.collapseLeft())")
        return self

    def command(self, name: str, args: dict | None = None) -> None:
        """Execute a JupyterLab command (what a menu entry or keyboard shortcut does)."""
        # Await the command but return nothing: results such as an opened widget cannot cross into Python.
        self.page.evaluate("async ([name, args]) => { await window.jupyterapp.commands.execute(name, args); }",
                           [name, args or {}])

    def open_notebook(self, path: str, timeout: float = 60.0) -> None:
        """Open ``path`` (relative to the server root) and wait until its kernel is idle."""
        self.command("docmanager:open", {"path": path})
        self.page.wait_for_function(JS_NOTEBOOK_READY, arg=path, timeout=timeout * 1000, polling=250)
        self.page.evaluate("(path) => {" + JS_FIND + " window.jupyterapp.shell.activateById(find(path).id); }", path)
        self.current = path

    def run_all(self, timeout: float = 90.0) -> dict:
        """Clear outputs, run all cells, wait until every code cell ran (or one failed) and the kernel is idle.

        Returns
        -------
        dict
            ``kernel`` status, ``cells`` (code cells), ``pending`` (not run), ``errors`` (one dict per error output:
            cell index among code cells, ename, evalue, start of the source), ``timed_out`` if it did not finish.
        """
        # Commands act on the active notebook: open_notebook activated it.
        self.command("notebook:clear-all-cell-outputs")
        self.command("notebook:run-all-cells")
        deadline = time.monotonic() + timeout
        idle_polls = 0
        while time.monotonic() < deadline:
            state = self.page.evaluate(JS_RUN_STATE, self.current)
            if state["errors"] or state["pending"] == 0:
                # Two idle polls in a row: a widget callback or a late display message may still be in flight.
                idle_polls = idle_polls + 1 if state["kernel"] == "idle" else 0
                if idle_polls >= 2:
                    return state
            self.page.wait_for_timeout(300)
        state = self.page.evaluate(JS_RUN_STATE, self.current)
        state["timed_out"] = True
        return state

    def close_notebook(self) -> None:
        """Close the current notebook without the "save changes?" dialog and shut its kernel down."""
        if self.current is not None:
            self.page.evaluate(JS_DISPOSE, self.current)
            self.current = None
        self.server.shutdown_kernels()

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        """Wait for the current notebook's kernel to finish what widget events asked of it."""
        self.page.wait_for_function(JS_KERNEL_IDLE, arg=self.current, timeout=timeout * 1000, polling=100)

    def screenshot(self, path: Path, selector: str | None = None) -> Path:
        """Save a PNG of the first element matching ``selector`` (scrolled into view), or of the whole tab."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if selector is None:
            self.page.screenshot(path=str(path))
        else:
            element = self.page.locator(selector).first
            element.scroll_into_view_if_needed()
            element.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.page.close()


# ---------------------------------------------------------------------------------------------------------------
# The step widget's plot as painted versus as the kernel drew it.

JS_KERNEL_EXECUTE = "async ([path, code]) => {" + JS_FIND + """
  const kernel = find(path).sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  let out = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') out += 'KERNEL ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return out;
}"""

#: Kernel side: the RGBA pixels of the widget's figure, drawn afresh from the state it shows (canvases share one
#: renderer and keep only their last PNG, so this is the kernel's figure, not a copy of what was sent), and the
#: trainer's update count. ``{name}`` is the widget's variable in the notebook.
KERNEL_PIXELS = """
import base64 as _b64, json as _json, numpy as _np
_px = {name}.figure_view.pixels()
print(_json.dumps({{"w": int(_px.shape[1]), "h": int(_px.shape[0]), "steps": int({name}.trainer.steps_done),
                   "rgba": _b64.b64encode(_px.tobytes()).decode("ascii")}}))
del _px
"""

#: Kernel side: pixels of the widget's frame (the cached blitting background plus the moving artists, what
#: :data:`KERNEL_PIXELS` and the browser show) that differ from a clean full render of the same state. A background
#: cached while moving artists were in the renderer bakes ghosts of old frames into every later frame, in the
#: kernel and the browser alike, which the browser-vs-kernel comparison cannot see. The cached background is put
#: back afterwards, so the check repairs nothing.
KERNEL_GHOSTS = """
import json as _json, numpy as _np
_fv = {name}.figure_view
_cached = _fv._background
_framed = _fv.pixels()
_fv._background = None
_clean = _fv.pixels()  # no background: a full Agg draw of the same state
_fv._background = _cached
_bad = _np.argwhere((_framed != _clean).any(axis=2))
print(_json.dumps({{"ghost": int(len(_bad)), "rows": [int(_bad[:, 0].min()), int(_bad[:, 0].max())] if len(_bad) else []}}))
del _fv, _cached, _framed, _clean, _bad
"""


def ghost_pixels(session: LabSession, name: str = "widget") -> dict:
    """Run :data:`KERNEL_GHOSTS`: ``{"ghost": wrong pixels, "rows": [first, last]}``; 0 for a sound frame."""
    return json.loads(kernel_output(session, KERNEL_GHOSTS.format(name=name)).strip().splitlines()[-1])


#: Browser side: compare the painted canvas (the first <canvas> of the widget's plot, ipympl's view canvas) with
#: the kernel's RGBA pixels; a pixel is wrong if any channel differs.
JS_COMPARE_PIXELS = """([selector, kernel]) => {
  const canvas = document.querySelector(selector + ' canvas');
  if (!canvas) return {error: 'no canvas under ' + selector};
  const result = {browser: [canvas.width, canvas.height], kernel: [kernel.w, kernel.h]};
  if (canvas.width !== kernel.w || canvas.height !== kernel.h) { result.wrong = kernel.w * kernel.h; return result; }
  const painted = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const raw = atob(kernel.rgba);
  let wrong = 0;
  for (let p = 0; p < painted.length; p += 4) {
    if (painted[p] !== raw.charCodeAt(p) || painted[p + 1] !== raw.charCodeAt(p + 1) ||
        painted[p + 2] !== raw.charCodeAt(p + 2) || painted[p + 3] !== raw.charCodeAt(p + 3)) wrong += 1;
  }
  result.wrong = wrong;
  return result;
}"""

#: Count the frames painted into step-widget plots (ipympl's view copies each received frame with drawImage).
JS_COUNT_FRAMES = """() => {
  if (window.__wvFrames !== undefined) return;
  window.__wvFrames = 0;
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    if (this.canvas && this.canvas.closest && this.canvas.closest('.wv-step-canvas')) window.__wvFrames += 1;
    return drawImage.apply(this, args);
  };
}"""


def pick_suggestion(lab: LabSession, selector: str, typo: str, word: str, screenshot: Path, ready: str) -> None:
    """After typing ``typo`` into the explorer ``selector``: check that ``word`` is among its "Did you mean"
    buttons, save a screenshot of the explorer, click the button and wait until ``ready`` shows again."""
    explorer = lab.page.locator(selector).first
    suggestions = explorer.locator("button.wv-suggestion")
    suggestions.first.wait_for(timeout=10_000)
    offered = [suggestions.nth(i).inner_text().strip() for i in range(suggestions.count())]
    assert word in offered, f"typing {typo!r} should suggest {word!r}, got {offered}"
    lab.screenshot(screenshot, selector)
    suggestions.nth(offered.index(word)).click()
    explorer.locator(ready).first.wait_for(timeout=10_000)
    lab.wait_until_idle()


def kernel_output(session: LabSession, code: str) -> str:
    """Run ``code`` in the current notebook's kernel (not in a cell) and return what it printed."""
    out = session.page.evaluate(JS_KERNEL_EXECUTE, [session.current, code])
    if "KERNEL ERROR" in out:
        raise AssertionError(f"kernel code failed: {out[-500:]}")
    return out


def wrong_pixels(session: LabSession, selector: str = ".wv-step-widget .wv-step-canvas", name: str = "widget",
                 settle: float = 4.0, save_to: Path | None = None) -> dict:
    """Pixels of the painted plot that differ from the kernel's figure, once the kernel is idle.

    Frames are decoded asynchronously, so a non-zero count is re-measured until ``settle`` seconds have passed
    (a frame still loading is not a wrong frame; one that never comes is). Returns the last comparison with
    ``steps`` (the trainer's update count). With ``save_to``, a wrong frame is saved as ``save_to``-kernel.png
    and ``save_to``-browser.png.
    """
    session.wait_until_idle()
    deadline = time.monotonic() + settle
    while True:
        kernel = json.loads(kernel_output(session, KERNEL_PIXELS.format(name=name)).strip().splitlines()[-1])
        result = session.page.evaluate(JS_COMPARE_PIXELS, [selector, kernel])
        result["steps"] = kernel["steps"]
        if result.get("wrong") == 0 or time.monotonic() > deadline:
            if result.get("wrong") and save_to is not None:  # both pictures, for a reviewer to compare
                kernel_output(session, f"import PIL.Image as _I; _I.fromarray({name}.figure_view.pixels())"
                                       f".save({str(save_to) + '-kernel.png'!r})")
                url = session.page.evaluate(f"() => document.querySelector('{selector} canvas').toDataURL()")
                Path(str(save_to) + "-browser.png").write_bytes(base64.b64decode(url.split(",", 1)[1]))
            return result
        session.page.wait_for_timeout(300)
