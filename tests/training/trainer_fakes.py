"""An in-memory loader with the ``build_loader`` contract, for fast trainer tests."""
from __future__ import annotations

import torch


class FakeLoader:
    """Deterministic, learnable synthetic images: each class has its own colour; noise per sample.

    Honours the contract: ``len()``, ``set_epoch``, ``classes``, ``num_samples``; yields uint8 NCHW
    images and int64 labels; train shuffles per (seed, epoch) and drops the ragged last batch, val
    covers every sample once across ranks; rank ``r`` of ``w`` takes every w-th sample.
    """

    def __init__(self, *, n: int = 32, num_classes: int = 4, size: int = 32, batch_size: int = 8, train: bool = True,
                 rank: int = 0, world_size: int = 1, seed: int = 0, device: str = "cpu"):
        g = torch.Generator().manual_seed(1234 + (0 if train else 1))
        self.labels = torch.arange(n) % num_classes
        base = torch.randint(0, 256, (num_classes, 3, 1, 1), generator=torch.Generator().manual_seed(7))
        noise = torch.randint(-40, 41, (n, 3, size, size), generator=g)
        self.images = (base[self.labels] + noise).clamp(0, 255).to(torch.uint8)
        self.classes = [f"c{i}" for i in range(num_classes)]
        self.batch_size, self.train, self.rank, self.world_size, self.seed = batch_size, train, rank, world_size, seed
        self.device = torch.device(device)
        self.epoch = 0
        self.num_samples = len(self._indices())

    def _indices(self) -> torch.Tensor:
        n = len(self.labels)
        if self.train:
            order = torch.randperm(n, generator=torch.Generator().manual_seed(self.seed * 1000 + self.epoch))
            order = order[: n - n % self.world_size][self.rank :: self.world_size]
            return order[: len(order) - len(order) % self.batch_size]
        return torch.arange(self.rank, n, self.world_size)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self.num_samples = len(self._indices())

    def __len__(self) -> int:
        return -(-self.num_samples // self.batch_size)

    def __iter__(self):
        idx = self._indices()
        for b, start in enumerate(range(0, len(idx), self.batch_size)):
            sel = idx[start : start + self.batch_size]
            images = self.images[sel].clone()
            if self.train:
                flip = torch.rand(len(sel), generator=torch.Generator().manual_seed(self.epoch * 7919 + b)) < 0.5
                images[flip] = images[flip].flip(-1)
            yield images.to(self.device), self.labels[sel].to(self.device)


def fake_loaders(**kw) -> tuple[FakeLoader, FakeLoader]:
    return FakeLoader(train=True, **kw), FakeLoader(train=False, **{**kw, "n": 16})
