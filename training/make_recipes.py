#!/usr/bin/env python
"""Write training/configs/ from modelzoo.training.recipes (the seed protocol + pycls batch sizes).

    python training/make_recipes.py          # (re)write every recipe file
    python training/make_recipes.py --check  # exit 1 if a file is missing, stale or unexpected
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from modelzoo.training.recipes import recipe_files

CONFIGS = Path(__file__).resolve().parent / "configs"


def stale(directory: Path) -> list[str]:
    """Paths under ``directory`` that differ from what the generator writes (missing, changed, extra)."""
    want = recipe_files(directory)
    have = set(directory.rglob("*.yaml")) if directory.is_dir() else set()
    problems = [f"missing {p}" for p in want if p not in have]
    problems += [f"stale {p}" for p, text in want.items() if p in have and p.read_text() != text]
    problems += [f"unexpected {p}" for p in sorted(have - set(want))]
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true", help="only check that the files are up to date")
    p.add_argument("--dir", type=Path, default=CONFIGS, help=f"output folder (default {CONFIGS})")
    args = p.parse_args(argv)
    if args.check:
        problems = stale(args.dir)
        print("\n".join(problems) or f"{args.dir}: up to date")
        return 1 if problems else 0
    for path, text in recipe_files(args.dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(f"wrote {len(recipe_files(args.dir))} recipes to {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
