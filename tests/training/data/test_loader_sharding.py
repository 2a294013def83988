"""Distributed semantics: disjoint train shards reshuffled per epoch, val covered exactly once."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from loader_helpers import CPU_BACKENDS, EXACT_BACKENDS, collect, image_hashes

from modelzoo.training.data import build_loader
from modelzoo.training.data.sharding import rank_indices, samples_per_rank


@pytest.mark.parametrize("n, world, batch", [(1001, 2, 64), (10, 3, 2), (97, 4, 8), (5, 1, 5)])
def test_rank_indices(n, world, batch):
    for epoch in (0, 1):
        train = [rank_indices(n, train=True, batch_size=batch, epoch=epoch, seed=7, rank=r, world_size=world)
                 for r in range(world)]  # fmt: skip
        flat = np.concatenate(train)
        assert len(set(flat.tolist())) == len(flat)  # disjoint
        assert all(len(t) == samples_per_rank(n, train=True, batch_size=batch, rank=0, world_size=world)
                   and len(t) % batch == 0 for t in train)  # fmt: skip
        assert len(flat) > n - world * (batch + 1)  # only the ragged ends are dropped
        val = [rank_indices(n, train=False, batch_size=batch, epoch=epoch, seed=7, rank=r, world_size=world)
               for r in range(world)]  # fmt: skip
        assert sorted(np.concatenate(val).tolist()) == list(range(n))
    e0 = rank_indices(n, train=True, batch_size=1, epoch=0, seed=7, rank=0, world_size=world)
    e1 = rank_indices(n, train=True, batch_size=1, epoch=1, seed=7, rank=0, world_size=world)
    assert n < 10 or not np.array_equal(e0, e1)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_val_covers_every_sample_exactly_once_across_ranks(demo_root, backend):
    whole = collect(build_loader(demo_root, "val", backend=backend, size=32, batch_size=4, num_workers=0))[0]
    shards = [build_loader(demo_root, "val", backend=backend, size=32, batch_size=4, num_workers=0, rank=r,
                           world_size=3) for r in range(3)]  # fmt: skip
    parts = [collect(s)[0] for s in shards]
    assert [len(p) for p in parts] == [s.num_samples for s in shards] == [10, 10, 10]
    assert Counter(h for p in parts for h in image_hashes(p)) == Counter(image_hashes(whole))


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
def test_train_shards_are_disjoint_parts_of_the_epoch(demo_root, backend):
    """Per-sample seeding makes a sample's crop independent of the rank: shards can be matched exactly."""
    kw = dict(backend=backend, size=32, batch_size=8, num_workers=0, seed=2)
    whole = set(image_hashes(collect(build_loader(demo_root, "train", **kw), 1)[0]))
    ranks = [collect(build_loader(demo_root, "train", rank=r, world_size=2, **kw), 1)[0] for r in range(2)]
    r0, r1 = (set(image_hashes(x)) for x in ranks)
    assert len(ranks[0]) == len(ranks[1]) == 40 and not r0 & r1 and r0 | r1 <= whole


def test_dali_train_shards(demo_root):
    pytest.importorskip("nvidia.dali")
    loaders = [build_loader(demo_root, "train", backend="dali_cpu", size=32, batch_size=8, num_workers=1, rank=r,
                            world_size=2) for r in range(2)]  # fmt: skip
    for loader in loaders:
        loader.set_epoch(1)
    a, b = (set(loader.epoch_indices().tolist()) for loader in loaders)
    assert not a & b and len(a) == len(b) == 40
    assert [len(collect(loader, 1)[0]) for loader in loaders] == [40, 40]
