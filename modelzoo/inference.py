"""Fast inference: fold BatchNorm into the convolutions, channels_last, optional autocast."""
from __future__ import annotations

import contextlib
import copy
from typing import Any

import torch
import torch.nn as nn


def fold_conv_bn(conv: nn.Conv2d, bn: nn.Module) -> nn.Conv2d:
    """A conv (with bias) computing ``bn(conv(x))`` of the eval-mode pair."""
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    fused = copy.deepcopy(conv)
    fused.weight = nn.Parameter(conv.weight.detach() * scale.reshape(-1, 1, 1, 1))
    bias = conv.bias.detach() if conv.bias is not None else torch.zeros_like(bn.running_mean)
    fused.bias = nn.Parameter((bias - bn.running_mean) * scale + bn.bias.detach())
    return fused


def _bn_name(conv_name: str) -> list[str]:
    # pycls naming: a/a_bn, exp/exp_bn, dwise/dwise_bn, lin_proj/lin_proj_bn, conv/conv_bn,
    # and stem.conv/stem.bn, proj/bn.
    return [f"{conv_name}_bn"] + (["bn"] if conv_name in ("conv", "proj") else [])


def fold_batchnorms(model: nn.Module) -> int:
    """Fold every BN (plain or frozen) that directly follows a named conv (pycls naming) in place;
    returns the count."""
    from torchvision.ops import FrozenBatchNorm2d

    folded = 0
    for module in list(model.modules()):
        children = dict(module.named_children())
        for name, child in children.items():
            if not isinstance(child, nn.Conv2d):
                continue
            for bn_name in _bn_name(name):
                bn = children.get(bn_name)
                if isinstance(bn, (nn.BatchNorm2d, FrozenBatchNorm2d)):
                    setattr(module, name, fold_conv_bn(child, bn))
                    setattr(module, bn_name, nn.Identity())
                    folded += 1
                    break
    return folded


class InferenceModel(nn.Module):
    """An eval-only wrapper: input to channels_last, optional autocast, float32 logits out."""

    def __init__(self, model: nn.Module, *, dtype: torch.dtype | None, channels_last: bool):
        super().__init__()
        self.model = model
        self.dtype = dtype
        self.channels_last = channels_last
        self.pretrained_cfg: dict[str, Any] = dict(getattr(model, "pretrained_cfg", {}))
        self.num_classes = getattr(model, "num_classes", None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        # Without a dtype, no autocast context at all: a disabled one would switch off a caller's autocast.
        precision = torch.autocast(x.device.type, dtype=self.dtype) if self.dtype else contextlib.nullcontext()
        with torch.inference_mode(), precision:
            out = self.model(x)
            return [t.float() for t in out] if isinstance(out, list) else out.float()  # a list: features_only


def optimize_for_inference(model: nn.Module, *, dtype: torch.dtype | None = None, channels_last: bool = True,
                           compile: bool = False) -> InferenceModel:
    """An optimised eval copy of ``model`` (the original is left untouched).

    BatchNorm layers are folded into the convolutions before them, weights use channels_last
    memory format, and ``dtype`` (``torch.bfloat16`` or ``torch.float16``) turns on autocast.
    ``compile=True`` also runs the model through ``torch.compile`` with weight freezing (fused
    conv + activation kernels, prepacked weights): the first call per input shape compiles (tens
    of seconds; needs a C++ compiler on the CPU), later calls are faster still.
    In float32 the logits match the plain eval model to ~1e-4; reduced precision changes them
    more (compare top-1 agreement). Folding needs the model in its final (trained) state.
    """
    if dtype not in (None, torch.float32, torch.bfloat16, torch.float16):
        raise ValueError(f"dtype must be None, torch.float32, torch.bfloat16 or torch.float16, got {dtype}")
    optimized = copy.deepcopy(model).eval()
    fold_batchnorms(optimized)
    for p in optimized.parameters():
        p.requires_grad_(False)
    if channels_last:
        optimized = optimized.to(memory_format=torch.channels_last)
    if compile:
        # "freezing" treats the (frozen, inference-only) weights as constants so that Inductor can
        # fold and prepack them; it applies only under no_grad/inference_mode, as in forward().
        optimized = torch.compile(optimized, options={"freezing": True})
    return InferenceModel(optimized, dtype=None if dtype == torch.float32 else dtype, channels_last=channels_last).eval()
