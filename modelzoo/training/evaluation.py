"""Validation: top-1/top-5 error, mean loss and throughput over the (sharded) val split."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import dist
from .data import normalize
from .zoo import DataConfig


@dataclass(frozen=True)
class EvalResult:
    """Validation metrics, reduced over all processes (errors in percent)."""

    loss: float
    top1_err: float
    top5_err: float
    images: int
    images_per_sec: float

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        """The metrics that go into ``metrics.jsonl`` (keys prefixed with ``prefix``)."""
        return {f"{prefix}{k}": getattr(self, k) for k in ("loss", "top1_err", "top5_err", "images_per_sec")}


def autocast(device: torch.device, amp: str) -> contextlib.AbstractContextManager:
    """``torch.autocast`` for ``train.amp`` (``none``: no autocast)."""
    if amp == "none":
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16 if amp == "bf16" else torch.float16)


@torch.no_grad()
def evaluate(model: nn.Module, loader: Iterable, dc: DataConfig, *, device: torch.device, amp: str = "none",
             channels_last: bool = False) -> EvalResult:  # fmt: skip
    """Top-1/top-5 error (%), mean cross-entropy and throughput over the whole (sharded) val split.

    Counts are summed over processes once at the end, so each rank may hold a different number of
    batches; with the loader covering every sample exactly once the metrics are exact.
    """
    was_training = model.training
    model.eval()
    sums = torch.zeros(4, dtype=torch.float64, device=device)  # loss, top-1 correct, top-5 correct, n
    t0 = time.perf_counter()
    for images, labels in loader:
        x = normalize(images, dc.mean, dc.std, channels_last=channels_last)
        with autocast(device, amp):
            logits = model(x)
        logits = logits.float()
        k = min(5, logits.shape[1])
        hit = logits.topk(k, dim=1).indices.eq(labels[:, None])
        n = torch.tensor(float(labels.numel()), device=device, dtype=torch.float64)
        sums += torch.stack([F.cross_entropy(logits, labels, reduction="sum").double(), hit[:, 0].sum().double(),
                             hit.any(dim=1).sum().double(), n])  # fmt: skip
    dist.all_reduce_sum(sums)
    seconds = time.perf_counter() - t0
    model.train(was_training)
    loss, c1, c5, n = sums.tolist()
    if int(n) == 0:
        raise RuntimeError("the validation split is empty")
    return EvalResult(loss / n, 100.0 * (1 - c1 / n), 100.0 * (1 - c5 / n), int(n), n / max(seconds, 1e-9))
