#!/usr/bin/env python
"""Peak memory of one training step with and without gradient checkpointing.

    python benchmarks/memory.py                      # resnet50 and efficientnet_b3, batch 16, CPU
    python benchmarks/memory.py --models resnet18 --batch 8 --device cuda

Each (model, checkpointing) pair runs in its own process, so that one measurement cannot inherit
another's allocator state. The second training step (forward, backward, SGD step) is measured,
after a first one has allocated the gradients, momentum buffers and kernel caches (the median of
three such steps is reported): on the CPU the
growth of the process's peak resident set (Linux ``VmHWM``, reset before the step) over its size
just before it; on CUDA ``torch.cuda.max_memory_allocated`` over the allocation before the step. Prints a table and the
saving, and writes JSON with ``--out``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = 3  # measured steps per process; the median is reported (the allocator's reuse varies a little)
sys.path.insert(0, str(ROOT))


def rss_bytes(field: str = "VmRSS") -> int:
    """The current (``VmRSS``) or peak (``VmHWM``) resident set of this process (Linux /proc)."""
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith(field + ":"))
    return int(line.split()[1]) * 1024


def reset_peak_rss() -> None:
    """Start a new peak-RSS measurement (Linux: writing 5 to clear_refs resets VmHWM)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def measure(name: str, batch: int, checkpointing: bool, device: str) -> dict:
    """One training step of ``name`` at its train size; runs in a fresh process (see --child)."""
    import torch

    import modelzoo

    torch.manual_seed(0)
    model = modelzoo.create(name, num_classes=1000).to(device).train()
    model.set_grad_checkpointing(checkpointing)
    size = model.data_config.train_size
    x = torch.randn(batch, 3, size, size, device=device)
    y = torch.randint(0, 1000, (batch,), device=device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def step() -> float:
        opt.zero_grad(set_to_none=False)  # gradients and momentum stay allocated between steps
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    step()  # the first step allocates gradients, momentum buffers and the kernels' caches
    growth = []
    for _ in range(STEPS):
        if device == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()
        else:
            reset_peak_rss()
            before = rss_bytes()
        loss = step()
        if device == "cuda":
            torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() if device == "cuda" else rss_bytes("VmHWM")
        growth.append(peak - before)
    return {"model": name, "batch": batch, "size": size, "checkpointing": checkpointing, "device": device,
            "step_peak_mb": round(statistics.median(growth) / 2**20, 1),
            "per_step_mb": [round(g / 2**20, 1) for g in growth], "loss": loss}  # fmt: skip


def run_child(name: str, batch: int, checkpointing: bool, device: str) -> dict:
    args = [sys.executable, __file__, "--child", name, str(batch), str(int(checkpointing)), device]
    proc = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", nargs="+", default=["resnet50", "efficientnet_b3"])
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--device", default="cpu")
    p.add_argument("--out", type=Path, help="write the results as JSON")
    p.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        name, batch, ckpt, device = args.child
        print(json.dumps(measure(name, int(batch), ckpt == "1", device)))
        return
    rows = []
    print(f"{'model':<18}{'size':>6}{'batch':>7}{'plain MB':>12}{'checkpointed MB':>18}{'saving':>9}")
    for name in args.models:
        plain = run_child(name, args.batch, False, args.device)
        ckpt = run_child(name, args.batch, True, args.device)
        saving = 1 - ckpt["step_peak_mb"] / plain["step_peak_mb"]
        rows.append({"plain": plain, "checkpointed": ckpt, "saving": round(saving, 3)})
        print(f"{name:<18}{plain['size']:>6}{args.batch:>7}{plain['step_peak_mb']:>12.0f}"
              f"{ckpt['step_peak_mb']:>18.0f}{saving:>9.0%}")  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
