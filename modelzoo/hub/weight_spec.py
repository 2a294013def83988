"""What a published weight set is: :class:`WeightSpec` and its :class:`Source` mirrors (data only).

The tables in :mod:`modelzoo.hub.tables` list every weight set; :mod:`modelzoo.hub.specs` looks
them up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..data_config import DataConfig

# Licenses that forbid (or do not clear) commercial use.
NON_COMMERCIAL_LICENSES = frozenset({"cc-by-nc-4.0", "seer-license"})
CHANNEL_ORDERS = ("RGB", "BGR")
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class Source:
    """One place a weight file can be fetched from: a Hugging Face Hub file, a plain URL or a
    local file.

    ``sha256`` is the file's hex digest, or a published prefix of it (at least 8 hex digits, as in
    torchvision's file names); None when unknown, in which case the digest of a downloaded file is
    recorded on first download and checked on every later load. ``converter`` names the key
    converter (:data:`modelzoo.hub.convert.CONVERTERS`; None: recognised from the keys);
    ``channel_order`` is the colour order the file's stem conv expects (pycls checkpoints are BGR
    and are flipped to RGB on load; None: BGR for pycls checkpoints, else RGB).
    """

    url: str | None = None
    hf_repo: str | None = None
    path: str | None = None
    filename: str | None = None  # file in the Hub repo (default model.safetensors); URL/path: its last part
    revision: str = "main"
    sha256: str | None = None
    size: int | None = None
    converter: str | None = None
    channel_order: str | None = None

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.url, self.hf_repo, self.path)) != 1:
            raise ValueError(f"a Source needs exactly one of url=, hf_repo= or path=, got {self}")
        if self.sha256 is not None and (len(self.sha256) < 8 or len(self.sha256) > 64 or not _HEX.fullmatch(self.sha256)):
            raise ValueError(f"Source.sha256 must be 8-64 lower-case hex digits, got {self.sha256!r}")
        if self.channel_order not in (None, *CHANNEL_ORDERS):
            raise ValueError(f"Source.channel_order must be one of {CHANNEL_ORDERS}, got {self.channel_order!r}")
        if self.filename is None:
            where = self.url or self.path
            name = "model.safetensors" if where is None else where.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            object.__setattr__(self, "filename", name)

    def stem_order(self, converter: str | None = None) -> str:
        """The colour order the file's stem expects: as given, else BGR for a pycls checkpoint
        (``converter``, the source's or the one recognised from the keys), else RGB."""
        return self.channel_order or ("BGR" if (self.converter or converter) == "pycls" else "RGB")

    @property
    def location(self) -> str:
        """``hf-hub:org/repo/filename@revision``, the URL or the path."""
        if self.hf_repo is not None:
            return f"hf-hub:{self.hf_repo}/{self.filename}@{self.revision}"
        return str(self.url or self.path)

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
    is_default: bool = False  # the model's default weights (the first listed for it; set by the table)
    channel_order: str = "RGB"  # what the loaded model expects

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

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able description (for ``modelzoo info`` and model cards)."""
        return {
            "tag": self.tag,
            "arch": self.arch,
            "default": self.is_default,
            "sources": [
                {"location": s.location, "format": s.format, "converter": s.converter, "sha256": s.sha256,
                 "size": s.size, "channel_order": s.stem_order()}  # fmt: skip
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
