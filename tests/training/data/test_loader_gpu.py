"""GPU placement and the dali_gpu backend (skipped without CUDA)."""
from __future__ import annotations

import pytest
import torch
from loader_helpers import HAS_DALI, collect

from modelzoo.data_config import IMAGENET_MEAN, IMAGENET_STD
from modelzoo.training.data import build_loader, normalize

pytestmark = pytest.mark.gpu
needs_dali = pytest.mark.skipif(not HAS_DALI, reason="needs nvidia-dali")


@pytest.mark.parametrize("backend", ["custom", "torch", pytest.param("dali_cpu", marks=needs_dali)])
def test_cpu_backends_deliver_to_the_gpu(demo_root, backend):
    loader = build_loader(demo_root, "train", backend=backend, size=32, batch_size=16, num_workers=1, device="cuda")
    images, labels = next(iter(loader))
    assert images.is_cuda and labels.is_cuda and images.dtype == torch.uint8 and labels.dtype == torch.int64
    out = normalize(images, IMAGENET_MEAN, IMAGENET_STD, channels_last=True)
    assert out.is_cuda and out.is_contiguous(memory_format=torch.channels_last)


@needs_dali
@pytest.mark.parametrize("split", ["train", "val"])
def test_dali_gpu_contract(demo_root, split):
    loader = build_loader(demo_root, split, backend="dali_gpu", size=48, batch_size=16, device="cuda")
    loader.set_epoch(1)
    sizes = []
    for images, labels in loader:
        assert images.is_cuda and images.dtype == torch.uint8 and images.shape[1:] == (3, 48, 48)
        assert labels.is_cuda and labels.dtype == torch.int64
        sizes.append(len(labels))
    assert sum(sizes) == loader.num_samples and len(sizes) == len(loader)


@needs_dali
def test_dali_gpu_val_parity_and_determinism(photo_root, demo_root):
    gpu = collect(build_loader(photo_root, "val", backend="dali_gpu", size=224, batch_size=8, device="cuda"))[0]
    ref = collect(build_loader(photo_root, "val", backend="torch", size=224, batch_size=8, num_workers=0))[0]
    assert (gpu.float() - ref.float()).abs().mean() <= 1.5  # nvJPEG's IDCT differs slightly from libjpeg-turbo
    runs = [collect(build_loader(demo_root, "train", backend="dali_gpu", size=32, batch_size=16, device="cuda",
                                 seed=3), 2)[0] for _ in range(2)]  # fmt: skip
    assert torch.equal(runs[0], runs[1])


@needs_dali
def test_dali_gpu_needs_a_cuda_device(demo_root):
    with pytest.raises(ValueError, match="device='cuda"):
        build_loader(demo_root, "train", backend="dali_gpu", size=32, batch_size=16, device="cpu")


@needs_dali
def test_dali_gpu_augmentation_statistics(gradient_root):
    from test_augment_stats import read_back_crops

    loader = build_loader(gradient_root, "train", backend="dali_gpu", size=64, batch_size=50, device="cuda", seed=11)
    area, ratio, mirrored = read_back_crops(collect(loader)[0])
    assert 0.08 - 0.02 < area.min() and area.max() < 1.03 and abs(mirrored.mean() - 0.5) < 0.15
    assert 0.75 - 0.03 < ratio.min() and ratio.max() < 4 / 3 + 0.05
