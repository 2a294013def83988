"""The skeleton every family shares (stem → stages → head), the model interface and the heads.

A family describes a network as a :class:`Plan`: one :class:`Part` (module class + arguments) for
the stem, for every block of every stage and for the head. The same arguments build the module
(``cls(*args, layers=...)``) and count its complexity (``cls.complexity(cx, *args)``), pycls
style, so the analytic numbers cannot drift from the code. :class:`ZooModel` builds any plan with
pycls's module names (``stem``, ``s1.b1``, ..., ``head``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol, Sequence

import torch
import torch.nn as nn

from ..complexity import Cx, conv2d_cx, gap2d_cx, linear_cx, norm2d_cx
from ..data_config import DataConfig
from ..layers import LayerCfg, init_weights
from .features import (OUTPUT_STRIDES, FeatureInfo, check_indices, checkpointed, feature_levels, run_levels,
                       run_stage)  # fmt: skip


@dataclass(frozen=True)
class Part:
    """One module of a network: its class, its arguments, its output width and stride."""

    cls: type[nn.Module]
    args: tuple[Any, ...]
    w_out: int
    stride: int = 1

    def build(self, layers: LayerCfg, **options: Any) -> nn.Module:
        return self.cls(*self.args, layers=layers, **options)

    def complexity(self, cx: Cx) -> Cx:
        return self.cls.complexity(cx, *self.args)


@dataclass(frozen=True)
class Plan:
    """A whole network: the stem, the blocks of each stage, the head."""

    stem: Part
    stages: tuple[tuple[Part, ...], ...]
    head: Part

    def complexity(self, cx: Cx) -> Cx:
        """Analytic complexity of the planned network (nothing is built)."""
        cx = self.stem.complexity(cx)
        for stage in self.stages:
            for block in stage:
                cx = block.complexity(cx)
        return self.head.complexity(cx)


def stack_stages(w_in: int, stem_stride: int, stages: Iterable[tuple[int, int, int, Any]],
                 block: Callable[[int, int, int, int, Any], Part], output_stride: int = 32) -> tuple[tuple[Part, ...], ...]:  # fmt: skip
    """The blocks of every stage from ``(depth, width, stride, params)`` per stage: the stage's
    first block has its stride, every block takes the previous one's width as input;
    ``block(w_in, w_out, stride, dilation, params)`` makes one block's :class:`Part`.

    Where the network's stride would pass ``output_stride``, the stage keeps stride 1 and dilates
    instead (DeepLab style: its first block keeps the previous dilation, the others the new one)."""
    stages_out, net_stride, dilation = [], stem_stride, 1
    for depth, w_out, stride, params in stages:
        first_dilation = dilation
        if net_stride * stride > output_stride:
            dilation, stride = dilation * stride, 1
        net_stride *= stride
        stages_out.append(tuple(
            block(w_in if i == 0 else w_out, w_out, stride if i == 0 else 1, first_dilation if i == 0 else dilation,
                  params) for i in range(depth)))  # fmt: skip
        w_in = w_out
    return tuple(stages_out)


class FamilySpec(Protocol):
    """What every family's frozen spec provides."""

    train_size: int

    def plan(self, in_chans: int, num_classes: int, output_stride: int = 32) -> Plan: ...


def spec_complexity(spec: FamilySpec, im_size: int | None = None, *, num_classes: int = 1000, in_chans: int = 3,
                    output_stride: int = 32) -> dict[str, int]:  # fmt: skip
    """Exact ``{'flops', 'params', 'acts'}`` of the network ``spec`` describes, at ``im_size``
    (default: its train size)."""
    size = im_size or spec.train_size
    return spec.plan(in_chans, num_classes, output_stride).complexity(Cx(size, size)).as_dict()


def spec_feature_info(spec: FamilySpec, output_stride: int = 32, *, in_chans: int = 3) -> FeatureInfo:
    """The feature levels (channels, stride, module) of the network ``spec`` describes."""
    plan = spec.plan(in_chans, 0)
    return feature_levels(plan, spec.plan(in_chans, 0, output_stride), plan.stem.cls.TAPS, output_stride)


# ------------------------------------------------------------------------------------------ heads
class ClassifierHead(nn.Module):
    """Global average pool → optional dropout → linear classifier (``head.fc``)."""

    def __init__(self, w_in: int, num_classes: int, *, layers: LayerCfg | None = None, drop_rate: float = 0.0):
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
            init_weights(self.fc)

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

    def __init__(self, w_in: int, w_head: int, num_classes: int, *, layers: LayerCfg, drop_rate: float = 0.0):
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


