"""The ``modelzoo`` command (also ``python -m modelzoo``): list, info, predict, validate, export.

Each subcommand is one function ``cmd_<name>(args) -> exit status``. Exit status: 0 on success;
1 when the work itself failed (an image that could not be read, a file the data loader rejected,
an export that does not match the eager model, a failed download); 2 for bad input (unknown model
or weight tag, missing file, bad option), always with a one-line message on stderr.

The core package must not import :mod:`modelzoo.training` at import time: ``validate`` imports
the data loaders and the evaluation loop inside the command.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import warnings
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Sequence

import torch
import torch.nn as nn

import modelzoo

from .data_config import DataConfig
from .hub import DownloadError, UnknownWeightsError, WeightSpec, WeightsMismatchError
from .hub.publish import data_config_of
from .registry import Architecture, UnknownModelError, architecture, is_model, split_tag

PROG = "modelzoo"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
NAME_HELP = "model name or alias, optionally with a weight tag: resnet50, resnet50.tv_in1k, RegNetY-3.2GF"
WEIGHTS_HELP = ("local weights instead of a registered weight set: a weight file (.safetensors, .pth, .pyth, "
                "...), a save_pretrained directory, or hf-hub:org/repo")  # fmt: skip


class CLIError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


class RunFailure(Exception):
    """The work failed (not the input): one line on stderr, exit status 1."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with a pointer to ``--help``), exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# ------------------------------------------------------------------------------------- formatting
def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()) -> str:
    """A plain-text table: a header, a rule, one line per row; columns in ``right`` right-aligned."""
    cells = [[str(c) for c in headers]] + [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]])


def millions(n: int) -> str:
    return f"{n / 1e6:.2f}M"


def percent(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def describe_eval(dc: DataConfig) -> str:
    """``resize 256, crop 224, bilinear``."""
    return f"resize {dc.test_size}, crop {dc.crop_size}, {dc.interpolation}"


def license_text(spec: WeightSpec) -> str:
    return f"{spec.license} (non-commercial)" if spec.non_commercial else spec.license


def one_line(message: str) -> str:
    return "; ".join(part.strip() for part in str(message).splitlines() if part.strip())


def first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


# Hints in library messages that name Python calls, as the commands that do the same.
_CLI_HINTS = {
    "modelzoo.list_models(pretrained=True)": f"'{PROG} list --pretrained'",
    "modelzoo.list_models()": f"'{PROG} list'",
    "modelzoo.list_weights()": f"'{PROG} list --pretrained'",
}


def error_line(e: BaseException) -> str:
    """An exception as one line for the terminal, with API hints turned into command hints."""
    text = one_line(e)
    for api, command in _CLI_HINTS.items():
        text = text.replace(api, command)
    return text


def source_text(spec: WeightSpec) -> str:
    """The preferred source, short: ``hf-hub:org/repo`` (file and revision only when not the defaults) or the URL."""
    s = spec.source
    if s.hf_repo is None:
        text = str(s.url)
    else:
        text = f"hf-hub:{s.hf_repo}" + ("" if s.filename == "model.safetensors" else f"/{s.filename}")
        text += "" if s.revision == "main" else f"@{s.revision}"
    return text + (f" (+{len(spec.sources) - 1} mirror)" if len(spec.sources) > 1 else "")


def print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2))


# -------------------------------------------------------------------------------- shared helpers
@lru_cache(maxsize=1)
def imagenet_class_names() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in index order (package data)."""
    text = resources.files("modelzoo").joinpath("data/imagenet_classes.txt").read_text(encoding="utf-8")
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(names) != 1000:
        raise RuntimeError(f"modelzoo/data/imagenet_classes.txt has {len(names)} names, expected 1000")
    return names


def list_pattern(pattern: str | None) -> str:
    """A user's pattern as an fnmatch pattern: a model name stays exact, plain text matches anywhere."""
    if not pattern:
        return "*"
    if is_model(pattern) and split_tag(pattern)[1] is None:
        return architecture(pattern).name
    return pattern if any(c in pattern for c in "*?[") else f"*{pattern}*"


def pick_device(name: str | None) -> torch.device:
    if name is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise CLIError(f"--device {name!r} is not a device (try cpu or cuda)") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise CLIError("--device cuda: CUDA is not available on this machine")
    return device


