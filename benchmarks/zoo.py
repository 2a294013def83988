"""Generate MODEL_ZOO.md (and its plot) from the registry, the weight specs, the recipes and the
checked-in benchmark results — nothing in it is typed by hand.

    python benchmarks/zoo.py            # rewrite MODEL_ZOO.md and docs/zoo_error_vs_flops.png
    python benchmarks/zoo.py --check    # exit 1 if MODEL_ZOO.md is not what the generator writes

Inputs: ``modelzoo`` (names, analytic complexity, weight specs), ``modelzoo.training.recipes``
(batch sizes, learning rates) and ``benchmarks/results/{models_gpu,loaders,compare_cpu,compare_gpu}.json`` written by
``benchmarks/models.py``, ``benchmarks/loaders.py`` and ``benchmarks/compare.py``. A number that was not measured is "—".
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import modelzoo  # noqa: E402
from modelzoo.registry import architecture  # noqa: E402
from modelzoo.training import recipes  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
OUT = ROOT / "MODEL_ZOO.md"
PLOT = ROOT / "docs" / "zoo_error_vs_flops.png"
IMAGENET_TRAIN_IMAGES = 1_281_167
FAMILIES = [("resnet", "ResNet"), ("resnext", "ResNeXt"), ("regnetx", "RegNetX"), ("regnety", "RegNetY"),
            ("efficientnet", "EfficientNet")]  # fmt: skip
DASH = "—"


def load_json(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def download_link(spec) -> str:
    src = spec.source
    url = f"https://huggingface.co/{src.hf_repo}" if src.hf_repo else src.url
    return f"[{spec.name}]({url})"


def train_hours(row: dict[str, Any] | None) -> str:
    """1 GPU doing 100 epochs of ImageNet at the recipe's per-GPU batch (measured step time)."""
    if not row or row.get("train_step_ms") is None:
        return DASH
    steps = recipes.MAX_EPOCH * IMAGENET_TRAIN_IMAGES / row["train_batch"]
    return f"{steps * row['train_step_ms'] / 1000 / 3600:.1f}"


def fmt(value: float | None, digits: int) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def zoo_models(family: str) -> list[str]:
    """The family's registered models, small to large (models users register are not in the zoo)."""
    names = [n for n in modelzoo.list_models(f"{family}*") if architecture(n).family == family]
    return sorted(names, key=lambda n: architecture(n).complexity()["flops"])


