"""A tiny self-attention model, trained by masked-word prediction: contextual vectors that *learn* which neighbour
matters.

Notebook 05 built a vector for each occurrence of a word by mixing its neighbours' vectors, with equal weights or with
a softmax over static word2vec vectors. Here the weights are learned. Hide one word of a sentence (it becomes the
``[mask]`` token) and predict it from the others with one attention layer:

- the hidden token asks a *query* ``q = (E[mask] + P[p]) Wq``: its position ``p`` (a learned position embedding
  ``P[p]``) shapes the question;
- every other token offers a *key* ``k_j = E[word_j] Wk`` and a *value* ``v_j = E[word_j] Wv`` (``E``: the word
  embeddings);
- the attention weights are ``a = softmax(q . k_j / sqrt(d))`` over the other tokens (the hidden one has nothing
  to offer), and the **contextual vector** of position ``p`` is ``h = sum_j a_j v_j``, shape (d,);
- the scores of the vocabulary are ``U h + b`` and the loss is ``-log softmax(U h + b)[true word]``.

Shapes: ``V`` words (the ``[mask]`` token is row ``V`` of ``E``), ``d`` dimensions, ``L`` the longest sentence,
``n`` examples. Gradients are analytic (checked against finite differences in the tests). The optimiser is in
:mod:`helpers.contextual_training`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .corpus import build_vocabulary
from .neighbors import UnknownWordError
from .params import check
from .validation import check_int

MASK = "[mask]"
PARAMETERS = ("E", "P", "Wq", "Wk", "Wv", "U", "b")  # every learned array, in a fixed order
#: What notebook 07 trains with: 3 epochs over every position of the toy world (about 96,000 examples) take a few
#: seconds. Seed 5 because which word wins the attention depends on the seed: at these settings the notebook's
#: claims hold on seeds 2 and 5 of 0-5 (see the notebook and the guide).
CONTEXTUAL_DEFAULTS = MappingProxyType({"dim": 16, "epochs": 3, "lr": 0.01, "batch_size": 256, "seed": 5})
#: Examples per forward pass when many are scored at once (the loss over a corpus, contextual vectors). One pass over
#: notebook 07's 96,000 examples held their (n, L, d) keys and values and (n, V) log-probabilities at once, 560 MB of
#: the kernel's 690 MB peak; 4,096 at a time hold about 25 MB.
SCORING_CHUNK = 4096


@dataclass(frozen=True)
class MaskedExamples:
    """Sentences with one hidden position each: what the model is trained (and measured) on.

    Attributes
    ----------
    tokens : ndarray of int64, shape (n, L)
        Word ids, the hidden position already replaced by the ``[mask]`` id; padding is -1.
    positions : ndarray of int64, shape (n,)
        The hidden position of each example.
    targets : ndarray of int64, shape (n,)
        The id of the hidden word.
    """

    tokens: np.ndarray
    positions: np.ndarray
    targets: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)

    def subset(self, rows: np.ndarray) -> MaskedExamples:
        return MaskedExamples(self.tokens[rows], self.positions[rows], self.targets[rows])


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Softmax along the last axis; -inf entries get weight 0 (the max shift keeps exp from overflowing)."""
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _sum_rows(rows: np.ndarray, values: np.ndarray, n_rows: int) -> np.ndarray:
    """``out[r] = sum of values[i] where rows[i] == r``, shape (n_rows, k): one bincount, 3-5x faster than
    ``np.add.at`` (a fifth of the training time)."""
    k = values.shape[1]
    flat = (rows[:, None] * k + np.arange(k)).ravel()
    return np.bincount(flat, values.ravel(), minlength=n_rows * k).reshape(n_rows, k)


