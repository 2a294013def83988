"""The one resolver: what a model name (and a ``pretrained`` value) means.

``resolve(name, pretrained)`` takes a canonical name or alias, ``name.tag``, a ``save_pretrained``
directory or weight file, ``hf-hub:org/repo[@revision]`` or a pycls ``.pyth`` file, and says which
architecture to build, with which constructor arguments, from which weights, expecting which data
config. It reads configs (a saved ``config.json``, a pycls file's own config) but never downloads
weight files: :func:`modelzoo.hub.load.read_state` does that when the model is created.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..data_config import DataConfig
from ..registry import Architecture, architecture, split_tag
from . import pycls
from .convert import is_pycls_checkpoint
from .download import OfflineError, WeightsNotFoundError, fetch_first
from .load import Weights, read_checkpoint
from .saved_config import SavedConfig, read_config
from .specs import NON_COMMERCIAL_LICENSES, Source, UnknownWeightsError, WeightSpec, default_weights, get_weights

Pretrained = Union[bool, str, os.PathLike]
HF_PREFIX = "hf-hub:"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")  # in a directory or Hub repo, preferred first
PICKLE_SUFFIXES = (".pth", ".pt", ".bin", ".pyth", ".ckpt", ".tar")


@dataclass(frozen=True)
class Resolved:
    """What a name means: the architecture, the constructor arguments that come with the weights
    (``fixed`` ones may not be overridden, e.g. ``tf_port``), the weights to load (None: random
    init), the data config they expect and what ``pretrained_cfg`` should say about them."""

    architecture: Architecture
    kwargs: dict[str, Any] = field(default_factory=dict)
    fixed: frozenset[str] = frozenset()
    weights: Weights | None = None
    data_config: DataConfig | None = None
    info: dict[str, Any] = field(default_factory=dict)
    spec: WeightSpec | None = None

    @property
    def what(self) -> str:
        """The weights (or tag) in words, for messages."""
        return self.weights.what if self.weights is not None else (self.spec.tag if self.spec else self.architecture.name)


def is_reference(name: Any) -> bool:
    """True for a model *name* that is really a checkpoint: ``hf-hub:org/repo`` or a path (it must
    contain a slash, start with ``.``/``~`` or end in a weight-file suffix, so a folder named like a
    model never shadows the model)."""
    if isinstance(name, os.PathLike):
        return True
    return isinstance(name, str) and (
        name.startswith(HF_PREFIX) or "/" in name or os.sep in name or name.startswith(("~", "."))
        or name.endswith((".safetensors", *PICKLE_SUFFIXES))
    )  # fmt: skip


def resolve(name: str | os.PathLike, pretrained: Pretrained = False) -> Resolved:
    """What ``modelzoo.create(name, pretrained)`` builds and loads (see :class:`Resolved`).

    ``name``: a canonical name or alias (``resnet50``, ``ResNet-50``), ``name.tag``
    (``resnet50.tv2_in1k``), a ``save_pretrained`` directory, a weight file whose layout names the
    model (a pycls ``.pyth``), or ``hf-hub:org/repo[@revision]``. ``pretrained``: False (random
    init; a tag still selects its architecture options and data config), True (the tag's or the
    model's default weights), a tag (``'tv_in1k'``), a file, a directory, ``hf-hub:`` or an URL.
    """
    if is_reference(name):
        if not isinstance(pretrained, bool):
            raise ValueError(f"{os.fspath(name)!r} names its own weights; pretrained={pretrained!r} makes no sense with it")
        found = open_reference(os.fspath(name))
        if found.architecture is None:
            raise ValueError(f"{os.fspath(name)}: no config.json names the architecture; use "
                             f"modelzoo.create('<model name>', pretrained={os.fspath(name)!r})")  # fmt: skip
        return found.resolved(found.architecture)
    if not isinstance(name, str):
        raise TypeError(f"model names are strings, got {type(name).__name__}")
    base, tag = split_tag(name)
    arch = architecture(base)
    choice = _select(arch.name, tag, pretrained)
    if isinstance(choice, WeightSpec):
        return from_spec(arch, choice, load=pretrained is not False)
    if choice is None:
        return Resolved(arch, data_config=arch.data_config)
    found = open_reference(choice)
    if found.architecture is not None and found.architecture.name != arch.name:
        raise ValueError(f"{found.what} holds a {found.architecture.name}, not a {arch.name}")
    return found.resolved(arch)


def _select(arch: str, tag: str | None, pretrained: Pretrained) -> WeightSpec | str | None:
    """What ``pretrained`` (with an optional ``.tag`` from the model name) asks for: a registered
    spec, a checkpoint reference (path, ``hf-hub:`` repo or URL), or None for random weights."""
    if isinstance(pretrained, os.PathLike):
        pretrained = os.fspath(pretrained)
    if isinstance(pretrained, str) and (is_reference(pretrained) or pretrained.startswith(("http://", "https://"))):
        if tag:
            raise ValueError(f"give either a weight tag ({arch}.{tag}) or pretrained={pretrained!r}, not both")
        return pretrained
    if isinstance(pretrained, str):
        wanted = pretrained if "." in pretrained else f"{arch}.{pretrained}"
        try:
            spec = get_weights(wanted)
        except UnknownWeightsError:
            if os.path.exists(pretrained):  # a relative path without a slash
                return pretrained
            raise
        if spec.arch != arch:
            raise ValueError(f"pretrained={pretrained!r} holds weights for {spec.arch}, not {arch}")
        if tag and spec.name != tag.lower():
            raise ValueError(f"the model name asks for tag {tag!r} but pretrained={pretrained!r}")
        return spec
    if not isinstance(pretrained, bool):
        raise TypeError(f"pretrained must be a bool, a weight tag, a path or 'hf-hub:org/repo', got {pretrained!r}")
    if tag:
        return get_weights(f"{arch}.{tag}")
    if not pretrained:
        return None
    spec = default_weights(arch)
    if spec is None:
        raise ValueError(f"model {arch!r} has no pretrained weights (modelzoo.list_models(pretrained=True) lists the "
                         "models that do; pretrained= also takes a local file or 'hf-hub:org/repo')")  # fmt: skip
    return spec


def from_spec(arch: Architecture, spec: WeightSpec, *, load: bool) -> Resolved:
    """A registered weight set: its architecture options and data config, and (``load``) the weights."""
    info: dict[str, Any] = {"tag": spec.tag}
    weights = None
    if load:
        info.update(license=spec.license, non_commercial=spec.non_commercial, origin=spec.origin,
                    top1_err=spec.top1_err, top5_err=spec.top5_err)  # fmt: skip
        weights = Weights(spec.tag, spec.sources, num_classes=spec.num_classes, in_chans=3)
    return Resolved(arch, spec.model_kwargs, frozenset(spec.model_kwargs), weights, spec.data_config, info, spec)


# ----------------------------------------------------------------------------------- references
@dataclass(frozen=True)
class _Reference:
    """What a checkpoint reference says about itself (architecture None: it does not say)."""

    what: str
    weights: Weights
    architecture: Architecture | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    fixed: frozenset[str] = frozenset()
    data_config: DataConfig | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def resolved(self, arch: Architecture) -> Resolved:
        return Resolved(arch, self.kwargs, self.fixed, self.weights, self.data_config or arch.data_config, self.info)


def open_reference(ref: str) -> _Reference:
    """A local file, a ``save_pretrained`` directory, ``hf-hub:org/repo[@revision]`` or an http(s)
    URL (whose digest is recorded on first download), with what its config says."""
    if ref.startswith(HF_PREFIX):
        return _from_hf_repo(ref)
    if ref.startswith(("http://", "https://")):
        return _plain(ref, (Source(url=ref),))
    path = Path(ref).expanduser()
    if path.is_dir():
        weights = _weights_in_dir(path)
        if (path / "config.json").is_file():
            return _from_config(read_config(path / "config.json"), str(path), (Source(path=str(weights)),))
        return _plain(str(path), (Source(path=str(weights)),))
    if path.is_file():
        return _from_file(path)
    raise FileNotFoundError(f"pretrained={ref!r}: no such file or directory")


def _plain(what: str, sources: tuple[Source, ...], pinned: bool = True) -> _Reference:
    return _Reference(what, Weights(what, sources, pinned=pinned), info={"source": what})


def _from_file(path: Path) -> _Reference:
    """A weight file; a pycls checkpoint also names its architecture (from the config inside)."""
    ref = _plain(str(path), (Source(path=str(path)),))
    if path.suffix != ".pyth":
        return ref
    obj = read_checkpoint(path)
    if not is_pycls_checkpoint(obj):
        return ref
    cfg = pycls.parse_cfg(obj["cfg"], str(path))
    arch = pycls.architecture_of(cfg, str(path))
    args = pycls.model_args(cfg)
    num_classes = args.pop("num_classes")
    size = int(cfg.get("TRAIN", {}).get("IM_SIZE", arch.data_config.train_size))
    dc = DataConfig(train_size=size, test_size=int(cfg.get("TEST", {}).get("IM_SIZE", 256)), crop_size=size)
    weights = Weights(str(path), ref.weights.sources, num_classes=num_classes, in_chans=3)
    return _Reference(str(path), weights, arch, args, frozenset(), dc, {"source": str(path)})


def _weights_in_dir(path: Path) -> Path:
    for name in WEIGHT_FILES:
        if (path / name).is_file():
            return path / name
    raise FileNotFoundError(f"{path}: no weight file ({' or '.join(WEIGHT_FILES)}) in the directory")


def _from_config(cfg: SavedConfig, what: str, sources: tuple[Source, ...], pinned: bool = True) -> _Reference:
    args = dict(cfg.model_args)
    num_classes, in_chans = args.pop("num_classes", None), args.pop("in_chans", None)
    info = {"source": what, "license": cfg.license,
            "non_commercial": cfg.license in NON_COMMERCIAL_LICENSES if cfg.license else None,
            "top1_err": cfg.metrics.get("top1_err"), "top5_err": cfg.metrics.get("top5_err"),
            "class_names": cfg.class_names}  # fmt: skip
    info = {k: v for k, v in info.items() if v is not None}
    weights = Weights(what, sources, pinned=pinned, num_classes=num_classes, in_chans=in_chans)
    return _Reference(what, weights, architecture(cfg.architecture), args, frozenset(), cfg.data_config, info)


def _from_hf_repo(ref: str) -> _Reference:
    repo, _, revision = ref[len(HF_PREFIX) :].partition("@")
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise ValueError(f"{ref!r}: expected 'hf-hub:org/repo' or 'hf-hub:org/repo@revision'")
    revision = revision or "main"
    sources = tuple(Source(hf_repo=repo, filename=f, revision=revision) for f in WEIGHT_FILES)
    try:
        _, config_path = fetch_first((Source(hf_repo=repo, filename="config.json", revision=revision),), ref,
                                     pinned=False)  # fmt: skip
    except (WeightsNotFoundError, OfflineError):
        try:  # without a config the weights must be there: say which is missing
            fetch_first(sources, ref, pinned=False)
        except WeightsNotFoundError:
            raise WeightsNotFoundError(f"{ref}: no weight file in the repo ({' or '.join(WEIGHT_FILES)})") from None
        return _plain(ref, sources, pinned=False)
    return _from_config(read_config(config_path, ref), ref, sources, pinned=False)
