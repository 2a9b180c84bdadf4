"""``python -m helpers.toyworld`` (``python3 course.py data``): regenerate the shipped toy world byte for byte."""

from __future__ import annotations

import argparse
from pathlib import Path

from .world import DATA_DIR, write


def main(argv: list[str] | None = None) -> None:
    """Command line: regenerate the toy world files."""
    parser = argparse.ArgumentParser(description="Regenerate the toy world corpus and its ground truth.")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0, the shipped corpus)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help=f"output folder (default: {DATA_DIR})")
    args = parser.parse_args(argv)
    write(args.out, seed=args.seed)
    print(f"wrote the toy world (seed {args.seed}) to {args.out}")


if __name__ == "__main__":
    main()
