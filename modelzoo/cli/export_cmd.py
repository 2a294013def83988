"""Export to ONNX, TorchScript or a torch.export program, checked against the eager model.

Export a model (with its weights) to ONNX, TorchScript or a torch.export ExportedProgram with a
dynamic batch axis, then run the exported file (onnxruntime for ONNX, when installed) on a random
batch and compare it with the eager model. The file is only written if it matches.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch.nn as nn

import modelzoo

from ..exporters import CHECK_BATCH_SIZE, FORMATS, ExportMismatchError, ExportResult
from ..models.base import data_config_of
from .common import EXIT_OK, PROG, CLIError, RunFailure, add_command, first_line, load_model

COMMAND = "export"  # a thin wrapper of modelzoo.export
RUNS_WITH = {"onnx": "onnxruntime", "torchscript": "torch.jit.load", "exported_program": "torch.export.load"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """The ``export`` command and its options."""
    c = add_command(subparsers, COMMAND, __doc__, run, model=True, weights=True)
    c.add_argument("--format", required=True, choices=FORMATS, help="output format")
    c.add_argument("--out", required=True, metavar="FILE", help="output file (e.g. model.onnx, model.pt, model.pt2)")
    c.add_argument("--size", type=int, metavar="PX", help="input size (default: the weights' eval crop size)")


def run(args: argparse.Namespace) -> int:
    """Load the model, export it with :func:`modelzoo.export` and say what was written."""
    out = Path(args.out).expanduser()
    if out.is_dir():  # before the weights are fetched
        raise CLIError(f"--out {args.out} is a directory; give a file name")
    if args.size is not None and args.size < 1:
        raise CLIError(f"--size must be at least 1, got {args.size}")
    loaded = load_model(args.model, args.weights)
    model = loaded.model.cpu()
    try:
        result = modelzoo.export(model, out, format=args.format, image_size=args.size)
    except ExportMismatchError as e:
        raise RunFailure(str(e)) from None
    except ImportError as e:  # onnx is not installed: the message says what to install
        raise CLIError(str(e)) from None
    except Exception as e:  # the exporters raise many types; the first line says what went wrong
        raise RunFailure(f"{args.format} export failed: {type(e).__name__}: {first_line(e)}") from e
    print_report(result, model, loaded.what)
    return EXIT_OK


def print_report(result: ExportResult, model: nn.Module, what: str) -> None:
    """What was written, the input and output it takes, the preprocessing it expects, how it was checked."""
    dc = data_config_of(model)
    _, chans, height, width = result.input_shape
    print(f"wrote {result.path} ({result.path.stat().st_size / 1e6:.1f} MB): {what}, {result.exporter}")
    print(f"input: float32 [batch, {chans}, {height}, {width}]; output: float32 [batch, {model.num_classes}] "
          "logits" + (" (ONNX names: images, logits)" if result.format == "onnx" else ""))  # fmt: skip
    print(f"preprocessing: RGB, resize the shorter side to {dc.test_size} ({dc.interpolation}), centre crop "
          f"{dc.crop_size}, scale to 0-1, normalise with mean {tuple(dc.mean)} and std {tuple(dc.std)}")  # fmt: skip
    if result.max_abs_diff is None:
        print(f"{PROG} {COMMAND}: warning: onnxruntime is not installed, so the file was checked with onnx.checker "
              "but not run against the eager model (pip install onnxruntime)", file=sys.stderr)  # fmt: skip
    else:
        print(f"verified: {RUNS_WITH[result.format]} output matches the eager model on a random batch of "
              f"{CHECK_BATCH_SIZE} (max |difference| {result.max_abs_diff:.2g})")  # fmt: skip
