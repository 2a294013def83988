"""The public API's name-based functions: the layer that knows the registry, the hub and the models.

``create`` asks the hub's resolver what a name means, reads the weights (if any), builds the
architecture with the right constructor arguments and loads them; everything below this module
works on resolved objects, not on names.
"""
from __future__ import annotations

import os
from typing import Any, Sequence, Union

import torch.nn as nn

from .data_config import DataConfig
from .hub.load import load_into, read_state
from .hub.resolve import Pretrained, Resolved, resolve
from .hub.specs import WeightSpec, get_weights, models_with_weights
from .models.base import data_config_of, describe_weights
from .models.features import FeatureNet
from .preprocess import EvalTransform
from .registry import architecture
from .registry import list_models as _registered_models


def create(name: Union[str, os.PathLike], pretrained: Pretrained = False, *, num_classes: int | None = None,
           in_chans: int = 3, features_only: bool = False, out_indices: Sequence[int] | None = None,
           **overrides: Any) -> nn.Module:  # fmt: skip
    """Build model ``name`` (canonical name, alias, or ``name.tag``), or rebuild a saved model.

    ``pretrained``: False (random init), True (the model's default weights, or the ``.tag`` in
    ``name``), a weight tag (``'tv_in1k'``), a local file (``.safetensors``/``.pth``/``.pyth``...),
    a ``save_pretrained`` directory, ``'hf-hub:org/repo[@revision]'`` or an http(s) URL.
    ``name`` may itself be a ``save_pretrained`` directory, ``'hf-hub:org/repo'`` or a pycls
    ``.pyth`` file: the model it holds is rebuilt and loaded.

    ``num_classes`` defaults to the weights' classes (1000 without weights); a different value
    loads everything but the classifier, which is re-initialised (with a
    ``ClassifierReinitializedWarning``). ``in_chans`` other than the weights' 3 adapts the stem
    conv. ``overrides`` are the architecture's keyword arguments (``bn_eps``, ``drop_rate``, ...);
    an unknown one raises a TypeError. A tag without ``pretrained`` builds the architecture the
    tag needs (e.g. ``tf_port``) with random weights and the tag's data config.

    ``features_only=True`` returns a backbone whose ``forward`` gives one feature map per level in
    ``out_indices`` (default: all five, strides 2 to 32; see ``model.feature_info``); the weights'
    classifier is dropped, every other key must fit. ``output_stride=16`` or ``8`` (any model)
    dilates the last stages instead of striding them.
    """
    if features_only and num_classes not in (None, 0):
        raise ValueError(f"num_classes={num_classes} conflicts with features_only=True (a features-only model has "
                         "no classifier): leave num_classes out")  # fmt: skip
    if out_indices is not None and not features_only:
        raise ValueError("out_indices selects the levels of a features_only=True model; pass features_only=True")
    resolved = resolve(name, pretrained)
    clash = {k: v for k, v in overrides.items() if k in resolved.fixed and v != resolved.kwargs[k]}
    if clash:
        raise ValueError(f"{resolved.what} needs {({k: resolved.kwargs[k] for k in resolved.fixed})}; got {clash}")
    state = read_state(resolved.weights) if resolved.weights is not None else None
    model = resolved.architecture.build(**{**_build_args(resolved, state, num_classes, in_chans), **overrides})
    info = dict(resolved.info)
    if state is not None:
        info.setdefault("source", state.source.location)  # a reference keeps its name; a spec names the mirror
        if load_into(model, state):  # a new head: the weights' class names no longer apply
            info.pop("class_names", None)
    describe_weights(model, resolved.data_config, info)
    return FeatureNet(model, out_indices) if features_only else model


def _build_args(resolved: Resolved, state: Any, num_classes: int | None, in_chans: int) -> dict[str, Any]:
    """Constructor arguments: the weights' own, with the class count the caller asked for (else
    the file's) and their input channels unless the caller asked for other than the default 3."""
    args = dict(resolved.kwargs)
    if num_classes is None:
        if state is not None:
            num_classes = state.num_classes
        else:
            num_classes = resolved.spec.num_classes if resolved.spec is not None else 1000
    weights = resolved.weights
    if in_chans == 3 and weights is not None and weights.in_chans is not None:
        in_chans = weights.in_chans  # 3 is the default: keep the saved value
    return {**args, "num_classes": num_classes, "in_chans": in_chans}


def complexity(model_or_name: Union[str, nn.Module], im_size: int | None = None) -> dict[str, int]:
    """Exact analytic ``{'flops', 'params', 'acts'}`` of a model or a registered model name.

    ``im_size=None`` uses the model's train size (224; EfficientNet per variant). A name is
    resolved through the registry (aliases work) without building the model.
    """
    if isinstance(model_or_name, str):
        return architecture(model_or_name).complexity(im_size)
    cx_fn = getattr(model_or_name, "complexity", None)
    if cx_fn is None:
        raise TypeError(f"{type(model_or_name).__name__} has no analytic complexity(); pass a modelzoo model")
    return cx_fn(im_size)


def list_models(pattern: str = "*", *, pretrained: bool = False) -> list[str]:
    """Canonical names matching an fnmatch ``pattern`` (case-insensitive): families in alphabetical
    order, each ordered by size. ``pretrained=True`` keeps only models that have weights."""
    names = _registered_models(pattern)
    if pretrained:
        with_weights = models_with_weights()
        names = [n for n in names if n in with_weights]
    return names


def eval_transform(model_or_tag: Union[nn.Module, str, WeightSpec, DataConfig]) -> EvalTransform:
    """The eval preprocessing for a model (from its ``pretrained_cfg``), a weight tag such as
    ``'resnet50.tv_in1k'`` (a bare model name means its default weights), a spec or a DataConfig."""
    if isinstance(model_or_tag, DataConfig):
        dc = model_or_tag
    elif isinstance(model_or_tag, WeightSpec):
        dc = model_or_tag.data_config
    elif isinstance(model_or_tag, str):
        dc = get_weights(model_or_tag).data_config
    elif isinstance(model_or_tag, nn.Module):
        dc = data_config_of(model_or_tag)
    else:
        raise TypeError(f"eval_transform takes a model, a weight tag, a WeightSpec or a DataConfig, got {model_or_tag!r}")
    return EvalTransform(dc)
