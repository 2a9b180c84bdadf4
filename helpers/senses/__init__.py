"""One vector per occurrence, clustered into senses.

Used by notebooks 05, 07.

Modules, one job each:

- :mod:`.occurrences`: One vector per word, or one per occurrence: duplicates, polysemy and context-dependent vectors.
- :mod:`.clustering`: Seeded k-means on unit vectors (cosine k-means), for grouping a word's occurrences into senses.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "attention_weights", "centroid", "context_count_similarity", "context_vector", "context_vectors",
        "context_words", "find_occurrences", "position_between", "sense_agreement",
    ], "occurrences"),
    **dict.fromkeys(["kmeans"], "clustering"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
