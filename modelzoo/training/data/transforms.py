"""The train and val geometry shared by the backends, and the uint8 kernels of the ``custom`` backend.

Train: random-resized-crop (area fraction uniform in ``SCALE``, aspect ratio log-uniform in
``RATIO``, 10 attempts, then the largest centred crop with a clamped ratio) resized to
``size × size``, then a horizontal flip with probability 1/2.
Val: resize the shorter side to ``resize`` (the long side ``int(resize · long / short)``) with an
antialiased bilinear filter, then the centre ``size × size`` crop at offset
``round((length - size) / 2)``; this is torchvision's geometry, which the parity test relies on.
"""
from __future__ import annotations

import math
import random
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

SCALE = (0.08, 1.0)
RATIO = (3 / 4, 4 / 3)
ATTEMPTS = 10


class Box(NamedTuple):
    top: int
    left: int
    height: int
    width: int


def _uniform(rng: random.Random, low: float, high: float) -> float:
    return low + (high - low) * rng.random()


def sample_crop(height: int, width: int, rng: random.Random, scale: tuple[float, float] = SCALE,
                ratio: tuple[float, float] = RATIO) -> Box:  # fmt: skip
    """A random-resized-crop window inside a ``height × width`` image."""
    area = height * width
    log_lo, log_hi = math.log(ratio[0]), math.log(ratio[1])
    for _ in range(ATTEMPTS):
        target = area * _uniform(rng, scale[0], scale[1])
        aspect = math.exp(_uniform(rng, log_lo, log_hi))
        w = round(math.sqrt(target * aspect))
        h = round(math.sqrt(target / aspect))
        if 0 < w <= width and 0 < h <= height:
            return Box(int(rng.random() * (height - h + 1)), int(rng.random() * (width - w + 1)), h, w)
    aspect = min(max(width / height, ratio[0]), ratio[1])  # fallback: largest centred crop
    w, h = (width, round(width / aspect)) if aspect >= width / height else (round(height * aspect), height)
    return Box((height - h) // 2, (width - w) // 2, h, w)


def sample_flip(rng: random.Random) -> bool:
    """Whether to mirror the crop (probability 1/2); drawn after ``sample_crop`` from the same RNG."""
    return rng.random() < 0.5


def resized_shape(height: int, width: int, resize: int) -> tuple[int, int]:
    """The shape after resizing the shorter side to ``resize`` (torchvision's rounding)."""
    if height <= width:
        return resize, resize * width // height
    return resize * height // width, resize


def center_box(height: int, width: int, size: int) -> Box:
    """The centre ``size × size`` window (torchvision's offsets: Python ``round``, half to even)."""
    return Box(round((height - size) / 2), round((width - size) / 2), size, size)


def resize_hwc(image: np.ndarray, height: int, width: int) -> torch.Tensor:
    """An HWC uint8 array resized (bilinear, antialiased, in uint8) to a contiguous CHW uint8 tensor."""
    x = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1).unsqueeze(0)  # channels-last view
    if x.shape[-2:] != (height, width):
        x = F.interpolate(x, size=(height, width), mode="bilinear", antialias=True, align_corners=False)
    return x[0].contiguous()


def train_crop_hwc(image: np.ndarray, size: int, rng: random.Random) -> torch.Tensor:
    """Random-resized-crop + flip of an HWC uint8 array → CHW uint8 ``size × size``."""
    box = sample_crop(image.shape[0], image.shape[1], rng)
    flip = sample_flip(rng)
    out = resize_hwc(image[box.top : box.top + box.height, box.left : box.left + box.width], size, size)
    return out.flip(-1) if flip else out


def val_crop_hwc(image: np.ndarray, size: int, resize: int) -> torch.Tensor:
    """Shorter side → ``resize``, centre crop ``size`` of an HWC uint8 array → CHW uint8."""
    h, w = resized_shape(image.shape[0], image.shape[1], resize)
    resized = resize_hwc(image, h, w)
    box = center_box(h, w, size)
    return resized[:, box.top : box.top + size, box.left : box.left + size].contiguous()
