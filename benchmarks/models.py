"""Per-model complexity, inference and training-step speed, peak memory → JSON.

    python benchmarks/models.py 'resnet*' --device cuda --amp --out results.json
    python benchmarks/models.py resnet50 --device cpu --batch 16 --optimized

Inference: eval mode, a batch of ``--batch`` images (default 64) at each model's test crop,
``--warmup`` untimed runs then the median of ``--repeats``. Training step: forward + backward +
SGD step at ``--train-batch`` images per device (default: the recipe's per-GPU batch, the pycls
batch divided by its 8 GPUs). Peak memory is CUDA's max allocated bytes (null on CPU, where the
process-wide RSS would not be a per-model figure).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import modelzoo  # noqa: E402
from _common import environment, sync, time_fn  # noqa: E402
from modelzoo.registry import architecture  # noqa: E402

RECIPE_GPUS = 8


def recipe_batch(name: str) -> int:
    """Per-GPU train batch of the model's recipe (its global batch over the recipe's 8 GPUs)."""
    from modelzoo.training.recipes import BATCH

    return BATCH[name][0] // RECIPE_GPUS if name in BATCH else 32


def bench_inference(model, x, device, amp: bool, warmup: int, repeats: int) -> float:
    def run():
        with torch.inference_mode(), torch.autocast(device.type, dtype=torch.bfloat16 if device.type == "cpu" else torch.float16, enabled=amp):
            model(x)

    return time_fn(run, device, warmup=warmup, repeats=repeats)


def bench_train_step(model, x, y, device, amp: bool, warmup: int, repeats: int) -> float:
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    scaler = torch.amp.GradScaler(device.type, enabled=amp and device.type == "cuda")

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=torch.bfloat16 if device.type == "cpu" else torch.float16, enabled=amp):
            loss = loss_fn(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()

    model.train()
    return time_fn(step, device, warmup=warmup, repeats=repeats)


def bench_model(name: str, args, device: torch.device) -> dict:
    arch = architecture(name)
    size = args.im_size or arch.data_config.crop_size
    row = {"model": name, "im_size": size, **arch.complexity(arch.data_config.train_size)}
    model = modelzoo.create(name).to(device).eval()
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    if args.optimized:
        model = modelzoo.optimize_for_inference(model, channels_last=args.channels_last)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    x = torch.randn(args.batch, 3, size, size, device=device).contiguous(memory_format=fmt)
    row["infer_batch"] = args.batch
    row["infer_ms"] = round(1000 * bench_inference(model, x, device, args.amp, args.warmup, args.repeats), 2)
    if not args.no_train and not args.optimized:
        tb = args.train_batch or recipe_batch(name)
        xt = torch.randn(tb, 3, arch.data_config.train_size, arch.data_config.train_size, device=device).contiguous(memory_format=fmt)
        yt = torch.randint(0, 1000, (tb,), device=device)
        row["train_batch"] = tb
        row["train_step_ms"] = round(1000 * bench_train_step(model, xt, yt, device, args.amp, args.warmup, args.repeats), 2)
    row["peak_mem_mb"] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1) if device.type == "cuda" else None
    sync(device)
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pattern", nargs="?", default="*")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--batch", type=int, default=64, help="inference batch (default 64)")
    p.add_argument("--train-batch", type=int, default=None, help="training batch per device (default: recipe's per-GPU batch)")
    p.add_argument("--im-size", type=int, default=None, help="inference size (default: each model's test crop)")
    p.add_argument("--amp", action="store_true", help="autocast (fp16 on CUDA, bf16 on CPU)")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--optimized", action="store_true", help="modelzoo.optimize_for_inference (inference only)")
    p.add_argument("--no-train", action="store_true", help="skip the training-step measurement")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--out", default=None, help="write results JSON here")
    args = p.parse_args(argv)

    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    names = modelzoo.list_models(args.pattern)
    if not names:
        print(f"no model matches {args.pattern!r}", file=sys.stderr)
        return 1
    settings = {k: v for k, v in vars(args).items() if k not in ("out", "pattern")}
    results = {"environment": environment(device), "settings": settings, "models": []}
    print(f"{'model':<20} {'GFLOPs':>7} {'params(M)':>9} {'infer(ms)':>10} {'train(ms)':>10} {'peak(MB)':>9}")
    for name in names:
        row = bench_model(name, args, device)
        results["models"].append(row)
        print(f"{name:<20} {row['flops'] / 1e9:>7.2f} {row['params'] / 1e6:>9.2f} {row['infer_ms']:>10.1f} "
              f"{row.get('train_step_ms', float('nan')):>10.1f} {row['peak_mem_mb'] or float('nan'):>9.1f}", flush=True)  # fmt: skip
        if args.out:  # write as we go, so a long run keeps what it measured
            Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