def load_model(target: str, weights: str | None) -> tuple[nn.Module, WeightSpec | None]:
    """The eval-mode model for ``NAME[.TAG]`` (its registered weights) or ``NAME --weights PATH``.

    ``target`` may also be a ``save_pretrained`` directory, which names its own architecture.
    """
    if weights is not None:
        if is_model(target) and split_tag(target)[1] is not None:
            raise CLIError(f"give either a weight tag ({target}) or --weights, not both")
        remote = weights.startswith(("hf-hub:", "http://", "https://"))
        if not remote and not os.path.exists(os.path.expanduser(weights)):
            raise CLIError(f"--weights {weights}: no such file or directory")
        architecture(target)  # an unknown name fails here, with suggestions
        # A bare weight file keeps its own class count (create() adopts it when num_classes is unset).
        model = modelzoo.create(target, pretrained=weights if remote else os.path.expanduser(weights))
        return model.eval(), None
    if not is_model(target) and os.path.isdir(os.path.expanduser(target)):
        return modelzoo.create(os.path.abspath(os.path.expanduser(target))).eval(), None
    arch = architecture(target)
    try:
        spec = modelzoo.get_weights(target)
    except UnknownWeightsError as e:
        if split_tag(target)[1] is None:  # the model has no weights at all
            raise CLIError(f"model {arch.name!r} has no pretrained weights; pass --weights PATH "
                           f"('{PROG} list --pretrained' lists the weight sets)") from None  # fmt: skip
        raise CLIError(error_line(e)) from None
    return modelzoo.create(spec.tag, pretrained=True).eval(), spec


def weights_label(target: str, weights: str | None, spec: WeightSpec | None) -> str:
    if spec is not None:
        return spec.tag
    return f"{split_tag(target)[0]} with weights {weights}" if weights else target


def published_errors(model: nn.Module, spec: WeightSpec | None) -> tuple[float | None, float | None, str]:
    """Published top-1/top-5 error (%) and where they come from: the weight spec, or the metrics a
    ``save_pretrained`` directory recorded in its config.json (the trainer writes them)."""
    if spec is not None:
        return spec.top1_err, spec.top5_err, f"{spec.tag}: {spec.protocol}"
    cfg = getattr(model, "pretrained_cfg", {}) or {}
    return cfg.get("top1_err"), cfg.get("top5_err"), "recorded with the weights (config.json metrics)"


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
        from .training.data.folder import class_folders  # the loaders' own class map

        split = next((path / s for s in ("train", "val") if (path / s).is_dir()), path)
        names: list[str] = class_folders(split)
    elif path.is_file():
        names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        raise CLIError(f"--labels {labels}: no such file or directory")
    if len(names) != n:
        raise CLIError(f"--labels {labels}: {len(names)} class names, but the model has {n} classes")
    return names


# ------------------------------------------------------------------------------------------ list
def cmd_list(args: argparse.Namespace) -> int:
    pattern = list_pattern(args.pattern)
    if args.pretrained:
        specs = [modelzoo.get_weights(t) for t in modelzoo.list_weights(pattern)]
        if not specs:
            raise CLIError(f"no weight set matches {args.pattern!r} ('{PROG} list' shows the models)")
        if args.json:
            print_json([s.to_dict() for s in specs])
            return EXIT_OK
        rows = [(s.tag + (" *" if s.is_default else ""), percent(s.top1_err), percent(s.top5_err),
                 describe_eval(s.data_config), license_text(s)) for s in specs]  # fmt: skip
        print(table(["weights (* = default)", "top-1 err", "top-5 err", "eval", "license"], rows, right=(1, 2)))
        print(f"\n{len(specs)} weight sets; errors in % on ImageNet-1k val as published ('{PROG} info TAG' tells how)")
        return EXIT_OK
    names = modelzoo.list_models(pattern)
    if not names:
        raise CLIError(f"no model matches {args.pattern!r} ('{PROG} list' shows them all)")
    models = []
    for name in names:
        arch = architecture(name)
        cx = known_complexity(arch)
        tags = modelzoo.list_weights(name)
        default = modelzoo.get_weights(name) if tags else None
        models.append((arch, cx, tags, default))
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


def known_complexity(arch: Architecture, size: int | None = None) -> dict[str, int | None]:
    """The analytic complexity, or None values for a user-registered model that has none."""
    try:
        return arch.complexity(size)
    except TypeError:
        return {"flops": None, "params": None, "acts": None}


