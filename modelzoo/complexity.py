"""Analytic model complexity, pycls accounting: the counting primitives.

``flops`` counts multiply-accumulates, ``params`` counts parameters (equal to
``sum(p.numel())``), ``acts`` counts the elements of every conv/linear/pool output.
Each block computes its own complexity with the primitives below (see ``models/``);
``modelzoo.complexity(name_or_model)`` is the public entry point.
"""
from __future__ import annotations

from typing import NamedTuple


class Cx(NamedTuple):
    """Running complexity: the current spatial size plus the totals so far."""

    h: int
    w: int
    flops: int = 0
    params: int = 0
    acts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"flops": self.flops, "params": self.params, "acts": self.acts}


def _out(size: int, stride: int) -> int:
    # Output size of a "same"-padded conv/pool with odd kernel: ceil(size / stride).
    return (size - 1) // stride + 1


def conv2d_cx(cx: Cx, w_in: int, w_out: int, k: int, *, stride: int = 1, groups: int = 1, bias: bool = False) -> Cx:
    h, w = _out(cx.h, stride), _out(cx.w, stride)
    flops = k * k * w_in * w_out * h * w // groups + (w_out * h * w if bias else 0)
    params = k * k * w_in * w_out // groups + (w_out if bias else 0)
    return Cx(h, w, cx.flops + flops, cx.params + params, cx.acts + w_out * h * w)


def norm2d_cx(cx: Cx, w_in: int) -> Cx:
    return cx._replace(params=cx.params + 2 * w_in)


def pool2d_cx(cx: Cx, w_in: int, k: int, *, stride: int = 1) -> Cx:
    h, w = _out(cx.h, stride), _out(cx.w, stride)
    return cx._replace(h=h, w=w, acts=cx.acts + w_in * h * w)


def gap2d_cx(cx: Cx, w_in: int) -> Cx:
    return cx._replace(h=1, w=1)


def linear_cx(cx: Cx, w_in: int, w_out: int, *, bias: bool = False) -> Cx:
    flops = w_in * w_out + (w_out if bias else 0)
    params = w_in * w_out + (w_out if bias else 0)
    return cx._replace(flops=cx.flops + flops, params=cx.params + params, acts=cx.acts + w_out)
