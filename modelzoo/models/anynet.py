"""AnyNet (pycls): stem → stages of residual blocks → head. ResNet, ResNeXt and RegNet are AnyNets.

Module names follow pycls (``stem.conv``, ``s1.b1.f.a``, ``s1.b1.proj``, ``head.fc``) so pycls
checkpoints load with ``strict=True``.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from ..complexity import Cx, conv2d_cx, norm2d_cx, pool2d_cx
from ..data_config import DataConfig
from ..layers import SE, LayerCfg, init_weights
from .base import ClassifierHead, ZooModel

STEM_TYPES = ("res_stem_in", "simple_stem_in")
BLOCK_TYPES = ("res_bottleneck_block", "res_basic_block")


@dataclass(frozen=True)
class AnyNetSpec:
    """Everything that defines an AnyNet architecture (one entry per stage in the tuples)."""

    stem_type: str
    stem_w: int
    block_type: str
    depths: tuple[int, ...]
    widths: tuple[int, ...]
    strides: tuple[int, ...]
    bot_muls: tuple[float, ...]
    group_ws: tuple[int, ...]
    se_r: float = 0.0
    train_size: int = 224

    def __post_init__(self) -> None:
        if self.stem_type not in STEM_TYPES:
            raise ValueError(f"AnyNetSpec.stem_type must be one of {STEM_TYPES}, got {self.stem_type!r}")
        if self.block_type not in BLOCK_TYPES:
            raise ValueError(f"AnyNetSpec.block_type must be one of {BLOCK_TYPES}, got {self.block_type!r}")
        n = len(self.depths)
        for field in ("widths", "strides", "bot_muls", "group_ws"):
            if len(getattr(self, field)) != n:
                raise ValueError(f"AnyNetSpec.{field} needs {n} entries (one per stage), got {getattr(self, field)}")

    def stages(self):
        """(depth, width, stride, bottleneck multiplier, group width) per stage."""
        return zip(self.depths, self.widths, self.strides, self.bot_muls, self.group_ws)


class ResStemIN(nn.Module):
    """ResNet ImageNet stem: 7×7 stride-2 conv, BN, act, 3×3 stride-2 max-pool."""

    def __init__(self, w_in: int, w_out: int, layers: LayerCfg):
        super().__init__()
        self.conv = layers.conv(w_in, w_out, 7, stride=2)
        self.bn = layers.norm(w_out)
        self.af = layers.act()
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.af(self.bn(self.conv(x))))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int) -> Cx:
        cx = norm2d_cx(conv2d_cx(cx, w_in, w_out, 7, stride=2), w_out)
        return pool2d_cx(cx, w_out, 3, stride=2)


class SimpleStemIN(nn.Module):
    """RegNet/EfficientNet stem: 3×3 stride-2 conv, BN, act."""

    def __init__(self, w_in: int, w_out: int, layers: LayerCfg):
        super().__init__()
        self.conv = layers.conv(w_in, w_out, 3, stride=2)
        self.bn = layers.norm(w_out)
        self.af = layers.act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.af(self.bn(self.conv(x)))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int) -> Cx:
        return norm2d_cx(conv2d_cx(cx, w_in, w_out, 3, stride=2), w_out)


class BasicTransform(nn.Module):
    """Two 3×3 convs (stride on the first): the ResNet-18/34 residual branch."""

    def __init__(self, w_in: int, w_out: int, stride: int, layers: LayerCfg):
        super().__init__()
        self.a = layers.conv(w_in, w_out, 3, stride=stride)
        self.a_bn = layers.norm(w_out)
        self.a_af = layers.act()
        self.b = layers.conv(w_out, w_out, 3)
        self.b_bn = layers.norm(w_out)
        self.b_bn.final_bn = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.b_bn(self.b(self.a_af(self.a_bn(self.a(x)))))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int, stride: int) -> Cx:
        cx = norm2d_cx(conv2d_cx(cx, w_in, w_out, 3, stride=stride), w_out)
        return norm2d_cx(conv2d_cx(cx, w_out, w_out, 3), w_out)


def bottleneck_widths(w_in: int, w_out: int, bot_mul: float, group_w: int, se_r: float) -> tuple[int, int, int]:
    """(bottleneck width, groups, SE width) exactly as pycls derives them."""
    w_b = int(round(w_out * bot_mul))
    return w_b, w_b // group_w, int(round(w_in * se_r))


class BottleneckTransform(nn.Module):
    """1×1 → 3×3 grouped (stride here, "v1.5") → [SE] → 1×1."""

    def __init__(self, w_in: int, w_out: int, stride: int, bot_mul: float, group_w: int, se_r: float, layers: LayerCfg):
        super().__init__()
        w_b, groups, w_se = bottleneck_widths(w_in, w_out, bot_mul, group_w, se_r)
        self.a = layers.conv(w_in, w_b, 1)
        self.a_bn = layers.norm(w_b)
        self.a_af = layers.act()
        self.b = layers.conv(w_b, w_b, 3, stride=stride, groups=groups)
        self.b_bn = layers.norm(w_b)
        self.b_af = layers.act()
        self.se = SE(w_b, w_se, layers) if w_se else None
        self.c = layers.conv(w_b, w_out, 1)
        self.c_bn = layers.norm(w_out)
        self.c_bn.final_bn = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.a_af(self.a_bn(self.a(x)))
        x = self.b_af(self.b_bn(self.b(x)))
        if self.se is not None:
            x = self.se(x)
        return self.c_bn(self.c(x))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int, stride: int, bot_mul: float, group_w: int, se_r: float) -> Cx:
        w_b, groups, w_se = bottleneck_widths(w_in, w_out, bot_mul, group_w, se_r)
        cx = norm2d_cx(conv2d_cx(cx, w_in, w_b, 1), w_b)
        cx = norm2d_cx(conv2d_cx(cx, w_b, w_b, 3, stride=stride, groups=groups), w_b)
        if w_se:
            cx = SE.complexity(cx, w_b, w_se)
        return norm2d_cx(conv2d_cx(cx, w_b, w_out, 1), w_out)


class ResBlock(nn.Module):
    """Residual block: ``f`` (basic or bottleneck transform) plus identity or 1×1 projection."""

    def __init__(self, w_in: int, w_out: int, stride: int, f: nn.Module, layers: LayerCfg):
        super().__init__()
        self.proj = self.bn = None
        if needs_projection(w_in, w_out, stride):
            self.proj = layers.conv(w_in, w_out, 1, stride=stride)
            self.bn = layers.norm(w_out)
        self.f = f
        self.af = layers.act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.proj is None else self.bn(self.proj(x))
        return self.af(shortcut + self.f(x))

    @staticmethod
    def shortcut_complexity(cx: Cx, w_in: int, w_out: int, stride: int) -> Cx:
        if not needs_projection(w_in, w_out, stride):
            return cx
        out = norm2d_cx(conv2d_cx(cx, w_in, w_out, 1, stride=stride), w_out)
        return out._replace(h=cx.h, w=cx.w)  # parallel branch: spatial size comes from f


def needs_projection(w_in: int, w_out: int, stride: int) -> bool:
    return w_in != w_out or stride != 1


def make_block(spec: AnyNetSpec, w_in: int, w_out: int, stride: int, bot_mul: float, group_w: int, layers: LayerCfg) -> ResBlock:
    if spec.block_type == "res_basic_block":
        f: nn.Module = BasicTransform(w_in, w_out, stride, layers)
    else:
        f = BottleneckTransform(w_in, w_out, stride, bot_mul, group_w, spec.se_r, layers)
    return ResBlock(w_in, w_out, stride, f, layers)


def block_complexity(spec: AnyNetSpec, cx: Cx, w_in: int, w_out: int, stride: int, bot_mul: float, group_w: int) -> Cx:
    cx = ResBlock.shortcut_complexity(cx, w_in, w_out, stride)
    if spec.block_type == "res_basic_block":
        return BasicTransform.complexity(cx, w_in, w_out, stride)
    return BottleneckTransform.complexity(cx, w_in, w_out, stride, bot_mul, group_w, spec.se_r)


STEMS = {"res_stem_in": ResStemIN, "simple_stem_in": SimpleStemIN}


def anynet_complexity(spec: AnyNetSpec, cx: Cx, num_classes: int = 1000, in_chans: int = 3) -> Cx:
    """Analytic complexity of the AnyNet described by ``spec`` (no model is built)."""
    cx = STEMS[spec.stem_type].complexity(cx, in_chans, spec.stem_w)
    w_in = spec.stem_w
    for depth, w_out, stride, bot_mul, group_w in spec.stages():
        for i in range(depth):
            cx = block_complexity(spec, cx, w_in, w_out, stride if i == 0 else 1, bot_mul, group_w)
            w_in = w_out
    return ClassifierHead.complexity(cx, w_in, num_classes)


class AnyNet(ZooModel):
    """A pycls AnyNet built from an :class:`AnyNetSpec` with explicit layer options."""

    def __init__(
        self,
        spec: AnyNetSpec,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        bn_eps: float = 1e-5,
        bn_momentum: float = 0.1,
        activation: str = "relu",
        drop_rate: float = 0.0,
        zero_init_last_bn: bool = False,
        data_config: DataConfig | None = None,
    ):
        super().__init__(
            num_classes=num_classes,
            in_chans=in_chans,
            data_config=data_config or DataConfig.for_train_size(spec.train_size),
        )
        self.spec = spec
        layers = LayerCfg(bn_eps=bn_eps, bn_momentum=bn_momentum, activation=activation)
        self.stem = STEMS[spec.stem_type](in_chans, spec.stem_w, layers)
        w_in = spec.stem_w
        self.stage_names: list[str] = []
        for s, (depth, w_out, stride, bot_mul, group_w) in enumerate(spec.stages(), start=1):
            stage = nn.Sequential()
            for i in range(depth):
                block = make_block(spec, w_in, w_out, stride if i == 0 else 1, bot_mul, group_w, layers)
                stage.add_module(f"b{i + 1}", block)
                w_in = w_out
            self.add_module(f"s{s}", stage)
            self.stage_names.append(f"s{s}")
        self.head = ClassifierHead(w_in, num_classes, drop_rate=drop_rate)
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d) and getattr(m, "final_bn", False):
                m.final_bn = zero_init_last_bn
        self.apply(init_weights)

    def _body(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for name in self.stage_names:
            x = getattr(self, name)(x)
        return x

    def _complexity(self, cx: Cx, num_classes: int, in_chans: int) -> Cx:
        return anynet_complexity(self.spec, cx, num_classes, in_chans)