# ------------------------------------------------------------------------------------------ info
def stage_table(arch: Architecture) -> list[str]:
    """The architecture's stem, stages and head as text lines."""
    from .models.anynet import AnyNetSpec
    from .models.efficientnet import EffNetSpec

    spec = arch.spec
    if isinstance(spec, AnyNetSpec):
        se = f", squeeze-excitation ratio {spec.se_r:g}" if spec.se_r else ""
        head = [f"stem: {spec.stem_type} ({spec.stem_w} channels); blocks: {spec.block_type}{se}"]
        bottleneck = spec.block_type == "res_bottleneck_block"
        headers = ["stage", "depth", "width", "stride"] + (["bottleneck", "group width"] if bottleneck else [])
        rows = [[f"s{i}", d, w, s] + ([f"{b:g}", g] if bottleneck else [])
                for i, (d, w, s, b, g) in enumerate(spec.stages(), 1)]  # fmt: skip
        tail = f"head: global average pool, fully connected ({spec.widths[-1]} -> classes)"
    elif isinstance(spec, EffNetSpec):
        head = [f"stem: 3x3 conv ({spec.stem_w} channels); blocks: MBConv, "
                f"squeeze-excitation ratio {spec.se_r:g}"]  # fmt: skip
        headers = ["stage", "depth", "width", "stride", "expansion", "kernel"]
        rows = [[f"s{i}", d, w, s, e, f"{k}x{k}"] for i, (d, w, e, k, s) in enumerate(spec.stages(), 1)]
        tail = f"head: 1x1 conv ({spec.head_w} channels), global average pool, fully connected"
    else:
        return ["(a custom registered architecture: no stage description)"]
    return head + table(headers, rows, right=range(1, len(headers))).splitlines() + [tail]


def cmd_info(args: argparse.Namespace) -> int:
    arch = architecture(args.model)
    tag = split_tag(args.model)[1]
    selected = modelzoo.get_weights(args.model) if tag else None
    specs = [modelzoo.get_weights(t) for t in modelzoo.list_weights(arch.name)]
    shown = selected or (specs[0] if specs else None)  # whose data config and resolution to show
    dc = shown.data_config if shown else arch.data_config
    sizes = sorted({arch.data_config.train_size, dc.crop_size})
    cx = {size: known_complexity(arch, size) for size in sizes}
    if args.json:
        print_json({"model": arch.name, "display_name": arch.display_name, "family": arch.family,
                    "aliases": list(arch.aliases), "spec": asdict(arch.spec) if arch.spec else None,
                    "complexity": {str(s): c for s, c in cx.items()}, "data_config": dc.to_dict(),
                    "data_config_of": shown.tag if shown else None,
                    "weights": [s.to_dict() for s in specs]})  # fmt: skip
        return EXIT_OK
    aliases = f"; aliases: {', '.join(arch.aliases)}" if arch.aliases else ""
    out = [f"{arch.name}: {arch.display_name or arch.name} (family {arch.family}{aliases})", "", "Architecture"]
    out += ["  " + line for line in stage_table(arch)]
    out += ["", "Complexity (1000 classes, RGB input; FLOPs are multiply-adds)"]
    for size, c in cx.items():
        if c["flops"] is None:
            out.append(f"  at {size}x{size}: no analytic complexity (a user-registered model)")
            continue
        out.append(f"  at {size}x{size}: {c['flops'] / 1e9:.3f} GFLOPs, {millions(c['params'])} parameters, "
                   f"{millions(c['acts'])} activations")  # fmt: skip
    whose = f"weights {shown.tag}" if shown else "architecture default, no weights"
    out += ["", f"Data config ({whose})",
            f"  train at {dc.train_size} px; evaluate: resize the shorter side to {dc.test_size} px "
            f"({dc.interpolation}), centre crop {dc.crop_size} px (crop_pct {dc.crop_pct:.3f})",
            f"  RGB, scaled to 0-1, mean {tuple(dc.mean)}, std {tuple(dc.std)}"]  # fmt: skip
    out += ["", f"Weights ({len(specs)}; * = default; errors in % on ImageNet-1k val as published)"]
    if specs:
        rows = [(s.tag + (" *" if s.is_default else ""), percent(s.top1_err), percent(s.top5_err),
                 describe_eval(s.data_config), license_text(s), source_text(s)) for s in specs]  # fmt: skip
        out += ["  " + line for line in table(["tag", "top-1 err", "top-5 err", "eval", "license", "source"], rows,
                                              right=(1, 2)).splitlines()]  # fmt: skip
    else:
        out.append("  none: load your own with --weights PATH")
    if selected is not None:
        out += ["", f"Selected weights {selected.tag}" + (" (default)" if selected.is_default else "")]
        out += [f"  published: top-1 err {percent(selected.top1_err)} %, top-5 err {percent(selected.top5_err)} %",
                f"  protocol: {selected.protocol}", f"  license: {license_text(selected)}",
                f"  origin: {selected.origin}"]  # fmt: skip
        if selected.model_kwargs:
            out.append(f"  builds the model with: {selected.model_kwargs}")
        for s in selected.sources:
            digest = f"sha256 {s.sha256}" if s.sha256 else "sha256 recorded on first download"
            out.append(f"  source: {s.location} ({s.format}, {s.converter} keys, {s.channel_order}, {digest})")
        if selected.notes:
            out.append(f"  notes: {selected.notes}")
    print("\n".join(out))
    return EXIT_OK


