"""The start-here notebook's setup check and its proof-of-widgets slider."""

from __future__ import annotations

import numpy as np

from helpers.exercises import angle_widget, check_environment, print_environment


def test_versions_are_compared_with_the_pins():
    rows = {name: (found, pinned, verdict) for name, found, pinned, verdict in
            check_environment({"numpy": np.__version__, "not-a-package-xyz": "1.0", "pytest": "0.0.1"})}
    assert rows["numpy"] == (np.__version__, np.__version__, "ok")
    assert rows["not-a-package-xyz"][0] == "-" and rows["not-a-package-xyz"][2].startswith("MISSING")
    assert rows["pytest"][2] == "different version"


def test_print_environment_says_whether_anything_is_missing(capsys):
    assert print_environment({"numpy": "0.0"}) is True
    assert print_environment({"not-a-package-xyz": "1.0"}) is False
    assert "MISSING" in capsys.readouterr().out


def test_angle_slider_updates_the_cosine():
    widget = angle_widget(angle=60)
    slider, readout = widget.children
    assert "+0.50" in readout.value
    for angle, expected in [(0, "+1.00"), (90, "+0.00"), (180, "-1.00"), (120, "-0.50")]:
        slider.value = angle
        assert f"cos(a, b) = {expected}" in readout.value


def test_angle_widget_saved_view_is_readable_text_not_a_repr():
    bundle = angle_widget(angle=60)._repr_mimebundle_()
    assert bundle["text/plain"].startswith("angle slider at 60°: cos(a, b) = +0.50")
    assert "VBox" not in bundle["text/plain"]
    assert "cos(a, b) = +0.50" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_angle_slider_uses_notebook_01s_words():
    """85 degrees (cos +0.09) is "almost orthogonal", as notebook 01 calls random pairs, not "similar"."""
    slider, readout = angle_widget(angle=60).children
    words = {}
    for angle in (0, 60, 85, 90, 95, 150, 180):
        slider.value = angle
        words[angle] = readout.value.split("</b>: ")[1].split("<br>")[0]
    assert words == {0: "same direction", 60: "similar", 85: "almost orthogonal", 90: "unrelated (orthogonal)",
                     95: "almost orthogonal", 150: "dissimilar", 180: "opposite"}
