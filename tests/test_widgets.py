"""Widget tests driven from Python: click the buttons, move the sliders, read what the widgets show."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.neighbors import WordVectors
from helpers.widgets import NeighborExplorer

# ---------------------------------------------------------------------------------------------------------------
# Neighbour explorer
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def small_vectors() -> WordVectors:
    rng = np.random.default_rng(3)
    words = ["cat", "dog", "kitten", "zoo", "lion", "tiger", "hip", "arm", "bread", "cheese"]
    return WordVectors(rng.normal(size=(len(words), 4)), words)


def test_explorer_lists_the_same_neighbours_as_most_similar(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=4)
    expected = small_vectors.most_similar("cat", topn=4)
    assert explorer.neighbors == expected
    for neighbour, sim in expected:
        assert neighbour in explorer.table.value
        assert f"{sim:+.3f}" in explorer.table.value
    assert explorer.table.value.count('class="wv-neighbor-row"') == 4


def test_typing_a_word_and_moving_the_slider_update_the_table(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=3)
    explorer.word_box.value = "Lion "  # case and stray spaces from typing are forgiven
    assert explorer.neighbors == small_vectors.most_similar("lion", topn=3)
    explorer.topn_slider.value = 6
    assert len(explorer.neighbors) == 6
    assert explorer.table.value.count('class="wv-neighbor-row"') == 6


def test_unknown_word_shows_did_you_mean_buttons_that_look_the_word_up(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cta")
    assert explorer.neighbors == []
    assert "not in the vocabulary" in explorer.table.value
    suggestions = [b.description for b in explorer.suggestion_box.children]
    assert "cat" in suggestions
    explorer.suggestion_box.children[suggestions.index("cat")].click()
    assert explorer.word_box.value == "cat"
    assert explorer.neighbors == small_vectors.most_similar("cat", topn=8)
    assert explorer.suggestion_box.children == ()


def test_static_frame_is_text_and_html_next_to_the_widget_view(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="dog", topn=2)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    best = small_vectors.most_similar("dog", topn=2)[0][0]
    assert bundle["text/plain"].startswith("Nearest neighbours of 'dog'")
    assert best in bundle["text/plain"]
    assert bundle["text/html"] == explorer.table.value


def test_refresh_shows_vectors_that_changed_in_place(small_vectors):
    explorer = NeighborExplorer(small_vectors, word="cat", topn=1)
    small_vectors.vectors[small_vectors.get_index("bread")] = small_vectors["cat"] * 2
    small_vectors._unit = None  # the cache of unit rows is stale after an in-place edit
    explorer.refresh()
    assert explorer.neighbors[0][0] == "bread"
    assert explorer.neighbors[0][1] == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [0, 10, 2.5])
def test_explorer_rejects_a_bad_topn(small_vectors, bad):
    with pytest.raises(ValueError, match="topn"):
        NeighborExplorer(small_vectors, topn=bad)


def test_explorer_rejects_something_that_is_not_word_vectors():
    with pytest.raises(TypeError, match="WordVectors"):
        NeighborExplorer(np.eye(3))
