"""The generated corpus with known word classes (generator, tables, loader); its files are the top-level data/toyworld.

Used by notebooks 00-02, 04-05, 07.

Modules, one job each:

- :mod:`.world`: The toy world: a small, deterministic, English-like corpus whose word classes are known in advance.
- :mod:`.spec`: What the toy world is made of: its word classes, each word's own contexts, the sentence templates, the
  analogies.
- :mod:`.templates`: Filling the toy world's templates (:mod:`helpers.toyworld.spec`): slots, the subject, and each
  word's own company.
"""

from .. import lazy_exports

#: Each public name and the module that defines it (imported on first use).
EXPORTS = {
    **dict.fromkeys([
        "DATA_DIR", "FUNCTION_CLASS", "MOLE_SENTENCES", "N_SENTENCES", "PLANTED", "POLYSEMOUS_CLASS", "SEED_SENTENCE",
        "ToyWorld", "generate", "load", "load_or_generate", "main", "with_gender_skew", "write",
    ], "world"),
    **dict.fromkeys([
        "ANALOGIES", "ATTRIBUTES", "CLASSES", "FUNCTION_WORDS", "GENDER_PAIRS", "GENDERED_PAIRS", "GROUPS",
        "MOLE_TEMPLATES", "OWN_SHARE", "PERSON_AGE_PAIRS", "POLYSEMOUS_WORD", "PRONOUN_PAIRS", "TOPICS", "TWINS",
        "YOUNG_OF",
    ], "spec"),
    **dict.fromkeys([
        "check_gender_skew", "check_templates", "fill", "parse_slot", "regender", "with_twin_copies",
    ], "templates"),
}
__all__ = list(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
