"""The ``modelzoo`` command (also ``python -m modelzoo``): list, info, predict, validate, export.

One module per subcommand (``list_cmd``, ``info_cmd``, ...), each with ``register(subparsers)``
and ``run(args) -> exit status``; its docstring is its help (the first paragraph in ``modelzoo
--help``, the rest in ``modelzoo COMMAND --help``). :mod:`.common` (errors, arguments, loading a
model, the device) and :mod:`.output` (tables, JSON) hold what they share.

Exit status: 0 on success; 1 when the work itself failed (an image that could not be read, a file
the data loader rejected, an export that does not match the eager model, weights that could not be
downloaded); 2 for bad input (unknown model or weight tag, missing file, bad option), always with
a one-line message on stderr.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..version import __version__
from . import export_cmd, info_cmd, list_cmd, predict_cmd, validate_cmd
from .common import PROG, Parser, run_reporting_errors

COMMANDS = (list_cmd, info_cmd, predict_cmd, validate_cmd, export_cmd)

__all__ = ["main", "build_parser"]


def build_parser() -> Parser:
    """The ``modelzoo`` parser with one subparser per command."""
    p = Parser(prog=PROG, description="Image-classification models with exact complexity and verified pretrained "
               "weights: list them, inspect them, classify images, validate on ImageNet-layout folders, export.",
               epilog=f"Run '{PROG} COMMAND --help' for a command's options. Exit status: 0 success, 1 the work "
               "failed (e.g. an image could not be read), 2 bad input.")  # fmt: skip
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = build_parser().parse_args(argv)
    return run_reporting_errors(f"{PROG} {args.command}", args.run, args)
