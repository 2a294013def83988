"""Which samples a rank reads in an epoch, and in which order: one rule for every backend.

Train: a permutation of the whole split drawn from ``(seed, epoch)`` only, so all ranks agree on
it; rank ``r`` takes every ``world_size``-th sample starting at ``r`` of its first
``world_size · (n // world_size)`` entries (DistributedSampler semantics), then whole batches
only (the ragged last batch is dropped; every rank runs the same number of steps).
Val: the split in order, rank ``r`` takes samples ``r, r + world, ...``: every sample exactly once
across ranks, no padding; the last batch may be partial and ranks may differ by one sample.
"""
from __future__ import annotations

import random

import numpy as np

_SHUFFLE, _PIPELINE = 0, 1  # domain tags, so the random streams never coincide


def seed_sequence(seed: int, epoch: int, *more: int) -> np.random.SeedSequence:
    """The seed sequence of ``(seed, epoch, *more)``; seeds and epochs must be non-negative."""
    if seed < 0 or epoch < 0:
        raise ValueError(f"seed and epoch must be non-negative, got seed={seed}, epoch={epoch}")
    return np.random.SeedSequence([seed, epoch, *more])


def sample_rng(seed: int, epoch: int, index: int) -> random.Random:
    """The augmentation RNG of sample ``index`` in ``epoch``: independent of worker, rank and history.

    A ``random.Random`` (cheap to seed: a few µs per sample); only its ``random()`` is used, the
    one method whose stream Python keeps stable across versions.
    """
    if seed < 0 or epoch < 0 or not 0 <= index < 2**48 or epoch >= 2**48:
        raise ValueError(f"bad sample key: seed={seed}, epoch={epoch}, index={index}")
    return random.Random((seed << 96) | (epoch << 48) | index)


def pipeline_seed(seed: int, epoch: int, rank: int) -> int:
    """A 31-bit seed for a whole per-epoch pipeline of one rank (DALI)."""
    return int(seed_sequence(seed, epoch, _PIPELINE, rank).generate_state(1)[0] & 0x7FFFFFFF)


def rank_indices(num_samples: int, *, train: bool, batch_size: int, epoch: int, seed: int, rank: int,
                 world_size: int) -> np.ndarray:  # fmt: skip
    """The dataset indices rank ``rank`` reads in ``epoch``, in reading order (see module doc)."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank must be in [0, world_size={world_size}), got {rank}")
    if not train:
        return np.arange(rank, num_samples, world_size, dtype=np.int64)
    order = np.random.default_rng(seed_sequence(seed, epoch, _SHUFFLE)).permutation(num_samples)
    mine = order[rank : world_size * (num_samples // world_size) : world_size]
    return mine[: len(mine) - len(mine) % batch_size]


def samples_per_rank(num_samples: int, *, train: bool, batch_size: int, rank: int, world_size: int) -> int:
    """``len(rank_indices(...))`` without drawing the permutation."""
    if train:
        per_rank = num_samples // world_size
        return per_rank - per_rank % batch_size
    return len(range(rank, num_samples, world_size))
