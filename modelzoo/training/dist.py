"""Distributed data parallel plumbing over ``torch.distributed`` (torchrun's ``env://``).

Without torchrun (no ``WORLD_SIZE`` in the environment) everything runs in one process and the
collectives below are no-ops. With torchrun every process joins one process group: NCCL when
training on CUDA, gloo on the CPU. Multi-node jobs use torchrun's rendezvous
(``--nnodes``, ``--rdzv-backend c10d --rdzv-endpoint HOST:PORT``); nothing here changes.
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn as nn

from .config import DistCfg


@dataclass(frozen=True)
class DistInfo:
    """This process's place in the job and the device it trains on."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        """Rank 0: the only process that prints and writes files."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_world_size() -> int:
    """The job's process count as torchrun announces it (1 when not launched by torchrun)."""
    return _env_int("WORLD_SIZE", 1)


def pick_device(device: str, local_rank: int = 0) -> torch.device:
    """``auto`` → this process's GPU if CUDA is available, else the CPU; ``cuda`` without CUDA is an error."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("train.device=cuda but CUDA is not available (use train.device=cpu)")
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    return torch.device("cpu")


def process_group_backend(cfg: DistCfg, device: torch.device) -> str:
    """``dist.backend``, with ``auto`` meaning NCCL for CUDA devices and gloo on the CPU."""
    if cfg.backend != "auto":
        return cfg.backend
    return "nccl" if device.type == "cuda" else "gloo"


def setup(cfg: DistCfg, device: str) -> DistInfo:
    """Join torchrun's process group if launched by it; pick this process's device."""
    world_size = env_world_size()
    rank = _env_int("RANK", 0)
    local_rank = _env_int("LOCAL_RANK", 0)
    dev = pick_device(device, local_rank)
    if dev.type == "cuda":
        torch.cuda.set_device(dev)
    if "WORLD_SIZE" in os.environ and not dist.is_initialized():  # launched by torchrun (even with 1 process)
        backend = process_group_backend(cfg, dev)
        if backend == "nccl" and dev.type != "cuda":
            raise RuntimeError("dist.backend=nccl needs CUDA devices (use gloo on the CPU)")
        dist.init_process_group(backend, init_method="env://", rank=rank, world_size=world_size,
                                timeout=datetime.timedelta(seconds=cfg.timeout_s))  # fmt: skip
    return DistInfo(rank=rank, world_size=world_size, local_rank=local_rank, device=dev)


def cleanup() -> None:
    """Leave the process group (safe to call when none exists)."""
    if dist.is_initialized():
        dist.destroy_process_group()


def _active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def all_reduce_sum(t: torch.Tensor) -> torch.Tensor:
    """Sum ``t`` over all processes, in place (identity in a single process)."""
    if _active():
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return t


def all_reduce_max(t: torch.Tensor) -> torch.Tensor:
    """Maximum of ``t`` over all processes, in place (identity in a single process)."""
    if _active():
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return t


def barrier() -> None:
    if _active():
        dist.barrier()


@torch.no_grad()
def broadcast_buffers(module: nn.Module, src: int = 0) -> None:
    """Copy ``src``'s buffers (BN running statistics) to every process so all hold the same model."""
    if _active():
        for b in module.buffers():
            dist.broadcast(b, src)


def broadcast_object(obj: object, src: int = 0) -> object:
    """``src``'s Python object on every process."""
    if not _active():
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src)
    return box[0]
