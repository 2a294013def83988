"""Model registry: canonical names → architectures, aliases, pattern listing, helpful errors."""
from __future__ import annotations

import difflib
import fnmatch
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Union

import torch.nn as nn

from .complexity import Cx
from .data_config import DataConfig
from .models import efficientnet, regnet, resnet
from .models.anynet import AnyNet, AnyNetSpec, anynet_complexity
from .models.efficientnet import EfficientNet, EffNetSpec, effnet_complexity

Spec = Union[AnyNetSpec, EffNetSpec]


@dataclass(frozen=True)
class Architecture:
    """A registered architecture: how to build it and what it is."""

    name: str
    family: str
    builder: Callable[..., nn.Module]
    display_name: str = ""
    aliases: tuple[str, ...] = ()
    spec: Spec | None = None
    data_config: DataConfig = field(default_factory=DataConfig)

    def build(self, **kwargs: Any) -> nn.Module:
        """Build with keyword arguments; unknown arguments raise a TypeError naming them."""
        try:
            model = self.builder(**kwargs)
        except TypeError as e:
            if "unexpected keyword argument" in str(e):
                raise TypeError(f"{self.name}: {e}") from None
            raise
        if hasattr(model, "pretrained_cfg"):
            model.arch_name = self.name
            model.pretrained_cfg = {**model.pretrained_cfg, "architecture": self.name}
        return model

    def complexity(self, im_size: int | None = None) -> dict[str, int]:
        """Analytic complexity at ``im_size`` (default: train size), 1000 classes, RGB input."""
        size = im_size or self.data_config.train_size
        if isinstance(self.spec, AnyNetSpec):
            return anynet_complexity(self.spec, Cx(size, size)).as_dict()
        if isinstance(self.spec, EffNetSpec):
            return effnet_complexity(self.spec, Cx(size, size)).as_dict()
        model = self.build()
        if not hasattr(model, "complexity"):
            raise TypeError(f"model {self.name!r} has no analytic complexity()")
        return model.complexity(im_size)


_REGISTRY: dict[str, Architecture] = {}
_ALIASES: dict[str, str] = {}  # lower-case alias or name → canonical name


def _key(name: str) -> str:
    return name.strip().lower()


def _add(arch: Architecture) -> None:
    keys = [arch.name, arch.display_name, *arch.aliases]
    taken = [k for k in keys if k and _key(k) in _ALIASES and _ALIASES[_key(k)] != arch.name]
    if arch.name in _REGISTRY or taken:
        raise ValueError(f"model name {(taken or [arch.name])[0]!r} is already registered")
    if arch.name != _key(arch.name) or "." in arch.name:
        raise ValueError(f"model names must be lower case without '.', got {arch.name!r}")
    _REGISTRY[arch.name] = arch
    for k in keys:
        if k:
            _ALIASES[_key(k)] = arch.name


def _register_builtins() -> None:
    for variants, cls in ((resnet.VARIANTS, AnyNet), (regnet.VARIANTS, AnyNet), (efficientnet.VARIANTS, EfficientNet)):
        for name, (spec, display, aliases) in variants.items():
            family = re.match(r"[a-z]+", name).group()  # resnet, resnext, regnetx, regnety, efficientnet
            builder = functools.partial(cls, spec)
            _add(Architecture(name, family, builder, display, aliases, spec, DataConfig.for_train_size(spec.train_size)))


_register_builtins()


def register_model(fn: Callable[..., nn.Module] | None = None, *, name: str | None = None,
                   aliases: tuple[str, ...] = (), data_config: DataConfig | None = None):  # fmt: skip
    """Decorator registering a builder ``fn(*, num_classes, in_chans, ...) -> nn.Module``.

    The name defaults to the function's name; a name or alias already taken raises ValueError.
    """

    def decorate(f: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        arch_name = name or f.__name__
        _add(Architecture(arch_name, "custom", f, arch_name, tuple(aliases), None, data_config or DataConfig()))
        return f

    return decorate(fn) if fn is not None else decorate


def split_tag(name: str) -> tuple[str, str | None]:
    """``'resnet50.tv_in1k'`` → ``('resnet50', 'tv_in1k')``; aliases with dots (RegNetX-1.6GF) stay whole."""
    if _key(name) in _ALIASES or "." not in name:
        return name, None
    base, tag = name.rsplit(".", 1)
    return base, tag


def architecture(name: str) -> Architecture:
    """The architecture for a canonical name or alias (a ``.tag`` suffix is ignored)."""
    base, _ = split_tag(name)
    canonical = _ALIASES.get(_key(base))
    if canonical is None:
        raise UnknownModelError(base, closest_names(base))
    return _REGISTRY[canonical]


def resolve(name: str) -> str:
    """Canonical name for a name or alias."""
    return architecture(name).name


class UnknownModelError(KeyError, ValueError):
    """An unknown model name (the message suggests the closest registered names)."""

    def __init__(self, name: str, suggestions: list[str]):
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown model {name!r}{hint} (modelzoo.list_models() lists them all)")
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        return str(self.args[0])


def closest_names(name: str, n: int = 5) -> list[str]:
    matches = difflib.get_close_matches(_key(name), list(_ALIASES), n=3 * n, cutoff=0.5)
    return list(dict.fromkeys(_ALIASES[m] for m in matches))[:n]


def is_model(name: str) -> bool:
    """True if ``name`` (or an alias of it) is registered."""
    return _key(split_tag(name)[0]) in _ALIASES


def natural_key(s: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def list_models(pattern: str = "*", *, pretrained: bool = False) -> list[str]:
    """Canonical names matching an fnmatch ``pattern`` (case-insensitive), sorted naturally.

    ``pretrained=True`` keeps only models that have at least one weight set.
    """
    names = [n for n in _REGISTRY if fnmatch.fnmatchcase(n, _key(pattern))]
    if pretrained:
        from .hub.specs import models_with_weights

        with_weights = models_with_weights()
        names = [n for n in names if n in with_weights]
    return sorted(names, key=natural_key)
