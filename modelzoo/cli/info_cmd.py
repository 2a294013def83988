"""A model's architecture, complexity, data config and weight sets.

Show a model's stages (depths, widths, strides), its exact complexity at its resolution, the eval
data config, and every weight set with source, license and published error. With NAME.TAG, also the
details of that weight set; with a save_pretrained directory or hf-hub:org/repo, what its config
records.
"""
from __future__ import annotations

import argparse
from dataclasses import asdict

import modelzoo

from ..data_config import DataConfig
from ..hub import Resolved, WeightSpec
from ..hub.resolve import resolve
from ..registry import Architecture
from ..models.base import spec_feature_info
from .common import EXIT_OK, CLIError, add_command
from .output import WEIGHT_HEADERS, known_complexity, license_text, millions, percent, print_json, table, weight_row

COMMAND = "info"


def register(subparsers: argparse._SubParsersAction) -> None:
    """The ``info`` command and its options."""
    c = add_command(subparsers, COMMAND, __doc__, run, model=True)
    c.add_argument("--json", action="store_true", help="print JSON")
    c.add_argument("--features", action="store_true", help="print only the feature levels of features_only=True "
                   "backbones (channels, stride, module), at --output-stride")  # fmt: skip
    c.add_argument("--output-stride", type=int, default=32, choices=(8, 16, 32),
                   help="with --features: the output stride of a dilated backbone (default 32)")  # fmt: skip


def feature_table(arch: Architecture, output_stride: int) -> list[dict]:
    """The feature levels of ``modelzoo.create(NAME, features_only=True, output_stride=...)``."""
    if arch.spec is None:
        raise CLIError(f"{arch.name} is a user-registered architecture: its feature levels are not described")
    levels = spec_feature_info(arch.spec, output_stride)
    return [{"index": i, "module": lv.module, "channels": lv.num_chs, "stride": lv.reduction}
            for i, lv in enumerate(levels)]  # fmt: skip


def print_features(arch: Architecture, output_stride: int, as_json: bool) -> int:
    rows = feature_table(arch, output_stride)
    if as_json:
        print_json({"model": arch.name, "output_stride": output_stride, "levels": rows})
        return EXIT_OK
    print(f"{arch.name}: feature levels of modelzoo.create({arch.name!r}, features_only=True"
          + (f", output_stride={output_stride})" if output_stride != 32 else ")"))  # fmt: skip
    print(table(["index", "module", "channels", "stride"], [list(r.values()) for r in rows], right=(0, 2, 3)))
    return EXIT_OK


def stage_table(arch: Architecture) -> list[str]:
    """The architecture's stem, stages and head as text lines."""
    from ..models.anynet import AnyNetSpec
    from ..models.efficientnet import EffNetSpec

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


def shown_weights(resolved: Resolved, specs: list[WeightSpec]) -> tuple[DataConfig, str | None]:
    """Whose data config to show, and their name: the selected weight set, the weights a
    directory or Hub repo holds, the model's default weights, else the architecture's default."""
    if resolved.spec is not None:
        return resolved.spec.data_config, resolved.spec.tag
    if resolved.weights is not None:
        return resolved.data_config or resolved.architecture.data_config, resolved.what
    default = next((s for s in specs if s.is_default), None)
    if default is not None:
        return default.data_config, default.tag
    return resolved.architecture.data_config, None


