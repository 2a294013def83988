"""Train augmentation statistics: crop area and aspect ranges, log-uniform ratio, flip rate.

The crop sampler is checked directly, and every backend black-box: a coordinate-gradient image
(R = column, G = row) is loaded as training data and each output's crop window and mirror are read
back from its pixels.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
from loader_helpers import CPU_BACKENDS, collect

from modelzoo.training.data import build_loader
from modelzoo.training.data.transforms import RATIO, SCALE, sample_crop

LOG_RATIO = (math.log(RATIO[0]), math.log(RATIO[1]))


def reference_mean_area(height: int, width: int, draws: int = 200_000) -> float:
    """Expected area fraction of random-resized-crop (independent vectorised re-implementation)."""
    rng = np.random.default_rng(0)
    area = rng.uniform(*SCALE, size=(draws, 10))
    ratio = np.exp(rng.uniform(*LOG_RATIO, size=(draws, 10)))
    w, h = np.round(np.sqrt(area * height * width * ratio)), np.round(np.sqrt(area * height * width / ratio))
    fits = (w <= width) & (h <= height)
    first = fits.argmax(1)
    aspect = min(max(width / height, RATIO[0]), RATIO[1])  # fallback: largest centred crop, clamped ratio
    fallback = min(width, height * aspect) * min(height, width / aspect) / (height * width)
    got = np.where(fits.any(1), (w * h)[np.arange(draws), first] / (height * width), fallback)
    return float(got.mean())


@pytest.mark.parametrize("height, width", [(256, 256), (375, 500), (120, 40)])
def test_sample_crop_distribution(height, width):
    rng = random.Random(0)
    boxes = np.array([sample_crop(height, width, rng) for _ in range(20000)])
    top, left, h, w = boxes.T
    assert (top >= 0).all() and (left >= 0).all() and (top + h <= height).all() and (left + w <= width).all()
    area, log_ratio = h * w / (height * width), np.log(w / h)
    assert abs(area.mean() - reference_mean_area(height, width)) < 0.01
    assert area.min() >= SCALE[0] - 0.01 and log_ratio.min() >= LOG_RATIO[0] - 0.05  # rounding only
    assert log_ratio.max() <= LOG_RATIO[1] + 0.05
    if height / width < 2:  # crops under 30 % of the area always fit: uniform area, log-uniform ratio
        small = area < 0.3
        assert abs(area[small].mean() - (SCALE[0] + 0.3) / 2) < 0.01
        assert np.histogram(log_ratio[small], bins=4, range=LOG_RATIO)[0].min() > 0.2 * small.sum()
        assert abs(log_ratio[small].mean()) < 0.01


def read_back_crops(images: torch.Tensor, side: int = 256) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(area fraction, aspect ratio w/h, mirrored) of each output, from the gradient's values."""
    x = images.double().numpy()
    n, _, out_h, out_w = x.shape
    cols, rows = np.arange(out_w) + 0.5, np.arange(out_h) + 0.5
    inner = slice(out_w // 8, out_w - out_w // 8)  # away from the border, where filters are clamped
    red = x[:, 0].mean(1)[:, inner]  # R per column
    green = x[:, 1].mean(2)[:, inner]  # G per row
    scale = (side - 1) / 255  # value → source pixel
    slope_x = np.polyfit(cols[inner], red.T * scale, 1)[0]
    slope_y = np.polyfit(rows[inner], green.T * scale, 1)[0]
    w, h = np.abs(slope_x) * out_w, np.abs(slope_y) * out_h
    return w * h / side**2, w / h, slope_x < 0


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_backend_augmentation_statistics(gradient_root, backend):
    loader = build_loader(gradient_root, "train", backend=backend, size=64, batch_size=50, num_workers=0, seed=11)
    images, _, _ = collect(loader, 0)
    area, ratio, mirrored = read_back_crops(images)
    n = len(area)
    assert n == 200
    assert area.min() > SCALE[0] - 0.02 and area.max() < SCALE[1] + 0.03
    assert abs(area.mean() - reference_mean_area(256, 256)) < 0.08  # ~4 standard errors
    log_ratio = np.log(ratio)
    assert log_ratio.min() > LOG_RATIO[0] - 0.05 and log_ratio.max() < LOG_RATIO[1] + 0.05
    assert abs(log_ratio.mean()) < 0.06
    assert (log_ratio < -0.15).mean() > 0.1 and (log_ratio > 0.15).mean() > 0.1  # spread over the range
    assert abs(mirrored.mean() - 0.5) < 0.15
