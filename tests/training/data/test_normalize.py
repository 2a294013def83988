"""normalize: the one place uint8 batches become model input."""
from __future__ import annotations

import pytest
import torch

from modelzoo.data_config import IMAGENET_MEAN, IMAGENET_STD
from modelzoo.training.data import normalize


def test_matches_the_formula():
    images = torch.randint(0, 256, (2, 3, 5, 7), dtype=torch.uint8)
    out = normalize(images, IMAGENET_MEAN, IMAGENET_STD)
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    assert out.dtype == torch.float32 and torch.allclose(out, (images / 255 - mean) / std, atol=1e-5)


def test_channels_last_and_dtype():
    images = torch.randint(0, 256, (2, 3, 8, 8), dtype=torch.uint8)
    out = normalize(images, (0.5,) * 3, (0.25,) * 3, channels_last=True, dtype=torch.bfloat16)
    assert out.dtype == torch.bfloat16 and out.is_contiguous(memory_format=torch.channels_last)
    assert torch.allclose(out.float(), (images / 255 - 0.5) / 0.25, atol=0.03)


def test_rejects_float_input():
    with pytest.raises(ValueError, match="uint8"):
        normalize(torch.zeros(1, 3, 4, 4), IMAGENET_MEAN, IMAGENET_STD)
