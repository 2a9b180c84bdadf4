"""Reading a trained space: WordVectors (cosine, neighbours, analogies, purity), kNN in bounded memory, 2-D maps,
random-vector orthogonality, analogies drawn.

Used by notebooks 00-01, 03-05, 07.

Modules, one job each:

- :mod:`.neighbors`: Reading a trained space: cosine similarity, k nearest neighbours, analogies.
- :mod:`.purity`: kNN purity, how often a word's nearest neighbours share its class (the measure of learning).
- :mod:`.knn`: Brute-force nearest neighbours over arrays, in bounded memory: unit rows, top-k with stable ties, kNN by
  cosine.
- :mod:`.projection`: Flattening word vectors to a 2-D map, and measuring how much of the neighbourhood structure the
  map keeps.
- :mod:`.orthogonality`: Random vectors in high dimension are almost orthogonal: the cosines of random pairs (notebook
  01), in bounded memory.
- :mod:`.analogies`: Analogies a : b :: c : d, answered by vector arithmetic (b - a + c), scored, and drawn as a
  parallelogram.
- :mod:`.pmi`: Counting in disguise: pair counts, PMI, shifted positive PMI and its truncated SVD, as a word space
  (notebook 04b).
- :mod:`.bias`: Bias in, bias out: a direction for gender, projections on it, hard debiasing, and what debiasing leaves
  (04b, 06b).
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys(["UnknownWordError", "WordVectors", "cosine_similarity"], "neighbors"),
    "knn_purity": "purity",
    **dict.fromkeys([
        "BLOCK_BYTES", "block_rows", "check_finite_rows", "knn_indices", "top_k", "top_k_rows", "unit_rows",
    ], "knn"),
    **dict.fromkeys(["Projection", "neighbour_faithfulness", "neighbour_overlap", "pca"], "projection"),
    **dict.fromkeys(["BLOCK_NUMBERS", "random_cosines"], "orthogonality"),
    **dict.fromkeys(["Analogy", "accuracy", "answer", "parallelogram", "step_cosines"], "analogies"),
    **dict.fromkeys([
        "CountSpace", "counted_space", "frequent_pairs", "pair_counts", "sgns_optimum", "shifted_ppmi", "svd_space",
        "trained_scores",
    ], "pmi"),
    **dict.fromkeys(["gender_direction", "hard_debias", "lean_clustering", "pronoun_ratio"], "bias"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
