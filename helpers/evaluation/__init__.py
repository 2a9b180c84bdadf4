"""Measuring against people: similarity ratings, analogy accuracy, gensim's Word2Vec as the reference.

Used by notebooks 06-06b.

Modules, one job each:

- :mod:`.measures`: Measuring trained vectors against people: word-similarity rank correlation and analogy accuracy.
- :mod:`.checks`: Checks of what the measures of :mod:`helpers.evaluation` are given: rated word pairs, analogy
  sections and the ``normalize`` function, each checked once, with a message that names the first bad item and the form
  expected.
- :mod:`.datasets`: The real-text data the course measures with, all shipped in gensim's test data, so nothing is
  downloaded.
- :mod:`.reference`: gensim's ``Word2Vec`` under the course's parameter names, trained the same way in every run and
  process.
- :mod:`.dials`: A lab for word2vec's dials on real text (notebook 06b): one baseline, one dial turned at a time, one
  table.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "AnalogyResult", "SimilarityResult", "analogy_accuracy", "evaluate", "pair_cosines", "word_similarity",
    ], "measures"),
    **dict.fromkeys(["Normalizer", "analogy_sections", "normalizer", "rated_pairs"], "checks"),
    **dict.fromkeys([
        "data_file", "datapath", "load_analogies", "load_word_pairs", "porter_stem", "read_corpus",
    ], "datasets"),
    **dict.fromkeys(["GENSIM_PARAMS", "gensim_word2vec", "stable_hash"], "reference"),
    **dict.fromkeys([
        "DIALS", "LAB_BASELINE", "MIN_TOKENS", "LabRun", "lab_corpus", "lab_table", "read_text", "run_lab",
    ], "dials"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
