"""Top-1/top-5 error on an ImageNet-layout folder, beside the published error.

Measure top-1/top-5 error on DIR/val/<class>/<image> (or DIR itself if it is the val folder) with
the evaluation protocol of the weights (resize, crop, mean/std), and print it beside the published
error. The sorted class folder names must be the model's classes.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import torch.nn as nn

from ..hub import WeightSpec
from ..models.base import data_config_of
from .common import DEVICE_HELP, EXIT_OK, PROG, CLIError, RunFailure, add_command, load_model, pick_device
from .output import describe_eval, percent, print_json, table

COMMAND = "validate"


def register(subparsers: argparse._SubParsersAction) -> None:
    """The ``validate`` command and its options."""
    c = add_command(subparsers, COMMAND, __doc__, run, model=True, weights=True)
    c.add_argument("--data", required=True, metavar="DIR", help="dataset root with a val/ folder, or the val folder")
    c.add_argument("--backend", default="custom", help="data loader: custom (OpenCV, the default), torch "
                   "(torchvision), dali_cpu or dali_gpu (NVIDIA DALI, when installed)")  # fmt: skip
    c.add_argument("--batch-size", type=int, default=64, metavar="N", help="images per batch (default 64)")
    c.add_argument("--limit", type=int, metavar="N", help="quick check on at most N images, spread over all classes")
    c.add_argument("--workers", type=int, metavar="N", help="loader workers/threads (default: the available cores)")
    c.add_argument("--device", help=DEVICE_HELP)
    c.add_argument("--skip-bad-files", action="store_true", help="skip unreadable images instead of stopping")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.add_argument("--json", action="store_true", help="print the result as JSON")


def val_folder(data: str) -> tuple[Path, str]:
    """``(root, split)`` for an ImageNet-layout root (its ``val/``) or a ``val``/``train`` folder itself."""
    path = Path(data).expanduser()
    if not path.is_dir():
        raise CLIError(f"--data {data}: no such directory")
    if (path / "val").is_dir():
        return path, "val"
    if path.name in ("val", "train"):
        return path.parent, path.name
    raise CLIError(f"--data {data}: expected an ImageNet-layout folder with a val/ sub-folder (val/<class>/<image>)")


def wrapped_error_line(e: BaseException) -> str:
    """The informative line of an error that DataLoader workers or DALI wrapped in a long message
    (the original exception's last line, or DALI's 'Failed to decode ...'), else its first line."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    for line in reversed(lines):
        found = re.match(r"[\w.]*(?:BadImageError|DatasetError): (.+)", line)
        if found:
            return found.group(1)
        if line.startswith("Failed to decode"):
            return line
    return lines[0] if lines else type(e).__name__


def published_errors(spec: WeightSpec | None, model: nn.Module) -> tuple[float | None, float | None, str]:
    """Published top-1/top-5 error (%) and where they come from: the weight spec, or the metrics a
    ``save_pretrained`` directory recorded in its config.json (the trainer writes them)."""
    if spec is not None:
        return spec.top1_err, spec.top5_err, f"{spec.tag}: {spec.protocol}"
    cfg = getattr(model, "pretrained_cfg", {}) or {}
    return cfg.get("top1_err"), cfg.get("top5_err"), "recorded with the weights (config.json metrics)"


def run(args: argparse.Namespace) -> int:
    """Measure the error on the folder with the weights' protocol and print it beside the published one."""
    # The trainer's data loaders and evaluation loop, imported here: the other commands never load training.
    from tqdm import tqdm

    from ..training.data import BadImageError, build_loader, default_workers, scan_split
    from ..training.evaluation import evaluate

    if args.batch_size < 1 or (args.limit is not None and args.limit < 1):
        raise CLIError("--batch-size and --limit must be at least 1")
    device = pick_device(args.device)
    root, split = val_folder(args.data)
    loaded = load_model(args.model, args.weights)
    model, what = loaded.model.to(device), loaded.what
    dc = data_config_of(model)
    options = dict(backend=args.backend, size=dc.crop_size, val_resize=dc.test_size, batch_size=args.batch_size,
                   device=device, num_workers=default_workers() if args.workers is None else args.workers,
                   skip_bad_files=args.skip_bad_files)  # fmt: skip
    try:
        stride = 1
        if args.limit is not None:
            # The val sharding rule gives rank 0 of W "ranks" every W-th sample: an evenly spread
            # subset over all classes (the split is ordered by class), not just the first classes.
            total = len(scan_split(root, split, skip_bad_files=args.skip_bad_files))
            stride = max(1, math.ceil(total / args.limit))
        loader = build_loader(root, split, rank=0, world_size=stride, **options)
        total = loader.num_samples if stride == 1 else total
    except ImportError as e:  # a DALI backend without DALI (the message becomes one line)
        raise CLIError(str(e)) from None
    if len(loader.classes) != model.num_classes:
        raise CLIError(f"{root / split} has {len(loader.classes)} class folders but the model predicts "
                       f"{model.num_classes} classes (the sorted folder names must be the model's "
                       "classes)")  # fmt: skip
    if dc.interpolation != "bilinear":
        print(f"{PROG} {COMMAND}: note: {what} was measured with {dc.interpolation} resizing; the data loaders "
              "resize bilinearly (antialiased), which can move the error by a few tenths of a point",
              file=sys.stderr)  # fmt: skip
    bar = tqdm(loader, desc=f"validate {what}", unit="batch", file=sys.stderr, disable=args.no_progress,
               dynamic_ncols=True)  # fmt: skip
    try:
        result = evaluate(model, bar, dc, device=device)
    except RuntimeError as e:  # a file the loader cannot decode (BadImageError), a DALI failure, out of memory
        hint = " (--skip-bad-files skips unreadable files)" if isinstance(e, BadImageError) else ""
        raise RunFailure(f"validation failed: {wrapped_error_line(e)}{hint}") from None
    finally:
        bar.close()
    top1, top5, source = published_errors(loaded.spec, model)
    skipped = loader.skipped + len(loader.excluded)
    if args.json:
        print_json({"model": what, "data": str(root / split), "images": result.images, "split_images": total,
                    "skipped_files": skipped, "backend": args.backend, "data_config": dc.to_dict(),
                    "top1_err": round(result.top1_err, 4), "top5_err": round(result.top5_err, 4),
                    "published_top1_err": top1, "published_top5_err": top5, "published_source": source,
                    "images_per_sec": round(result.images_per_sec, 1)})  # fmt: skip
        return EXIT_OK
    count = f"{result.images} of {total} images (quick check: one in every {stride})" if stride > 1 else \
        f"{result.images} images"
    print(f"{what} on {root / split}: {count}, backend {args.backend}, {describe_eval(dc)}, "
          f"{result.images_per_sec:.1f} images/s")  # fmt: skip
    if skipped:
        print(f"skipped {skipped} unreadable file(s)")

    def diff(measured: float, published: float | None) -> str:
        return "-" if published is None else f"{measured - published:+.2f}"

    rows = [("measured", f"{result.top1_err:.2f}", f"{result.top5_err:.2f}"),
            ("published", percent(top1), percent(top5)),
            ("difference", diff(result.top1_err, top1), diff(result.top5_err, top5))]  # fmt: skip
    print(table(["", "top-1 err %", "top-5 err %"], rows, right=(1, 2)))
    print(f"published: {source}" if top1 is not None or top5 is not None else "published: none recorded")
    return EXIT_OK
