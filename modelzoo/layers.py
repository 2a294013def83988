"""Building blocks shared by every family: conv/BN/activation factories, SE, drop-connect, init.

Layer options (BN eps/momentum, activation, TF "SAME" padding) travel explicitly in a
``LayerCfg`` — there is no global config.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .complexity import Cx, conv2d_cx, gap2d_cx

ACTIVATIONS = {"relu": nn.ReLU, "silu": nn.SiLU, "swish": nn.SiLU}


@dataclass(frozen=True)
class LayerCfg:
    """Options shared by all layers of one model."""

    bn_eps: float = 1e-5
    bn_momentum: float = 0.1
    activation: str = "relu"
    same_padding: bool = False  # TensorFlow "SAME" padding (needed by TF-ported weights)

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; choose from {sorted(ACTIVATIONS)}")
        if not self.bn_eps > 0:
            raise ValueError(f"bn_eps must be positive, got {self.bn_eps}")
        if not 0 <= self.bn_momentum <= 1:
            raise ValueError(f"bn_momentum must be in [0, 1], got {self.bn_momentum}")

    def conv(self, w_in: int, w_out: int, k: int, *, stride: int = 1, groups: int = 1, bias: bool = False,
             dilation: int = 1) -> nn.Conv2d:  # fmt: skip
        if k % 2 != 1:
            raise ValueError(f"only odd kernel sizes are supported, got {k}")
        if self.same_padding and stride > 1:
            return Conv2dSame(w_in, w_out, k, stride=stride, groups=groups, bias=bias, dilation=dilation)
        return nn.Conv2d(w_in, w_out, k, stride=stride, padding=dilation * (k - 1) // 2, groups=groups, bias=bias,
                         dilation=dilation)  # fmt: skip

    def norm(self, w: int) -> nn.BatchNorm2d:
        return nn.BatchNorm2d(w, eps=self.bn_eps, momentum=self.bn_momentum)

    def act(self) -> nn.Module:
        return ACTIVATIONS[self.activation](inplace=True)


class Conv2dSame(nn.Conv2d):
    """Conv with TensorFlow "SAME" padding: output = ceil(input / stride), extra pixel at the end."""

    def __init__(self, w_in: int, w_out: int, k: int, *, stride: int, groups: int = 1, bias: bool = False,
                 dilation: int = 1):  # fmt: skip
        super().__init__(w_in, w_out, k, stride=stride, padding=0, groups=groups, bias=bias, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(pad_same(x, self.kernel_size[0], self.stride[0], self.dilation[0]))


@torch.fx.wrap
def pad_same(x: torch.Tensor, k: int, stride: int, dilation: int = 1) -> torch.Tensor:
    """Pad ``x`` for TensorFlow "SAME": the output is ceil(size / stride), the odd pixel at the end.
    (A leaf for ``torch.fx``: the padding depends on the input's size.)"""
    pads = []
    for size in (x.shape[-1], x.shape[-2]):
        total = max((math.ceil(size / stride) - 1) * stride + (k - 1) * dilation + 1 - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


class SE(nn.Module):
    """Squeeze-and-Excitation: global pool → 1×1 conv (w_se) → act → 1×1 conv → sigmoid gate."""

    def __init__(self, w_in: int, w_se: int, layers: LayerCfg):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.f_ex = nn.Sequential(
            nn.Conv2d(w_in, w_se, 1, bias=True),
            layers.act(),
            nn.Conv2d(w_se, w_in, 1, bias=True),
            nn.Sigmoid(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.f_ex(self.avg_pool(x))

    @staticmethod
    def complexity(cx: Cx, w_in: int, w_se: int) -> Cx:
        h, w = cx.h, cx.w
        cx = gap2d_cx(cx, w_in)
        cx = conv2d_cx(cx, w_in, w_se, 1, bias=True)
        cx = conv2d_cx(cx, w_se, w_in, 1, bias=True)
        return cx._replace(h=h, w=w)


def drop_connect(x: torch.Tensor, drop_ratio: float) -> torch.Tensor:
    """Drop whole residual branches per sample (stochastic depth), rescaling the kept ones."""
    keep = 1.0 - drop_ratio
    mask = torch.empty((x.shape[0], 1, 1, 1), dtype=x.dtype, device=x.device).bernoulli_(keep)
    return x * mask / keep


class DropPath(nn.Module):
    """Stochastic depth on a residual branch: :func:`drop_connect` in training, identity in eval."""

    def __init__(self, rate: float):
        super().__init__()
        if not 0 <= rate < 1:
            raise ValueError(f"drop path rate must be in [0, 1), got {rate}")
        self.rate = rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return drop_connect(x, self.rate) if self.training and self.rate > 0 else x

    def extra_repr(self) -> str:
        return f"rate={self.rate:g}"


def init_weights(module: nn.Module) -> None:
    """pycls initialisation: He-normal (fan-out) convs, unit BN, N(0, 0.01) linear, zero biases."""
    if isinstance(module, nn.Conv2d):
        # pycls uses k·k·out_channels as fan-out, also for grouped/depthwise convs.
        fan_out = module.kernel_size[0] * module.kernel_size[1] * module.out_channels
        module.weight.data.normal_(mean=0.0, std=math.sqrt(2.0 / fan_out))
        if module.bias is not None:
            module.bias.data.zero_()
    elif isinstance(module, nn.BatchNorm2d):
        # A residual branch's last BN may start at zero (pycls ZERO_INIT_FINAL_GAMMA).
        module.weight.data.fill_(0.0 if getattr(module, "final_bn", False) else 1.0)
        module.bias.data.zero_()
    elif isinstance(module, nn.Linear):
        module.weight.data.normal_(mean=0.0, std=0.01)
        module.bias.data.zero_()
