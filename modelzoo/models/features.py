"""Multi-scale features: the levels of a network, running a trunk up to them, features-only models,
gradient checkpointing and freezing for fine-tuning.

A network has one feature level per stride (2, 4, 8, 16, 32): the output of the last stage (or
stem tap) at that stride in the undilated network. ResNet's level 0 is its stem before the max-pool
(``stem.af``), RegNet's the stem, EfficientNet's are stages s1, s2, s3, s5 and s7 — the channels and
strides timm's ``features_only`` models have. With ``output_stride`` 16 or 8 the last stages are
dilated instead of strided: the levels stay, their reduction stops at the output stride.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

OUTPUT_STRIDES = (8, 16, 32)


@dataclass(frozen=True)
class FeatureLevel:
    """One feature level: its channels, its stride and the (pycls) module that produces it."""

    num_chs: int
    reduction: int
    module: str

    def __getitem__(self, key: str) -> Any:  # timm-style dict access: info[i]["num_chs"]
        return getattr(self, key)


class FeatureInfo(list):
    """The levels of a model (a list of :class:`FeatureLevel`), with timm's helpers."""

    def channels(self) -> list[int]:
        return [level.num_chs for level in self]

    def reduction(self) -> list[int]:
        return [level.reduction for level in self]

    def module_name(self) -> list[str]:
        return [level.module for level in self]


def feature_levels(plan: Any, dilated_plan: Any, stem_taps: Sequence[tuple[int, str]], output_stride: int) -> FeatureInfo:
    """The levels of a network from its undilated ``plan`` (which module is the last at each
    stride) and the plan actually built (``dilated_plan``: where the reduction stops)."""
    found: dict[int, FeatureLevel] = {}  # nominal stride → the last module at that stride
    for stride, name in stem_taps:
        found[stride] = FeatureLevel(plan.stem.w_out, stride, f"stem.{name}")
    stride = plan.stem.stride
    found[stride] = FeatureLevel(plan.stem.w_out, stride, "stem")
    for s, stage in enumerate(plan.stages, start=1):
        for part in stage:
            stride *= part.stride
        found[stride] = FeatureLevel(stage[-1].w_out, stride, f"s{s}")
    return FeatureInfo(FeatureLevel(lv.num_chs, min(lv.reduction, output_stride), lv.module)
                       for _, lv in sorted(found.items()))  # fmt: skip


def check_indices(indices: Sequence[int] | int | None, n_levels: int) -> list[int]:
    """Level indices as timm takes them: None → all, an int ``n`` → the last ``n``, a sequence →
    those levels (negative counts from the end). Out of range or repeated → ValueError."""
    valid = f"valid: 0 to {n_levels - 1} (or -{n_levels} to -1)"
    if indices is None:
        return list(range(n_levels))
    if isinstance(indices, int):
        if not 1 <= indices <= n_levels:
            raise ValueError(f"indices={indices}: take the last 1 to {n_levels} levels")
        return list(range(n_levels - indices, n_levels))
    chosen = []
    for i in indices:
        if not isinstance(i, int) or not -n_levels <= i < n_levels:
            raise ValueError(f"feature level index {i!r} is out of range ({valid})")
        chosen.append(i % n_levels)
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"feature level indices {tuple(indices)} repeat a level ({valid})")
    if not chosen:
        raise ValueError(f"no feature level selected ({valid})")
    return chosen


@contextlib.contextmanager
def _bn_stats_frozen(module: nn.Module) -> Iterator[None]:
    """While a checkpointed block is recomputed in the backward pass, its BatchNorm layers must not
    update their running statistics a second time (momentum 0; the counter restored)."""
    saved = [(bn, bn.momentum, bn.num_batches_tracked.clone() if bn.num_batches_tracked is not None else None)
             for bn in module.modules() if isinstance(bn, nn.modules.batchnorm._BatchNorm)]  # fmt: skip
    for bn, _, _ in saved:
        bn.momentum = 0.0
    try:
        yield
    finally:
        for bn, momentum, tracked in saved:
            bn.momentum = momentum
            if tracked is not None:
                bn.num_batches_tracked.copy_(tracked)


def checkpointed(module: nn.Module, fn: Callable[..., Any], *args: Any, enabled: bool) -> Any:
    """``fn(*args)`` (a forward of ``module``); with ``enabled`` (while gradients are recorded) only
    the inputs are kept and the forward is recomputed in the backward pass, with the same
    BatchNorm statistics."""
    if not (enabled and torch.is_grad_enabled()):
        return fn(*args)
    return checkpoint(fn, *args, use_reentrant=False,
                      context_fn=lambda: (contextlib.nullcontext(), _bn_stats_frozen(module)))  # fmt: skip


