"""Helpers for the data-pipeline tests: small datasets written on the fly, collecting a loader's output."""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

try:
    HAS_DALI = importlib.util.find_spec("nvidia.dali") is not None
except ModuleNotFoundError:  # no ``nvidia`` package at all: find_spec cannot look inside it
    HAS_DALI = False
_NO_DALI = pytest.mark.skipif(not HAS_DALI, reason="needs nvidia-dali (pip install modelzoo[dali])")
# Deterministic backends (bit-identical batches for a seed) and all CPU backends.
EXACT_BACKENDS = ("custom", "torch")
CPU_BACKENDS = ("custom", "torch", pytest.param("dali_cpu", marks=_NO_DALI))
# The CPU backends other than ``torch``, the reference the parity tests compare against.
OTHER_BACKENDS = [b for b in CPU_BACKENDS if b != "torch"]


def collect(loader, epoch: int = 0) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
    """All images and labels of one epoch (on CPU) and the batch sizes."""
    loader.set_epoch(epoch)
    images, labels, sizes = [], [], []
    for x, y in loader:
        images.append(x.cpu())
        labels.append(y.cpu())
        sizes.append(len(y))
    return torch.cat(images), torch.cat(labels), sizes


def image_hashes(images: torch.Tensor) -> list[str]:
    return [hashlib.sha1(x.numpy().tobytes()).hexdigest() for x in images]


def write_jpeg(path: Path, rgb: np.ndarray, quality: int = 90) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.ascontiguousarray(rgb[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, quality])


def gradient_image(side: int = 256) -> np.ndarray:
    """R = column, G = row (0..255), B = 128: a crop's position and size can be read back from its pixels."""
    ramp = np.arange(side, dtype=np.float64) * 255 / (side - 1)
    image = np.full((side, side, 3), 128, np.uint8)
    image[:, :, 0] = np.round(ramp)[None, :]
    image[:, :, 1] = np.round(ramp)[:, None]
    return image
