"""``create``: build a registered model, optionally with pretrained weights."""
from __future__ import annotations

import os
from typing import Any, Union

import torch.nn as nn

from .hub import load as hub
from .hub.specs import WeightSpec
from .registry import Architecture, architecture, split_tag

Pretrained = Union[bool, str, os.PathLike]


def create(name: str, pretrained: Pretrained = False, *, num_classes: int | None = None, in_chans: int = 3,
           **overrides: Any) -> nn.Module:  # fmt: skip
    """Build model ``name`` (canonical name, alias, or ``name.tag``), or rebuild a saved model.

    ``pretrained``: False (random init), True (the model's default weights, or the ``.tag`` in
    ``name``), a weight tag (``'tv_in1k'``), a local file (``.safetensors``/``.pth``/``.pyth``...),
    a ``save_pretrained`` directory, ``'hf-hub:org/repo[@revision]'`` or an http(s) URL.
    ``name`` may itself be a ``save_pretrained`` directory or ``'hf-hub:org/repo'``: the exact
    saved model is rebuilt and loaded.

    ``num_classes`` defaults to the weights' classes (read from the file when nothing else says;
    1000 without weights); a different value loads everything but the classifier, which is
    re-initialised (with a ``ClassifierReinitializedWarning``). ``in_chans``
    other than the weights' 3 adapts the stem conv. ``overrides`` are the architecture's keyword
    arguments (``bn_eps``, ``drop_rate``, ...); an unknown one raises a TypeError. A tag without
    ``pretrained`` builds the architecture the tag needs (e.g. ``tf_port``) with random weights.
    """
    if hub.is_checkpoint_name(name):
        if not isinstance(pretrained, bool):
            raise ValueError(f"create({name!r}) loads that checkpoint; pretrained={pretrained!r} makes no sense with it")
        ckpt = hub.open_reference(name)
        if ckpt.architecture is None:
            raise ValueError(f"{name}: no config.json names the architecture; use "
                             f"modelzoo.create('<model name>', pretrained={os.fspath(name)!r})")  # fmt: skip
        arch = architecture(ckpt.architecture)
        return _build(arch, ckpt, None, num_classes, in_chans, overrides)
    base, tag = split_tag(name)
    arch = architecture(base)
    choice = hub.select(arch.name, tag, pretrained)
    spec = choice if isinstance(choice, WeightSpec) else None
    ckpt = None
    if pretrained is not False and choice is not None:
        ckpt = hub.from_spec(spec) if spec is not None else hub.open_reference(choice)
        if ckpt.architecture is not None and architecture(ckpt.architecture).name != arch.name:
            raise ValueError(f"{ckpt.what} holds a {ckpt.architecture}, not a {arch.name}")
    return _build(arch, ckpt, spec, num_classes, in_chans, overrides)


def _build(arch: Architecture, ckpt: hub.Checkpoint | None, spec: WeightSpec | None, num_classes: int | None,
           in_chans: int, overrides: dict[str, Any]) -> nn.Module:  # fmt: skip
    adopt_classes = num_classes is None  # nobody asked for a class count: take the weights'
    required = spec.model_kwargs if spec is not None else {}
    defaults: dict[str, Any] = dict(required)
    if ckpt is not None:
        required = {k: ckpt.model_args[k] for k in ckpt.required_args}
        defaults = dict(ckpt.model_args)
        num_classes = num_classes if num_classes is not None else ckpt.num_classes
        if ckpt.in_chans is not None and in_chans == 3:  # 3 is the default: keep the saved value
            in_chans = ckpt.in_chans
    clash = {k: v for k, v in overrides.items() if k in required and v != required[k]}
    if clash:
        what = ckpt.what if ckpt is not None else spec.tag  # type: ignore[union-attr]
        raise ValueError(f"{what} needs {required}; got {clash}")
    num_classes = num_classes if num_classes is not None else (spec.num_classes if spec is not None else 1000)
    model = arch.build(num_classes=num_classes, in_chans=in_chans, **{**defaults, **overrides})
    if ckpt is not None:
        hub.load_into(model, ckpt, adopt_classes=adopt_classes)
    elif spec is not None:
        hub.apply_spec_config(model, spec)
    return model
