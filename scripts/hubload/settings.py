"""The class settings the local hub runs with, read from the Zero to JupyterHub config so that the values measured
here are the values deployed: memory guarantee and limit, the start timeout, the kernel culling of the Jupyter
server, and the default URL (the nbgitpuller link that clones the course and opens notebook 00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "zero-to-jupyterhub" / "config.yaml"
#: Kubernetes' binary and decimal suffixes (the chart passes the strings to KubeSpawner, which reads both).
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def memory_bytes(text: str | int) -> int:
    """Bytes in a Kubernetes-style memory quantity: ``"512M"``, ``"1G"``, ``"1Gi"`` or a plain number."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]i?)?\s*", str(text))
    if not match:
        raise ValueError(f"not a memory quantity: {text!r} (use e.g. 512M, 1G or 1Gi)")
    return int(float(match.group(1)) * _UNITS[match.group(2) or ""])


@dataclass(frozen=True)
class ClassSettings:
    """What the chart's config.yaml sets for each student, in the units the local hub needs."""

    memory_guarantee: int  # bytes
    memory_limit: int  # bytes
    start_timeout: int  # seconds
    default_url: str  # the server's default URL: /git-pull?repo=...&branch=...&targetpath=...&urlpath=...
    server_config: dict  # Jupyter server settings mounted into each pod (kernel culling)
    cull_timeout: int  # seconds: the hub stops servers idle this long
    cull_every: int  # seconds
    concurrent_spawn_limit: int

    @property
    def pull(self) -> dict[str, str]:
        """The nbgitpuller query of the default URL: repo, branch, targetpath, urlpath."""
        return {key: values[0] for key, values in parse_qs(urlsplit(self.default_url).query).items()}

    def default_url_for(self, repo: str) -> str:
        """The default URL with another repository (the local hub pulls a file:// clone of this checkout)."""
        return f"{urlsplit(self.default_url).path}?{urlencode({**self.pull, 'repo': repo})}"

    def server_args(self) -> list[str]:
        """The pod's Jupyter server config as command-line options, e.g. --MappingKernelManager.cull_idle_timeout=900."""
        return [f"--{section}.{key}={value}" for section, options in self.server_config.items()
                for key, value in options.items()]


def load(path: Path = CONFIG) -> ClassSettings:
    """Read the chart config; a missing key raises KeyError naming it."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    user = config["singleuser"]
    mounted = [entry["data"] for entry in user.get("extraFiles", {}).values()
               if entry["mountPath"].startswith("/etc/jupyter/jupyter_server_config")]
    return ClassSettings(
        memory_guarantee=memory_bytes(user["memory"]["guarantee"]),
        memory_limit=memory_bytes(user["memory"]["limit"]),
        start_timeout=int(user["startTimeout"]),
        default_url=user["defaultUrl"],
        server_config={section: options for data in mounted for section, options in data.items()},
        cull_timeout=int(config["cull"]["timeout"]),
        cull_every=int(config["cull"]["every"]),
        concurrent_spawn_limit=int(config["hub"]["concurrentSpawnLimit"]),
    )
