"""List the models, or every weight set with --pretrained, each family ordered by size.

List the models (one row each: size, complexity, weight sets, default weights) or, with
--pretrained, every weight set with its published error, eval preprocessing and license. Families
are in alphabetical order, each ordered by size (200MF, 400MF, ... 32GF).
"""
from __future__ import annotations

import argparse

import modelzoo

from ..hub import UnknownWeightsError
from ..hub.resolve import is_reference, resolve
from ..registry import UnknownModelError, architecture
from .common import EXIT_OK, PROG, CLIError, add_command
from .output import WEIGHT_HEADERS, known_complexity, millions, percent, print_json, table, weight_row

COMMAND = "list"


def register(subparsers: argparse._SubParsersAction) -> None:
    """The ``list`` command and its options."""
    c = add_command(subparsers, COMMAND, __doc__, run)
    c.add_argument("pattern", nargs="?", metavar="PATTERN",
                   help="filter: a model name, plain text matched anywhere in the name, or a glob "
                   "(resnet*, *.tv_in1k)")  # fmt: skip
    c.add_argument("--pretrained", action="store_true", help="list the weight sets instead of the models")
    c.add_argument("--json", action="store_true", help="print JSON instead of a table")


def list_pattern(pattern: str | None, pretrained: bool) -> str:
    """A user's pattern as an fnmatch pattern: a model name or alias stands for that model, a
    weight tag for its weight set (with --pretrained; else for its model), a glob for itself, and
    plain text matches anywhere in a name."""
    if not pattern:
        return "*"
    if any(c in pattern for c in "*?["):
        return pattern
    if not is_reference(pattern):
        try:
            resolved = resolve(pattern)  # no download: a name or a tag only
        except (UnknownModelError, UnknownWeightsError, ValueError):
            resolved = None
        if resolved is not None:
            return resolved.spec.tag if pretrained and resolved.spec is not None else resolved.architecture.name
    return f"*{pattern}*"


def run(args: argparse.Namespace) -> int:
    """Print the models (or, with --pretrained, the weight sets) that match the pattern."""
    pattern = list_pattern(args.pattern, args.pretrained)
    return list_weight_sets(pattern, args) if args.pretrained else list_architectures(pattern, args)


def list_weight_sets(pattern: str, args: argparse.Namespace) -> int:
    """One row per weight set, grouped by model in size order, each model's default first."""
    specs = [modelzoo.get_weights(t) for t in modelzoo.list_weights(pattern)]
    if not specs:
        raise CLIError(f"no weight set matches {args.pattern!r} ('{PROG} list' shows the models)")
    if args.json:
        print_json([s.to_dict() for s in specs])
        return EXIT_OK
    print(table(["weights (* = default)", *WEIGHT_HEADERS], [weight_row(s) for s in specs], right=(1, 2)))
    print(f"\n{len(specs)} weight sets; errors in % on ImageNet-1k val as published ('{PROG} info TAG' tells how)")
    return EXIT_OK


def list_architectures(pattern: str, args: argparse.Namespace) -> int:
    """One row per model, in :func:`modelzoo.list_models` order (each family by size)."""
    names = modelzoo.list_models(pattern)
    if not names:
        raise CLIError(f"no model matches {args.pattern!r} ('{PROG} list' shows them all)")
    models = []
    for name in names:
        arch = architecture(name)  # a canonical name from the registry itself
        tags = modelzoo.list_weights(name)
        models.append((arch, known_complexity(arch), tags, modelzoo.get_weights(name) if tags else None))
    if args.json:
        print_json([{"model": a.name, "display_name": a.display_name, "family": a.family,
                     "aliases": list(a.aliases), "train_size": a.data_config.train_size, **cx, "weights": tags,
                     "default_weights": d.tag if d else None} for a, cx, tags, d in models])  # fmt: skip
        return EXIT_OK
    rows = [(a.name, a.display_name, millions(cx["params"]) if cx["params"] is not None else "-",
             f"{cx['flops'] / 1e9:.2f}" if cx["flops"] is not None else "-", a.data_config.train_size,
             len(tags), d.tag if d else "-", percent(d.top1_err) if d else "-")
            for a, cx, tags, d in models]  # fmt: skip
    print(table(["model", "name", "params", "GFLOPs", "size", "weights", "default weights", "top-1 err"], rows,
                right=(2, 3, 4, 5, 7)))  # fmt: skip
    print(f"\n{len(models)} models; GFLOPs = multiply-adds at the train size; "
          f"'{PROG} list --pretrained' lists every weight set")  # fmt: skip
    return EXIT_OK
