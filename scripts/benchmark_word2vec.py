"""Side-by-side benchmark: gensim's Word2Vec against helpers.word2vec.train_word2vec, paired and interleaved.

Usage:
    python scripts/benchmark_word2vec.py [--corpus head500.noblanks.cor lee_background.cor] [--model skipgram cbow]
                                         [--dim 100 300] [--workers 1 2] [--repeats 3] [--epochs 5] [--short]
    python scripts/benchmark_word2vec.py --scaling 300000 1000000 3000000 [--from-file]   # memory against size

Every configuration (corpus, model, d, workers) runs both trainers ``--repeats`` times, alternating which goes first
(A B B A ...), each run in a fresh subprocess with BLAS limited to one thread, so a slow spell on the shared machine
hits both alike and neither inherits the other's memory. Settings are gensim's defaults (window 5, negative 5,
sample 1e-3, min_count 5, lr 0.025 -> 0.0001, 5 epochs); ``workers`` is gensim's worker threads and ours.

First, the one-time cost of our compiled kernels, as its own line: compiling them into an empty numba cache, then
loading them from it (each in a fresh process). It is not in the timings: gensim's compiled code loads at
``import gensim``, before its timer, so ours is loaded before its timer too (``helpers.word2vec.load_kernels()``).

Printed per configuration: medians of words per second (raw corpus tokens x epochs / wall time of the whole call,
vocabulary included), the median of the per-pair speed ratios ours / gensim, the memory training adds (the
process's peak RSS from the moment the corpus is read, the peak reset there, minus its RSS then), and the quality:
Spearman correlation on wordsim353 and simlex999 and analogy accuracy, as median (min-max) over the repeats' seeds (gensim's seed-to-seed spread is the
yardstick: column "ok" counts the measures where our median is not below gensim's lowest seed).
The load average (``/proc/loadavg``) before and after is printed too: on a shared machine times move by +-20%.

``--short`` cuts every sentence into pieces of 2 and 3 tokens: windows with one or two context words.
``--scaling N ...`` trains ours (and gensim) once on copies of head500 with their sentences shuffled, cut to about N
tokens, and prints the memory training adds: it should not grow with N. Only the words head500 keeps are copied,
so the vocabulary (and the model) is the same at every N.
``--from-file`` (with ``--scaling``) writes each copy to a file, one sentence per line, and both trainers read it with
gensim's ``LineSentence`` (``Text8Corpus`` with ``--one-line``), as a corpus larger than memory is read: nothing
but the file is held. Without it the
corpus is a list, which both hold already; ours then adds its ids, 4 bytes a token.
``--one-line`` makes the whole corpus one sentence, as text8 is: gensim's trainer keeps only its first 10,000 tokens (so
its speed there means nothing); ours trains on all of it, in pieces of 10,000.
Evaluation words are Porter-stemmed when the corpus is (head500.noblanks.cor).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = dict(negative=5, window=5, sample=1e-3, min_count=5, lr=0.025, min_lr=1e-4)
STEMMED = {"head500.noblanks.cor"}
RAW_TEXT = {"lee_background.cor"}  # tokenized with helpers.text.tokenize; the others are split at spaces


def load(corpus: str, tokens: int | None, short: bool = False, one_line: bool = False) -> list[list[str]]:
    from helpers.text import tokenize
    from helpers.evaluation import read_corpus

    sentences = read_corpus(corpus, tokenize if Path(corpus).name in RAW_TEXT else str.split)
    if short:  # every sentence cut into pieces of 2 and 3 tokens in turn (its last piece may be 1)
        pieces = []
        for s in sentences:
            for lo in range(0, len(s), 5):
                pieces += [piece for piece in (s[lo:lo + 2], s[lo + 2:lo + 5]) if piece]
        sentences = pieces
    if tokens is None:
        return sentences
    # Only words the original keeps (min_count), so every size has the same vocabulary and the same model: what
    # grows is the corpus alone (copies would otherwise lift more and more rare words over min_count).
    counts = Counter(w for s in sentences for w in s)
    sentences = [[w for w in s if counts[w] >= SETTINGS["min_count"]] for s in sentences]
    rng, out, total = random.Random(0), [], 0
    while total < tokens:  # copies of the corpus, each with its sentences in a new random order
        copy = sentences[:]
        rng.shuffle(copy)
        for s in copy:
            out.append(s)
            total += len(s)
            if total >= tokens:
                break
    return [[w for s in out for w in s]] if one_line else out


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise OSError(field)


def start_peak() -> int:
    """The memory in use now (KB), with the peak reset to it, so that :func:`peak_kb` measures from here (Linux:
    ``/proc/self/clear_refs``; elsewhere the peak so far, which hides what training adds below it)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kb("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_kb() -> int:
    try:
        return _status_kb("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_run(args: argparse.Namespace) -> dict:
    """Train once (inside the child process) and return measurements."""
    import numpy as np

    from helpers.evaluation import evaluate, porter_stem
    from helpers.space import WordVectors

    from gensim.models import Word2Vec

    from helpers.word2vec import load_kernels, train_word2vec

    if args.one == "load":  # the one-time cost, in a process of its own (cold or cached by NUMBA_CACHE_DIR)
        return {"seconds": load_kernels()}
    if args.file:  # streamed from disk, by gensim's reader, for both trainers
        from gensim.models.word2vec import LineSentence, Text8Corpus

        # LineSentence reads a whole line at once (a 3M-token line: ~280 MB); Text8Corpus reads text8 in blocks
        sentences = Text8Corpus(args.file) if args.one_line else LineSentence(args.file)
    else:
        sentences = load(args.corpus[0], args.tokens, args.short, args.one_line)
    tokens = sum(map(len, sentences))
    if args.one == "ours":
        load_kernels((args.model[0],))  # gensim's compiled code loaded at import; ours here, outside the timer
    base_kb = start_peak()  # after the imports, kernels and the corpus
    start = time.perf_counter()
    model, dim, workers = args.model[0], args.dim[0], args.workers[0]
    if args.one == "gensim":
        trained = Word2Vec(sentences, sg=int(model == "skipgram"), negative=SETTINGS["negative"],
                           window=SETTINGS["window"], vector_size=dim, sample=SETTINGS["sample"],
                           min_count=SETTINGS["min_count"], alpha=SETTINGS["lr"], min_alpha=SETTINGS["min_lr"],
                           epochs=args.epochs, workers=workers, seed=args.seed)
        seconds = time.perf_counter() - start
        wv = WordVectors(trained.wv.vectors, trained.wv.index_to_key)
    else:
        wv = train_word2vec(sentences, model=model, dim=dim, epochs=args.epochs, seed=args.seed, workers=workers,
                            progress=False, **SETTINGS)
        seconds = time.perf_counter() - start
    training_mb = (peak_kb() - base_kb) / 1024
    quality = {} if args.tokens else evaluate(wv, porter_stem if Path(args.corpus[0]).name in STEMMED else str.lower)
    return {"seconds": seconds, "words_per_s": tokens * args.epochs / seconds, "tokens": tokens, "vocab": len(wv),
            "training_mb": training_mb, "finite": bool(np.isfinite(wv.vectors).all()), **quality}


def child(args: argparse.Namespace, trainer: str, corpus: str, model: str, dim: int, workers: int, seed: int,
          tokens: int | None = None, file: str | None = None, **env_extra: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0",
               **env_extra)
    command = [sys.executable, __file__, "--one", trainer, "--seed", str(seed), "--corpus", corpus, "--model", model,
               "--dim", str(dim), "--workers", str(workers), "--epochs", str(args.epochs)]
    command += ["--short"] * args.short + ["--one-line"] * args.one_line
    if tokens:
        command += ["--tokens", str(tokens)]
    if file:
        command += ["--file", file]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:  # not Linux
        return "n/a"


QUALITY = [("wordsim353 spearman", "ws353"), ("simlex999 spearman", "simlex"), ("analogy accuracy", "analogy")]


def spread(results: list[dict], name: str) -> str:
    """Median (min-max) of ``name`` over the runs' seeds."""
    values = [r[name] for r in results]
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def not_below(g: list[dict], o: list[dict]) -> str:
    """How many of the quality measures have our median at or above the lowest of gensim's seeds."""
    fine = sum(statistics.median(r[n] for r in o) >= min(r[n] for r in g) for n, _ in QUALITY)
    return f"{fine}/{len(QUALITY)}"


def compare(args: argparse.Namespace) -> None:
    header = (f"{'corpus':22s} {'model':8s} {'d':>4s} {'wk':>2s} {'gensim w/s':>11s} {'ours w/s':>10s} {'ratio':>6s} "
              f"{'MB g/o':>9s}  " + "  ".join(f"{short + ' gensim / ours':>41s}" for _, short in QUALITY) + "  ok   load")
    print(header)
    for corpus in args.corpus:
        for model in args.model:
            for dim in args.dim:
                for workers in args.workers:
                    runs: dict[str, list[dict]] = {"gensim": [], "ours": []}
                    before = loadavg()
                    for repeat in range(args.repeats):
                        order = ("gensim", "ours") if repeat % 2 == 0 else ("ours", "gensim")
                        for trainer in order:
                            runs[trainer].append(child(args, trainer, corpus, model, dim, workers, seed=repeat + 1))
                    g, o = runs["gensim"], runs["ours"]
                    ratio = statistics.median(b["words_per_s"] / a["words_per_s"] for a, b in zip(g, o))
                    speed = [statistics.median(r["words_per_s"] for r in rs) for rs in (g, o)]
                    memory = [statistics.median(r["training_mb"] for r in rs) for rs in (g, o)]
                    quality = "  ".join(f"{spread(g, n) + ' / ' + spread(o, n):>41s}" for n, _ in QUALITY)
                    name = Path(corpus).stem[:16] + (" short" if args.short else "")
                    print(f"{name[:22]:22s} {model:8s} {dim:4d} {workers:2d} {speed[0]:11,.0f} "
                          f"{speed[1]:10,.0f} {ratio:5.2f}x {memory[0]:4.0f}/{memory[1]:<4.0f}  {quality}  {not_below(g, o)}  "
                          f"{before} -> {loadavg()}", flush=True)


def load_line(args: argparse.Namespace) -> None:
    """The one-time cost of our compiled kernels (not in the timings above): compiled into an empty numba cache,
    then loaded from that cache, each in a fresh process."""
    with tempfile.TemporaryDirectory() as cache:
        cold, cached = (child(args, "load", args.corpus[0], "cbow", 100, 1, 1, NUMBA_CACHE_DIR=cache)["seconds"]
                        for _ in range(2))
    print(f"one-time kernel load, once per process (not in the speeds): compile {cold:.2f} s (first run on a "
          f"machine), from numba's cache {cached:.2f} s; load {loadavg()}", flush=True)


def scaling(args: argparse.Namespace) -> None:
    shape = "all of it one sentence (text8's shape)" if args.one_line else "shuffled sentences"
    reader = "Text8Corpus" if args.one_line else "LineSentence"
    source = f"read from a file by gensim's {reader}" if args.from_file else "a list"
    print(f"memory training adds (MB), {args.model[0]}, d={args.dim[0]}, workers={args.workers[0]}, copies of "
          f"{Path(args.corpus[0]).name} (its min_count words only: one vocabulary at every size), {shape}, "
          f"{source}; load {loadavg()}")
    for tokens in args.scaling:
        with tempfile.TemporaryDirectory() as folder:
            file = None
            if args.from_file:
                file = str(Path(folder) / "corpus.txt")
                with open(file, "w", encoding="utf-8") as out:
                    out.writelines(" ".join(s) + "\n" for s in load(args.corpus[0], tokens, args.short, args.one_line))
            row = {t: child(args, t, args.corpus[0], args.model[0], args.dim[0], args.workers[0], 1, tokens, file)
                   for t in ("gensim", "ours")}
        print(f"  {row['ours']['tokens']:>10,} tokens, {row['ours']['vocab']:,} words: gensim {row['gensim']['training_mb']:6.0f} MB "
              f"({row['gensim']['words_per_s']:,.0f} words/s), ours {row['ours']['training_mb']:6.0f} MB "
              f"({row['ours']['words_per_s']:,.0f} words/s)", flush=True)
    print(f"load {loadavg()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", default=["head500.noblanks.cor", "lee_background.cor"],
                        help="files in gensim's test data or paths; one sentence per line")
    parser.add_argument("--model", nargs="+", choices=("skipgram", "cbow"), default=["skipgram", "cbow"])
    parser.add_argument("--dim", nargs="+", type=int, default=[100, 300])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scaling", nargs="+", type=int, help="token counts for the memory-scaling table")
    parser.add_argument("--short", action="store_true",
                        help="cut every sentence into pieces of 2 and 3 tokens (windows with few context words)")
    parser.add_argument("--one-line", action="store_true",
                        help="with --scaling: the whole corpus as one sentence (text8's shape)")
    parser.add_argument("--from-file", action="store_true",
                        help="with --scaling: both trainers read each corpus from a file (gensim's LineSentence)")
    parser.add_argument("--tokens", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--one", choices=("gensim", "ours", "load"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args)))
    elif args.scaling:
        scaling(args)
    else:
        print(f"{os.cpu_count()} cores; settings {SETTINGS}, {args.epochs} epochs, {args.repeats} paired repeats, "
              "medians; quality as median (min-max) over the repeats' seeds")
        load_line(args)
        compare(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
