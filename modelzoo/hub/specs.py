"""Weight specs: what a published weight set is, where it lives, and how it was measured.

A :class:`WeightSpec` is data. The tables in :mod:`modelzoo.hub.tables` list every weight set;
the functions here look them up. The first spec listed for a model is its default.
"""
from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from ..data_config import DataConfig

# Licenses that forbid (or do not clear) commercial use.
NON_COMMERCIAL_LICENSES = frozenset({"cc-by-nc-4.0", "seer-license"})
CHANNEL_ORDERS = ("RGB", "BGR")
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class Source:
    """One place a weight file can be fetched from: a Hugging Face Hub file or a plain URL.

    ``sha256`` is the file's hex digest, or a published prefix of it (at least 8 hex digits, as in
    torchvision's file names); None when unknown, in which case the digest is recorded on first
    download and checked on every later load. ``converter`` names the key converter
    (:data:`modelzoo.hub.convert.CONVERTERS`); ``channel_order`` is the colour order the file's stem
    conv expects (pycls checkpoints are BGR and are flipped to RGB on load).
    """

    url: str | None = None
    hf_repo: str | None = None
    filename: str | None = None  # file in the Hub repo (default model.safetensors); URL: its last part
    revision: str = "main"
    sha256: str | None = None
    size: int | None = None
    converter: str = "zoo"
    channel_order: str = "RGB"

    def __post_init__(self) -> None:
        if (self.url is None) == (self.hf_repo is None):
            raise ValueError(f"a Source needs exactly one of url= or hf_repo=, got {self}")
        if self.sha256 is not None and (len(self.sha256) < 8 or len(self.sha256) > 64 or not _HEX.fullmatch(self.sha256)):
            raise ValueError(f"Source.sha256 must be 8-64 lower-case hex digits, got {self.sha256!r}")
        if self.channel_order not in CHANNEL_ORDERS:
            raise ValueError(f"Source.channel_order must be one of {CHANNEL_ORDERS}, got {self.channel_order!r}")
        if self.filename is None:
            name = "model.safetensors" if self.url is None else self.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            object.__setattr__(self, "filename", name)

    @property
    def location(self) -> str:
        """``hf-hub:org/repo/filename@revision`` or the URL."""
        if self.hf_repo is not None:
            return f"hf-hub:{self.hf_repo}/{self.filename}@{self.revision}"
        return str(self.url)

    @property
    def format(self) -> str:
        """``safetensors`` or ``pickle`` (``.pth``/``.bin``/``.pyth``, read with ``weights_only=True``)."""
        return "safetensors" if str(self.filename).endswith(".safetensors") else "pickle"


@dataclass(frozen=True)
class WeightSpec:
    """A published weight set for one model, e.g. ``resnet50.tv_in1k``.

    ``sources`` are mirrors of the same trained weights, tried in order (the first is preferred).
    ``top1_err``/``top5_err`` (percent) are the published ImageNet-1k validation errors, measured as
    ``protocol`` says, with the eval preprocessing in ``data_config`` (RGB input, ``mean``/``std``
    on a 0–1 scale). ``model_args`` are constructor arguments the weights need (``tf_port=True``).
    """

    tag: str
    sources: tuple[Source, ...]
    data_config: DataConfig
    license: str
    origin: str
    top1_err: float | None
    top5_err: float | None
    protocol: str
    num_classes: int = 1000
    model_args: tuple[tuple[str, Any], ...] = ()
    notes: str = ""
    channel_order: str = field(default="RGB", init=False)  # what the loaded model expects

    def __post_init__(self) -> None:
        if self.tag.count(".") != 1 or self.tag != self.tag.lower():
            raise ValueError(f"weight tags look like 'model.name' (lower case), got {self.tag!r}")
        if not self.sources:
            raise ValueError(f"{self.tag}: a WeightSpec needs at least one Source")

    @property
    def arch(self) -> str:
        """Canonical model name (the part before the dot)."""
        return self.tag.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The tag without the model name, e.g. ``tv_in1k``."""
        return self.tag.split(".", 1)[1]

    @property
    def source(self) -> Source:
        """The preferred source."""
        return self.sources[0]

    @property
    def url(self) -> str | None:
        """The first plain-URL source, if any."""
        return next((s.url for s in self.sources if s.url is not None), None)

    @property
    def non_commercial(self) -> bool:
        """True when the license restricts commercial use."""
        return self.license in NON_COMMERCIAL_LICENSES

    @property
    def model_kwargs(self) -> dict[str, Any]:
        return dict(self.model_args)

    @property
    def is_default(self) -> bool:
        return default_weights(self.arch) is self

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able description (for ``modelzoo info`` and model cards)."""
        return {
            "tag": self.tag,
            "arch": self.arch,
            "default": self.is_default,
            "sources": [
                {"location": s.location, "format": s.format, "converter": s.converter, "sha256": s.sha256,
                 "size": s.size, "channel_order": s.channel_order}  # fmt: skip
                for s in self.sources
            ],
            "license": self.license,
            "non_commercial": self.non_commercial,
            "origin": self.origin,
            "top1_err": self.top1_err,
            "top5_err": self.top5_err,
            "protocol": self.protocol,
            "num_classes": self.num_classes,
            "model_args": self.model_kwargs,
            "data_config": self.data_config.to_dict(),
            "channel_order": self.channel_order,
            "notes": self.notes,
        }


