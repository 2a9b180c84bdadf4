"""One simulated student, start to end, as a browser would do it: log in through the hub's form, start a server,
open the default URL (the nbgitpuller link) and pull the course, open notebook 03 (a session, so the kernel starts
in the notebook's folder), run its cells top to bottom, then press Step and wait for each new frame.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .kernel import KernelConnection
from .settings import ClassSettings

NOTEBOOK = "notebooks/03_gradient_nudges.ipynb"
PROBE = "import resource as _r; print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"  # KiB on Linux
STEPS_DONE = "print(widget.trainer.steps_done)"  # notebook 03 names its step widget `widget`


class StageError(RuntimeError):
    """A step of the student's visit failed; the message says what the student would have seen."""


@dataclass
class Visit:
    """What one student saw. Times are seconds; ``started`` is on the monotonic clock."""

    name: str
    started: float = field(default_factory=time.monotonic)
    stage: str = "waiting"
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds it took
    first_output: float | None = None  # seconds from the login to the notebook's first output
    cells: list[tuple[int, float]] = field(default_factory=list)  # (cell index, seconds from send to idle)
    steps: list[float] = field(default_factory=list)  # seconds from the click to the new frame
    kernel_peak_kib: int | None = None
    reconnects: int = 0  # kernel websockets that failed to open and were tried again
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.stage == "done"


class Browser:
    """Cookies and tokens over tornado's HTTP client, never following redirects (we look at them)."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies, self.client = base, {}, AsyncHTTPClient()

    async def fetch(self, path: str, *, method: str = "GET", body: str | None = None, token: str | None = None,
                    headers: dict | None = None, ok: tuple[int, ...] = (200,), timeout: float = 60, **options):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        if token:
            headers["Authorization"] = f"token {token}"
        if body is not None:  # the hub's API takes JSON only; its login form takes a form
            headers.setdefault("Content-Type", "application/json" if body.startswith("{")
                               else "application/x-www-form-urlencoded")
        request = HTTPRequest(self.base + path, method=method, body=body, headers=headers, follow_redirects=False,
                              request_timeout=timeout, connect_timeout=timeout, **options)
        response = await self.client.fetch(request, raise_error=False)
        for line in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(line)
            self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        if response.code not in ok:
            text = (response.body or b"")[:300].decode("utf-8", "replace")
            raise StageError(f"{method} {path.split('?')[0]} answered HTTP {response.code}: {text}")
        return response


def expected_error(cell: dict) -> bool:
    """nbval's marker for a cell that raises on purpose."""
    tags = cell.get("metadata", {}).get("tags", [])
    return "NBVAL_RAISES_EXCEPTION" in "".join(cell["source"]) or "raises-exception" in tags


