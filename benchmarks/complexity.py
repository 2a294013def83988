"""Print the analytic complexity table of the registry (optionally building every model).

    python benchmarks/complexity.py [PATTERN] [--im-size N] [--build] [--json FILE]

``--build`` builds each model, checks that the analytic params equal ``sum(p.numel())`` and
runs one forward pass at 64 px, so the table doubles as a smoke test of the whole zoo.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import torch

import modelzoo
from modelzoo.registry import architecture


def rows(pattern: str, im_size: int | None, build: bool):
    for name in modelzoo.list_models(pattern):
        arch = architecture(name)
        size = im_size or arch.data_config.train_size
        row = {"model": name, "display_name": arch.display_name, "family": arch.family, "im_size": size,
               **arch.complexity(size)}  # fmt: skip
        if build:
            start = time.perf_counter()
            model = modelzoo.create(name).eval()
            numel = sum(p.numel() for p in model.parameters())
            if numel != row["params"]:
                raise SystemExit(f"{name}: analytic params {row['params']} != numel {numel}")
            with torch.no_grad():
                model(torch.randn(1, 3, 64, 64))
            row["build_forward_s"] = round(time.perf_counter() - start, 3)
        yield row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pattern", nargs="?", default="*", help="fnmatch pattern over model names")
    parser.add_argument("--im-size", type=int, default=None, help="input size (default: each model's train size)")
    parser.add_argument("--build", action="store_true", help="build every model and run one forward pass")
    parser.add_argument("--json", default=None, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    header = f"{'model':<20} {'name':<20} {'size':>4} {'GFLOPs':>8} {'params(M)':>10} {'acts(M)':>8}"
    print(header + ("  build+fwd(s)" if args.build else ""))
    print("-" * (len(header) + (14 if args.build else 0)))
    table = []
    for row in rows(args.pattern, args.im_size, args.build):
        table.append(row)
        line = (f"{row['model']:<20} {row['display_name']:<20} {row['im_size']:>4} {row['flops'] / 1e9:>8.3f} "
                f"{row['params'] / 1e6:>10.3f} {row['acts'] / 1e6:>8.3f}")  # fmt: skip
        print(line + (f"  {row['build_forward_s']:>12.2f}" if args.build else ""), flush=True)
    if not table:
        print(f"no model matches {args.pattern!r}", file=sys.stderr)
        return 1
    print(f"\n{len(table)} models; flops are multiply-accumulates (pycls accounting).")
    if args.build:
        print("every model built; analytic params == sum(p.numel()) for all of them.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
