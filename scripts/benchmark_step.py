"""How long does one ``StepTrainer.step()`` take on the toy world? (kernel side only: no plotting, no widget)

Usage: python scripts/benchmark_step.py [--repeats 5] [--steps 2000] [--dims 2 50] [--losses negative_sampling softmax]

For each loss and vector size, the trainer is reset and advanced ``--steps`` times, ``--repeats`` times over; every
single step is timed. Prints the median and percentiles of one step, the median over repeats of the mean step, and the CPU time per step.
The course wants one step "well under a millisecond", so that a widget's time goes to drawing, not to training.
This is a measurement, not a test: the machines are shared and timings move by +-20% from run to run.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers import toyworld  # noqa: E402
from helpers.model import StepTrainer  # noqa: E402


def load_sentences() -> list[list[str]]:
    """The shipped toy world, or the same world generated if the files are not there yet."""
    return toyworld.load_or_generate().sentences


def time_steps(trainer: StepTrainer, steps: int) -> tuple[np.ndarray, float]:
    """Wall-clock seconds of each of ``steps`` consecutive steps, shape (steps,), and the CPU seconds of them all.

    CPU time leaves out the time this process waited for a core, which on a shared machine is most of the noise.
    """
    times = np.empty(steps)
    clock = time.perf_counter
    cpu_start = time.process_time()
    for i in range(steps):
        start = clock()
        trainer.step()
        times[i] = clock() - start
    return times, time.process_time() - cpu_start


def benchmark(sentences: list[list[str]], loss: str, dim: int, repeats: int, steps: int) -> dict[str, float]:
    """Per-step statistics in microseconds for one configuration."""
    trainer = StepTrainer(sentences, dim=dim, loss=loss, lr=0.025, seed=0)
    trainer.run(50)  # warm-up: first calls pay for imports and caches
    all_times, repeat_means, repeat_cpu = [], [], []
    for _ in range(repeats):
        trainer.reset()
        gc.collect()  # start each repeat with the same garbage, so one repeat does not pay for another
        times, cpu = time_steps(trainer, steps)
        all_times.append(times)
        repeat_means.append(times.mean())
        repeat_cpu.append(cpu / steps)
    micro = np.concatenate(all_times) * 1e6
    p10, p50, p90, p99 = np.percentile(micro, [10, 50, 90, 99])
    return {"V": len(trainer.vocab), "p10": p10, "median": p50, "p90": p90, "p99": p99,
            "mean_of_repeats": float(np.median(repeat_means)) * 1e6, "cpu": float(np.median(repeat_cpu)) * 1e6}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--dims", type=int, nargs="+", default=[2, 50])
    parser.add_argument("--losses", nargs="+", default=["negative_sampling", "softmax"])
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.steps < 1:
        parser.error("--repeats and --steps must be >= 1")

    sentences = load_sentences()
    print(f"toy world: {len(sentences)} sentences, {sum(map(len, sentences))} tokens; "
          f"{args.repeats} repeats x {args.steps} steps; numpy {np.__version__}; times in microseconds per step")
    header = f"{'loss':<18} {'d':>3} {'V':>4} {'p10':>8} {'median':>8} {'p90':>8} {'p99':>8} {'mean':>8} {'cpu':>8}"
    print(header)
    print("-" * len(header))
    for loss in args.losses:
        for dim in args.dims:
            r = benchmark(sentences, loss, dim, args.repeats, args.steps)
            print(f"{loss:<18} {dim:>3} {r['V']:>4} {r['p10']:>8.1f} {r['median']:>8.1f} {r['p90']:>8.1f} "
                  f"{r['p99']:>8.1f} {r['mean_of_repeats']:>8.1f} {r['cpu']:>8.1f}", flush=True)
    print("p10..p99: percentiles of single steps (wall clock); mean: median over repeats of the mean step;")
    print("cpu: median over repeats of CPU time per step (leaves out waiting for a core on a busy machine)")


if __name__ == "__main__":
    main()
