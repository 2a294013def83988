"""The interface every modelzoo model shares (timm-style) and the classifier heads."""
from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn

from ..complexity import Cx, conv2d_cx, gap2d_cx, linear_cx, norm2d_cx
from ..data_config import DataConfig
from ..layers import LayerCfg


class ClassifierHead(nn.Module):
    """Global average pool → optional dropout → linear classifier (``head.fc``)."""

    def __init__(self, w_in: int, num_classes: int, *, drop_rate: float = 0.0):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=drop_rate) if drop_rate > 0 else None
        self.fc = self._fc(w_in, num_classes)
        self.w_in = w_in

    @staticmethod
    def _fc(w_in: int, num_classes: int) -> nn.Module:
        return nn.Linear(w_in, num_classes, bias=True) if num_classes > 0 else nn.Identity()

    def reset(self, num_classes: int) -> None:
        self.fc = self._fc(self.w_in, num_classes)
        if num_classes > 0:
            self.fc.weight.data.normal_(mean=0.0, std=0.01)
            self.fc.bias.data.zero_()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return x

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.avg_pool(x).flatten(1)
        if self.dropout is not None:
            x = self.dropout(x)
        return x if pre_logits else self.fc(x)

    @staticmethod
    def complexity(cx: Cx, w_in: int, num_classes: int) -> Cx:
        cx = gap2d_cx(cx, w_in)
        return linear_cx(cx, w_in, num_classes, bias=True) if num_classes > 0 else cx


class ConvClassifierHead(ClassifierHead):
    """EfficientNet head: 1×1 conv (``head.conv``) → BN → act, then pool → dropout → fc."""

    def __init__(self, w_in: int, w_head: int, num_classes: int, layers: LayerCfg, *, drop_rate: float = 0.0):
        super().__init__(w_head, num_classes, drop_rate=drop_rate)
        self.conv = layers.conv(w_in, w_head, 1)
        self.conv_bn = layers.norm(w_head)
        self.conv_af = layers.act()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_af(self.conv_bn(self.conv(x)))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_head: int, num_classes: int) -> Cx:  # type: ignore[override]
        cx = norm2d_cx(conv2d_cx(cx, w_in, w_head, 1), w_head)
        return ClassifierHead.complexity(cx, w_head, num_classes)


class ZooModel(nn.Module):
    """Uniform model interface: ``forward_features``, ``forward_head``, ``reset_classifier``,
    ``num_features``, ``num_classes``, ``default_cfg``/``pretrained_cfg`` and ``complexity()``.

    Subclasses build ``self.stem``, the stages and ``self.head`` and implement ``_body`` and
    ``_complexity``.
    """

    head: ClassifierHead
    arch_name: str = ""

    def __init__(self, *, num_classes: int, in_chans: int, data_config: DataConfig):
        super().__init__()
        if num_classes < 0:
            raise ValueError(f"num_classes must be >= 0, got {num_classes}")
        if in_chans < 1:
            raise ValueError(f"in_chans must be >= 1, got {in_chans}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.data_config = data_config
        self.pretrained_cfg: dict[str, Any] = self._cfg_dict(data_config)

    def _cfg_dict(self, dc: DataConfig) -> dict[str, Any]:
        cfg = dc.to_dict()
        cfg.update(
            architecture=self.arch_name,
            num_classes=self.num_classes,
            input_size=(self.in_chans, dc.crop_size, dc.crop_size),
            crop_pct=dc.crop_pct,
        )
        return cfg

    @property
    def default_cfg(self) -> dict[str, Any]:
        """The data config of the weights currently loaded (alias of ``pretrained_cfg``)."""
        return self.pretrained_cfg

    @property
    def num_features(self) -> int:
        return self.head.w_in

    def _body(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Unpooled final feature map, ``num_features`` channels."""
        return self.head.features(self._body(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        """Pool (+ dropout) and classify; ``pre_logits=True`` returns the pooled features."""
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int) -> None:
        """Replace the classifier with a freshly initialised one (0 → no classifier)."""
        if num_classes < 0:
            raise ValueError(f"num_classes must be >= 0, got {num_classes}")
        self.head.reset(num_classes)
        self.num_classes = num_classes
        cfg = {k: v for k, v in self.pretrained_cfg.items() if k != "class_names"}  # they named the old classes
        self.pretrained_cfg = {**cfg, "num_classes": num_classes}

    def complexity(self, im_size: int | None = None) -> dict[str, int]:
        """Exact analytic flops (MACs), params and acts at ``im_size`` (default: train size)."""
        size = im_size or self.data_config.train_size
        return self._complexity(Cx(size, size), self.num_classes, self.in_chans).as_dict()

    def _complexity(self, cx: Cx, num_classes: int, in_chans: int) -> Cx:
        raise NotImplementedError
