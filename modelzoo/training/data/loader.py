"""What every backend's loader shares (epochs, sharding, skip reporting) and the DataLoader-based one.

``custom`` and ``torch`` differ only in their dataset (how one file becomes a CHW uint8 tensor);
both run in DataLoader worker processes through ``WorkerLoader``. A dataset item is keyed by
``(index, epoch)`` and a sample's augmentation RNG depends only on ``(seed, epoch, index)``: the
batches are bit-identical whatever the number of workers or the epochs already run in the process.
"""
from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler, default_collate

from .folder import BadImageError, Split
from .sharding import rank_indices, samples_per_rank

log = logging.getLogger("modelzoo.training.data")
Batch = tuple[torch.Tensor, torch.Tensor]
# What a dataset returns per item: (image CHW uint8, label, None) or, for a skipped file, (None, label, path).
Item = tuple[torch.Tensor | None, int, str | None]


def default_workers(world_size: int = 1) -> int:
    """Cores available to this process, shared among the ranks of this node, at most 8."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    local = int(os.environ.get("LOCAL_WORLD_SIZE", world_size))  # torchrun sets it
    return max(1, min(8, cores // max(1, local)))


class EpochLoader:
    """Base of every backend's loader: ``len``, ``set_epoch``, ``classes``, ``num_samples``, skip counts.

    Iterating yields ``(images, labels)``: uint8 N×3×size×size RGB and int64 labels, on ``device``.
    ``excluded`` lists ``(path, reason)`` for files left out before any epoch (``skip_bad_files``);
    ``skipped`` / ``skipped_files`` are the files that failed to decode in the last epoch on this rank.
    """

    def __init__(self, split: Split, *, train: bool, batch_size: int, rank: int, world_size: int, seed: int,
                 device: torch.device) -> None:  # fmt: skip
        if batch_size < 1 or world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"need batch_size ≥ 1 and 0 ≤ rank < world_size, got {batch_size}, {rank}, "
                             f"{world_size}")
        self.split, self.train, self.batch_size = split, train, batch_size
        self.rank, self.world_size, self.seed, self.device = rank, world_size, seed, device
        self.epoch = 0
        self.skipped = 0
        self.skipped_files: list[str] = []
        self.num_samples = samples_per_rank(len(split), train=train, batch_size=batch_size, rank=rank,
                                            world_size=world_size)  # fmt: skip
        if train and self.num_samples == 0:
            raise ValueError(
                f"{split.root / split.name} has {len(split)} images: fewer than one batch per rank "
                f"(batch_size={batch_size}, world_size={world_size})"
            )
        if split.excluded:
            log.warning("%s: excluded %d bad file(s), e.g. %s", split.root / split.name, len(split.excluded),
                        "; ".join(f"{p} ({why})" for p, why in split.excluded[:3]))  # fmt: skip

    @property
    def classes(self) -> list[str]:
        return self.split.classes

    @property
    def excluded(self) -> list[tuple[str, str]]:
        return self.split.excluded

    def __len__(self) -> int:
        return -(-self.num_samples // self.batch_size)

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch whose order and augmentations the next iteration produces."""
        if epoch < 0:
            raise ValueError(f"epoch must be non-negative, got {epoch}")
        self.epoch = int(epoch)

    def epoch_indices(self) -> np.ndarray:
        """The dataset indices this rank reads in the current epoch, in order."""
        return rank_indices(len(self.split), train=self.train, batch_size=self.batch_size, epoch=self.epoch,
                            seed=self.seed, rank=self.rank, world_size=self.world_size)  # fmt: skip

    def _start_epoch(self) -> None:
        self.skipped, self.skipped_files = 0, []

    def _skip(self, paths: list[str]) -> None:
        self.skipped += len(paths)
        self.skipped_files.extend(paths)

    def _end_epoch(self) -> None:
        if self.skipped:
            log.warning("epoch %d, rank %d, %s: skipped %d unreadable file(s), e.g. %s", self.epoch, self.rank,
                        self.split.root / self.split.name, self.skipped, "; ".join(self.skipped_files[:3]))  # fmt: skip

    def __iter__(self) -> Iterator[Batch]:
        self._start_epoch()
        yield from self._batches()
        self._end_epoch()

    def _batches(self) -> Iterator[Batch]:
        raise NotImplementedError


