"""Loading weights: pick them (tag, file, directory, Hub repo, URL), fetch, read safely, convert,
adapt to the model, check every key, load, and record the weights' data config on the model.

Files are read as safetensors where possible; anything else goes through
``torch.load(weights_only=True)`` only — nothing ever runs a full unpickle.
"""
from __future__ import annotations

import os
import pickle
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from ..data_config import DataConfig
from . import convert as cv
from .download import fetch_first
from .specs import Source, UnknownWeightsError, WeightSpec, default_weights, get_weights

HF_PREFIX = "hf-hub:"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")  # preferred first
PICKLE_SUFFIXES = (".pth", ".pt", ".bin", ".pyth", ".ckpt", ".tar")
CLASSIFIER = "head.fc."


class UnsafeCheckpointError(ValueError):
    """A pickle file that needs arbitrary code to load (refused)."""


class ClassifierReinitializedWarning(UserWarning):
    """The weights' classifier did not fit the requested ``num_classes`` and was re-initialised."""


class WeightsMismatchError(ValueError):
    """Converted weights do not fit the model: missing, unexpected or mis-shaped keys."""

    def __init__(self, what: str, missing: list[str], unexpected: list[str], shapes: list[str]):
        def block(title: str, items: list[str]) -> str:
            more = f"\n    ... and {len(items) - 20} more" if len(items) > 20 else ""
            return f"\n  {title} ({len(items)}):\n    " + "\n    ".join(items[:20]) + more if items else ""

        super().__init__(f"weights {what} do not fit the model:" + block("missing keys", missing)
                         + block("unexpected keys", unexpected) + block("shape mismatches", shapes))  # fmt: skip
        self.missing, self.unexpected, self.shapes = missing, unexpected, shapes


@dataclass(frozen=True)
class Checkpoint:
    """Weights resolved to a local file, plus what is needed to build a model for them.

    ``converter=None`` means detect it from the keys; ``channel_order=None`` means BGR for pycls
    checkpoints and RGB otherwise. ``info`` is merged into the model's ``pretrained_cfg``.
    """

    path: Path
    what: str
    converter: str | None = None
    channel_order: str | None = None
    architecture: str | None = None
    data_config: DataConfig | None = None
    num_classes: int | None = None
    in_chans: int | None = None
    model_args: dict[str, Any] = field(default_factory=dict)
    required_args: frozenset[str] = frozenset()
    info: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------- reading
