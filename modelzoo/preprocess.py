"""The evaluation preprocessing of a :class:`~modelzoo.data_config.DataConfig`: one transform,
used for every weight set (``modelzoo.eval_transform`` picks the data config)."""
from __future__ import annotations

from typing import Any

import torch

from .data_config import DataConfig


class EvalTransform:
    """PIL image or uint8 ``CHW``/``NCHW`` tensor → normalised float tensor.

    Resizes the shorter side to ``test_size`` (antialiased, the config's interpolation), takes the
    centre ``crop_size`` square, scales to 0–1 and normalises with the config's RGB mean/std.
    """

    def __init__(self, data_config: DataConfig):
        self.data_config = data_config

    def __call__(self, image: Any) -> torch.Tensor:
        from PIL import Image
        from torchvision.transforms.v2 import InterpolationMode
        from torchvision.transforms.v2 import functional as F

        dc = self.data_config
        if isinstance(image, Image.Image):
            image = image if image.mode == "RGB" else image.convert("RGB")
        elif isinstance(image, torch.Tensor):
            if image.ndim not in (3, 4) or image.shape[-3] not in (1, 3):
                raise ValueError(f"expected a CHW or NCHW tensor with 1 or 3 channels, got shape {tuple(image.shape)}")
            if image.shape[-3] == 1:
                image = image.expand(*image.shape[:-3], 3, *image.shape[-2:])
        else:
            raise TypeError(f"eval transform takes a PIL image or a uint8 tensor, got {type(image).__name__}")
        mode = InterpolationMode(dc.interpolation)
        image = F.resize(image, [dc.test_size], interpolation=mode, antialias=True)
        image = F.center_crop(image, [dc.crop_size, dc.crop_size])
        if not isinstance(image, torch.Tensor):
            image = F.pil_to_tensor(image)
        x = F.to_dtype(image, torch.float32, scale=True)
        return F.normalize(x, list(dc.mean), list(dc.std))

    def __repr__(self) -> str:
        dc = self.data_config
        return (f"EvalTransform(resize={dc.test_size}, interpolation={dc.interpolation!r}, crop={dc.crop_size}, "
                f"mean={dc.mean}, std={dc.std})")  # fmt: skip
