"""Image-folder data loading for training and evaluation: four interchangeable backends, one contract.

``build_loader(root, split, backend=..., size=..., batch_size=...)`` returns an iterable over
``(images, labels)``: uint8 N×3×size×size RGB images and int64 labels on ``device``. Turn images
into model input with ``normalize`` (on the device). ``make_demo_dataset()`` writes (once) the
embedded 10-class demo dataset and returns its root. See docs/data.md.
"""
from __future__ import annotations

import os

import torch

from ..zoo import test_size_for
from .demo import make_demo_dataset
from .folder import BadImageError, DatasetError, scan_split
from .loader import EpochLoader, WorkerLoader, default_workers
from .normalize import normalize

BACKENDS = ("custom", "dali_cpu", "dali_gpu", "torch")

__all__ = ["build_loader", "make_demo_dataset", "normalize", "BACKENDS", "EpochLoader", "BadImageError",
           "DatasetError"]  # fmt: skip


def build_loader(root: str | os.PathLike, split: str, *, backend: str, size: int, batch_size: int, rank: int = 0,
                 world_size: int = 1, device: str | torch.device = "cpu", num_workers: int | None = None,
                 seed: int = 0, skip_bad_files: bool = False, val_resize: int | None = None) -> EpochLoader:  # fmt: skip
    """A loader over ``<root>/<split>`` (ImageNet folder layout) for this rank.

    ``split='train'``: random-resized-crop to ``size`` + flip, shuffled per epoch, ragged last batch
    dropped. ``split='val'``: shorter side → ``val_resize`` (default ``test_size_for(size)``), centre
    crop ``size``; every sample exactly once across ranks. ``num_workers`` (DataLoader workers or
    DALI threads) defaults to this process's cores shared among the node's ranks (at most 8).
    ``skip_bad_files`` skips unreadable files (counted in ``loader.skipped`` / ``loader.excluded``)
    instead of raising. Call ``loader.set_epoch(e)`` before iterating epoch ``e``.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown loader backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if size < 1 or batch_size < 1:
        raise ValueError(f"size and batch_size must be positive, got size={size}, batch_size={batch_size}")
    resize = test_size_for(size) if val_resize is None else int(val_resize)
    if resize < size:
        raise ValueError(f"val_resize ({resize}) must be at least size ({size})")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    if backend.startswith("dali_"):
        from .dali import require_dali

        require_dali(backend)
    workers = default_workers(world_size) if num_workers is None else int(num_workers)
    common = dict(train=split == "train", batch_size=batch_size, rank=rank, world_size=world_size, seed=seed,
                  device=torch.device(device))  # fmt: skip
    scanned = scan_split(root, split, skip_bad_files=skip_bad_files)
    if backend.startswith("dali_"):
        from .dali import DaliLoader, without_bad_files

        if skip_bad_files:
            scanned = without_bad_files(scanned, workers)
        return DaliLoader(scanned, gpu=backend == "dali_gpu", size=size, resize=resize, num_threads=workers, **common)
    if backend == "custom":
        from .custom import OpenCVFolder as dataset_class
    else:
        from .torch_backend import TorchvisionFolder as dataset_class
    dataset = dataset_class(scanned, train=common["train"], size=size, resize=resize, seed=seed,
                            skip_bad_files=skip_bad_files)  # fmt: skip
    return WorkerLoader(dataset, scanned, num_workers=workers, **common)
