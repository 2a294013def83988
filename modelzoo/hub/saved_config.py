"""The ``config.json`` of a saved model: its one format, written by ``save_pretrained`` and read by
the resolver (timm's Hub ``config.json`` is read too).

It holds the architecture, the constructor arguments that rebuild the exact model, the data
config, class names, license, metrics, training recipe and provenance.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from ..data_config import INTERPOLATIONS, DataConfig
from ..models.base import data_config_of
from ..registry import architecture, is_model
from ..version import __version__

FORMAT = "modelzoo"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SavedConfig:
    """The parsed ``config.json`` of a saved model (or of a timm Hub repo)."""

    architecture: str
    model_args: dict[str, Any]
    data_config: DataConfig | None
    license: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    class_names: list[str] | None = None


def constructor_args(model: nn.Module) -> dict[str, Any]:
    """The keyword arguments that rebuild ``model`` with ``modelzoo.create(model.arch_name, **args)``,
    as recorded when it was built (the class count as it is now)."""
    if not getattr(model, "arch_name", "") or not isinstance(getattr(model, "model_args", None), dict):
        raise ValueError("save_pretrained needs a model built by modelzoo.create() (it has no arch_name and model_args)")
    args = dict(model.model_args)
    if hasattr(model, "num_classes"):
        args["num_classes"] = int(model.num_classes)
    return args


def _json_safe(obj: Any, what: str) -> Any:
    try:
        return json.loads(json.dumps(obj, allow_nan=False, default=_to_plain))
    except (TypeError, ValueError) as e:
        raise ValueError(f"save_pretrained: {what} must be JSON-serialisable: {e}") from None


def _to_plain(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor) and obj.numel() == 1:
        return obj.item()
    if isinstance(obj, (Path, os.PathLike)):
        return os.fspath(obj)
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return obj.item()
    if isinstance(obj, (set, tuple)):
        return list(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def _class_names(model: nn.Module, class_names: list[str] | None) -> list[str] | None:
    names = class_names if class_names is not None else (getattr(model, "pretrained_cfg", {}) or {}).get("class_names")
    if names is None:
        return None
    names = [str(n) for n in names]
    if len(names) != model.num_classes:
        raise ValueError(f"save_pretrained: {len(names)} class names for a model with {model.num_classes} classes")
    return names


def build_config(model: nn.Module, state_sha256: str, *, metrics: dict | None, training: dict | None,
                 data_config: DataConfig | None, class_names: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """The ``config.json`` content for ``model`` whose saved state dict has digest ``state_sha256``."""
    base = getattr(model, "pretrained_cfg", {}) or {}
    # Only loaded weights have a source; a model built for a tag (pretrained=False) only has its config.
    base_weights = ({k: base[k] for k in ("tag", "source", "license", "non_commercial") if base.get(k) is not None}
                    if base.get("source") else None)  # fmt: skip
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "architecture": model.arch_name,
        "model_args": constructor_args(model),
        "data_config": (data_config or data_config_of(model)).to_dict(),
        "class_names": _class_names(model, class_names),
        "license": base.get("license"),
        "metrics": _json_safe(metrics or {}, "metrics"),
        "training": _json_safe(training or {}, "training"),
        "provenance": {
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "modelzoo_version": __version__,
            "torch_version": torch.__version__,
            "weights_sha256": state_sha256,
            "parameters": sum(p.numel() for p in model.parameters()),
            "base_weights": base_weights or None,
        },
    }


def parse_config(d: dict[str, Any], what: str) -> SavedConfig:
    """Validate a ``config.json`` (modelzoo's own, or a timm Hub repo's) into a :class:`SavedConfig`."""
    if not isinstance(d, dict):
        raise ValueError(f"{what}: config.json is not a JSON object")
    if d.get("format") != FORMAT:
        if "architecture" in d and isinstance(d.get("pretrained_cfg"), dict):
            return _from_timm_config(d, what)
        raise ValueError(f"{what}: config.json is neither a modelzoo config (format: {FORMAT!r}) nor a timm one")
    if d.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(f"{what}: config.json format_version {d['format_version']} is newer than this modelzoo "
                         f"understands ({FORMAT_VERSION}); upgrade modelzoo")  # fmt: skip
    try:
        arch, args = d["architecture"], dict(d["model_args"])
        dc = DataConfig.from_dict(d["data_config"]) if d.get("data_config") else None
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{what}: malformed config.json ({type(e).__name__}: {e})") from None
    names = d.get("class_names")
    if names is not None and (not isinstance(names, list) or len(names) != args.get("num_classes", len(names))):
        raise ValueError(f"{what}: config.json class_names must be a list with one name per class")
    return SavedConfig(arch, args, dc, d.get("license"), d.get("metrics") or {}, d.get("training") or {},
                       d.get("provenance") or {}, names)  # fmt: skip


def _from_timm_config(d: dict[str, Any], what: str) -> SavedConfig:
    name, args = str(d["architecture"]), {"num_classes": int(d.get("num_classes", 1000))}
    if name.startswith("tf_efficientnet_") and is_model(name[3:]):
        name, args["tf_port"] = name[3:], True
    if not is_model(name):
        raise ValueError(f"{what}: timm architecture {d['architecture']!r} has no exact modelzoo counterpart")
    cfg = d["pretrained_cfg"]
    dc = None
    if "input_size" in cfg:
        crop = int(cfg["input_size"][-1])
        pct = float(cfg.get("crop_pct") or 0.875)
        interp = cfg.get("interpolation", "bilinear")
        dc = DataConfig(train_size=crop, test_size=math.floor(crop / pct), crop_size=crop,
                        mean=tuple(cfg.get("mean", DataConfig().mean)), std=tuple(cfg.get("std", DataConfig().std)),
                        interpolation=interp if interp in INTERPOLATIONS else "bilinear")  # fmt: skip
    return SavedConfig(architecture(name).name, args, dc, cfg.get("license"))


def read_config(path: str | os.PathLike, what: str | None = None) -> SavedConfig:
    """Read and validate a saved ``config.json``; ``what`` names it in errors (default: its folder)."""
    path = Path(path)
    what = str(path.parent) if what is None else what
    try:
        d = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"{what}: unreadable config.json ({e})") from None
    return parse_config(d, what)