def model_rows(family: str, measured: dict[str, dict]) -> list[str]:
    rows = ["| model | FLOPs (B) | params (M) | acts (M) | batch size | infer (ms) | train (hrs) | top-1 err | "
            "weights | license |", "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]  # fmt: skip
    for name in zoo_models(family):
        arch = architecture(name)
        cx = arch.complexity()
        spec = modelzoo.get_weights(name) if modelzoo.list_weights(name) else None
        m = measured.get(name)
        license_ = DASH if spec is None else spec.license + (" (non-commercial)" if spec.non_commercial else "")
        rows.append(
            f"| {arch.display_name} (`{name}`) | {cx['flops'] / 1e9:.2f} | {cx['params'] / 1e6:.2f} | "
            f"{cx['acts'] / 1e6:.2f} | {recipes.BATCH[name][0]} | {fmt(m and m.get('infer_ms'), 1)} | "
            f"{train_hours(m)} | {fmt(spec and spec.top1_err, 2)} | {download_link(spec) if spec else DASH} | {license_} |"
        )
    return rows


def settings_section(env: dict[str, Any] | None, gpu: dict[str, Any] | None) -> list[str]:
    lines = ["## Experimental settings", ""]
    if env is None:
        return lines + ["No GPU measurements are checked in yet: speed columns show " + DASH + ".", ""]
    s = gpu["settings"]
    lines += [
        f"- Measured on 1 × {env.get('gpu', env['device'])} with PyTorch {env['torch']} "
        f"(CUDA {env.get('cuda', DASH)}, cuDNN {env.get('cudnn', DASH)}), host CPU {env['cpu']}, "
        f"by `benchmarks/models.py` (results in `benchmarks/results/models_gpu.json`).",
        f"- **infer (ms)**: eval forward of a batch of {s['batch']} images at the model's test crop, "
        f"{'fp16 autocast' if s['amp'] else 'fp32'}, {'channels_last' if s['channels_last'] else 'NCHW'}, "
        f"cuDNN autotuning on, median of {s['repeats']} runs after {s['warmup']} warm-up runs.",
        "- **train (hrs)**: an *estimate*, not a training run: the measured time of one training step "
        "(forward + backward + SGD) at the recipe's per-GPU batch (its global batch / 8), times the steps "
        f"of {recipes.MAX_EPOCH} ImageNet epochs ({IMAGENET_TRAIN_IMAGES:,} images) on this one GPU; data "
        "loading excluded. Eight GPUs with perfect scaling would take 1/8 of it.",
        "- **top-1 err**: the published ImageNet-1k validation error (%) of the model's default weights, "
        "measured by their publisher as the weight spec's protocol says (`modelzoo info NAME`); "
        "modelzoo reproduces the architecture and loads those exact weights.",
        "- FLOPs are multiply-accumulates (pycls accounting) at the train size; params and activations "
        "are exact (`modelzoo.complexity`).",
        "",
    ]
    return lines


def training_section() -> list[str]:
    ref = recipes.REFERENCE
    return [
        "## Training settings",
        "",
        "The recipes in `training/configs/` (generated from `modelzoo/training/recipes.py`) follow one protocol:",
        "",
        f"- SGD, momentum 0.9, half-period cosine schedule, {recipes.MAX_EPOCH} epochs; no DropOut, "
        "DropConnect, AutoAugment, EMA or test-time augmentation.",
        f"- Reference learning rate {ref['resnet'][0]} with weight decay {ref['resnet'][1]} for ResNet/ResNeXt/RegNet, "
        f"{ref['efficientnet'][0]} with weight decay {ref['efficientnet'][1]} for EfficientNet; the learning rate "
        "is batch size / 128 × reference.",
        f"- {recipes.REGNET_WARMUP} warm-up epochs for the RegNet recipes (as pycls), none for the others.",
        "- Train: random-resized crop at the train size (224; EfficientNet per paper) + horizontal flip + "
        "per-channel mean/std normalisation. Test: resize the shorter side to the even integer nearest "
        "256/224 × train size, centre crop the train size.",
        "- Batch sizes (global, 8 GPUs) as in the pycls recipes; default loader backend `dali_cpu`.",
        "",
    ]


def loaders_section(loaders: dict[str, Any] | None) -> list[str]:
    lines = ["## Data loaders", "",
             "Four interchangeable backends (`modelzoo.training.data.build_loader`, see docs/data.md): "
             "`custom` (OpenCV + numpy in DataLoader workers), `dali_cpu` (DALI, every op on the CPU), "
             "`dali_gpu` (DALI with nvJPEG decoding and GPU ops) and `torch` (torchvision v2).", ""]  # fmt: skip
    if loaders is None:
        return lines + ["No loader measurements are checked in yet.", ""]
    lines += [f"Measured by `benchmarks/loaders.py` on {loaders['cores']} CPU cores ({loaders['date']}), "
              "images/s at 224 px, batch 64, median over epochs, against the standard torchvision recipe in the "
              "same run (`dali_gpu` needs a GPU and is not in this CPU measurement):", "",
              "| pipeline | train img/s | × recipe | val img/s | × recipe |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    res = loaders["results"]
    names = list(dict.fromkeys([*res.get("train", {}), *res.get("val", {})]))
    for name in names:
        cells = []
        for split in ("train", "val"):
            rate, base = res.get(split, {}).get(name), res.get(split, {}).get("torchvision recipe")
            cells += [fmt(rate, 0), DASH if rate is None or not base else f"{rate / base:.2f}×"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]


def inference_section(runs: list[dict[str, Any]]) -> list[str]:
    """``modelzoo.optimize_for_inference`` against torchvision/timm eager, from ``benchmarks/compare.py``."""
    lines = ["## Fast inference", "",
             "`modelzoo.optimize_for_inference(model)` folds BatchNorm into the convolutions and switches to "
             "channels_last (`dtype=torch.bfloat16`/`float16` adds autocast; `compile=True` adds `torch.compile` "
             "with frozen weights: the *compiled* rows). Measured by `benchmarks/compare.py`: the same architecture "
             "from torchvision, timm and modelzoo with the same weights, timed side by side in interleaved rounds "
             "(median ms per batch; speed-up and max |Δ logit| against the reference model of the run). Targets on "
             "the CPU: fp32 ≥ 1.6×, bf16 ≥ 3× the torchvision eager model.", ""]  # fmt: skip
    if not runs:
        return lines + ["No inference measurements are checked in yet.", ""]
    lines += ["| hardware | model, batch | reference | variant | ms / batch | speed-up | max abs Δ logit | top-1 agreement |",
              "|---|---|---|---|---:|---:|---:|---:|"]  # fmt: skip
    for run in runs:
        env, s = run["environment"], run["settings"]
        where = env.get("gpu") if env["device"] == "cuda" else f"{env['cpu']}, {env['torch_threads']} threads"
        for name, v in run["variants"].items():
            lines.append(f"| {where} | {s['arch']}, {s['batch']} | {run['reference']} | {name} | {v['ms']:.1f} | {v['speedup']:.2f}× | "
                         f"{v['max_abs_diff']:.1e} | {100 * v['top1_agreement']:.1f} % |")  # fmt: skip
    return lines + ["", "On CUDA the fp32 differences include cuDNN's default TF32 convolutions.", ""]


def render() -> str:
    gpu = load_json("models_gpu.json")
    measured = {row["model"]: row for row in gpu["models"]} if gpu else {}
    lines = [
        "# Model Zoo",
        "",
        "<!-- Generated by `python benchmarks/zoo.py` from the registry, the weight specs, the recipes and "
        "benchmarks/results/*.json. Do not edit by hand. -->",
        "",
        f"{sum(len(zoo_models(f)) for f, _ in FAMILIES)} architectures in {len(FAMILIES)} families, built the pycls way, with exact analytic "
        "complexity and the published ImageNet weights they load. `modelzoo list --pretrained` lists every "
        "weight set; the tables show each model's default weights.",
        "",
        f"![top-1 error vs FLOPs]({PLOT.relative_to(ROOT).as_posix()})",
        "",
    ]
    lines += settings_section(gpu["environment"] if gpu else None, gpu)
    lines += training_section()
    lines += loaders_section(load_json("loaders.json"))
    lines += inference_section([r for r in map(load_json, ("compare_cpu.json", "compare_gpu.json")) if r])
    lines += ["## Baselines", ""]
    for family, title in FAMILIES:
        lines += [f"### {title}", "", *model_rows(family, measured), ""]
    return "\n".join(lines)


def plot(path: Path) -> None:
    """Top-1 error of each model's pycls weights vs FLOPs, one line per family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for family, title in FAMILIES:
        points = []
        for name in zoo_models(family):
            tags = [t for t in modelzoo.list_weights(name) if t.endswith(".pycls_in1k")]
            if tags:
                points.append((architecture(name).complexity()["flops"] / 1e9, modelzoo.get_weights(tags[0]).top1_err))
        if points:
            xs, ys = zip(*sorted(points))
            ax.plot(xs, ys, marker="o", label=title)
    ax.set_xscale("log")
    ax.set_xlabel("GFLOPs (multiply-accumulates, train size)")
    ax.set_ylabel("top-1 error (%), pycls weights")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true", help="only check that MODEL_ZOO.md is up to date")
    args = p.parse_args(argv)
    text = render()
    if args.check:
        if OUT.read_text() != text:
            print("MODEL_ZOO.md is out of date: run python benchmarks/zoo.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    plot(PLOT)
    print(f"wrote {OUT.relative_to(ROOT)} and {PLOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
