"""AnyNet (pycls): stem → stages of residual blocks → head. ResNet, ResNeXt and RegNet are AnyNets.

Module names follow pycls (``stem.conv``, ``s1.b1.f.a``, ``s1.b1.proj``, ``head.fc``) so pycls
checkpoints load with ``strict=True``.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from ..complexity import Cx, conv2d_cx, norm2d_cx, pool2d_cx
from ..layers import SE, DropPath, LayerCfg
from .base import ClassifierHead, Part, Plan, ZooModel, stack_stages

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

    def plan(self, in_chans: int, num_classes: int, output_stride: int = 32) -> Plan:
        """Stem, blocks and head with their arguments (see :class:`~modelzoo.models.base.Plan`)."""
        stem = STEMS[self.stem_type]

        def block(w_in: int, w_out: int, stride: int, dilation: int, params: tuple[float, int]) -> Part:
            args = (w_in, w_out, stride, self.block_type, *params, self.se_r, dilation)
            return Part(ResBlock, args, w_out, stride)

        per_stage = [(d, w, s, (b, g)) for d, w, s, b, g in self.stages()]
        stages = stack_stages(self.stem_w, stem.STRIDE, per_stage, block, output_stride)
        head = Part(ClassifierHead, (self.widths[-1], num_classes), self.widths[-1])
        return Plan(Part(stem, (in_chans, self.stem_w), self.stem_w, stem.STRIDE), stages, head)


class ResStemIN(nn.Module):
    """ResNet ImageNet stem: 7×7 stride-2 conv, BN, act, 3×3 stride-2 max-pool."""

    STRIDE = 4
    TAPS = ((2, "af"),)  # a feature level inside the stem: stride 2, before the max-pool

    def __init__(self, w_in: int, w_out: int, *, layers: LayerCfg):
        super().__init__()
        self.conv = layers.conv(w_in, w_out, 7, stride=2)
        self.bn = layers.norm(w_out)
        self.af = layers.act()
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.af(self.bn(self.conv(x))))

    def forward_taps(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The output and the feature level inside the stem (before the max-pool)."""
        x = self.af(self.bn(self.conv(x)))
        return self.pool(x), {"af": x}

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int) -> Cx:
        cx = norm2d_cx(conv2d_cx(cx, w_in, w_out, 7, stride=2), w_out)
        return pool2d_cx(cx, w_out, 3, stride=2)


class SimpleStemIN(nn.Module):
    """RegNet/EfficientNet stem: 3×3 stride-2 conv, BN, act."""

    STRIDE = 2
    TAPS: tuple[tuple[int, str], ...] = ()

    def __init__(self, w_in: int, w_out: int, *, layers: LayerCfg):
        super().__init__()
        self.conv = layers.conv(w_in, w_out, 3, stride=2)
        self.bn = layers.norm(w_out)
        self.af = layers.act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.af(self.bn(self.conv(x)))

    def forward_taps(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        return self.forward(x), {}

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int) -> Cx:
        return norm2d_cx(conv2d_cx(cx, w_in, w_out, 3, stride=2), w_out)


STEMS = {"res_stem_in": ResStemIN, "simple_stem_in": SimpleStemIN}


class BasicTransform(nn.Module):
    """Two 3×3 convs (stride on the first): the ResNet-18/34 residual branch."""

    def __init__(self, w_in: int, w_out: int, stride: int, layers: LayerCfg, dilation: int = 1):
        super().__init__()
        self.a = layers.conv(w_in, w_out, 3, stride=stride, dilation=dilation)
        self.a_bn = layers.norm(w_out)
        self.a_af = layers.act()
        self.b = layers.conv(w_out, w_out, 3, dilation=dilation)
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

    def __init__(self, w_in: int, w_out: int, stride: int, bot_mul: float, group_w: int, se_r: float,
                 layers: LayerCfg, dilation: int = 1):  # fmt: skip
        super().__init__()
        w_b, groups, w_se = bottleneck_widths(w_in, w_out, bot_mul, group_w, se_r)
        self.a = layers.conv(w_in, w_b, 1)
        self.a_bn = layers.norm(w_b)
        self.a_af = layers.act()
        self.b = layers.conv(w_b, w_b, 3, stride=stride, groups=groups, dilation=dilation)
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
    """Residual block: ``f`` (basic or bottleneck transform) plus identity or 1×1 projection;
    ``drop_path`` is the stochastic-depth rate of ``f`` (training only)."""

    def __init__(self, w_in: int, w_out: int, stride: int, block_type: str, bot_mul: float, group_w: int,
                 se_r: float, dilation: int = 1, *, layers: LayerCfg, drop_path: float = 0.0):  # fmt: skip
        super().__init__()
        self.proj = self.bn = None
        if needs_projection(w_in, w_out, stride):
            self.proj = layers.conv(w_in, w_out, 1, stride=stride)
            self.bn = layers.norm(w_out)
        if block_type == "res_basic_block":
            self.f: nn.Module = BasicTransform(w_in, w_out, stride, layers, dilation)
        else:
            self.f = BottleneckTransform(w_in, w_out, stride, bot_mul, group_w, se_r, layers, dilation)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None
        self.af = layers.act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.proj is None else self.bn(self.proj(x))
        f_x = self.f(x) if self.drop_path is None else self.drop_path(self.f(x))
        return self.af(shortcut + f_x)

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_out: int, stride: int, block_type: str, bot_mul: float, group_w: int,
                   se_r: float, dilation: int = 1) -> Cx:  # fmt: skip
        if needs_projection(w_in, w_out, stride):  # a parallel branch: the spatial size comes from f
            cx = norm2d_cx(conv2d_cx(cx, w_in, w_out, 1, stride=stride), w_out)._replace(h=cx.h, w=cx.w)
        if block_type == "res_basic_block":
            return BasicTransform.complexity(cx, w_in, w_out, stride)
        return BottleneckTransform.complexity(cx, w_in, w_out, stride, bot_mul, group_w, se_r)


def needs_projection(w_in: int, w_out: int, stride: int) -> bool:
    return w_in != w_out or stride != 1


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
        drop_path_rate: float = 0.0,
        output_stride: int = 32,
        zero_init_last_bn: bool = False,
    ):
        if not 0 <= drop_rate < 1 or not 0 <= drop_path_rate < 1:
            raise ValueError(f"drop_rate and drop_path_rate must be in [0, 1), got {drop_rate}, {drop_path_rate}")
        layers = LayerCfg(bn_eps=bn_eps, bn_momentum=bn_momentum, activation=activation)
        options = {"bn_eps": bn_eps, "bn_momentum": bn_momentum, "activation": activation, "drop_rate": drop_rate}
        if drop_path_rate:
            options["drop_path_rate"] = drop_path_rate

        def block_options(index: int, n_blocks: int) -> dict[str, float]:
            # stochastic depth grows linearly over the blocks, from 0 to drop_path_rate
            return {"drop_path": drop_path_rate * index / max(n_blocks - 1, 1)}

        super().__init__(spec, layers, num_classes=num_classes, in_chans=in_chans, options=options,
                         head_options={"drop_rate": drop_rate}, block_options=block_options,
                         output_stride=output_stride, zero_init_last_bn=zero_init_last_bn)  # fmt: skip