# --------------------------------------------------------------------------------------- predict
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


def cmd_predict(args: argparse.Namespace) -> int:
    if args.top_k < 1:
        raise CLIError(f"--top-k must be at least 1, got {args.top_k}")
    device = pick_device(args.device)
    model, _ = load_model(args.model, args.weights)
    model.to(device)
    names = class_names(model, args.labels)
    transform = modelzoo.eval_transform(model)
    k = min(args.top_k, model.num_classes)
    failed = answered = 0
    for path in args.images:
        try:
            x = transform(read_image(path))
        except ImageReadError as e:
            failed += 1
            print(f"{PROG} predict: error: {e}", file=sys.stderr)
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
        lines = ([""] if answered else []) + [path]
        answered += 1
        for rank, (c, p) in enumerate(found, 1):
            label = f"{names[c]} ({c})" if names else f"class {c}"
            lines.append(f"  {rank}. {100 * p:6.2f}%  {label}")
        print("\n".join(lines), flush=True)
    if failed:
        print(f"{PROG} predict: {failed} of {len(args.images)} images failed", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


# -------------------------------------------------------------------------------------- validate
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


def cmd_validate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .training.data import BadImageError, build_loader, default_workers, scan_split
    from .training.trainer import evaluate

    if args.batch_size < 1 or (args.limit is not None and args.limit < 1):
        raise CLIError("--batch-size and --limit must be at least 1")
    device = pick_device(args.device)
    root, split = val_folder(args.data)
    model, spec = load_model(args.model, args.weights)
    model.to(device)
    dc = data_config_of(model)
    backend = args.backend
    options = dict(backend=backend, size=dc.crop_size, val_resize=dc.test_size, batch_size=args.batch_size,
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
    except ImportError as e:  # a DALI backend without DALI
        raise CLIError(one_line(e)) from None
    if len(loader.classes) != model.num_classes:
        raise CLIError(f"{root / split} has {len(loader.classes)} class folders but the model predicts "
                       f"{model.num_classes} classes (the sorted folder names must be the model's "
                       "classes)")  # fmt: skip
    what = weights_label(args.model, args.weights, spec)
    if dc.interpolation != "bilinear":
        print(f"{PROG} validate: note: {what} was measured with {dc.interpolation} resizing; the data loaders "
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
    top1, top5, source = published_errors(model, spec)
    skipped = loader.skipped + len(loader.excluded)
    summary = {"model": what, "data": str(root / split), "images": result.images, "split_images": total,
               "skipped_files": skipped, "backend": backend, "data_config": dc.to_dict(),
               "top1_err": round(result.top1_err, 4), "top5_err": round(result.top5_err, 4),
               "published_top1_err": top1, "published_top5_err": top5, "published_source": source,
               "images_per_sec": round(result.images_per_sec, 1)}  # fmt: skip
    if args.json:
        print_json(summary)
        return EXIT_OK
    count = f"{result.images} of {total} images (quick check: one in every {stride})" if stride > 1 else \
        f"{result.images} images"
    print(f"{what} on {root / split}: {count}, backend {backend}, {describe_eval(dc)}, "
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


# ---------------------------------------------------------------------------------------- export
def export_torchscript(model: nn.Module, example: torch.Tensor, path: Path) -> Callable[[torch.Tensor], torch.Tensor]:
    with warnings.catch_warnings():  # torch.jit is deprecated in favour of torch.export, but still what people load
        warnings.simplefilter("ignore", FutureWarning)
        traced = torch.jit.trace(model, example, check_trace=False)
        torch.jit.save(traced, str(path))
        loaded = torch.jit.load(str(path), map_location="cpu")
    return lambda x: loaded(x)


def export_onnx(model: nn.Module, example: torch.Tensor, path: Path) -> tuple[Callable | None, str]:
    """Write ONNX (the torch.export-based exporter when onnxscript is installed, else the TorchScript
    one) with a dynamic batch axis; returns an onnxruntime runner (None without onnxruntime) and a note."""
    try:
        import onnx
    except ImportError:
        raise CLIError("--format onnx needs the onnx package: pip install onnx onnxscript onnxruntime") from None
    names = dict(input_names=["images"], output_names=["logits"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        if has_onnxscript():
            batch = torch.export.Dim("batch", min=1)
            torch.onnx.export(model, (example,), str(path), dynamic_shapes=({0: batch},), external_data=False,
                              verbose=False, **names)  # fmt: skip
            note = "torch.export-based exporter"
        else:
            torch.onnx.export(model, (example,), str(path), dynamo=False, opset_version=17,
                              dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}}, **names)  # fmt: skip
            note = "TorchScript-based exporter (pip install onnxscript for the torch.export-based one)"
    onnx.checker.check_model(str(path))
    note += f", opset {onnx.load(str(path), load_external_data=False).opset_import[0].version}"
    try:
        import onnxruntime
    except ImportError:
        return None, note
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return (lambda x: torch.from_numpy(session.run(None, {"images": x.numpy()})[0])), note


def has_onnxscript() -> bool:
    try:
        import onnxscript  # noqa: F401
    except ImportError:
        return False
    return True


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise CLIError(f"--out {args.out} is a directory; give a file name")
    model, spec = load_model(args.model, args.weights)
    model = model.cpu().eval()
    dc = data_config_of(model)
    size = args.size or dc.crop_size
    gen = torch.Generator().manual_seed(0)
    example = torch.randn(2, model.in_chans, size, size, generator=gen)
    check = torch.randn(3, model.in_chans, size, size, generator=gen)  # another batch size: the batch axis is dynamic
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        try:
            if args.format == "torchscript":
                run, how = export_torchscript(model, example, tmp), "torch.jit.load"
                note = "TorchScript (traced)"
            else:
                run, note = export_onnx(model, example, tmp)
                how = "onnxruntime"
        except CLIError:
            raise
        except Exception as e:  # the exporters raise many types; the first line says what went wrong
            raise RunFailure(f"{args.format} export failed: {type(e).__name__}: {first_line(e)}") from e
        with torch.inference_mode():
            expected = model(check)
        if run is not None:
            with torch.inference_mode():
                got = run(check)
            diff = (got - expected).abs().max().item()
            tol = 1e-4 + 1e-3 * expected.abs().max().item()
            if got.shape != expected.shape or not diff <= tol:
                raise RunFailure(f"the exported model does not match the eager model: max |difference| "
                                 f"{diff:.3g} > {tol:.3g} on a random batch of {check.shape[0]}; "
                                 f"nothing written to {out}")  # fmt: skip
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    what = weights_label(args.model, args.weights, spec)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {what}, {note}")
    print(f"input: float32 [batch, {model.in_chans}, {size}, {size}]; output: float32 [batch, {model.num_classes}] "
          "logits" + (" (ONNX names: images, logits)" if args.format == "onnx" else ""))  # fmt: skip
    print(f"preprocessing: RGB, resize the shorter side to {dc.test_size} ({dc.interpolation}), centre crop "
          f"{dc.crop_size}, scale to 0-1, normalise with mean {tuple(dc.mean)} and std {tuple(dc.std)}")  # fmt: skip
    if run is None:
        print(f"{PROG} export: warning: onnxruntime is not installed, so the file was checked with onnx.checker "
              "but not run against the eager model (pip install onnxruntime)", file=sys.stderr)  # fmt: skip
    else:
        print(f"verified: {how} output matches the eager model on a random batch of {check.shape[0]} "
              f"(max |difference| {diff:.2g})")  # fmt: skip
    return EXIT_OK


# ---------------------------------------------------------------------------------------- parser
DEVICE_HELP = "cpu, cuda, cuda:1, ... (default: cuda when available)"


def add_model_arguments(c: argparse.ArgumentParser) -> None:
    """The model to run: a name (or save_pretrained directory) and optional local weights."""
    c.add_argument("model", metavar="NAME[.TAG]", help=NAME_HELP + "; or a save_pretrained directory")
    c.add_argument("--weights", metavar="PATH", help=WEIGHTS_HELP)


def build_parser() -> Parser:
    p = Parser(prog=PROG, description="Image-classification models with exact complexity and verified pretrained "
               "weights: list them, inspect them, classify images, validate on ImageNet-layout folders, export.",
               epilog=f"Run '{PROG} COMMAND --help' for a command's options. Exit status: 0 success, 1 the work "
               "failed (e.g. an image could not be read), 2 bad input.")  # fmt: skip
    p.add_argument("--version", action="version", version=f"{PROG} {modelzoo.__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)

    def command(name: str, func: Callable[[argparse.Namespace], int], summary: str, description: str) -> Parser:
        c = sub.add_parser(name, help=summary, description=description)
        c.set_defaults(func=func)
        return c

    c = command("list", cmd_list, "list models, or weight sets with --pretrained",
                "List the models (one row each: size, complexity, weight sets, default weights) or, with "
                "--pretrained, every weight set with its published error, eval preprocessing and license.")  # fmt: skip
    c.add_argument("pattern", nargs="?", metavar="PATTERN",
                   help="filter: a model name, plain text matched anywhere in the name, or a glob "
                   "(resnet*, *.tv_in1k)")  # fmt: skip
    c.add_argument("--pretrained", action="store_true", help="list the weight sets instead of the models")
    c.add_argument("--json", action="store_true", help="print JSON instead of a table")

    c = command("info", cmd_info, "architecture, complexity, data config and weight sets of a model",
                "Show a model's stages (depths, widths, strides), its exact complexity at its resolution, "
                "the eval data config, and every weight set with source, license and published error. "
                "With NAME.TAG, also the details of that weight set.")  # fmt: skip
    c.add_argument("model", metavar="NAME[.TAG]", help=NAME_HELP)
    c.add_argument("--json", action="store_true", help="print JSON")

    c = command("predict", cmd_predict, "classify images (top-k classes with probabilities)",
                "Classify images with a model's weights, preprocessed exactly as the weights were evaluated. "
                "JPEG, PNG and other formats Pillow reads; grayscale, palette and CMYK images become RGB. "
                "A file that cannot be read is reported and skipped; the exit status is then 1.")  # fmt: skip
    add_model_arguments(c)
    c.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    c.add_argument("--top-k", type=int, default=5, metavar="K", help="how many classes to show (default 5)")
    c.add_argument("--labels", metavar="FILE|DIR", help="class names for models not trained on ImageNet-1k: "
                   "a text file with one name per line, or the ImageNet-layout dataset folder the model was "
                   "trained on (its sorted class folders); default: ImageNet names for 1000-class models, "
                   "else class indices")  # fmt: skip
    c.add_argument("--device", help=DEVICE_HELP)
    c.add_argument("--json", action="store_true", help="print one JSON object per image")

    c = command("validate", cmd_validate, "top-1/top-5 error on an ImageNet-layout folder",
                "Measure top-1/top-5 error on DIR/val/<class>/<image> (or DIR itself if it is the val folder) "
                "with the evaluation protocol of the weights (resize, crop, mean/std), and print it beside the "
                "published error. The sorted class folder names must be the model's classes.")  # fmt: skip
    add_model_arguments(c)
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

    c = command("export", cmd_export, "export to ONNX or TorchScript, checked against the eager model",
                "Export a model (with its weights) to ONNX or TorchScript with a dynamic batch axis, then run "
                "the exported file (onnxruntime for ONNX, when installed) on a random batch and compare it with "
                "the eager model. The file is only written if it matches.")  # fmt: skip
    add_model_arguments(c)
    c.add_argument("--format", required=True, choices=("onnx", "torchscript"), help="output format")
    c.add_argument("--out", required=True, metavar="FILE", help="output file (e.g. model.onnx, model.pt)")
    c.add_argument("--size", type=int, metavar="PX", help="input size (default: the weights' eval crop size)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    who = f"{PROG} {args.command}"
    try:
        return args.func(args)
    except (RunFailure, DownloadError) as e:  # first: some download errors are also ValueError/FileNotFoundError
        print(f"{who}: error: {error_line(e)}", file=sys.stderr)
        return EXIT_FAILED
    except WeightsMismatchError as e:
        example = (e.missing + e.unexpected + e.shapes)[0]
        print(f"{who}: error: {first_line(e)} {len(e.missing)} missing, {len(e.unexpected)} unexpected, "
              f"{len(e.shapes)} mis-shaped key(s), e.g. {example}", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    except (CLIError, UnknownModelError, UnknownWeightsError, FileNotFoundError, ValueError) as e:
        print(f"{who}: error: {error_line(e)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{who}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. 'modelzoo list | head'
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
