"""Mutation testing of the fast trainer by hand: one single arithmetic change at a time, and the tests must fail.

Usage: python scripts/mutate_word2vec.py [NUMBER ...]   (default: every mutation)

Each mutation is applied to a copy of this checkout (in a temporary folder; the checkout is never touched), then
tests/test_word2vec_kernels.py, tests/test_word2vec_batching.py and tests/test_word2vec.py run with ``-x``. A
mutation that leaves every test passing SURVIVES: a change to the update arithmetic that no test notices.
Measured 2026-12-01 on the numba kernels: 44 of 44 killed (26 in kernels.py, 8 in batching.py, 4 in trainer.py, 6 in
reading.py).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent
K, B, T = "helpers/word2vec/kernels.py", "helpers/word2vec/batching.py", "helpers/word2vec/trainer.py"
R = "helpers/word2vec/reading.py"
MUTATIONS = [
    (K, "true label 1 -> 0.8", "label = 1.0 if t == 0 else 0.0", "label = 0.8 if t == 0 else 0.0"),
    (K, "noise label 0 -> 0.2", "label = 1.0 if t == 0 else 0.0", "label = 1.0 if t == 0 else 0.2"),
    (K, "flip the sign of the step", "steps[t] = lr * (label", "steps[t] = -lr * (label"),
    (K, "drop the lr", "steps[t] = lr * (label", "steps[t] = 1.0 * (label"),
    (K, "sigmoid 1/(2+e^-x)", "1.0 / (1.0 + np.exp(-score))", "1.0 / (2.0 + np.exp(-score))"),
    (K, "sigmoid of -x", "1.0 / (1.0 + np.exp(-score))", "1.0 / (1.0 + np.exp(score))"),
    (K, "CBOW sums instead of averaging", "share[0] = 1.0 / m", "share[0] = 1.0"),
    (K, "CBOW gives each context word 1/m of the error", "_add(w_in[contexts[i, c]], error)", "_add_scaled(w_in[contexts[i, c]], share[0], error)"),
    (K, "CBOW output step halved", "_add_scaled(w_out[words[t]], steps[t], hidden)", "_add_scaled(w_out[words[t]], 0.5 * steps[t], hidden)"),
    (K, "CBOW error from the mean, not the output rows", "_add_scaled(error, steps[t], out)", "_add_scaled(error, steps[t], hidden)"),
    (K, "CBOW hidden not reset per window", "        hidden[:] = 0.0\n", ""),
    (K, "CBOW error not reset per window", "        error[:] = 0.0\n", ""),
    (K, "CBOW reads one context slot past counts", "        m = counts[i]\n        share", "        m = min(counts[i] + 1, contexts.shape[1])\n        share"),
    (K, "skip-gram input step doubled", "_add(w_in[contexts[i, c]], grad_in[c])", "_add_scaled(w_in[contexts[i, c]], 2.0, grad_in[c])"),
    (K, "skip-gram output step dropped for the centre", "        for t in range(n_out):  # the steps", "        for t in range(1, n_out):  # the steps"),
    (K, "skip-gram output gradient from the output row", "into_out[q] += step * x[q]", "into_out[q] += step * out[q]"),
    (K, "skip-gram input gradient not reset", "            grad_in[c] = 0.0\n", ""),
    (K, "skip-gram output gradient not reset", "        grad_out[:n_out] = 0.0\n", ""),
    (K, "skip-gram reads one context slot past counts", "        m = counts[i]\n        for c", "        m = min(counts[i] + 1, contexts.shape[1])\n        for c"),
    (K, "noise word equal to the centre not skipped", "if negatives[i, j] != centre:", "if True:"),
    (K, "loss: true word's softplus sign", "_softplus(-score if t == 0 else score)", "_softplus(score if t == 0 else score)"),
    (K, "loss: softplus without its max", "return max(x, 0.0) + np.log1p", "return np.log1p"),
    (K, "largest score without abs (skip-gram)", "                largest, finite = max(largest, abs(score))", "                largest, finite = max(largest, score)"),
    (K, "NaN score not reported (CBOW)", "_add(w_in[contexts[i, c]], error)\n    return loss, largest if finite else np.nan", "_add(w_in[contexts[i, c]], error)\n    return loss, largest"),
    (K, "skip-gram counts windows, not pairs", "int(counts[:sampled].sum()), int(counts.sum()), largest)", "int(counts[:sampled].sum()), len(centres), largest)"),
    (K, "loss sample one window short", "_skipgram(w_in, w_out, contexts, counts, centres, negatives, lr, sampled)", "_skipgram(w_in, w_out, contexts, counts, centres, negatives, lr, sampled - 1)"),
    (B, "window one too wide", "reach = rng.integers(1, window + 1, size=len(ids))", "reach = rng.integers(1, window + 2, size=len(ids))"),
    (B, "window may be 0", "reach = rng.integers(1, window + 1, size=len(ids))", "reach = rng.integers(0, window + 1, size=len(ids))"),
    (B, "subsampling inverted", "kept = rng.random(len(chunk.ids)) < keep[chunk.ids]", "kept = rng.random(len(chunk.ids)) > keep[chunk.ids]"),
    (B, "window crosses sentences", "if j != i and sentence[j] == sentence[i]:", "if j != i:"),
    (B, "window misses its right end", "min(n, i + r + 1)", "min(n, i + r)"),
    (B, "centre is its own context", "if j != i and sentence[j] == sentence[i]:", "if sentence[j] == sentence[i]:"),
    (B, "windows not shuffled", "contexts, centres, counts = np.take(contexts, order, axis=0), centres[order], counts[order]",
     "pass"),
    (B, "last window of each batch dropped", "hi = min(lo + batch_windows, len(centres))", "hi = min(lo + batch_windows, len(centres)) - 1"),
    (T, "no learning-rate decay", "rate = self.lr - (self.lr - self.min_lr) * done", "rate = self.lr"),
    (T, "decay restarts every epoch", "done = min(1.0, (self.epochs_done + batch.progress) / self.epochs)", "done = min(1.0, batch.progress)"),
    (T, "last minibatch unchecked", "norms[0] * norms[1] > self.max_score", "norms[0] * norms[1] > self.max_score * 1e12"),
    (T, "min_lr ignored", "rate = self.lr - (self.lr - self.min_lr) * done", "rate = self.lr - self.lr * done"),
    (R, "a held block loses its first sentence", "lengths = corpus.lengths[lo:lo + _ENCODE_TOKENS]",
     "lengths = corpus.lengths[lo + 1:lo + _ENCODE_TOKENS]"),
    (R, "a corpus object's last sentences not read", "    if group:\n        yield _encode_group(group, index)\n\n\n",
     "\n\n"),
    (R, "a long sentence not cut", "if np.all(lengths <= MAX_SENTENCE_TOKENS):", "if True:"),
    (R, "a long read sentence's tail dropped", "    if len(carry):\n        yield carry", "    if False:\n        yield carry"),
    (R, "a chunk boundary one multiple late", "begins // size > np.r_[previous, begins[:-1]] // size",
     "begins // size > 1 + np.r_[previous, begins[:-1]] // size"),
    (R, "a held list's pieces not cut", "pieces = _cut(known_lengths[known_lengths > 0])", "pieces = (known_lengths[known_lengths > 0])"),
]
TESTS = ["tests/test_word2vec_kernels.py", "tests/test_word2vec_batching.py", "tests/test_word2vec.py"]
only = sys.argv[1:] and [int(i) for i in sys.argv[1:]]
killed = 0
for number, (path, name, old, new) in enumerate(MUTATIONS):
    if only and number not in only:
        continue
    work = Path(tempfile.mkdtemp(prefix="mutate_word2vec_")) / "tree"
    shutil.copytree(SRC, work, ignore=shutil.ignore_patterns(".git", "__pycache__", "notebooks", "docs", "course"))
    text = open(f"{work}/{path}").read()
    assert text.count(old) == 1, (name, text.count(old))
    open(f"{work}/{path}", "w").write(text.replace(old, new))
    env = dict(os.environ, PYTHONPATH=str(work), OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-m", "pytest", *TESTS, "-x", "-q", "-p", "no:cacheprovider",
                          "--deselect", "tests/test_word2vec_batching.py::test_memory_training_adds_does_not_grow_with_a_corpus_object",
                          "--deselect", "tests/test_word2vec_batching.py::test_a_list_adds_only_its_ids"],
                         cwd=work, env=env, capture_output=True, text=True)
    shutil.rmtree(work.parent)
    failed = out.returncode != 0
    killed += failed
    first = next((l for l in out.stdout.splitlines() if l.startswith("FAILED")), "(no test failed)")
    print(f"{number:2d} {'KILLED' if failed else 'SURVIVED'}  {path.split('/')[-1]:12s} {name}: {first[:150]}", flush=True)
print(f"{killed} of {len(MUTATIONS) if not only else len(only)} mutations killed")
