"""CUDA training (skipped without a GPU): AMP bf16/fp16, channels_last, the main job, NCCL.

Run on a GPU machine with ``python -m pytest tests/training/test_cuda.py -q`` (no DALI needed).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch
from trainer_fakes import fake_loaders

from modelzoo.training import checkpoint
from modelzoo.training.config import Config
from modelzoo.training.trainer import Trainer

pytestmark = pytest.mark.gpu


def cuda_cfg(**overrides) -> Config:
    cfg = Config.from_dict({
        "model": {"name": "regnetx_200mf", "kwargs": {"zero_init_last_bn": True}},
        "data": {"root": "unused", "backend": "custom", "train_size": 32},
        "optim": {"base_lr": 0.02, "max_epoch": 2, "warmup_epochs": 0.5},
        "train": {"batch_size": 8, "device": "cuda"},
        "test": {"batch_size": 8},
        "log": {"progress": "lines", "plot": False},
    })  # fmt: skip
    return cfg.replace(**overrides)


@pytest.mark.parametrize("amp, channels_last", [("none", False), ("bf16", True), ("fp16", False), ("fp16", True)])
def test_cuda_training_with_amp_and_channels_last(tmp_path, amp, channels_last):
    cfg = cuda_cfg(**{"train.amp": amp, "train.channels_last": channels_last, "optim.ema_decay": 0.9})
    t = Trainer(cfg, tmp_path, loaders=fake_loaders(size=32, device="cuda"))
    assert next(t.model.parameters()).is_cuda
    if channels_last:
        assert t.model.stem.conv.weight.is_contiguous(memory_format=torch.channels_last)
    t.fit()
    t.close()
    state = checkpoint.load(tmp_path / "checkpoints" / "epoch_0002.pt")
    assert (state["scaler"] is not None) == (amp == "fp16")  # a gradient scaler exactly for fp16
    assert all(torch.isfinite(v).all() for v in state["model"].values() if v.is_floating_point())
    assert 0 <= t.best["top1_err"] <= 100
    # resuming on the GPU from a checkpoint restores the scaler and continues
    again = Trainer(cfg.replace(**{"optim.max_epoch": 2}), tmp_path, loaders=fake_loaders(size=32, device="cuda"))
    assert again.epoch == 2 and (not again.scaler.is_enabled() or again.scaler.get_scale() == state["scaler"]["scale"])
    again.close()


@pytest.mark.parametrize("backend", ["custom", "torch"])
def test_main_job_on_cuda(tmp_path, backend):
    run_dir = tmp_path / "run"
    cmd = [sys.executable, "-m", "modelzoo.training.run", "--out", str(run_dir), f"data.backend={backend}",
           "train.device=cuda", "train.amp=bf16", "train.channels_last=true", "data.train_size=32",
           "train.batch_size=64", "train.limit_batches=10", "optim.max_epoch=2", "optim.warmup_epochs=0"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["epochs"] == 2 and summary["images_per_sec"] > 0
    assert abs(summary["reloaded_top1_err"] - summary["top1_err"]) <= 0.2  # the export evaluates the same


def test_torchrun_nccl_single_gpu(tmp_path):
    run_dir = tmp_path / "run"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=1", "-m",
           "modelzoo.training.run", "--out", str(run_dir), "data.backend=custom", "train.device=cuda",
           "data.train_size=32", "train.batch_size=64", "train.limit_batches=5", "optim.max_epoch=1",
           "optim.warmup_epochs=0", "dist.backend=nccl"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env={**os.environ})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert json.loads((run_dir / "summary.json").read_text())["world_size"] == 1
