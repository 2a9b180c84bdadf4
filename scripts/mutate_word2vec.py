"""Mutation testing of the fast trainer by hand: one single arithmetic change at a time, and the tests must fail.

Usage: python scripts/mutate_word2vec.py [NUMBER ...]   (default: every mutation)

Each mutation is applied to a copy of this checkout (in a temporary folder; the checkout is never touched), then
tests/test_word2vec_kernels.py, tests/test_word2vec_batching.py and tests/test_word2vec.py run with ``-x``. A
mutation that leaves every test passing SURVIVES: a change to the update arithmetic that no test notices.
Measured 2026-12-01: 25 of 25 killed (16 in kernels.py, 5 in batching.py, 4 in trainer.py).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent
K, B, T = "helpers/word2vec/kernels.py", "helpers/word2vec/batching.py", "helpers/word2vec/trainer.py"
MUTATIONS = [
    (K, "true label 1 -> 0.8", "scores[..., 0] -= 1.0", "scores[..., 0] -= 0.8"),
    (K, "halve the noise gradient", "    scores *= -lr\n", "    scores *= -lr\n    scores[..., 1:] *= 0.5\n"),
    (K, "flip the sign of the step", "    scores *= -lr\n", "    scores *= lr\n"),
    (K, "drop the lr", "    scores *= -lr\n", "    scores *= -1.0\n"),
    (K, "sigmoid 1/(2+e^-x)", "    scores += 1.0\n", "    scores += 2.0\n"),
    (K, "CBOW sums instead of averaging", "weights = np.full(n * m, 1.0 / m, matrix.dtype)", "weights = np.full(n * m, 1.0, matrix.dtype)"),
    (K, "CBOW gives each context word 1/m of the error", "add_products(w_in, contexts, None, error.reshape(b, dim))", "add_products(w_in, contexts, np.full(contexts.shape, 1.0 / m), error.reshape(b, dim))"),
    (K, "CBOW output step halved", "add_products(w_out, words, scores.reshape(b, k1), hidden)", "add_products(w_out, words, 0.5 * scores.reshape(b, k1), hidden)"),
    (K, "skip-gram input step doubled", "add_products(w_in, contexts.reshape(-1, 1), None, grad_in.reshape(b * m, dim))", "add_products(w_in, contexts.reshape(-1, 1), np.full((b * m, 1), 2.0), grad_in.reshape(b * m, dim))"),
    (K, "skip-gram output step dropped for the centre", "    np.matmul(scores.transpose(0, 2, 1), x, out=grad_out)  # each output word: sum over the window's m pairs\n", "    np.matmul(scores.transpose(0, 2, 1), x, out=grad_out)  # each output word: sum over the window's m pairs\n    grad_out[:, 0] = 0.0\n"),
    (K, "noise word equal to the centre not skipped", "return words, (negatives == centres[:, None])[:, None, :]", "return words, (negatives == -1)[:, None, :]"),
    (K, "loss: true word's softplus sign", "    s[..., 0] *= -1.0", "    s[..., 0] *= 1.0"),
    (K, "loss counts skipped noise words", "    terms[..., 1:] *= ~clash\n", ""),
    (K, "largest score without abs", "largest = float(np.max(np.abs(scores)))\n    sampled = min(b, LOSS_WINDOWS)\n    loss = _sample_loss(scores[:sampled], clash[:sampled])\n    _errors_to_steps(scores, clash, lr)\n    grad_in", "largest = float(np.max(scores))\n    sampled = min(b, LOSS_WINDOWS)\n    loss = _sample_loss(scores[:sampled], clash[:sampled])\n    _errors_to_steps(scores, clash, lr)\n    grad_in"),
    (K, "skip-gram counts windows, not pairs", "return BatchResult(loss, sampled * m, b * m, largest)", "return BatchResult(loss, sampled * m, b, largest)"),
    (K, "loss sample one window short", "    sampled = min(b, LOSS_WINDOWS)\n    loss = _sample_loss(scores[:sampled], clash[:sampled])\n    _errors_to_steps(scores, clash, lr)\n    error", "    sampled = min(b, LOSS_WINDOWS)\n    loss = _sample_loss(scores[:sampled - 1], clash[:sampled - 1])\n    _errors_to_steps(scores, clash, lr)\n    error"),
    (B, "window one too wide", "reach = rng.integers(1, window + 1, size=len(ids))", "reach = rng.integers(1, window + 2, size=len(ids))"),
    (B, "window may be 0", "reach = rng.integers(1, window + 1, size=len(ids))", "reach = rng.integers(0, window + 1, size=len(ids))"),
    (B, "subsampling inverted", "kept = rng.random(len(ids)) < keep[ids]", "kept = rng.random(len(ids)) > keep[ids]"),
    (B, "one window more per batch", "size = max(1, min(batch_pairs // m, max_windows))", "size = max(1, min(batch_pairs // m + 1, max_windows))"),
    (B, "leftover windows dropped", "full_stop = stop if final else start + (stop - start) // size * size", "full_stop = start + (stop - start) // size * size"),
    (T, "no learning-rate decay", "rate = self.lr - (self.lr - self.min_lr) * done", "rate = self.lr"),
    (T, "decay restarts every epoch", "done = min(1.0, (self.epochs_done + batch.progress) / self.epochs)", "done = min(1.0, batch.progress)"),
    (T, "last minibatch unchecked", "norms[0] * norms[1] > self.max_score", "norms[0] * norms[1] > self.max_score * 1e12"),
    (T, "min_lr ignored", "rate = self.lr - (self.lr - self.min_lr) * done", "rate = self.lr - self.lr * done"),
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
                          "--deselect", "tests/test_word2vec_batching.py::test_memory_training_adds_does_not_grow_with_the_corpus"],
                         cwd=work, env=env, capture_output=True, text=True)
    shutil.rmtree(work.parent)
    failed = out.returncode != 0
    killed += failed
    first = next((l for l in out.stdout.splitlines() if l.startswith("FAILED")), "(no test failed)")
    print(f"{number:2d} {'KILLED' if failed else 'SURVIVED'}  {path.split('/')[-1]:12s} {name}: {first[:150]}", flush=True)
print(f"{killed} of {len(MUTATIONS) if not only else len(only)} mutations killed")