# ------------------------------------------------------------------------------------------ model
class ZooModel(nn.Module):
    """Any family's network built from its spec's :class:`Plan`, with the interface every modelzoo
    model shares (timm-style): ``forward_features``, ``forward_head``, ``reset_classifier``,
    ``get_classifier``, ``num_features``, ``num_classes``, ``complexity()``.

    What it is and what it expects are recorded once, here: ``model_args`` (the constructor
    arguments that rebuild it), ``data_config`` and ``pretrained_cfg`` (the data config plus what
    is known of its weights; :func:`describe_weights` updates both).
    """

    head: ClassifierHead
    arch_name: str = ""

    def __init__(self, spec: FamilySpec, layers: LayerCfg, *, num_classes: int, in_chans: int,
                 options: dict[str, Any], head_options: dict[str, Any] | None = None,
                 block_options: Callable[[int, int], dict[str, Any]] | None = None, output_stride: int = 32,
                 zero_init_last_bn: bool = False):  # fmt: skip
        super().__init__()
        if num_classes < 0:
            raise ValueError(f"num_classes must be >= 0, got {num_classes}")
        if in_chans < 1:
            raise ValueError(f"in_chans must be >= 1, got {in_chans}")
        if output_stride not in OUTPUT_STRIDES:
            raise ValueError(f"output_stride must be one of {OUTPUT_STRIDES}, got {output_stride!r}")
        self.spec = spec
        self.num_classes, self.in_chans = num_classes, in_chans
        self.model_args: dict[str, Any] = {"num_classes": num_classes, "in_chans": in_chans, **options}
        if output_stride != 32:
            self.model_args["output_stride"] = output_stride
        plan = spec.plan(in_chans, num_classes, output_stride)
        self.stem = plan.stem.build(layers)
        self.stage_names: list[str] = []
        n_blocks, index = sum(len(stage) for stage in plan.stages), 0
        for s, stage in enumerate(plan.stages, start=1):
            blocks = nn.Sequential()
            for b, part in enumerate(stage, start=1):
                blocks.add_module(f"b{b}", part.build(layers, **(block_options(index, n_blocks) if block_options else {})))
                index += 1
            self.add_module(f"s{s}", blocks)
            self.stage_names.append(f"s{s}")
        self.feature_info = spec_feature_info(spec, output_stride, in_chans=in_chans)
        self.grad_checkpointing = False
        self.head = plan.head.build(layers, **(head_options or {}))
        for m in self.modules():  # the residual branch's last BN starts at zero only when asked
            if isinstance(m, nn.BatchNorm2d) and getattr(m, "final_bn", False):
                m.final_bn = zero_init_last_bn
        self.apply(init_weights)
        self.data_config = DataConfig.for_train_size(spec.train_size)
        self.pretrained_cfg: dict[str, Any] = self._cfg_dict(self.data_config)

    def _cfg_dict(self, dc: DataConfig) -> dict[str, Any]:
        cfg = dc.to_dict()
        cfg.update(architecture=self.arch_name, num_classes=self.num_classes,
                   input_size=(self.in_chans, dc.crop_size, dc.crop_size), crop_pct=dc.crop_pct)  # fmt: skip
        return cfg

    @property
    def default_cfg(self) -> dict[str, Any]:
        """The data config of the weights currently loaded (alias of ``pretrained_cfg``)."""
        return self.pretrained_cfg

    @property
    def num_features(self) -> int:
        return self.head.w_in

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Unpooled final feature map, ``num_features`` channels."""
        x = checkpointed(self.stem, self.stem, x, enabled=self.grad_checkpointing)
        for name in self.stage_names:
            x = run_stage(getattr(self, name), x, self.grad_checkpointing)
        return self.head.features(x)

    def forward_intermediates(self, x: torch.Tensor, indices: int | Sequence[int] | None = None, norm: bool = False,
                              stop_early: bool = False, intermediates_only: bool = False):  # fmt: skip
        """timm's API: the final unpooled features and the feature levels ``indices`` (None: all
        five; an int ``n``: the last ``n``; see :attr:`feature_info`) from one pass. ``norm`` is
        accepted for timm compatibility (these networks have no final norm layer); ``stop_early``
        stops after the deepest requested level (the final features are then that level's output);
        ``intermediates_only`` returns the list alone."""
        chosen = check_indices(indices, len(self.feature_info))
        modules = [self.feature_info[i].module for i in chosen]
        stages = [(name, getattr(self, name)) for name in self.stage_names]
        x, levels = run_levels(self.stem, stages, modules, x, grad_checkpointing=self.grad_checkpointing,
                               stop_early=stop_early or intermediates_only)  # fmt: skip
        if intermediates_only:
            return levels
        return (x if stop_early else self.head.features(x)), levels

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        """Recompute each block in the backward pass instead of keeping its activations (less
        memory, about one more forward pass of compute; same loss, gradients and BN statistics)."""
        self.grad_checkpointing = enable

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
        self.num_classes = self.model_args["num_classes"] = num_classes
        cfg = {k: v for k, v in self.pretrained_cfg.items() if k != "class_names"}  # they named the old classes
        self.pretrained_cfg = {**cfg, "num_classes": num_classes}

    def complexity(self, im_size: int | None = None) -> dict[str, int]:
        """Exact analytic flops (MACs), params and acts at ``im_size`` (default: train size)."""
        return spec_complexity(self.spec, im_size or self.data_config.train_size, num_classes=self.num_classes,
                               in_chans=self.in_chans, output_stride=self.model_args.get("output_stride", 32))  # fmt: skip


# ------------------------------------------------------------------------------- model metadata
def describe_weights(model: nn.Module, data_config: DataConfig | None, info: dict[str, Any] | None = None) -> None:
    """Record on ``model`` the data config its weights expect and what is known of them (tag,
    source, license, metrics, class names) in ``model.data_config`` and ``model.pretrained_cfg``.

    What is already recorded stays unless ``info`` replaces it: weights fine-tuned from a
    published set keep its tag, source and license (``save_pretrained`` names them as the base)."""
    cfg = {**(getattr(model, "pretrained_cfg", None) or {}), **(info or {})}
    if data_config is not None and isinstance(model, ZooModel):
        model.data_config = data_config
        cfg.update(model._cfg_dict(data_config))
    model.pretrained_cfg = cfg


def data_config_of(model: nn.Module) -> DataConfig:
    """The data config a model's weights expect (``model.data_config``, or the fields of its
    ``pretrained_cfg`` for wrappers that only carry that), else the ImageNet default."""
    dc = getattr(model, "data_config", None)
    if isinstance(dc, DataConfig):
        return dc
    cfg = getattr(model, "pretrained_cfg", None) or {}
    fields = DataConfig.__dataclass_fields__
    if all(k in cfg for k in fields):
        return DataConfig.from_dict({k: cfg[k] for k in fields})
    return DataConfig()
