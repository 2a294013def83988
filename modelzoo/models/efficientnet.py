"""EfficientNet as in pycls (``EN-B0`` … ``EN-B5``), B6/B7 by the paper's compound scaling.

Module names follow pycls (``stem.conv``, ``s1.b1.dwise``, ``s2.b1.exp``, ``se.f_ex.0``,
``lin_proj``, ``head.conv``, ``head.fc``). ``tf_port=True`` reproduces TensorFlow "SAME"
padding and BN eps 1e-3, as TF-ported weights need.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn

from ..complexity import Cx, conv2d_cx, norm2d_cx
from ..layers import SE, LayerCfg, drop_connect
from .anynet import SimpleStemIN
from .base import ConvClassifierHead, Part, Plan, ZooModel, stack_stages


@dataclass(frozen=True)
class EffNetSpec:
    """Everything that defines an EfficientNet (one entry per stage in the tuples)."""

    stem_w: int
    depths: tuple[int, ...]
    widths: tuple[int, ...]
    exp_ratios: tuple[int, ...]
    kernels: tuple[int, ...]
    strides: tuple[int, ...]
    head_w: int
    train_size: int
    se_r: float = 0.25

    def __post_init__(self) -> None:
        n = len(self.depths)
        for field in ("widths", "exp_ratios", "kernels", "strides"):
            if len(getattr(self, field)) != n:
                raise ValueError(f"EffNetSpec.{field} needs {n} entries (one per stage), got {getattr(self, field)}")

    def stages(self):
        """(depth, width, expansion ratio, kernel, stride) per stage."""
        return zip(self.depths, self.widths, self.exp_ratios, self.kernels, self.strides)

    def plan(self, in_chans: int, num_classes: int, output_stride: int = 32) -> Plan:
        """Stem, blocks and head with their arguments (see :class:`~modelzoo.models.base.Plan`)."""

        def block(w_in: int, w_out: int, stride: int, dilation: int, params: tuple[int, int]) -> Part:
            exp_r, k = params
            return Part(MBConv, (w_in, exp_r, k, stride, self.se_r, w_out, dilation), w_out, stride)

        per_stage = [(d, w, s, (e, k)) for d, w, e, k, s in self.stages()]
        stages = stack_stages(self.stem_w, SimpleStemIN.STRIDE, per_stage, block, output_stride)
        head = Part(ConvClassifierHead, (self.widths[-1], self.head_w, num_classes), self.head_w)
        return Plan(Part(SimpleStemIN, (in_chans, self.stem_w), self.stem_w, SimpleStemIN.STRIDE), stages, head)

    def scaled(self, width_mult: float, depth_mult: float, train_size: int) -> "EffNetSpec":
        """Compound scaling (EfficientNet paper / TF reference): widths rounded to multiples of 8
        (never below 90 % of the scaled width), depths rounded up."""
        return EffNetSpec(
            stem_w=round_width(self.stem_w, width_mult),
            depths=tuple(math.ceil(d * depth_mult) for d in self.depths),
            widths=tuple(round_width(w, width_mult) for w in self.widths),
            exp_ratios=self.exp_ratios,
            kernels=self.kernels,
            strides=self.strides,
            head_w=round_width(self.head_w, width_mult),
            train_size=train_size,
            se_r=self.se_r,
        )


def round_width(w: int, mult: float, q: int = 8) -> int:
    scaled = w * mult
    rounded = max(q, int(scaled + q / 2) // q * q)
    return rounded + q if rounded < 0.9 * scaled else rounded


class MBConv(nn.Module):
    """Mobile inverted bottleneck: [1×1 expand] → k×k depthwise → SE → 1×1 project [+ skip]."""

    def __init__(self, w_in: int, exp_r: int, k: int, stride: int, se_r: float, w_out: int, dilation: int = 1, *,
                 layers: LayerCfg, drop_connect_rate: float = 0.0):  # fmt: skip
        super().__init__()
        w_exp = int(w_in * exp_r)
        self.exp = self.exp_bn = self.exp_af = None
        if w_exp != w_in:
            self.exp = layers.conv(w_in, w_exp, 1)
            self.exp_bn = layers.norm(w_exp)
            self.exp_af = layers.act()
        self.dwise = layers.conv(w_exp, w_exp, k, stride=stride, groups=w_exp, dilation=dilation)
        self.dwise_bn = layers.norm(w_exp)
        self.dwise_af = layers.act()
        self.se = SE(w_exp, int(w_in * se_r), layers)
        self.lin_proj = layers.conv(w_exp, w_out, 1)
        self.lin_proj_bn = layers.norm(w_out)
        self.lin_proj_bn.final_bn = True
        self.has_skip = stride == 1 and w_in == w_out
        self.drop_connect_rate = drop_connect_rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f_x = x
        if self.exp is not None:
            f_x = self.exp_af(self.exp_bn(self.exp(f_x)))
        f_x = self.dwise_af(self.dwise_bn(self.dwise(f_x)))
        f_x = self.lin_proj_bn(self.lin_proj(self.se(f_x)))
        if not self.has_skip:
            return f_x
        if self.training and self.drop_connect_rate > 0:
            f_x = drop_connect(f_x, self.drop_connect_rate)
        return x + f_x

    @staticmethod
    def complexity(cx: Cx, w_in: int, exp_r: int, k: int, stride: int, se_r: float, w_out: int, dilation: int = 1) -> Cx:
        w_exp = int(w_in * exp_r)
        if w_exp != w_in:
            cx = norm2d_cx(conv2d_cx(cx, w_in, w_exp, 1), w_exp)
        cx = norm2d_cx(conv2d_cx(cx, w_exp, w_exp, k, stride=stride, groups=w_exp), w_exp)
        cx = SE.complexity(cx, w_exp, int(w_in * se_r))
        return norm2d_cx(conv2d_cx(cx, w_exp, w_out, 1), w_out)


class EfficientNet(ZooModel):
    """An EfficientNet built from an :class:`EffNetSpec` with explicit layer options.

    ``bn_eps=None`` means 1e-5 (pycls), or 1e-3 with ``tf_port=True``.
    """

    def __init__(
        self,
        spec: EffNetSpec,
        *,
        num_classes: int = 1000,
        in_chans: int = 3,
        bn_eps: float | None = None,
        bn_momentum: float = 0.1,
        activation: str = "silu",
        drop_rate: float = 0.0,
        drop_connect_rate: float = 0.0,
        tf_port: bool = False,
        output_stride: int = 32,
        zero_init_last_bn: bool = False,
    ):
        if not 0 <= drop_rate < 1 or not 0 <= drop_connect_rate < 1:
            raise ValueError(f"drop_rate and drop_connect_rate must be in [0, 1), got {drop_rate}, {drop_connect_rate}")
        eps = bn_eps if bn_eps is not None else (1e-3 if tf_port else 1e-5)
        layers = LayerCfg(bn_eps=eps, bn_momentum=bn_momentum, activation=activation, same_padding=tf_port)
        options = {"bn_eps": eps, "bn_momentum": bn_momentum, "activation": activation, "drop_rate": drop_rate,
                   "tf_port": tf_port, "drop_connect_rate": drop_connect_rate}  # fmt: skip
        super().__init__(spec, layers, num_classes=num_classes, in_chans=in_chans, options=options,
                         head_options={"drop_rate": drop_rate},
                         block_options=lambda index, n_blocks: {"drop_connect_rate": drop_connect_rate},
                         output_stride=output_stride, zero_init_last_bn=zero_init_last_bn)  # fmt: skip
        self.tf_port = tf_port


_STRIDES = (1, 2, 2, 2, 1, 2, 1)
_EXP = (1, 6, 6, 6, 6, 6, 6)
_KERNELS = (3, 3, 5, 3, 5, 5, 3)


def _pycls(stem_w: int, depths: tuple[int, ...], widths: tuple[int, ...], head_w: int, train_size: int) -> EffNetSpec:
    return EffNetSpec(stem_w, depths, widths, _EXP, _KERNELS, _STRIDES, head_w, train_size)


# pycls dds_baselines EN-B0 … EN-B5 (EN.{STEM_W, DEPTHS, WIDTHS, HEAD_W}, TRAIN.IM_SIZE)
_B0 = _pycls(32, (1, 2, 2, 3, 3, 4, 1), (16, 24, 40, 80, 112, 192, 320), 1280, 224)
SPECS: dict[str, EffNetSpec] = {
    "efficientnet_b0": _B0,
    "efficientnet_b1": _pycls(32, (2, 3, 3, 4, 4, 5, 2), (16, 24, 40, 80, 112, 192, 320), 1280, 240),
    "efficientnet_b2": _pycls(32, (2, 3, 3, 4, 4, 5, 2), (16, 24, 48, 88, 120, 208, 352), 1408, 260),
    "efficientnet_b3": _pycls(40, (2, 3, 3, 5, 5, 6, 2), (24, 32, 48, 96, 136, 232, 384), 1536, 300),
    "efficientnet_b4": _pycls(48, (2, 4, 4, 6, 6, 8, 2), (24, 32, 56, 112, 160, 272, 448), 1792, 380),
    "efficientnet_b5": _pycls(48, (3, 5, 5, 7, 7, 9, 3), (24, 40, 64, 128, 176, 304, 512), 2048, 456),
    # Not in pycls: the paper's compound coefficients (width, depth, resolution).
    "efficientnet_b6": _B0.scaled(1.8, 2.6, 528),
    "efficientnet_b7": _B0.scaled(2.0, 3.1, 600),
}

# name: (spec, display name, aliases)
VARIANTS: dict[str, tuple[EffNetSpec, str, tuple[str, ...]]] = {
    name: (spec, f"EfficientNet-B{name[-1]}", (f"EN-B{name[-1]}",)) for name, spec in SPECS.items()
}
