"""Looking up weight sets: by tag, by pattern, a model's default (the first listed for it).

The table is built from :mod:`modelzoo.hub.tables` on first use, not when modelzoo is imported.
"""
from __future__ import annotations

import dataclasses
import difflib
import fnmatch
from typing import Iterable

from ..registry import architecture, is_model, size_order, split_tag
from .weight_spec import NON_COMMERCIAL_LICENSES, Source, WeightSpec

__all__ = ["NON_COMMERCIAL_LICENSES", "Source", "WeightSpec", "UnknownWeightsError", "weight_table", "build_table",
           "models_with_weights", "default_weights", "get_weights", "list_weights"]  # fmt: skip

class UnknownWeightsError(KeyError, ValueError):
    """An unknown weight tag (the message lists the model's tags or the closest ones)."""

    def __init__(self, tag: str, message: str):
        super().__init__(message)
        self.tag = tag

    def __str__(self) -> str:
        return str(self.args[0])


_table: dict[str, WeightSpec] | None = None  # built on first use from modelzoo.hub.tables


def build_table(specs: Iterable[WeightSpec]) -> dict[str, WeightSpec]:
    """Weight sets by tag in the given order, the first of each model marked as its default."""
    table: dict[str, WeightSpec] = {}
    seen: set[str] = set()
    for spec in specs:
        if spec.tag in table:
            raise ValueError(f"weight tag {spec.tag!r} is listed twice")
        table[spec.tag] = dataclasses.replace(spec, is_default=spec.arch not in seen)
        seen.add(spec.arch)
    return table


def weight_table() -> dict[str, WeightSpec]:
    """Every registered weight set by tag, in table order (each model's default first)."""
    global _table
    if _table is None:
        from .tables import all_specs

        _table = build_table(all_specs())
    return _table


def models_with_weights() -> set[str]:
    """Canonical model names that have at least one weight set."""
    return {spec.arch for spec in weight_table().values()}


def default_weights(arch: str) -> WeightSpec | None:
    """The default weight set of a canonical model name (the first listed), or None."""
    return next((s for s in weight_table().values() if s.arch == arch and s.is_default), None)


def _canonical_tag(tag: str) -> str:
    base, name = split_tag(tag)
    if name is None or not is_model(base):
        return tag.strip().lower()
    return f"{architecture(base).name}.{name.strip().lower()}"


def get_weights(tag: str) -> WeightSpec:
    """The spec for ``tag`` (``'resnet50.tv_in1k'``; model aliases work: ``'regnety_032.pycls_in1k'``).

    A bare model name gives that model's default weights. Unknown tags raise
    :class:`UnknownWeightsError` listing the model's tags or the closest ones.
    """
    if not isinstance(tag, str):
        raise TypeError(f"weight tags are strings, got {type(tag).__name__}")
    table = weight_table()
    if split_tag(tag)[1] is None and is_model(tag):
        spec = default_weights(architecture(tag).name)
        if spec is None:
            raise UnknownWeightsError(tag, f"model {architecture(tag).name!r} has no pretrained weights "
                                           "(modelzoo.list_models(pretrained=True) lists those that do)")  # fmt: skip
        return spec
    key = _canonical_tag(tag)
    if key in table:
        return table[key]
    base, _ = split_tag(tag)
    if is_model(base):
        arch = architecture(base).name
        tags = [t for t, s in table.items() if s.arch == arch]
        hint = f"; {arch} has: {', '.join(tags)}" if tags else f"; {arch} has no pretrained weights"
    else:
        close = difflib.get_close_matches(key, list(table), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownWeightsError(tag, f"unknown weight tag {tag!r}{hint} (modelzoo.list_weights() lists them all)")


def list_weights(pattern: str = "*") -> list[str]:
    """Tags matching an fnmatch ``pattern`` (case-insensitive; model aliases work), grouped by
    model in :func:`modelzoo.list_models` order, each model's default first."""
    table = weight_table()
    pat = pattern.strip().lower()
    if split_tag(pat)[1] is None:  # no tag part (aliases such as 'RegNetY-3.2GF' keep their dot)
        pat_base, pat_tag = pat, "*"
    else:
        pat_base, pat_tag = pat.rsplit(".", 1)
    out = []
    for tag, spec in table.items():
        arch = architecture(spec.arch)
        names = {arch.name, *(a.lower() for a in arch.aliases), arch.display_name.lower()}
        if fnmatch.fnmatchcase(tag, pat) or (
            any(fnmatch.fnmatchcase(n, pat_base) for n in names) and fnmatch.fnmatchcase(spec.name, pat_tag)
        ):
            out.append(tag)
    order = {t: i for i, t in enumerate(table)}
    return sorted(out, key=lambda t: (size_order(table[t].arch), order[t]))
