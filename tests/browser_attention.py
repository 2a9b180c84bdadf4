"""Notebook 07's attention explorer used like a student would, in JupyterLab and chromium.

Registered in ``tests/test_browser.py``'s ``INTERACTIONS["07"]``: the test calls it with the tab where notebook 07
has been run.
"""

from __future__ import annotations

from browser_support import LabSession, pick_suggestion


def use_attention_explorer(lab: LabSession, stem: str, artifacts) -> None:
    """Type a sentence, hide another word, misspell a word and click the suggestion; check what the page shows."""
    explorer = lab.page.locator(".wv-attention-explorer").first
    assert explorer.count(), "notebook 07 shows no attention explorer (.wv-attention-explorer)"
    box = explorer.locator(".wv-attention-input input").first
    view = explorer.locator(".wv-attention")
    cells = explorer.locator(".wv-attention-cell")
    assert "mole" in view.inner_text() and cells.count() == 7, "the first frame should show 'i saw a mole at the zoo'"

    def type_sentence(sentence: str, expect: str) -> None:
        box.fill(sentence)
        box.press("Enter")
        explorer.filter(has_text=expect).first.wait_for(timeout=10_000)
        lab.wait_until_idle()

    type_sentence("there is a mole on my hip", "on")
    assert cells.count() == 7 and "[mole]" in view.inner_text(), view.inner_text()
    weights = [float(cells.nth(i).locator("code").inner_text()) for i in range(7) if i != 3]
    assert abs(sum(weights) - 1.0) < 0.02, f"the weights shown should sum to 1, got {weights}"
    lab.screenshot(artifacts / f"{stem}-attention-hip.png", ".wv-attention-explorer")

    explorer.locator(".wv-attention-position select").first.select_option(label="6: hip")
    explorer.locator(".wv-attention").filter(has_text="[hip]").first.wait_for(timeout=10_000)
    lab.wait_until_idle()

    type_sentence("there is a mole on my hipp", "Did you mean")
    pick_suggestion(lab, ".wv-attention-explorer", "hipp", "hip", artifacts / f"{stem}-attention-suggestion.png",
                    ".wv-attention-cell")
    assert box.input_value() == "there is a mole on my hip", box.input_value()
    assert explorer.locator(".wv-attention-message").inner_text().strip() == "", "the error should be gone"
