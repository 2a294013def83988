"""Epoch e's batches depend only on (seed, e, rank, world_size): not on history, not on the process."""
from __future__ import annotations

import pytest
import torch
from loader_helpers import CPU_BACKENDS, EXACT_BACKENDS, collect

from modelzoo.training.data import build_loader


def _loader(root, backend, seed=0, **kw):
    return build_loader(root, "train", backend=backend, size=32, batch_size=16, num_workers=0, seed=seed, **kw)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_same_seed_and_epoch_same_batches_whatever_ran_before(demo_root, backend):
    warm = _loader(demo_root, backend, seed=3)
    for epoch in (0, 1):  # run two epochs first, as a resumed run would not
        collect(warm, epoch)
    after_history = collect(warm, 2)
    fresh = collect(_loader(demo_root, backend, seed=3), 2)
    assert torch.equal(after_history[0], fresh[0]) and torch.equal(after_history[1], fresh[1])


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_epochs_and_seeds_differ(demo_root, backend):
    loader = _loader(demo_root, backend, seed=3)
    e0, e1 = collect(loader, 0), collect(loader, 1)
    other_seed = collect(_loader(demo_root, backend, seed=4), 0)
    assert not torch.equal(e0[1], e1[1])  # reshuffled
    assert not torch.equal(e0[0], other_seed[0])


def test_custom_and_torch_crop_the_same_windows(demo_root):
    """Both use the shared crop sampler and uint8 antialiased resize: same seed → same training batches.

    Measured identical; the bound allows 1 level (max) for a different libjpeg build's rounding.
    """
    a, b = (collect(_loader(demo_root, backend, seed=1), 1) for backend in EXACT_BACKENDS)
    assert torch.equal(a[1], b[1])
    diff = (a[0].float() - b[0].float()).abs()
    assert diff.max().item() <= 1 and diff.mean().item() < 0.01, (diff.max().item(), diff.mean().item())


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_val_is_the_same_every_epoch_even_after_an_abandoned_one(demo_root, backend):
    loader = build_loader(demo_root, "val", backend=backend, size=32, batch_size=8, num_workers=0)
    first = collect(loader, 0)
    batches = iter(loader)
    next(batches)
    del batches  # stop mid-epoch
    for epoch in (1, 2):
        again = collect(loader, epoch)
        assert torch.equal(first[0], again[0]) and first[2] == again[2] == [8, 8, 8, 6]