def read_checkpoint(path: str | os.PathLike) -> Any:
    """Load a weight file on the CPU: safetensors, else ``torch.load(weights_only=True)``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"weight file not found: {path}")
    with open(path, "rb") as f:
        head = f.read(16)
    if path.suffix == ".safetensors" or _looks_like_safetensors(head):
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(str(path), device="cpu")
        except (SafetensorError, OSError, ValueError) as e:
            raise ValueError(f"{path}: not a readable safetensors file ({e})") from None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        raise UnsafeCheckpointError(
            f"{path}: refusing to load: the pickle needs code beyond tensors and plain containers ({e}). "
            "Only weights_only=True loading is allowed; convert the file to safetensors where you trust it."
        ) from None
    except (RuntimeError, EOFError, OSError) as e:
        raise ValueError(f"{path}: not a readable PyTorch weight file ({e})") from None


def _looks_like_safetensors(head: bytes) -> bool:
    """safetensors files start with an 8-byte little-endian header length, then ``{``."""
    return len(head) >= 9 and head[8:9] == b"{" and int.from_bytes(head[:8], "little") < (1 << 27)


# ------------------------------------------------------------------------------------- loading
def load_into(model: nn.Module, ckpt: Checkpoint, *, adopt_classes: bool = False) -> nn.Module:
    """Convert ``ckpt`` for ``model`` and load it; every key must match. When the class counts differ
    the classifier is re-initialised with a :class:`ClassifierReinitializedWarning` — or, with
    ``adopt_classes=True`` (the caller asked for no particular ``num_classes``), resized to the
    weights' classes and loaded. Records the data config in ``pretrained_cfg``."""
    obj = read_checkpoint(ckpt.path)
    converter = ckpt.converter or cv.detect_converter(obj)
    sd = cv.convert(obj, converter)
    order = ckpt.channel_order or ("BGR" if converter == "pycls" else "RGB")
    if order == "BGR":
        sd = cv.flip_channels(sd)
    sd = cv.adapt_in_chans(sd, getattr(model, "in_chans", 3))
    sd, dropped_head = _fit_classifier(model, sd, ckpt.what, adopt_classes)
    _check_keys(model, sd, ckpt.what, skip_missing=dropped_head)
    model.load_state_dict(sd, strict=False)  # _check_keys made sure only tolerated keys are absent
    _record_config(model, ckpt)
    return model


def _fit_classifier(model: nn.Module, sd: cv.StateDict, what: str, adopt: bool) -> tuple[cv.StateDict, bool]:
    w = sd.get(CLASSIFIER + "weight")
    classes = int(w.shape[0]) if w is not None else 0
    wanted = int(getattr(model, "num_classes", classes))
    if classes != wanted and adopt and classes > 0:
        model.reset_classifier(classes)
        wanted = classes
    if classes == wanted:
        return sd, False
    if wanted > 0:
        warnings.warn(
            f"{what}: the weights have {classes} classes, the model {wanted}; loaded everything but the classifier "
            f"({CLASSIFIER[:-1]}), which is freshly initialised and needs training",
            ClassifierReinitializedWarning,
            stacklevel=5,  # the caller of modelzoo.create
        )
        model.reset_classifier(wanted)
    return {k: v for k, v in sd.items() if not k.startswith(CLASSIFIER)}, True


def _check_keys(model: nn.Module, sd: cv.StateDict, what: str, *, skip_missing: bool) -> None:
    expected = model.state_dict()
    tolerated = {k for k in expected if k.endswith("num_batches_tracked")}
    if skip_missing:
        tolerated |= {k for k in expected if k.startswith(CLASSIFIER)}
    missing = [k for k in expected if k not in sd and k not in tolerated]
    unexpected = [k for k in sd if k not in expected]
    shapes = [f"{k}: weights {tuple(v.shape)}, model {tuple(expected[k].shape)}"
              for k, v in sd.items() if k in expected and v.shape != expected[k].shape]  # fmt: skip
    if missing or unexpected or shapes:
        raise WeightsMismatchError(what, missing, unexpected, shapes)


def _record_config(model: nn.Module, ckpt: Checkpoint) -> None:
    if not hasattr(model, "pretrained_cfg"):
        return
    names = ckpt.info.get("class_names")
    if names is not None and len(names) != getattr(model, "num_classes", len(names)):  # the head was replaced
        ckpt = replace(ckpt, info={k: v for k, v in ckpt.info.items() if k != "class_names"})
    dc = ckpt.data_config or getattr(model, "data_config", None)
    if dc is not None and hasattr(model, "_cfg_dict"):
        model.data_config = dc
        model.pretrained_cfg = {**model._cfg_dict(dc), **ckpt.info}
    else:
        model.pretrained_cfg = {**model.pretrained_cfg, **ckpt.info}


def apply_spec_config(model: nn.Module, spec: WeightSpec) -> None:
    """Give a model built for ``spec`` (but not loaded) the spec's data config."""
    _record_config(model, Checkpoint(Path(), spec.tag, data_config=spec.data_config, info={"tag": spec.tag}))


# --------------------------------------------------------------------------------- resolution
def is_checkpoint_name(name: Any) -> bool:
    """True for a model *name* that is really a checkpoint: ``hf-hub:org/repo`` or a path (it must
    contain a slash or start with ``.``/``~``, so a folder named like a model never shadows it)."""
    if isinstance(name, os.PathLike):
        return True
    return isinstance(name, str) and (name.startswith(HF_PREFIX) or _looks_like_path(name))


def _looks_like_path(s: str) -> bool:
    return "/" in s or os.sep in s or s.startswith(("~", ".")) or s.endswith((".safetensors", *PICKLE_SUFFIXES))


def select(arch: str, tag: str | None, pretrained: bool | str | os.PathLike) -> WeightSpec | str | None:
    """What ``pretrained`` (with an optional ``.tag`` from the model name) asks for: a registered
    spec, a checkpoint reference (path, ``hf-hub:`` repo or URL), or None for random weights."""
    if isinstance(pretrained, os.PathLike):
        pretrained = os.fspath(pretrained)
    if isinstance(pretrained, str) and (is_checkpoint_name(pretrained) or pretrained.startswith(("http://", "https://"))):
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


def from_spec(spec: WeightSpec) -> Checkpoint:
    """Fetch a registered weight set (first cached mirror, else first that downloads)."""
    source, path = fetch_first(spec.sources, spec.tag)
    info = {
        "tag": spec.tag, "source": source.location, "license": spec.license, "non_commercial": spec.non_commercial,
        "origin": spec.origin, "top1_err": spec.top1_err, "top5_err": spec.top5_err,
    }  # fmt: skip
    return Checkpoint(path, spec.tag, source.converter, source.channel_order, spec.arch, spec.data_config,
                      spec.num_classes, 3, spec.model_kwargs, frozenset(spec.model_kwargs), info)  # fmt: skip


def open_reference(ref: str | os.PathLike) -> Checkpoint:
    """A checkpoint from a local file, a ``save_pretrained`` directory, ``hf-hub:org/repo[@revision]``
    or an http(s) URL (whose digest is recorded on first download)."""
    from .publish import checkpoint_from_config, read_config

    ref = os.fspath(ref)
    if ref.startswith(HF_PREFIX):
        return _from_hf_repo(ref)
    if ref.startswith(("http://", "https://")):
        source = Source(url=ref)
        _, path = fetch_first((source,), ref)
        return Checkpoint(path, ref, info={"source": ref})
    path = Path(ref).expanduser()
    if path.is_dir():
        if (path / "config.json").is_file():
            return checkpoint_from_config(read_config(path / "config.json"), _weights_in_dir(path), str(path))
        return Checkpoint(_weights_in_dir(path), str(path), info={"source": str(path)})
    if path.is_file():
        return Checkpoint(path, str(path), info={"source": str(path)})
    raise FileNotFoundError(f"pretrained={ref!r}: no such file or directory")


def _weights_in_dir(path: Path) -> Path:
    for name in WEIGHT_FILES:
        if (path / name).is_file():
            return path / name
    raise FileNotFoundError(f"{path}: no weight file ({' or '.join(WEIGHT_FILES)}) in the directory")


def _from_hf_repo(ref: str) -> Checkpoint:
    from .download import OfflineError, WeightsNotFoundError
    from .publish import checkpoint_from_config, read_config

    repo, _, revision = ref[len(HF_PREFIX):].partition("@")
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise ValueError(f"{ref!r}: expected 'hf-hub:org/repo' or 'hf-hub:org/repo@revision'")
    revision = revision or "main"
    errors = []
    for name in WEIGHT_FILES:
        try:
            _, weights = fetch_first((Source(hf_repo=repo, filename=name, revision=revision),), ref, pinned=False)
            break
        except WeightsNotFoundError as e:
            errors.append(str(e))
    else:
        raise WeightsNotFoundError(f"{ref}: no weight file in the repo:\n  " + "\n  ".join(errors))
    try:
        _, config_path = fetch_first((Source(hf_repo=repo, filename="config.json", revision=revision),), ref, pinned=False)
    except (WeightsNotFoundError, OfflineError):
        return Checkpoint(weights, ref, info={"source": ref})
    return checkpoint_from_config(read_config(config_path, ref), weights, ref)

