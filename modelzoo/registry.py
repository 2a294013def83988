"""Model registry: canonical names → architectures, aliases, listing by size, helpful errors.

The registry knows architectures only; which of them have weights is the hub's business
(``modelzoo.list_models(pretrained=True)`` asks both).
"""
from __future__ import annotations

import difflib
import fnmatch
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import torch.nn as nn

from .data_config import DataConfig
from .models import efficientnet, regnet, resnet
from .models.anynet import AnyNet
from .models.base import FamilySpec, spec_complexity
from .models.efficientnet import EfficientNet


@dataclass(frozen=True)
class Architecture:
    """A registered architecture: how to build it and what it is."""

    name: str
    family: str
    builder: Callable[..., nn.Module]
    display_name: str = ""
    aliases: tuple[str, ...] = ()
    spec: FamilySpec | None = None
    data_config: DataConfig = field(default_factory=DataConfig)

    def build(self, **kwargs: Any) -> nn.Module:
        """Build with keyword arguments; unknown arguments raise a TypeError naming them.

        The model records what it is: ``arch_name``, ``pretrained_cfg['architecture']`` and
        ``model_args`` (a custom builder's model gets the keyword arguments it was built with).
        """
        try:
            model = self.builder(**kwargs)
        except TypeError as e:
            if "unexpected keyword argument" in str(e):
                raise TypeError(f"{self.name}: {e}") from None
            raise
        model.arch_name = self.name
        if not hasattr(model, "model_args"):
            model.model_args = dict(kwargs)
        model.pretrained_cfg = {**(getattr(model, "pretrained_cfg", None) or {}), "architecture": self.name}
        return model

    def complexity(self, im_size: int | None = None) -> dict[str, int]:
        """Analytic complexity at ``im_size`` (default: train size), 1000 classes, RGB input."""
        if self.spec is not None:
            return spec_complexity(self.spec, im_size or self.data_config.train_size)
        model = self.build()
        if not hasattr(model, "complexity"):
            raise TypeError(f"model {self.name!r} has no analytic complexity()")
        return model.complexity(im_size)

    @functools.cached_property
    def size(self) -> float:
        """FLOPs at the train size, for ordering (inf for a custom model without analytic complexity)."""
        return spec_complexity(self.spec)["flops"] if self.spec is not None else math.inf


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


def size_order(name: str) -> tuple[Any, ...]:
    """Sort key of a canonical name: family (alphabetical, user-registered models last), then
    FLOPs at the train size, then the name."""
    arch = _REGISTRY[name]
    return arch.family == "custom", arch.family, arch.size, natural_key(name)


def list_models(pattern: str = "*") -> list[str]:
    """Canonical names matching an fnmatch ``pattern`` (case-insensitive): families in alphabetical
    order, each ordered by size (pycls's order: ``regnetx_200mf``, ``regnetx_400mf``, ...
    ``regnetx_32gf``)."""
    names = [n for n in _REGISTRY if fnmatch.fnmatchcase(n, _key(pattern))]
    return sorted(names, key=size_order)
