"""A class on a real JupyterHub, small: three students through ``scripts/hub_test.py`` (what ``course.py hub-test``
runs), and the Zero to JupyterHub config it reads, checked against what the instructor guide quotes from it.

The class test starts a real hub on loopback, its proxy from npm (installed into ``.hub/`` the first time), and three
students who log in, pull the course with nbgitpuller, run notebook 03 over the kernel websocket and press Step 50
times. About a minute on two cores.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from hubload import settings as class_settings  # noqa: E402

GUIDE = REPO / "docs" / "INSTRUCTOR_GUIDE.md"
STUDENTS, STEPS = 3, 50


def code_cells(notebook: Path) -> int:
    return sum(cell["cell_type"] == "code" for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"])


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None,
                    reason="the hub's proxy (configurable-http-proxy) needs Node.js and npm")
def test_a_class_of_three_on_a_real_hub(tmp_path):
    report = tmp_path / "class.json"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "hub_test.py"), "--students", str(STUDENTS),
                             "--steps", str(STEPS), "--timeout", "240", "--json", str(report)],
                            cwd=REPO, capture_output=True, text=True, timeout=420)
    print(result.stdout[-6000:], result.stderr[-3000:])
    assert f"\n{STUDENTS}/{STUDENTS} students succeeded\n" in result.stdout, result.stdout[-3000:]
    assert result.returncode == 0
    measured = json.loads(report.read_text())
    cells = code_cells(REPO / "notebooks" / "03_gradient_nudges.ipynb")
    settings = class_settings.load()
    for student in measured["students"]:
        assert student["ok"] and student["failure"] is None
        assert len(student["cells"]) == cells  # every code cell ran, in order
        assert [index for index, _ in student["cells"]] == sorted(index for index, _ in student["cells"])
        assert len(student["steps"]) == STEPS and all(step > 0 for step in student["steps"])
        assert 50_000 < student["kernel_peak_kib"] < settings.memory_limit / 1024
        assert 0 < student["pod_peak"] <= settings.memory_limit
    assert measured["hub_peak"] > 0 and measured["proxy_peak"] > 0
    # Everything it started is gone: hub, proxy, every server and kernel (it checks each pid it saw).
    started = re.search(r"servers and kernels: (\d+) started, (\d+) left running", result.stdout)
    assert started and int(started.group(1)) >= 2 + 2 * STUDENTS and started.group(2) == "0", result.stdout[-800:]


def test_the_chart_config_is_yaml_and_the_hub_test_reads_it():
    config = yaml.safe_load(class_settings.CONFIG.read_text(encoding="utf-8"))
    assert {"singleuser", "cull", "hub"} <= set(config)
    settings = class_settings.load()
    assert settings.memory_guarantee < settings.memory_limit
    pull = settings.pull
    assert pull["branch"] == "main" and pull["urlpath"].startswith(f"lab/tree/{pull['targetpath']}/notebooks/")
    assert (REPO / pull["urlpath"].removeprefix(f"lab/tree/{pull['targetpath']}/")).exists()
    assert "--MappingKernelManager.cull_idle_timeout=" + str(
        config["singleuser"]["extraFiles"]["kernel-culling"]["data"]["MappingKernelManager"]["cull_idle_timeout"]
    ) in settings.server_args()
    local = settings.default_url_for("file:///tmp/course.git")
    assert "repo=file%3A%2F%2F%2Ftmp%2Fcourse.git" in local and "targetpath=" + pull["targetpath"] in local


def test_memory_quantities_are_read_as_kubernetes_reads_them():
    assert class_settings.memory_bytes("512M") == 512 * 10**6
    assert class_settings.memory_bytes("1Gi") == 2**30
    with pytest.raises(ValueError, match="512 MB"):
        class_settings.memory_bytes("512 MB")


def test_the_guide_quotes_the_deployed_values():
    """Every setting the guide's hub section names with a value is the value config.yaml deploys."""
    config = yaml.safe_load(class_settings.CONFIG.read_text(encoding="utf-8"))
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide[guide.index("## On a class JupyterHub"):]
    section = section[:section.index("\n## ", 3)]
    quoted = dict(re.findall(r"`((?:singleuser|cull|hub)\.[\w.-]+): ([^`]+)`", section))
    assert {"singleuser.memory.limit", "singleuser.memory.guarantee", "cull.timeout",
            "singleuser.extraFiles.kernel-culling.data.MappingKernelManager.cull_idle_timeout"} <= set(quoted)
    for key, value in quoted.items():
        node = config
        for part in key.split("."):
            node = node[part]
        assert str(node) == value, f"the guide says {key}: {value}, config.yaml has {node}"
    assert config["singleuser"]["defaultUrl"] in section
