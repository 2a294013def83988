"""The same architecture and weights from torchvision, timm and modelzoo, timed side by side.

    python benchmarks/compare.py --arch resnet50 --device cpu --batch 16 --compile
    python benchmarks/compare.py --arch regnety_1_6gf --device cuda --batch 64

One set of random weights (with randomised BatchNorm statistics, so folding is not trivial) is
created in the source implementation and loaded into the others through modelzoo's converters;
the script first checks that all logits agree, then times eval inference (warm-up, median of
repeats) and prints each variant's time and its speed-up over the reference eager model. The
``optimize_for_inference`` targets (fp32 ≥ 1.6×, bf16 ≥ 3× where the CPU has bf16) are printed
as PASS/FAIL — a benchmark verdict, never a test assertion.
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import modelzoo  # noqa: E402
from _common import cpu_has_bf16, environment, time_side_by_side  # noqa: E402
from modelzoo.hub.convert import convert, detect_converter  # noqa: E402

TARGETS = {f"modelzoo {kind} {dtype}": target for kind in ("optimized", "compiled")
           for dtype, target in (("fp32", 1.6), ("bf16", 3.0))}


def timm_name(arch: str) -> str:
    """timm's name for our architecture (RegNets use timm's numeric names, e.g. regnetx_016)."""
    alias = [a for a in modelzoo.registry.architecture(arch).aliases if re.fullmatch(r"regnet[xy]_\d{3}", a)]
    return alias[0] if alias else arch


def randomize_bn(model: torch.nn.Module) -> None:
    gen = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def build_variants(arch: str, with_tv: bool) -> tuple[dict[str, torch.nn.Module], str]:
    """Reference models (torchvision and/or timm) and ours, all holding the same weights."""
    import timm
    import torchvision

    family = modelzoo.registry.architecture(arch).family
    models: dict[str, torch.nn.Module] = {}
    torch.manual_seed(0)
    if with_tv and family in ("resnet", "resnext"):
        models["torchvision eager"] = getattr(torchvision.models, arch)(weights=None)
    models["timm eager"] = timm.create_model(timm_name(arch), pretrained=False)
    source = next(iter(models.values()))
    randomize_bn(source)
    state = source.state_dict()
    for name, m in models.items():
        if m is not source:
            m.load_state_dict(state)
    ours = modelzoo.create(arch)
    ours.load_state_dict(convert(state, detect_converter(state)))
    models["modelzoo eager"] = ours
    return {k: v.eval() for k, v in models.items()}, next(iter(models))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="resnet50")
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--im-size", type=int, default=224)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--no-torchvision", action="store_true", help="use timm as the reference")
    p.add_argument("--compile", action="store_true", help="also time optimize_for_inference(compile=True)")
    p.add_argument("--out", default=None, help="write results JSON here")
    args = p.parse_args(argv)
    device = torch.device(args.device)
    models, reference = build_variants(args.arch, not args.no_torchvision)
    base = models["modelzoo eager"]
    models["modelzoo channels_last"] = copy.deepcopy(base).to(memory_format=torch.channels_last)  # .to() is in place
    low = torch.float16 if device.type == "cuda" else torch.bfloat16
    dtypes = {"fp32": None} | ({"fp16" if device.type == "cuda" else "bf16": low} if device.type == "cuda" or cpu_has_bf16() else {})
    for kind in ("optimized", "compiled") if args.compile else ("optimized",):
        for label, dtype in dtypes.items():
            models[f"modelzoo {kind} {label}"] = modelzoo.optimize_for_inference(base, dtype=dtype, compile=kind == "compiled")
    torch.manual_seed(1)
    x = torch.randn(args.batch, 3, args.im_size, args.im_size, device=device)

    results = {"environment": environment(device), "settings": vars(args), "reference": reference, "variants": {}}
    inputs = {name: x.contiguous(memory_format=torch.channels_last) if "channels_last" in name else x for name in models}
    with torch.inference_mode():
        ref_out = models[reference].to(device)(x).float()
        for name, m in models.items():
            out = m.to(device)(inputs[name]).float()
            agree = (out.argmax(1) == ref_out.argmax(1)).float().mean().item()
            results["variants"][name] = {"max_abs_diff": (out - ref_out).abs().max().item(), "top1_agreement": agree}
        calls = {name: (lambda m=m, xin=inputs[name]: m(xin)) for name, m in models.items()}
        seconds = time_side_by_side(calls, device, warmup=args.warmup, repeats=args.repeats)
    for name, s in seconds.items():
        results["variants"][name] = {"ms": round(1000 * s, 1), **results["variants"][name]}
    ref_ms = results["variants"][reference]["ms"]
    print(f"{args.arch}, batch {args.batch}, {args.im_size} px, {device} ({results['environment']['cpu'] if device.type == 'cpu' else results['environment'].get('gpu')})")
    print(f"{'variant':<26} {'ms/batch':>9} {'speed-up':>9} {'max|Δlogit|':>12} {'top-1 agree':>12}  target")
    for name, r in results["variants"].items():
        r["speedup"] = round(ref_ms / r["ms"], 2)
        target = TARGETS.get(name) if device.type == "cpu" else None  # the targets are CPU targets
        verdict = "" if target is None else f"≥{target}× {'PASS' if r['speedup'] >= target else 'FAIL'}"
        print(f"{name:<26} {r['ms']:>9.1f} {r['speedup']:>8.2f}× {r['max_abs_diff']:>12.2e} {r['top1_agreement']:>12.3f}  {verdict}")
    if device.type == "cuda":
        print("CUDA: no targets (they are stated for the CPU); fp32 differences include cuDNN's default TF32 convolutions")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
