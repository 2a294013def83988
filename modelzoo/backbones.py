"""Backbones for detection and segmentation: a features-only zoo model with torchvision's
Feature Pyramid Network on top, ready for torchvision's ``FasterRCNN``, ``RetinaNet``,
``MaskRCNN`` and ``FCOS`` (which take any ``backbone`` with an ``out_channels`` attribute)."""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Sequence, Union

import torch
import torch.nn as nn

from .api import create
from .hub.resolve import Pretrained
from .models.features import freeze

EXTRA_BLOCKS = ("pool", "p6p7", None)


class BackboneWithFPN(nn.Module):
    """``body`` (a features-only model) → ``fpn`` (``torchvision.ops.FeaturePyramidNetwork``).

    ``forward(x)`` returns an ``OrderedDict`` of ``out_channels``-channel maps: one per level of
    the body (keys ``'0'``, ``'1'``, ...) and, with an extra block, ``'pool'`` (a stride-2 max-pool
    of the last) or ``'p6'``/``'p7'`` (RetinaNet's, computed from the last FPN level)."""

    def __init__(self, body: nn.Module, out_channels: int, extra_block: str | None = "pool"):
        super().__init__()
        from torchvision.ops import FeaturePyramidNetwork
        from torchvision.ops.feature_pyramid_network import LastLevelMaxPool, LastLevelP6P7

        if extra_block not in EXTRA_BLOCKS:
            raise ValueError(f"extra_block must be one of {EXTRA_BLOCKS}, got {extra_block!r}")
        extra = {"pool": LastLevelMaxPool(), "p6p7": LastLevelP6P7(out_channels, out_channels), None: None}
        self.body = body
        self.fpn = FeaturePyramidNetwork(body.feature_info.channels(), out_channels, extra_blocks=extra[extra_block])
        self.out_channels = out_channels

    def forward(self, x: torch.Tensor) -> OrderedDict[str, torch.Tensor]:
        return self.fpn(OrderedDict((str(i), f) for i, f in enumerate(self.body(x))))


def backbone_with_fpn(name: Union[str, os.PathLike], pretrained: Pretrained = False, *,
                      out_indices: Sequence[int] = (1, 2, 3, 4), out_channels: int = 256, freeze_stages: int | None = None,
                      extra_block: str | None = "pool", **model_kwargs) -> BackboneWithFPN:  # fmt: skip
    """A detection backbone from any zoo model: ``create(name, pretrained, features_only=True,
    out_indices=...)`` (strides 4 to 32 by default) with an FPN of ``out_channels`` channels.

    ``freeze_stages=k`` freezes the stem and stages s1..sk (``modelzoo.freeze``; torchvision's
    detectors freeze the stem and the first stage of a pretrained ResNet by default); None
    freezes nothing. ``extra_block``: ``'pool'`` (Faster/Mask R-CNN), ``'p6p7'`` (RetinaNet,
    FCOS) or None. ``model_kwargs`` go to ``create`` (``output_stride``, ``drop_path_rate``, ...)."""
    body = create(name, pretrained, features_only=True, out_indices=out_indices, **model_kwargs)
    if freeze_stages is not None:
        freeze(body, stages=freeze_stages)
    return BackboneWithFPN(body, out_channels, extra_block)