def run_stage(stage: nn.Sequential, x: torch.Tensor, grad_checkpointing: bool) -> torch.Tensor:
    """One stage; with gradient checkpointing every block is checkpointed on its own."""
    for block in stage:
        x = checkpointed(block, block, x, enabled=grad_checkpointing)
    return x


def run_levels(stem: nn.Module, stages: Sequence[tuple[str, nn.Module]], modules: Sequence[str], x: torch.Tensor,
               *, grad_checkpointing: bool = False, stop_early: bool = False) -> tuple[torch.Tensor, list[torch.Tensor]]:  # fmt: skip
    """Run the stem and ``stages`` collecting the outputs of ``modules`` (level module names, in
    order); returns the last output and the collected ones. ``stop_early``: stop after the last."""
    x, taps = checkpointed(stem, stem.forward_taps, x, enabled=grad_checkpointing)
    produced = {"stem": x, **{f"stem.{k}": v for k, v in taps.items()}}
    wanted = set(modules)
    for name, stage in stages:
        if stop_early and wanted <= produced.keys():
            break
        x = run_stage(stage, x, grad_checkpointing)
        produced[name] = x
    return x, [produced[m] for m in modules]


class FeatureNet(nn.Module):
    """A features-only network: the stem and the stages of a zoo model up to the deepest selected
    level (the head and later stages are dropped); ``forward(x)`` returns one NCHW tensor per
    selected level. Module names stay pycls's, so the model's weights load into it."""

    def __init__(self, model: nn.Module, out_indices: Sequence[int] | None = None):
        super().__init__()
        levels = model.feature_info
        self.out_indices = tuple(check_indices(out_indices, len(levels)))
        self.feature_info = FeatureInfo(levels[i] for i in self.out_indices)
        self._modules_out = [level.module for level in self.feature_info]
        last_stage = max((int(m[1:]) for m in self._modules_out if m[1:].isdigit()), default=0)
        self.stem = model.stem
        self.stage_names = [f"s{i}" for i in range(1, last_stage + 1)]
        for name in self.stage_names:
            self.add_module(name, getattr(model, name))
        self.grad_checkpointing = False
        self.arch_name = getattr(model, "arch_name", "")
        self.in_chans = model.in_chans
        self.data_config = model.data_config
        self.pretrained_cfg = {**model.pretrained_cfg, "features_only": True, "out_indices": self.out_indices}

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        stages = [(name, getattr(self, name)) for name in self.stage_names]
        return run_levels(self.stem, stages, self._modules_out, x, grad_checkpointing=self.grad_checkpointing)[1]

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        """Recompute each block in the backward pass instead of keeping its activations."""
        self.grad_checkpointing = enable


# ------------------------------------------------------------------------------------ freezing
def freeze_bn(model: nn.Module) -> nn.Module:
    """Replace every BatchNorm2d of ``model`` (in place) by torchvision's ``FrozenBatchNorm2d``
    with the same statistics, affine parameters and eps: a fixed affine map in train and eval mode.
    Returns the model."""
    from torchvision.ops import FrozenBatchNorm2d

    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.BatchNorm2d):
                frozen = FrozenBatchNorm2d(child.num_features, eps=child.eps)
                with torch.no_grad():
                    for key in ("weight", "bias", "running_mean", "running_var"):
                        getattr(frozen, key).copy_(getattr(child, key).detach())
                setattr(parent, name, frozen.to(child.weight.device))
    return model


def freeze(model: nn.Module, stages: int = 0) -> nn.Module:
    """Freeze the stem and stages ``s1`` … ``s<stages>`` of a zoo model (or features-only model)
    for fine-tuning: no gradients, BatchNorm in frozen form (:func:`freeze_bn`). ``stages=0``
    freezes the stem only. Returns the model."""
    names = list(getattr(model, "stage_names", []))
    if not 0 <= stages <= len(names):
        raise ValueError(f"stages={stages}: this model has stages s1..s{len(names)} (0 freezes the stem only)")
    for part in [model.stem] + [getattr(model, n) for n in names[:stages]]:
        for p in part.parameters():
            p.requires_grad_(False)
        freeze_bn(part)
    return model