class UnknownWeightsError(KeyError, ValueError):
    """An unknown weight tag (the message lists the model's tags or the closest ones)."""

    def __init__(self, tag: str, message: str):
        super().__init__(message)
        self.tag = tag

    def __str__(self) -> str:
        return str(self.args[0])


def _table() -> dict[str, WeightSpec]:
    from .tables import ALL

    table: dict[str, WeightSpec] = {}
    for spec in ALL:
        if spec.tag in table:
            raise ValueError(f"weight tag {spec.tag!r} is listed twice")
        table[spec.tag] = spec
    return table


WEIGHTS: dict[str, WeightSpec] = _table()


def models_with_weights() -> set[str]:
    """Canonical model names that have at least one weight set."""
    return {spec.arch for spec in WEIGHTS.values()}


def default_weights(arch: str) -> WeightSpec | None:
    """The default weight set of a canonical model name (the first listed), or None."""
    return next((s for s in WEIGHTS.values() if s.arch == arch), None)


def _canonical_tag(tag: str) -> str:
    from ..registry import is_model, resolve, split_tag

    base, name = split_tag(tag)
    if name is None or not is_model(base):
        return tag.strip().lower()
    return f"{resolve(base)}.{name.strip().lower()}"


def get_weights(tag: str) -> WeightSpec:
    """The spec for ``tag`` (``'resnet50.tv_in1k'``; model aliases work: ``'regnety_032.pycls_in1k'``).

    A bare model name gives that model's default weights. Unknown tags raise
    :class:`UnknownWeightsError` listing the model's tags or the closest ones.
    """
    from ..registry import is_model, resolve, split_tag

    if not isinstance(tag, str):
        raise TypeError(f"weight tags are strings, got {type(tag).__name__}")
    if split_tag(tag)[1] is None and is_model(tag):
        spec = default_weights(resolve(tag))
        if spec is None:
            raise UnknownWeightsError(tag, f"model {resolve(tag)!r} has no pretrained weights "
                                           "(modelzoo.list_models(pretrained=True) lists those that do)")  # fmt: skip
        return spec
    key = _canonical_tag(tag)
    if key in WEIGHTS:
        return WEIGHTS[key]
    base, _ = split_tag(tag)
    if is_model(base):
        arch = resolve(base)
        tags = [t for t, s in WEIGHTS.items() if s.arch == arch]
        hint = f"; {arch} has: {', '.join(tags)}" if tags else f"; {arch} has no pretrained weights"
    else:
        close = difflib.get_close_matches(key, list(WEIGHTS), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownWeightsError(tag, f"unknown weight tag {tag!r}{hint} (modelzoo.list_weights() lists them all)")


def list_weights(pattern: str = "*") -> list[str]:
    """Tags matching an fnmatch ``pattern`` (case-insensitive; model aliases work), grouped by
    model in natural order, each model's default first."""
    from ..registry import architecture, natural_key, split_tag

    pat = pattern.strip().lower()
    if split_tag(pat)[1] is None:  # no tag part (aliases such as 'RegNetY-3.2GF' keep their dot)
        pat_base, pat_tag = pat, "*"
    else:
        pat_base, pat_tag = pat.rsplit(".", 1)
    out = []
    for tag, spec in WEIGHTS.items():
        arch = architecture(spec.arch)
        names = {arch.name, *(a.lower() for a in arch.aliases), arch.display_name.lower()}
        if fnmatch.fnmatchcase(tag, pat) or (
            any(fnmatch.fnmatchcase(n, pat_base) for n in names) and fnmatch.fnmatchcase(spec.name, pat_tag)
        ):
            out.append(tag)
    order = {t: i for i, t in enumerate(WEIGHTS)}
    return sorted(out, key=lambda t: (natural_key(WEIGHTS[t].arch), order[t]))
