"""Classify images: the top-k classes of each, with probabilities.

Classify images with a model's weights, preprocessed exactly as the weights were evaluated. JPEG,
PNG and other formats Pillow reads; grayscale, palette and CMYK images become RGB. A file that
cannot be read is reported and skipped; the exit status is then 1.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

import modelzoo

from ..data_config import imagenet_class_names
from .common import DEVICE_HELP, EXIT_FAILED, EXIT_OK, PROG, CLIError, add_command, load_model, pick_device

COMMAND = "predict"


def register(subparsers: argparse._SubParsersAction) -> None:
    """The ``predict`` command and its options."""
    c = add_command(subparsers, COMMAND, __doc__, run, model=True, weights=True)
    c.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    c.add_argument("--top-k", type=int, default=5, metavar="K", help="how many classes to show (default 5)")
    c.add_argument("--labels", metavar="FILE|DIR", help="class names for models not trained on ImageNet-1k: "
                   "a text file with one name per line, or the ImageNet-layout dataset folder the model was "
                   "trained on (its sorted class folders); default: ImageNet names for 1000-class models, "
                   "else class indices")  # fmt: skip
    c.add_argument("--device", help=DEVICE_HELP)
    c.add_argument("--json", action="store_true", help="print one JSON object per image")


class ImageReadError(Exception):
    """An input image that cannot be used; the message starts with its path."""


def read_image(path: str) -> Any:
    """A decoded PIL image (EXIF orientation applied), or ImageReadError saying what is wrong."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if os.path.isdir(path):
        raise ImageReadError(f"{path}: is a directory, not an image")
    try:
        with Image.open(path) as image:
            image.load()  # decode now, so truncated data fails here
            return ImageOps.exif_transpose(image)
    except FileNotFoundError:
        raise ImageReadError(f"{path}: no such file") from None
    except UnidentifiedImageError:
        raise ImageReadError(f"{path}: not an image file (or in a format Pillow cannot read)") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
        raise ImageReadError(f"{path}: cannot decode the image ({e})") from None


def class_names(model: nn.Module, labels: str | None) -> Sequence[str] | None:
    """Names for the model's outputs: ``--labels`` (a text file, one name per line, or an
    ImageNet-layout folder whose sorted class folders are the classes), else the names saved with
    the weights (``save_pretrained(class_names=...)``), else the ImageNet names for a 1000-class
    model, else None (classes are shown by index)."""
    n = int(getattr(model, "num_classes", 0))
    if labels is None:
        saved = (getattr(model, "pretrained_cfg", {}) or {}).get("class_names")
        return saved or (imagenet_class_names() if n == 1000 else None)
    path = Path(labels).expanduser()
    if path.is_dir():
        from ..training.data.folder import class_folders  # the loaders' own class map

        split = next((path / s for s in ("train", "val") if (path / s).is_dir()), path)
        names: list[str] = class_folders(split)
    elif path.is_file():
        names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        raise CLIError(f"--labels {labels}: no such file or directory")
    if len(names) != n:
        raise CLIError(f"--labels {labels}: {len(names)} class names, but the model has {n} classes")
    return names


def run(args: argparse.Namespace) -> int:
    """Classify each image; an unreadable one is reported and skipped (exit status 1)."""
    if args.top_k < 1:
        raise CLIError(f"--top-k must be at least 1, got {args.top_k}")
    device = pick_device(args.device)
    model = load_model(args.model, args.weights).model.to(device)
    names = class_names(model, args.labels)
    transform = modelzoo.eval_transform(model)
    k = min(args.top_k, model.num_classes)
    failed = answered = 0
    for path in args.images:
        try:
            x = transform(read_image(path))
        except ImageReadError as e:
            failed += 1
            print(f"{PROG} {COMMAND}: error: {e}", file=sys.stderr)
            if args.json:
                print(json.dumps({"image": path, "error": str(e)}))
            continue
        with torch.inference_mode():
            probs = model(x.unsqueeze(0).to(device)).float().softmax(dim=1)[0]
        top = probs.topk(k)
        found = [(int(c), float(p)) for p, c in zip(top.values, top.indices)]
        if args.json:
            preds = [{"class": c, "label": names[c] if names else None, "probability": round(p, 6)} for c, p in found]
            print(json.dumps({"image": path, "predictions": preds}))
            continue
        print("\n".join(([""] if answered else []) + [path] + prediction_lines(found, names)), flush=True)
        answered += 1
    if failed:
        print(f"{PROG} {COMMAND}: {failed} of {len(args.images)} images failed", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def prediction_lines(found: list[tuple[int, float]], names: Sequence[str] | None) -> list[str]:
    """``  1.  12.34%  tabby (281)`` for each (class, probability), best first."""
    return [f"  {rank}. {100 * p:6.2f}%  {names[c]} ({c})" if names else f"  {rank}. {100 * p:6.2f}%  class {c}"
            for rank, (c, p) in enumerate(found, 1)]  # fmt: skip