def forward(params: dict[str, np.ndarray], ex: MaskedExamples) -> dict[str, np.ndarray]:
    """Inputs, attention weights ``a`` (n, L), contextual vectors ``h`` (n, d) and log-probabilities (n, V)."""
    n, length = ex.tokens.shape
    valid = ex.tokens >= 0
    rows = np.arange(n)
    # Keys and values are the words themselves; the position enters through the question the hidden word asks
    # ("what goes in slot 3?"). With positions in the keys too, the toy world's fixed templates let the model
    # attend to "the word two to the right" instead of to the word that carries the meaning.
    tok = np.where(valid, ex.tokens, 0)
    hidden = ex.tokens[rows, ex.positions]  # the [mask] id
    # Each word's key and value, then a lookup: tiny (V, d) products instead of (n * L, d) ones, which OpenBLAS
    # splits over threads and, on a busy 2-core machine, runs ten times slower.
    k = (params["E"] @ params["Wk"])[tok]  # (n, L, d)
    v = (params["E"] @ params["Wv"])[tok]
    q = (params["E"] @ params["Wq"])[hidden] + (params["P"] @ params["Wq"])[ex.positions]  # = (E[mask] + P[p]) Wq
    scale = 1.0 / np.sqrt(q.shape[1])
    scores = (k @ q[:, :, None])[:, :, 0] * scale
    # Padding and the hidden token itself offer nothing: their weight is exactly 0.
    offered = valid.copy()
    offered[rows, ex.positions] = False
    a = _softmax_rows(np.where(offered, scores, -np.inf))
    h = (a[:, None, :] @ v)[:, 0]
    logits = h @ params["U"].T + params["b"]
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return {"tok": tok, "hidden": hidden, "q": q, "k": k, "v": v, "a": a, "h": h, "log_p": log_p, "valid": valid,
            "scale": np.float64(scale)}


def target_log_probs(params: dict[str, np.ndarray], ex: MaskedExamples, chunk: int = SCORING_CHUNK) -> np.ndarray:
    """``log P(hidden word | the other words)`` of each example, shape (n,), scored ``chunk`` examples at a time.

    Examples do not interact in :func:`forward`, so each value is the one a single pass over all of them gives:
    bit for bit for chunks of 64 examples or more (tested), within 1e-14 for smaller ones, whose products can take
    another BLAS path. Only the memory differs (see :data:`SCORING_CHUNK`).
    """
    chunk = check_int("chunk", chunk, low=1)
    out = np.empty(len(ex))
    for start in range(0, len(ex), chunk):
        part = ex.subset(slice(start, start + chunk))
        out[start:start + len(part)] = forward(params, part)["log_p"][np.arange(len(part)), part.targets]
    return out


def masked_loss(ex: MaskedExamples, **params: np.ndarray) -> float:
    """Mean of ``-log P(hidden word | the other words)`` over the examples (what :func:`loss_and_grads` returns)."""
    return float(-target_log_probs(params, ex).mean())


def loss_and_grads(params: dict[str, np.ndarray], ex: MaskedExamples) -> tuple[float, dict[str, np.ndarray]]:
    """The mean masked-word loss and its gradient with respect to every array of ``params`` (same shapes)."""
    f = forward(params, ex)
    n, length = ex.tokens.shape
    rows = np.arange(n)
    loss = float(-f["log_p"][rows, ex.targets].mean())
    dlogits = np.exp(f["log_p"])  # d loss / d logits = (p - onehot(target)) / n
    dlogits[rows, ex.targets] -= 1.0
    dlogits /= n
    grads = {"U": dlogits.T @ f["h"], "b": dlogits.sum(axis=0)}
    dh = dlogits @ params["U"]  # (n, d)
    a, v, k, q, scale = f["a"], f["v"], f["k"], f["q"], f["scale"]
    da = (v @ dh[:, :, None])[:, :, 0]
    dv = a[:, :, None] * dh[:, None, :]
    # Softmax backward: ds_j = a_j (da_j - sum_i a_i da_i); entries that offer nothing have a_j = 0.
    ds = a * (da - (a * da).sum(axis=1, keepdims=True)) * scale
    dq = (ds[:, None, :] @ k)[:, 0]
    dk = ds[:, :, None] * q[:, None, :]
    # Back through the lookups: add up each word's key and value gradients (zero where nothing was offered).
    d = dq.shape[1]
    n_words = params["E"].shape[0]
    per_word = _sum_rows(f["tok"][f["valid"]], np.concatenate([dk, dv], axis=2)[f["valid"]], n_words)
    dkw, dvw = per_word[:, :d], per_word[:, d:]
    dqw = _sum_rows(f["hidden"], dq, n_words)
    dqp = _sum_rows(ex.positions, dq, params["P"].shape[0])
    E, P = params["E"], params["P"]
    grads["Wk"], grads["Wv"] = E.T @ dkw, E.T @ dvw
    grads["Wq"] = E.T @ dqw + P.T @ dqp
    grads["E"] = dkw @ params["Wk"].T + dvw @ params["Wv"].T + dqw @ params["Wq"].T
    grads["P"] = dqp @ params["Wq"].T
    return loss, grads


