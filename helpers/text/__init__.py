"""Text into training examples: tokens, the vocabulary, context windows, subsampling, noise words.

Used by notebooks 01-02, 04b, 06b.

Modules, one job each:

- :mod:`.corpus`: From raw text to training examples: tokens, a vocabulary, and (re-exported from
  :mod:`helpers.text.windows` and :mod:`helpers.text.sampling`) subsampling, (target, context) pairs and noise words.
- :mod:`.windows`: The course's one context rule, and the training examples it makes: skip-gram pairs and CBOW windows.
- :mod:`.sampling`: Which words a training run sees: frequent-word subsampling and noise words for negative sampling.
- :mod:`.tokens`: From a line of text to word tokens, in any script: the one tokenizing rule of the course.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "Vocabulary", "build_vocabulary", "check_sentences", "check_tokens", "vocabulary_from_counts", "vocabulary_of",
    ], "corpus"),
    **dict.fromkeys([
        "cbow_examples", "context_of", "context_span", "encoded_ids", "pairs_of", "skipgram_pairs", "window_positions",
    ], "windows"),
    **dict.fromkeys(["NoiseSampler", "keep_probabilities", "subsample"], "sampling"),
    **dict.fromkeys(["MARK_CATEGORIES", "tokenize"], "tokens"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
