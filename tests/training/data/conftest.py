"""Small datasets shared by the data-pipeline tests (written once per session, in a temp folder)."""
from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from loader_helpers import gradient_image, write_jpeg

from modelzoo.training.data.demo import photo_like_image, write_demo_images

# (height, width) of the photo-like parity images: landscape, portrait, odd sizes, one upscaled.
PHOTO_SIZES = [(375, 500), (500, 375), (333, 500), (481, 640), (299, 301), (240, 320), (517, 389), (180, 250),
               (257, 1000), (900, 241)]


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """A miniature demo dataset: 10 classes, 8 train + 3 val images each (72–96 px JPEGs)."""
    root = tmp_path_factory.mktemp("demo")
    write_demo_images(root, seed=0, train_per_class=8, val_per_class=3)
    return root


@pytest.fixture(scope="session")
def gradient_root(tmp_path_factory) -> Path:
    """train/: 2 classes × 100 copies of a 256² coordinate-gradient PNG (lossless) for crop statistics."""
    root = tmp_path_factory.mktemp("gradient")
    first = root / "train" / "a" / "000.png"
    first.parent.mkdir(parents=True)
    cv2.imwrite(str(first), gradient_image()[:, :, ::-1])
    for cls in ("a", "b"):
        (root / "train" / cls).mkdir(exist_ok=True)
        for i in range(100):
            if (root / "train" / cls / f"{i:03d}.png") != first:
                shutil.copyfile(first, root / "train" / cls / f"{i:03d}.png")
    return root


@pytest.fixture(scope="session")
def photo_root(tmp_path_factory) -> Path:
    """val/: 2 classes × 10 photo-like JPEGs (q90) of the sizes in PHOTO_SIZES."""
    root = tmp_path_factory.mktemp("photo")
    for c in range(2):
        for i, (h, w) in enumerate(PHOTO_SIZES):
            write_jpeg(root / "val" / f"c{c}" / f"{i}.jpg", photo_like_image(np.random.default_rng([c, i]), h, w))
    return root


def copy_dataset(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


@pytest.fixture
def demo_copy(demo_root, tmp_path) -> Path:
    """A private copy of ``demo_root`` that a test may damage."""
    return copy_dataset(demo_root, tmp_path / "data")


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Loaders run with num_workers=0 here; one intra-op thread avoids spin-waits on a busy 2-core box."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
