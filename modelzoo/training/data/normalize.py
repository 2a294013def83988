"""The one place where uint8 batches become model input: on the device, after the transfer."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import torch


@lru_cache(maxsize=32)
def _affine(mean: tuple[float, ...], std: tuple[float, ...], device: torch.device,
            dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    scale = torch.tensor([1.0 / (255.0 * s) for s in std], dtype=torch.float32).view(1, 3, 1, 1)
    shift = torch.tensor([-m / s for m, s in zip(mean, std)], dtype=torch.float32).view(1, 3, 1, 1)
    return scale.to(device=device, dtype=dtype), shift.to(device=device, dtype=dtype)


def normalize(images: torch.Tensor, mean: Sequence[float], std: Sequence[float], *, channels_last: bool = False,
              dtype: torch.dtype = torch.float32) -> torch.Tensor:  # fmt: skip
    """``(images / 255 - mean) / std`` for a uint8 NCHW RGB batch, computed on the batch's device.

    ``mean``/``std`` are per RGB channel on a 0–1 scale (``DataConfig.mean``/``std``). With
    ``channels_last`` the result uses the channels-last memory format (converted while still uint8,
    which is cheaper). Returns a new ``dtype`` tensor of the same shape.
    """
    if images.dtype != torch.uint8 or images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f"normalize expects a uint8 N×3×H×W batch, got {images.dtype} {tuple(images.shape)}")
    if len(mean) != 3 or len(std) != 3:
        raise ValueError(f"mean and std need 3 values (RGB), got {mean!r} and {std!r}")
    scale, shift = _affine(tuple(map(float, mean)), tuple(map(float, std)), images.device, dtype)
    if channels_last:
        images = images.contiguous(memory_format=torch.channels_last)
    return images.to(dtype).mul_(scale).add_(shift)