class FileDataset(Dataset):
    """Base of the worker datasets: item ``(index, epoch)`` → ``(CHW uint8, label, None)``.

    Subclasses implement ``load(path, epoch, index)``, raising ``BadImageError`` for a bad file; with
    ``skip_bad_files`` that becomes ``(None, label, path)``.
    """

    def __init__(self, split: Split, *, train: bool, size: int, resize: int, seed: int, skip_bad_files: bool) -> None:
        self.paths, self.labels = split.paths, split.labels
        self.train, self.size, self.resize, self.seed = train, size, resize, seed
        self.skip_bad_files = skip_bad_files

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, key: tuple[int, int]) -> Item:
        index, epoch = key
        label = int(self.labels[index])
        try:
            return self.load(self.paths[index], epoch, index), label, None
        except BadImageError:
            if not self.skip_bad_files:
                raise
            return None, label, self.paths[index]

    def load(self, path: str, epoch: int, index: int) -> torch.Tensor:
        raise NotImplementedError

    @staticmethod
    def before_fork() -> None:
        """Make the parent process safe to fork workers from (the DataLoader sets torch to 1 thread in them)."""


def collate(items: list[Item]) -> tuple[torch.Tensor | None, torch.Tensor, list[str]]:
    """Stack the good items (into shared memory inside a worker); list the skipped paths."""
    good = [(image, label) for image, label, _ in items if image is not None]
    skipped = [path for image, _, path in items if image is None]
    if not good:
        return None, torch.empty(0, dtype=torch.int64), skipped
    images, labels = default_collate(good)
    return images, labels, skipped


class _BatchSampler(Sampler):
    """Batches of ``(index, epoch)`` keys for the loader's current epoch (read when iteration starts).

    Holds the loader weakly, and its iterators not at all: no reference cycles, so a dropped
    iterator stops its workers at once instead of at some later garbage collection.
    """

    def __init__(self, loader: WorkerLoader) -> None:
        self._loader = weakref.ref(loader)

    def __len__(self) -> int:
        return len(self._loader())

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        loader = self._loader()
        return _keyed_batches(loader.epoch_indices().tolist(), loader.epoch, loader.batch_size)


def _keyed_batches(indices: list[int], epoch: int, size: int) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(indices), size):
        yield [(i, epoch) for i in indices[start : start + size]]


class WorkerLoader(EpochLoader):
    """A DataLoader over a ``FileDataset`` with worker processes (none when ``num_workers=0``).

    Workers are forked afresh each epoch (cheap with ``fork``; nothing to keep in sync). An epoch
    that ends early (an error, or the caller stops iterating) shuts its workers down at once.
    """

    def __init__(self, dataset: FileDataset, split: Split, *, num_workers: int, **kwargs) -> None:
        super().__init__(split, **kwargs)
        if num_workers:
            dataset.before_fork()
        self._loader = DataLoader(dataset, batch_sampler=_BatchSampler(self), num_workers=num_workers,
                                  collate_fn=collate, pin_memory=self.device.type == "cuda")  # fmt: skip

    def _batches(self) -> Iterator[Batch]:
        batches = iter(self._loader)
        finished = False
        try:
            for images, labels, skipped in batches:
                self._skip(skipped)
                if images is not None:
                    yield images.to(self.device, non_blocking=True), labels.to(self.device, non_blocking=True)
            finished = True
        finally:
            if not finished and hasattr(batches, "_shutdown_workers"):
                batches._shutdown_workers()  # else they linger until the traceback is collected
