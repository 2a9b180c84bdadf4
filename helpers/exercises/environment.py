"""Is this machine ready for the course? Versions of what the notebooks use, and a widget that proves widgets work."""

from __future__ import annotations

import html
import re
import sys
from importlib import metadata

import numpy as np

from ..plots.static_view import with_static_view

#: Packages the notebooks import, with the version requirements.txt pins.
REQUIRED = {
    "numpy": "2.4.6",
    "matplotlib": "3.11.2",
    "ipywidgets": "8.1.9",
    "ipympl": "0.10.0",
    "jupyterlab": "4.6.6",
    "gensim": "4.4.0",
}


def check_environment(required: dict[str, str] = REQUIRED) -> list[tuple[str, str, str, str]]:
    """One row per package: (name, version found, version pinned, verdict).

    The verdict is "ok", "different version" (the course will most likely still work) or "MISSING".
    """
    rows = []
    for name, pinned in required.items():
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            rows.append((name, "-", pinned, "MISSING: run python3 course.py lab, or pip install -r requirements.txt"))
            continue
        rows.append((name, found, pinned, "ok" if found == pinned else "different version"))
    return rows


def print_environment(required: dict[str, str] = REQUIRED) -> bool:
    """Print :func:`check_environment` as a table; return True if nothing is missing."""
    rows = check_environment(required)
    print(f"Python {sys.version_info.major}.{sys.version_info.minor}")
    print(f"{'package':<12}{'found':<10}{'pinned':<10}verdict")
    for name, found, pinned, verdict in rows:
        print(f"{name:<12}{found:<10}{pinned:<10}{verdict}")
    return all(not verdict.startswith("MISSING") for *_, verdict in rows)


def angle_widget(angle: float = 60.0):
    """A slider that turns one arrow against another and shows their cosine similarity.

    If it moves and the numbers change, interactive widgets work in this JupyterLab.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets

    slider = widgets.FloatSlider(value=angle, min=0, max=180, step=5, description="angle (°)",
                                 continuous_update=True, readout_format=".0f")
    label = widgets.HTML()
    label.add_class("wv-angle-readout")

    def show(_change=None) -> None:
        theta = np.radians(slider.value)
        a, b = np.array([1.0, 0.0]), np.array([np.cos(theta), np.sin(theta)])
        cos = float(a @ b)
        # The same words as notebook 01: |cos| below 0.2 is "almost orthogonal" (as random pairs in many dimensions).
        mood = "same direction" if cos > 0.95 else "unrelated (orthogonal)" if abs(cos) < 0.05 else \
            "almost orthogonal" if abs(cos) < 0.2 else "opposite" if cos < -0.95 else \
            "similar" if cos > 0 else "dissimilar"
        label.value = (f"<b>cos(a, b) = {cos:+.2f}</b>: {mood}<br>"
                       f"a = ({a[0]:.2f}, {a[1]:.2f}), b = ({b[0]:.2f}, {b[1]:.2f})")

    slider.observe(show, names="value")
    show()
    return with_static_view(widgets.VBox([slider, label]),
                            f"angle slider at {slider.value:.0f}°: {html.unescape(_strip_tags(label.value))}",
                            f"<p><i>Angle slider at {slider.value:.0f}° (run the notebook to move it)</i></p>"
                            f"{label.value}")


def _strip_tags(markup: str) -> str:
    return re.sub(r"<br>", "; ", re.sub(r"</?b>", "", markup))
