"""``create``: build a registered model, optionally with pretrained weights."""
from __future__ import annotations

from typing import Any, Union

import torch.nn as nn

from .hub.specs import models_with_weights
from .registry import architecture, split_tag

Pretrained = Union[bool, str]


def create(name: str, pretrained: Pretrained = False, *, num_classes: int | None = None, in_chans: int = 3,
           **overrides: Any) -> nn.Module:  # fmt: skip
    """Build model ``name`` (canonical name, alias, or ``name.tag``).

    ``num_classes`` defaults to 1000; ``in_chans`` to 3. ``overrides`` are the architecture's
    explicit keyword arguments (``bn_eps``, ``drop_rate``, ``drop_connect_rate``, ...): an unknown one
    raises a TypeError. ``pretrained=True`` loads the default weights; a model without weights
    raises a ValueError naming it.
    """
    base, tag = split_tag(name)
    arch = architecture(base)
    if pretrained or tag:
        if arch.name not in models_with_weights():
            raise ValueError(
                f"model {arch.name!r} has no pretrained weights "
                f"(modelzoo.list_models(pretrained=True) lists the models that do)"
            )
    return arch.build(num_classes=1000 if num_classes is None else num_classes, in_chans=in_chans, **overrides)
