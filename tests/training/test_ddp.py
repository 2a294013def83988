"""torchrun --nproc_per_node=2 on the CPU (gloo): identical weights, disjoint halves, rank 0 writes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

WORKER = Path(__file__).with_name("ddp_worker.py")
N_TRAIN = 64  # solid-colour PNGs: sample j has red = 4 · j, so any crop of it tells which sample it is


def solid_dataset(root: Path) -> Path:
    for split, n in (("train", N_TRAIN), ("val", 16)):
        for j in range(n):
            folder = root / split / f"class{j % 2}"
            folder.mkdir(parents=True, exist_ok=True)
            image = np.empty((40, 40, 3), np.uint8)
            image[:] = (96 + j % 7, 255 - 3 * j, 4 * j)  # BGR for OpenCV: red = 4 · j
            cv2.imwrite(str(folder / f"{j:03d}.png"), image)
    return root


def torchrun(tmp_path: Path, *overrides: str, env: dict | None = None, timeout: float = 300):
    data = solid_dataset(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", str(WORKER),
           "--out", str(tmp_path / "run"), "model.name=regnetx_200mf", f"data.root={data}", "data.backend=custom",
           "data.train_size=32", "data.num_workers=0", "train.batch_size=8", "test.batch_size=8", "train.device=cpu",
           "optim.base_lr=0.01", "optim.max_epoch=2", "log.progress=lines", "log.plot=false", "dist.timeout_s=60",
           *overrides]  # fmt: skip
    env = {**os.environ, "DDP_TEST_OUT": str(out), "OMP_NUM_THREADS": "1", **(env or {})}
    t0 = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    ranks = [json.loads((out / f"rank{r}.json").read_text()) for r in range(2) if (out / f"rank{r}.json").exists()]
    return proc, ranks, time.monotonic() - t0, out


def test_two_processes_train_identically_on_disjoint_halves(tmp_path):
    proc, ranks, _, out = torchrun(tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    s0, s1 = (torch.load(out / f"state{r}.pt", weights_only=True) for r in range(2))
    assert s0.keys() == s1.keys() and all(torch.equal(s0[k], s1[k]) for k in s0)  # parameters and BN buffers
    assert len(ranks) == 2 and all(len(r["seen"]) == 2 for r in ranks)
    for epoch in range(2):
        a, b = ranks[0]["seen"][epoch], ranks[1]["seen"][epoch]
        assert len(a) == len(b) == N_TRAIN // 2 and not set(a) & set(b) and set(a) | set(b) == set(range(N_TRAIN))
    assert ranks[0]["seen"][0] != ranks[0]["seen"][1]  # reshuffled per epoch
    assert ranks[1]["writes"] == [] and ranks[0]["writes"]  # only rank 0 touched the run directory
    assert proc.stdout.count("resolved config:") == 1 and proc.stdout.count("top-1 error") >= 2  # rank 0 prints
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["world_size"] == 2 and summary["epochs"] == 2
    assert summary["reloaded_top1_err"] == summary["top1_err"]  # export reloaded and evaluated on both ranks


def test_a_crashing_rank_fails_the_job_without_hanging(tmp_path):
    proc, ranks, seconds, _ = torchrun(tmp_path, env={"DDP_CRASH_RANK": "1"}, timeout=240)
    assert proc.returncode != 0
    assert "simulated crash of rank 1" in proc.stdout + proc.stderr
    assert seconds < 200