@dataclass
class AttentionModel:
    """One self-attention layer over word and position embeddings, with its vocabulary.

    Attributes
    ----------
    words : list of str, length V
        Vocabulary; id ``V`` is the ``[mask]`` token.
    params : dict of str to ndarray
        ``E`` (V + 1, d), ``P`` (max_len, d), ``Wq``, ``Wk``, ``Wv`` (d, d), ``U`` (V, d), ``b`` (V,).
    """

    words: list[str]
    params: dict[str, np.ndarray]
    key_to_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.key_to_index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def create(cls, words: Sequence[str], dim: int, max_len: int, rng: np.random.Generator) -> AttentionModel:
        """A random start: every array drawn from ``rng`` with scale 1/sqrt(dim) (``b`` starts at 0)."""
        dim = check("dim", dim)
        max_len = check_int("max_len", max_len, low=2, high=512)
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                             f"got {type(rng).__name__}")
        words = list(words)
        if len(words) < 2 or len(set(words)) != len(words) or MASK in words:
            raise ValueError(f"words must be at least 2 different words, without {MASK!r}")
        shapes = {"E": (len(words) + 1, dim), "P": (max_len, dim), "Wq": (dim, dim), "Wk": (dim, dim),
                  "Wv": (dim, dim), "U": (len(words), dim)}
        params = {name: rng.normal(0.0, 1.0 / np.sqrt(dim), size=shape) for name, shape in shapes.items()}
        params["b"] = np.zeros(len(words))
        return cls(words, params)

    @property
    def dim(self) -> int:
        return self.params["E"].shape[1]

    @property
    def max_len(self) -> int:
        return self.params["P"].shape[0]

    def encode(self, sentence: Sequence[str] | str) -> list[int]:
        """Word ids of a sentence (a string is split on spaces); unknown words raise with a "did you mean"."""
        tokens = sentence.lower().split() if isinstance(sentence, str) else list(sentence)
        if not 2 <= len(tokens) <= self.max_len:
            raise ValueError(f"a sentence must have between 2 and {self.max_len} words (max_len), got "
                             f"{len(tokens)}: {' '.join(map(str, tokens))!r}")
        for token in tokens:
            if token not in self.key_to_index:
                raise UnknownWordError(token, difflib.get_close_matches(str(token), self.words, n=3, cutoff=0.5))
        return [self.key_to_index[t] for t in tokens]

    def examples(self, sentences: Sequence[Sequence[str]], positions: Sequence[int] | None = None) -> MaskedExamples:
        """Masked examples: each sentence with ``positions[i]`` hidden, or (None) one example per token."""
        ids = [self.encode(s) for s in sentences]
        if positions is None:
            pairs = [(i, p) for i, s in enumerate(ids) for p in range(len(s))]
        else:
            if len(positions) != len(ids):
                raise ValueError(f"give one position per sentence: {len(ids)} sentences, {len(positions)} positions")
            pairs = [(i, check_int(f"positions[{i}]", p, low=0, high=len(ids[i]) - 1))
                     for i, p in enumerate(positions)]
        if not pairs:
            raise ValueError("sentences is empty: give at least one sentence")
        length = max(len(s) for s in ids)
        tokens = np.full((len(pairs), length), -1, dtype=np.int64)
        for row, (i, p) in enumerate(pairs):
            tokens[row, :len(ids[i])] = ids[i]
        rows = np.arange(len(pairs))
        positions_arr = np.array([p for _, p in pairs], dtype=np.int64)
        targets = tokens[rows, positions_arr].copy()
        tokens[rows, positions_arr] = len(self.words)  # the [mask] id
        return MaskedExamples(tokens, positions_arr, targets)

    def _one(self, sentence: Sequence[str] | str, position: int) -> dict[str, np.ndarray]:
        tokens = sentence.lower().split() if isinstance(sentence, str) else list(sentence)
        position = check_int("position", position, low=0, high=max(0, len(tokens) - 1))
        return forward(self.params, self.examples([tokens], [position]))

    def attention(self, sentence: Sequence[str] | str, position: int) -> np.ndarray:
        """Attention weights of the hidden word at ``position`` over the sentence, shape (len,), 0 at ``position``."""
        return self._one(sentence, position)["a"][0]

    def query_and_keys(self, sentence: Sequence[str] | str, position: int) -> tuple[np.ndarray, np.ndarray]:
        """The hidden word's query (d,) and every word's key (len, d): the inputs of one attention row."""
        f = self._one(sentence, position)
        return f["q"][0], f["k"][0]

    def attention_matrix(self, sentence: Sequence[str] | str) -> np.ndarray:
        """Row ``p``: :meth:`attention` with word ``p`` hidden, shape (len, len); the diagonal is 0."""
        tokens = sentence.lower().split() if isinstance(sentence, str) else list(sentence)
        ids_ok = self.examples([tokens] * len(tokens), list(range(len(tokens))))
        return forward(self.params, ids_ok)["a"]

    def contextual_vector(self, sentence: Sequence[str] | str, position: int) -> np.ndarray:
        """The vector the model builds for position ``position`` from the other words, shape (d,)."""
        return self._one(sentence, position)["h"][0]

    def contextual_vectors(self, sentences: Sequence[Sequence[str]], positions: Sequence[int]) -> np.ndarray:
        """:meth:`contextual_vector` of each (sentence, position), shape (n, d), :data:`SCORING_CHUNK` at a time."""
        ex = self.examples(sentences, positions)
        return np.concatenate([forward(self.params, ex.subset(slice(start, start + SCORING_CHUNK)))["h"]
                               for start in range(0, len(ex), SCORING_CHUNK)])

    def predict(self, sentence: Sequence[str] | str, position: int, topn: int = 5) -> list[tuple[str, float]]:
        """The ``topn`` words the model expects at the hidden ``position``, with their probabilities."""
        topn = check_int("topn", topn, low=1, high=len(self.words))
        p = np.exp(self._one(sentence, position)["log_p"][0])
        best = np.argsort(-p, kind="stable")[:topn]
        return [(self.words[i], float(p[i])) for i in best]


def toy_model(sentences: Sequence[Sequence[str]], dim: int, rng: np.random.Generator) -> AttentionModel:
    """A random-start model for a corpus: its vocabulary (most frequent first) and room for its longest sentence."""
    vocab = build_vocabulary(sentences)
    return AttentionModel.create(vocab.index_to_key, dim, max(len(s) for s in sentences), rng)


def occurrence_vectors(model: AttentionModel, sentences: Sequence[Sequence[str]], words: Sequence[str]) -> np.ndarray:
    """Contextual vector of every occurrence of any of ``words`` in ``sentences`` (each hidden in turn), (n, d)."""
    wanted = set(words)
    found = [(s, p) for s in sentences for p, w in enumerate(s) if w in wanted]
    if not found:
        raise ValueError(f"none of {sorted(wanted)} occurs in these sentences: check the spelling")
    return model.contextual_vectors([s for s, _ in found], [p for _, p in found])
