"""Side-by-side benchmark: gensim's Word2Vec (workers=1) against helpers.word2vec.train_word2vec.

Usage:
    python scripts/benchmark_word2vec.py [--corpus head500.noblanks.cor] [--repeats 3] [--model skipgram]
                                         [--epochs 5] [--max-sentences N] [--stem auto|yes|no]

Both trainers get the same corpus and settings (negative 5, window 5, d 100, sample 1e-3, min_count 5,
lr 0.025 -> 0.0001, 5 epochs) and are run alternately, each in a fresh subprocess with BLAS limited to one thread
(gensim's workers=1 trains on one core), so neither warms the other's caches or inherits its memory.
It prints every run, then medians: words per second (raw corpus tokens x epochs / wall time of the whole call,
vocabulary included), the same per CPU second (steadier when other jobs share the machine: gensim's producer and
worker threads are both counted), the speed ratios (the median of the per-repeat ratios pairs runs made at the
same time), peak memory (ru_maxrss of the run's own process, and its growth during training), Spearman correlation
on wordsim353 and simlex999, and analogy accuracy. This is a measurement, not a test: on a shared machine times move
by +-20%, so compare the ratios.

Evaluation words are Porter-stemmed when the corpus is (``--stem auto`` does so for head500.noblanks.cor).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = dict(negative=5, window=5, dim=100, sample=1e-3, min_count=5, lr=0.025, min_lr=1e-4)
STEMMED_CORPORA = {"head500.noblanks.cor"}


def load(args: argparse.Namespace) -> list[list[str]]:
    from helpers.corpus import tokenize
    from helpers.evaluation import read_corpus

    tokenizer = str.split if args.tokenizer == "split" else tokenize
    return read_corpus(args.corpus, tokenizer, args.max_sentences) * args.copies


def one_run(args: argparse.Namespace) -> dict:
    """Train once with ``args.trainer`` and return measurements (runs inside the child process)."""
    import numpy as np

    from helpers.evaluation import evaluate, porter_stem
    from helpers.neighbors import WordVectors

    sentences = load(args)
    tokens = sum(map(len, sentences))
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, start_cpu = time.perf_counter(), time.process_time()
    if args.trainer == "gensim":
        from gensim.models import Word2Vec

        model = Word2Vec(sentences, sg=int(args.model == "skipgram"), negative=SETTINGS["negative"],
                         window=SETTINGS["window"], vector_size=SETTINGS["dim"], sample=SETTINGS["sample"],
                         min_count=SETTINGS["min_count"], alpha=SETTINGS["lr"], min_alpha=SETTINGS["min_lr"],
                         epochs=args.epochs, workers=1, seed=args.seed)
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        wv = WordVectors(model.wv.vectors, model.wv.index_to_key)
    else:
        from helpers.word2vec import train_word2vec

        wv = train_word2vec(sentences, model=args.model, epochs=args.epochs, seed=args.seed, progress=False,
                            **SETTINGS)
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stem = args.stem == "yes" or (args.stem == "auto" and Path(args.corpus).name in STEMMED_CORPORA)
    quality = evaluate(wv, porter_stem if stem else str.lower)
    return {"trainer": args.trainer, "seed": args.seed, "seconds": seconds,
            "words_per_s": tokens * args.epochs / seconds,
            "cpu_s": cpu, "words_per_cpu_s": tokens * args.epochs / cpu,
            "tokens": tokens, "vocab": len(wv), "peak_mb": peak_rss / 1024, "training_mb": (peak_rss - base_rss) / 1024,
            "finite": bool(np.isfinite(wv.vectors).all()), **quality}


def child(args: argparse.Namespace, trainer: str, seed: int) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONHASHSEED="0")
    command = [sys.executable, __file__, "--one", trainer, "--seed", str(seed), "--corpus", args.corpus,
               "--model", args.model, "--epochs", str(args.epochs), "--stem", args.stem, "--tokenizer", args.tokenizer,
               "--copies", str(args.copies)]
    if args.max_sentences:
        command += ["--max-sentences", str(args.max_sentences)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


COLUMNS = [("seconds", "{:.2f}"), ("words_per_s", "{:,.0f}"), ("cpu_s", "{:.2f}"), ("words_per_cpu_s", "{:,.0f}"),
           ("peak_mb", "{:.0f}"), ("training_mb", "{:.0f}"),
           ("wordsim353 spearman", "{:.3f}"), ("simlex999 spearman", "{:.3f}"), ("analogy accuracy", "{:.3f}")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="head500.noblanks.cor",
                        help="a file in gensim's test data or a path; one sentence per line")
    parser.add_argument("--tokenizer", choices=("split", "tokenize"), default="split",
                        help="split: whitespace (pre-tokenized text); tokenize: helpers.corpus.tokenize (raw text)")
    parser.add_argument("--model", choices=("skipgram", "cbow"), default="skipgram")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-sentences", type=int, default=None)
    parser.add_argument("--copies", type=int, default=1,
                        help="repeat the corpus this many times (3 copies of head500: about 1M tokens)")
    parser.add_argument("--stem", choices=("auto", "yes", "no"), default="auto")
    parser.add_argument("--one", choices=("gensim", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--trainer", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        args.trainer = args.one
        print(json.dumps(one_run(args)))
        return 0

    print(f"corpus {args.corpus} x{args.copies}, model {args.model}, epochs {args.epochs}, settings {SETTINGS}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, {os.cpu_count()} cores")
    runs: dict[str, list[dict]] = {"gensim": [], "ours": []}
    for repeat in range(args.repeats):
        # Alternate which trainer goes first, so a slow spell on the shared machine hits both alike.
        order = ("gensim", "ours") if repeat % 2 == 0 else ("ours", "gensim")
        for trainer in order:
            result = child(args, trainer, seed=repeat + 1)
            runs[trainer].append(result)
            print(f"  run {repeat + 1} {trainer:6s} " + "  ".join(
                f"{name.split()[0]}={fmt.format(result[name])}" for name, fmt in COLUMNS), flush=True)
    first = runs["gensim"][0]
    vocab = f"vocabulary {first['vocab']:,} (gensim) / {runs['ours'][0]['vocab']:,} (ours)"
    used = (f"pairs used: wordsim353 {first['wordsim353 pairs used']}, simlex999 {first['simlex999 pairs used']}, "
            f"analogies {first['analogies used']}")
    print(f"\n{first['tokens']:,} tokens, {vocab}; {used}")
    print(f"\nmedian of {args.repeats} runs    " + "".join(f"{name:>22s}" for name, _ in COLUMNS))
    medians = {}
    for trainer, results in runs.items():
        medians[trainer] = {name: statistics.median(r[name] for r in results) for name, _ in COLUMNS}
        print(f"{trainer:20s}" + "".join(f"{fmt.format(medians[trainer][name]):>22s}" for name, fmt in COLUMNS))
    ratio = medians["ours"]["words_per_s"] / medians["gensim"]["words_per_s"]
    paired = statistics.median(o["words_per_s"] / g["words_per_s"] for o, g in zip(runs["ours"], runs["gensim"]))
    cpu_ratio = medians["ours"]["words_per_cpu_s"] / medians["gensim"]["words_per_cpu_s"]
    print(f"\nspeed ours / gensim: {ratio:.2f}x in wall-clock words/s (median of per-repeat ratios: {paired:.2f}x), "
          f"{cpu_ratio:.2f}x in words per CPU second")
    for name in ("wordsim353 spearman", "simlex999 spearman", "analogy accuracy"):
        print(f"{name} ours - gensim: {medians['ours'][name] - medians['gensim'][name]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
