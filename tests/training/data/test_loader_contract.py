"""The build_loader contract on every CPU backend: shapes, dtypes, labels, lengths, class map, errors."""
from __future__ import annotations

import subprocess
import sys

import pytest
import torch
from loader_helpers import CPU_BACKENDS, collect

from modelzoo import data_config
from modelzoo.training.data import BACKENDS, build_loader


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("split", ["train", "val"])
def test_batches_follow_the_contract(demo_root, backend, split):
    loader = build_loader(demo_root, split, backend=backend, size=48, batch_size=16, num_workers=0)
    images, labels, sizes = collect(loader)
    n = 80 if split == "train" else 30
    assert loader.classes == sorted(p.name for p in (demo_root / split).iterdir())
    assert images.dtype == torch.uint8 and images.shape[1:] == (3, 48, 48) and images.is_contiguous()
    assert labels.dtype == torch.int64 and set(labels.tolist()) <= set(range(10))
    assert len(sizes) == len(loader) and sum(sizes) == loader.num_samples == len(images)
    if split == "train":  # ragged last batch dropped
        assert sizes == [16] * (n // 16)
    else:  # every sample once, in folder order, the last batch partial
        assert sizes == [16, 14] and labels.tolist() == [c for c in range(10) for _ in range(3)]


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("rank, world_size", [(0, 1), (1, 2)])
def test_train_labels_follow_the_epoch_reading_order(demo_root, backend, rank, world_size):
    """Each train label belongs to the sample ``epoch_indices()`` puts at its position (ragged batch dropped)."""
    loader = build_loader(demo_root, "train", backend=backend, size=32, batch_size=16, num_workers=0, seed=7,
                          rank=rank, world_size=world_size)  # fmt: skip
    for epoch in (0, 1):
        _, labels, sizes = collect(loader, epoch)
        order = loader.epoch_indices()
        assert loader.epoch == epoch and len(order) == sum(sizes) == loader.num_samples
        assert labels.tolist() == loader.split.labels[order].tolist()


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_val_resize_is_used(photo_root, backend):
    """val_resize overrides test_size_for(size): a smaller resize keeps more of the image."""
    size = 64
    default = collect(build_loader(photo_root, "val", backend=backend, size=size, batch_size=8, num_workers=0))[0]
    wide = collect(build_loader(photo_root, "val", backend=backend, size=size, batch_size=8, num_workers=0,
                                val_resize=size))[0]  # fmt: skip
    assert data_config.test_size_for(size) == 74 and not torch.equal(default, wide)
    with pytest.raises(ValueError, match="val_resize"):
        build_loader(photo_root, "val", backend=backend, size=size, batch_size=8, val_resize=size - 1)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_same_class_map_and_labels_on_every_backend(demo_root, backend):
    reference = build_loader(demo_root, "val", backend="torch", size=32, batch_size=8, num_workers=0)
    loader = build_loader(demo_root, "val", backend=backend, size=32, batch_size=8, num_workers=0)
    assert loader.classes == reference.classes
    assert torch.equal(collect(loader)[1], collect(reference)[1])


def test_unknown_backend_names_the_choices(demo_root):
    with pytest.raises(ValueError, match=r"'pil'.*custom, dali_cpu, dali_gpu, torch"):
        build_loader(demo_root, "train", backend="pil", size=32, batch_size=8)
    assert BACKENDS == ("custom", "dali_cpu", "dali_gpu", "torch")


def test_unknown_split(demo_root):
    with pytest.raises(ValueError, match="'test'"):
        build_loader(demo_root, "test", backend="custom", size=32, batch_size=8)


@pytest.mark.parametrize("backend", ["dali_cpu", "dali_gpu"])
def test_dali_missing_says_how_to_install(demo_root, backend, monkeypatch):
    monkeypatch.setitem(sys.modules, "nvidia.dali", None)  # makes `import nvidia.dali` fail
    with pytest.raises(ImportError, match=r"pip install modelzoo\[dali\]"):
        build_loader(demo_root, "train", backend=backend, size=32, batch_size=8)


def test_package_imports_without_loading_dali():
    code = "import sys, modelzoo.training.data; assert 'nvidia.dali' not in sys.modules, 'DALI imported eagerly'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_too_few_images_for_one_batch(demo_root):
    with pytest.raises(ValueError, match="fewer than one batch"):
        build_loader(demo_root, "train", backend="custom", size=32, batch_size=64, world_size=2)


def test_workers_give_the_same_batches_as_the_main_process(demo_root):
    """Two worker processes: same batches, bit for bit (per-sample seeding; no shared RNG state)."""
    inline = build_loader(demo_root, "train", backend="custom", size=32, batch_size=16, num_workers=0, seed=5)
    workers = build_loader(demo_root, "train", backend="custom", size=32, batch_size=16, num_workers=2, seed=5)
    for epoch in (0, 1):
        a, b = collect(inline, epoch), collect(workers, epoch)
        assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