async def visit(visit: Visit, hub_url: str, password: str, settings: ClassSettings, steps: int,
                step_timeout: float, cell_timeout: float) -> None:
    """The whole visit; raises StageError (or a timeout) at the first thing that goes wrong."""
    name, browser = visit.name, Browser(hub_url)

    def stage(label: str) -> None:
        now = time.monotonic()
        visit.stages[visit.stage] = now - getattr(visit, "_stage_start", visit.started)
        visit.stage, visit._stage_start = label, now

    stage("login")
    page = (await browser.fetch("/hub/login")).body.decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    await browser.fetch("/hub/login?next=", method="POST", ok=(302,),
                        body=urlencode({"username": name, "password": password, "_xsrf": xsrf}))
    home = (await browser.fetch("/hub/home")).body.decode()
    xsrf = re.search(r'xsrf_token: "([^"]+)"', home).group(1)
    made = await browser.fetch(f"/hub/api/users/{name}/tokens", method="POST", ok=(200, 201),
                               headers={"X-XSRFToken": xsrf}, body=json.dumps({"note": "hub-test"}))
    token = json.loads(made.body)["token"]

    stage("spawn")
    await browser.fetch(f"/hub/api/users/{name}/server", method="POST", token=token, ok=(201, 202), body="{}",
                        timeout=settings.start_timeout)
    deadline = time.monotonic() + settings.start_timeout
    while True:
        user = json.loads((await browser.fetch(f"/hub/api/users/{name}", token=token)).body)
        server = user.get("servers", {}).get("", {})
        if server.get("ready"):
            break
        if not server.get("pending") and not server.get("ready"):
            raise StageError(f"the server stopped while starting: {server or 'no server'}")
        if time.monotonic() > deadline:
            raise StageError(f"the server was not ready within startTimeout ({settings.start_timeout} s)")
        await asyncio.sleep(0.5)
    base = f"/user/{name}"

    stage("pull")
    landing = await browser.fetch(f"{base}/", token=token, ok=(301, 302))
    location = landing.headers.get("Location", "")
    if "/git-pull?" not in location:
        raise StageError(f"the server's default URL is not the nbgitpuller link: / redirects to {location!r}")
    # What nbgitpuller's page does in the browser: call its streaming API with the link's own parameters.
    link = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    for key in ("branch", "targetpath", "urlpath"):
        if link.get(key) != settings.pull.get(key):
            raise StageError(f"the default URL's {key} is {link.get(key)!r}, the chart config says "
                             f"{settings.pull.get(key)!r}")
    events: list[dict] = []
    chunks: list[bytes] = []
    pull = urlencode({key: value for key, value in link.items() if key != "urlpath"})
    await browser.fetch(f"{base}/git-pull/api?{pull}", token=token, timeout=cell_timeout,
                        streaming_callback=chunks.append)
    for line in b"".join(chunks).decode("utf-8", "replace").splitlines():
        if line.startswith("data:"):
            events.append(json.loads(line[5:]))
    if not events or events[-1].get("phase") != "finished":
        output = "".join(event.get("output", "") for event in events)[-600:]
        raise StageError(f"nbgitpuller did not finish: {events[-1] if events else 'no events'}\n{output}")
    notebook_path = f"{settings.pull['targetpath']}/{NOTEBOOK}"
    if settings.pull["urlpath"].removeprefix("lab/tree/").split("/notebooks/")[0] != settings.pull["targetpath"]:
        raise StageError(f"the link opens {settings.pull['urlpath']!r}, outside the folder it pulls into")

    stage("kernel start")
    made = await browser.fetch(f"{base}/api/sessions", method="POST", token=token, ok=(201,),
                               timeout=cell_timeout, body=json.dumps({
                                   "path": notebook_path, "type": "notebook", "name": NOTEBOOK.split("/")[-1],
                                   "kernel": {"name": "python3"}}))
    kernel_id = json.loads(made.body)["kernel"]["id"]
    notebook = json.loads((await browser.fetch(f"{base}/api/contents/{quote(notebook_path)}?content=1",
                                               token=token)).body)["content"]
    # JupyterLab reconnects a kernel's websocket that failed to open; so does a student here, twice at most
    # (seen once at 5 students: the server's wait for the new kernel's first reply timed out under load).
    for attempt in range(3):
        try:
            kernel = await KernelConnection.open(hub_url + base, token, kernel_id, name, timeout=cell_timeout)
            break
        except (OSError, TimeoutError, HTTPClientError) as error:
            visit.reconnects += 1
            if attempt == 2:
                raise StageError(f"the kernel's websocket did not open three times: {error}") from error
            await asyncio.sleep(1)
    listener = asyncio.ensure_future(kernel.listen())
    try:
        stage("notebook")
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            run = await kernel.execute("".join(cell["source"]), cell_timeout)
            visit.cells.append((index, run.latency))
            if visit.first_output is None and run.first_output is not None:
                visit.first_output = run.first_output - visit.started
            if run.status != "ok" and not expected_error(cell):
                why = run.error or kernel.closed or f"execute_reply status {run.status!r}"
                raise StageError(f"cell {index} failed after {run.latency:.1f} s: {why}")

        stage("widget")
        button = kernel.find_model("ButtonModel", description="Step")
        row = next(comm for comm, model in kernel.models.items() if f"IPY_MODEL_{button}" in model.get("children", []))
        box = next(comm for comm, model in kernel.models.items() if f"IPY_MODEL_{row}" in model.get("children", []))
        canvas = next(child for child in kernel.children(box)
                      if kernel.models.get(child, {}).get("_model_name", "").endswith("CanvasModel"))
        before = int("".join((await kernel.execute(STEPS_DONE, cell_timeout)).stdout) or -1)
        kernel.show_canvas(canvas)
        await kernel.next_frame(0, step_timeout)
        for _ in range(steps):
            frames = kernel.frames
            click = kernel.comm_custom(button, {"event": "click"})
            await asyncio.wait_for(click.finished.wait(), step_timeout)
            await kernel.next_frame(frames, step_timeout)
            visit.steps.append(time.monotonic() - click.sent)
        after = int("".join((await kernel.execute(STEPS_DONE, cell_timeout)).stdout) or -1)
        if after - before != steps:
            raise StageError(f"{steps} clicks on Step moved the trainer from update {before} to {after}")
        visit.kernel_peak_kib = int("".join((await kernel.execute(PROBE, cell_timeout)).stdout))

        stage("stop")
        await browser.fetch(f"{base}/api/sessions/{json.loads(made.body)['id']}", method="DELETE", token=token,
                            ok=(204,))
    finally:
        kernel.close()
        listener.cancel()
    await browser.fetch(f"/hub/api/users/{name}/server", method="DELETE", token=token, ok=(202, 204))
    stage("done")
