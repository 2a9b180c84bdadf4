"""A real JupyterHub on loopback, started and always stopped: its config, a file:// clone of this checkout for
nbgitpuller, and a sampler of every process it starts (the hub, its proxy, each student's server and kernels).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .settings import ROOT, ClassSettings

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def clone_course(dest: Path, source: Path = ROOT) -> str:
    """A bare clone of the checkout's HEAD as branch ``main`` (what nbgitpuller pulls); returns its file:// URL."""
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--bare", "--no-hardlinks", str(source), str(dest)], check=True,
                   capture_output=True)
    subprocess.run(["git", "-C", str(dest), "update-ref", "refs/heads/main", head], check=True)
    subprocess.run(["git", "-C", str(dest), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    return dest.as_uri()


def hub_config(*, port: int, hub_port: int, api_port: int, proxy: Path, password: str, homes: Path,
               settings: ClassSettings, repo_url: str) -> str:
    """jupyterhub_config.py for the load test: the chart's per-student settings on a local process spawner."""
    args = [*settings.server_args(), *(["--allow-root"] if os.geteuid() == 0 else [])]
    singleuser = str(Path(sys.executable).with_name("jupyterhub-singleuser"))
    return "\n".join([
        f"c.JupyterHub.ip = {HOST!r}",
        f"c.JupyterHub.port = {port}",
        f"c.JupyterHub.hub_ip = {HOST!r}",
        f"c.JupyterHub.hub_port = {hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://{HOST}:{api_port}'",
        f"c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]",
        "c.JupyterHub.authenticator_class = 'dummy'",
        f"c.DummyAuthenticator.password = {password!r}",
        "c.Authenticator.allow_all = True",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / '{username}')!r}",
        f"c.Spawner.cmd = [{singleuser!r}]",
        f"c.Spawner.args = {args!r}",
        f"c.Spawner.default_url = {settings.default_url_for(repo_url)!r}",
        f"c.Spawner.start_timeout = {settings.start_timeout}",
        "c.Spawner.http_timeout = 120",
        # Informational for a local process (KubeSpawner enforces them): the report compares the peaks with them.
        f"c.Spawner.mem_limit = {settings.memory_limit}",
        f"c.Spawner.mem_guarantee = {settings.memory_guarantee}",
        f"c.JupyterHub.concurrent_spawn_limit = {settings.concurrent_spawn_limit}",
        "c.JupyterHub.cleanup_servers = True",
        "",
    ])


@dataclass
class Peaks:
    """Highest resident memory seen per process group, in bytes."""

    hub: int = 0
    proxy: int = 0
    students: dict[str, int] = field(default_factory=dict)  # user -> server + kernels, summed at one instant


def _alive(item: tuple[int, tuple[float, str]]) -> psutil.Process | None:
    """The process of a (pid, (create time, owner)) entry if it still runs (and is not a zombie)."""
    pid, (created, _) = item
    try:
        proc = psutil.Process(pid)
        return proc if proc.create_time() == created and proc.status() != psutil.STATUS_ZOMBIE else None
    except psutil.Error:
        return None


class LocalHub:
    """Start with :meth:`start`; :meth:`stop` (also run by ``with``) ends every process the hub started."""

    def __init__(self, settings: ClassSettings, proxy: Path, keep: bool = False) -> None:
        self.settings, self.proxy_path, self.keep = settings, proxy, keep
        self.workdir = Path(tempfile.mkdtemp(prefix="course-hub-test-"))
        self.homes = self.workdir / "homes"
        self.password = secrets.token_urlsafe(16)
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None
        self.peaks = Peaks()
        self._seen: dict[int, tuple[float, str]] = {}  # pid -> (create time, owner) of everything it started
        self.log_path = self.workdir / "hub.log"
        self.leftover: list[int] = []  # pids of processes it started that were still running after stop()

    def __enter__(self) -> LocalHub:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> None:
        self.homes.mkdir()
        self.repo_url = clone_course(self.workdir / "course.git")
        config = self.workdir / "jupyterhub_config.py"
        config.write_text(hub_config(port=self.port, hub_port=free_port(), api_port=free_port(),
                                     proxy=self.proxy_path, password=self.password, homes=self.homes,
                                     settings=self.settings, repo_url=self.repo_url))
        env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32)}
        with open(self.log_path, "wb") as log:
            # Its own session: Ctrl+C in the terminal reaches us, and we stop the hub in order (servers first).
            self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"

    # ----- memory ------------------------------------------------------------------------------------------------

    def sample(self) -> None:
        """One look at every process under the hub: records the peaks, and remembers each pid to stop it later."""
        if self.process is None:
            return
        try:
            root = psutil.Process(self.process.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        per_student: dict[str, int] = {}
        for proc in tree:
            try:
                key = (proc.pid, proc.create_time())
                if key[0] not in self._seen or self._seen[key[0]][0] != key[1]:
                    owner = "hub" if proc.pid == root.pid else proc.environ().get("JUPYTERHUB_USER", "proxy")
                    self._seen[key[0]] = (key[1], owner)
                owner = self._seen[key[0]][1]
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            if owner == "hub":
                self.peaks.hub = max(self.peaks.hub, rss)
            elif owner == "proxy":
                self.peaks.proxy = max(self.peaks.proxy, rss)
            else:
                per_student[owner] = per_student.get(owner, 0) + rss
        for user, rss in per_student.items():
            self.peaks.students[user] = max(self.peaks.students.get(user, 0), rss)

    # ----- stopping ----------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """SIGTERM to the hub (it stops the servers it spawned), then SIGKILL to anything of it still running."""
        self.sample()
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        for pid, (created, _) in list(self._seen.items()):
            try:
                proc = psutil.Process(pid)
                if proc.create_time() == created:  # the same process, not a reused pid
                    proc.kill()
            except psutil.Error:
                pass
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
            self.process = None
        psutil.wait_procs([proc for proc in map(_alive, self._seen.items()) if proc], timeout=5)
        self.leftover = [pid for pid, proc in ((pid, _alive((pid, entry))) for pid, entry in self._seen.items())
                         if proc is not None]
        if not self.keep:
            import shutil
            shutil.rmtree(self.workdir, ignore_errors=True)