def run(args: argparse.Namespace) -> int:
    """Print one model's architecture, complexity, data config and weight sets (no weight file is read)."""
    resolved = resolve(args.model)  # reads a saved config (a Hub repo's config.json) but never weight files
    arch = resolved.architecture
    if args.features:
        return print_features(arch, args.output_stride, args.json)
    specs = [modelzoo.get_weights(t) for t in modelzoo.list_weights(arch.name)]
    dc, whose = shown_weights(resolved, specs)
    sizes = sorted({arch.data_config.train_size, dc.crop_size})
    cx = {size: known_complexity(arch, size) for size in sizes}
    if args.json:
        print_json({"model": arch.name, "display_name": arch.display_name, "family": arch.family,
                    "aliases": list(arch.aliases), "spec": asdict(arch.spec) if arch.spec else None,
                    "complexity": {str(s): c for s, c in cx.items()}, "data_config": dc.to_dict(),
                    "data_config_of": whose, "weights": [s.to_dict() for s in specs]})  # fmt: skip
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
    out += ["", f"Data config ({f'weights {whose}' if whose else 'architecture default, no weights'})",
            f"  train at {dc.train_size} px; evaluate: resize the shorter side to {dc.test_size} px "
            f"({dc.interpolation}), centre crop {dc.crop_size} px (crop_pct {dc.crop_pct:.3f})",
            f"  RGB, scaled to 0-1, mean {tuple(dc.mean)}, std {tuple(dc.std)}"]  # fmt: skip
    out += ["", f"Weights ({len(specs)}; * = default; errors in % on ImageNet-1k val as published)"]
    if specs:
        rows = [weight_row(s) + [source_text(s)] for s in specs]
        out += ["  " + line for line in table(["tag", *WEIGHT_HEADERS, "source"], rows, right=(1, 2)).splitlines()]
    else:
        out.append("  none: load your own with --weights PATH")
    if resolved.spec is not None:
        out += selected_weight_set(resolved.spec)
    elif resolved.weights is not None:
        out += own_weights(resolved)
    print("\n".join(out))
    return EXIT_OK


def source_text(spec: WeightSpec) -> str:
    """The preferred source, short: ``hf-hub:org/repo`` (file and revision only when not the defaults) or the URL."""
    s = spec.source
    if s.hf_repo is None:
        text = str(s.url)
    else:
        text = f"hf-hub:{s.hf_repo}" + ("" if s.filename == "model.safetensors" else f"/{s.filename}")
        text += "" if s.revision == "main" else f"@{s.revision}"
    return text + (f" (+{len(spec.sources) - 1} mirror)" if len(spec.sources) > 1 else "")


def selected_weight_set(spec: WeightSpec) -> list[str]:
    """The details of the weight set that ``NAME.TAG`` selected."""
    out = ["", f"Selected weights {spec.tag}" + (" (default)" if spec.is_default else ""),
           f"  published: top-1 err {percent(spec.top1_err)} %, top-5 err {percent(spec.top5_err)} %",
           f"  protocol: {spec.protocol}", f"  license: {license_text(spec)}", f"  origin: {spec.origin}"]  # fmt: skip
    if spec.model_kwargs:
        out.append(f"  builds the model with: {spec.model_kwargs}")
    for s in spec.sources:
        digest = f"sha256 {s.sha256}" if s.sha256 else "sha256 recorded on first download"
        order = s.stem_order()
        out.append(f"  source: {s.location} ({s.format}, {s.converter or 'auto-detected'} keys, {order}, {digest})")
    if spec.notes:
        out.append(f"  notes: {spec.notes}")
    return out


def own_weights(resolved: Resolved) -> list[str]:
    """What a ``save_pretrained`` directory, a Hub repo or a weight file says about its weights."""
    info = resolved.info
    out = ["", f"Weights {resolved.what}"]
    if info.get("top1_err") is not None or info.get("top5_err") is not None:
        out.append(f"  recorded: top-1 err {percent(info.get('top1_err'))} %, "
                   f"top-5 err {percent(info.get('top5_err'))} %")  # fmt: skip
    if info.get("license"):
        out.append(f"  license: {info['license']}" + (" (non-commercial)" if info.get("non_commercial") else ""))
    if info.get("class_names"):
        out.append(f"  class names: {len(info['class_names'])} recorded")
    out.append(f"  source: {', '.join(s.location for s in resolved.weights.sources)}")
    return out
