"""Validation parity on photo-like images: every backend's val tensors against the ``torch`` backend.

Bounds: ``custom`` (same decoder and uint8 resize as ``torch``) max |difference| ≤ 1 uint8 level and
mean < 0.01 (measured: identical; the 1-level slack absorbs libjpeg builds); DALI mean ≤ 1.5 levels
(measured: dali_cpu ≈ 0.16, max 1; see docs/data.md).
``torch`` itself equals the standard torchvision recipe (PIL, Resize(test size), CenterCrop).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from loader_helpers import OTHER_BACKENDS, collect
from PIL import Image

from modelzoo import data_config
from modelzoo.training.data import build_loader

BOUND = 1.5  # DALI: mean |diff|
EXACT_MAX, EXACT_MEAN = 1, 0.01  # custom: max and mean |diff|


def val_images(root, backend, size, device="cpu"):
    loader = build_loader(root, "val", backend=backend, size=size, batch_size=8, num_workers=0, device=device)
    return collect(loader)[0].float()


@pytest.mark.parametrize("size", [224, 160])
@pytest.mark.parametrize("backend", OTHER_BACKENDS)
def test_val_parity_with_torch(photo_root, backend, size):
    diff = (val_images(photo_root, backend, size) - val_images(photo_root, "torch", size)).abs()
    if backend == "custom":
        assert diff.max().item() <= EXACT_MAX, f"custom: max |diff| {diff.max():.0f} > {EXACT_MAX}"
        assert diff.mean().item() < EXACT_MEAN, f"custom: mean |diff| {diff.mean():.4f} ≥ {EXACT_MEAN}"
    else:
        assert diff.mean().item() <= BOUND, f"{backend}: mean |diff| {diff.mean():.2f} > {BOUND}"


def test_torch_backend_is_the_torchvision_recipe(photo_root):
    import torchvision.transforms as T

    size = 224
    recipe = T.Compose([T.Resize(data_config.test_size_for(size)), T.CenterCrop(size), T.PILToTensor()])
    paths = sorted(photo_root.glob("val/*/*.jpg"))
    reference = torch.stack([recipe(Image.open(p).convert("RGB")) for p in paths]).float()
    diff = (val_images(photo_root, "torch", size) - reference).abs()
    assert diff.mean().item() < 0.05 and diff.max().item() <= 2  # PIL and libjpeg-turbo/torch kernels


def test_geometry_matches_torchvision():
    """resized_shape/center_box reproduce torchvision's rounding on awkward sizes."""
    from torchvision.transforms.v2 import functional as F

    from modelzoo.training.data.transforms import center_box, resized_shape

    for h, w in [(375, 500), (500, 375), (299, 301), (257, 1000), (1000, 257), (256, 256), (333, 499)]:
        for resize, size in [(256, 224), (74, 64), (274, 240)]:
            rh, rw = resized_shape(h, w, resize)
            assert [rh, rw] == F._geometry._compute_resized_output_size((h, w), [resize])
            image = torch.arange(rh * rw, dtype=torch.int64).view(1, rh, rw)
            box = center_box(rh, rw, size)
            expected = F.center_crop(image, [size])
            assert torch.equal(image[:, box.top : box.top + size, box.left : box.left + size], expected)


def test_photo_like_images_are_photo_like():
    """Sanity of the stand-in: rich detail (JPEG q90 of 500×375 ≥ 25 KB) and no flat regions."""
    import cv2

    from modelzoo.training.data.demo import photo_like_image

    image = photo_like_image(np.random.default_rng(0), 375, 500)
    size = len(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1])
    assert size > 25_000 and image.std() > 15
