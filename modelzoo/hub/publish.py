"""Publishing: ``save_pretrained`` writes a self-describing directory, ``push_to_hub`` uploads it.

A saved directory holds ``model.safetensors`` (the state dict), ``config.json`` (architecture,
constructor arguments, data config, metrics, training recipe, provenance) and a model card
``README.md``. ``modelzoo.create(directory)`` and ``modelzoo.create('hf-hub:org/repo')`` rebuild
the exact model from it.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from ..data_config import DataConfig
from ..layers import ACTIVATIONS
from .download import file_sha256
from .specs import NON_COMMERCIAL_LICENSES

FORMAT = "modelzoo"
FORMAT_VERSION = 1
FILES = ("model.safetensors", "config.json", "README.md")
HF_LICENSES = {"mit", "apache-2.0", "bsd-3-clause", "cc-by-nc-4.0", "cc-by-4.0"}


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


# ------------------------------------------------------------------------------ constructor args
def constructor_args(model: nn.Module) -> dict[str, Any]:
    """The keyword arguments that rebuild ``model`` with ``modelzoo.create(arch_name, **args)``.

    Read from the modules themselves and double-checked by rebuilding on the meta device: a model
    that cannot be described exactly raises ValueError instead of saving something else.
    """
    from ..models.efficientnet import EfficientNet, MBConv
    from ..registry import architecture

    arch_name = getattr(model, "arch_name", "")
    if not arch_name:
        raise ValueError("save_pretrained needs a model built by modelzoo.create() (it has no arch_name)")
    args: dict[str, Any] = {"num_classes": int(model.num_classes), "in_chans": int(model.in_chans)}
    bn = next((m for m in model.modules() if isinstance(m, nn.BatchNorm2d)), None)
    if bn is not None:
        args.update(bn_eps=float(bn.eps), bn_momentum=float(bn.momentum))
    act = getattr(getattr(model, "stem", None), "af", None)
    names = [n for n, cls in ACTIVATIONS.items() if type(act) is cls]
    if names:
        args["activation"] = names[0]
    head = getattr(model, "head", None)
    if head is not None and hasattr(head, "dropout"):
        args["drop_rate"] = float(head.dropout.p) if head.dropout is not None else 0.0
    if isinstance(model, EfficientNet):
        args["tf_port"] = bool(model.tf_port)
        block = next((m for m in model.modules() if isinstance(m, MBConv)), None)
        args["drop_connect_rate"] = float(block.drop_connect_rate) if block is not None else 0.0
    _check_rebuild(model, architecture(arch_name), args)
    return args


def _check_rebuild(model: nn.Module, arch, args: dict[str, Any]) -> None:
    try:
        with torch.device("meta"):
            rebuilt = arch.build(**args)
    except TypeError as e:
        raise ValueError(f"cannot describe {arch.name} for save_pretrained: {e}") from None
    same = repr(rebuilt) == repr(model) and getattr(rebuilt, "spec", None) == getattr(model, "spec", None)
    if not same or model.state_dict().keys() != rebuilt.state_dict().keys():
        raise ValueError(
            f"this {arch.name} differs from what modelzoo.create({arch.name!r}, **{args}) builds; save_pretrained "
            "only saves models it can rebuild exactly"
        )


# ------------------------------------------------------------------------------------- config
def data_config_of(model: nn.Module) -> DataConfig:
    """The data config a model's weights expect (its ``pretrained_cfg``)."""
    cfg = getattr(model, "pretrained_cfg", {}) or {}
    fields = DataConfig.__dataclass_fields__
    if all(k in cfg for k in fields):
        return DataConfig.from_dict({k: cfg[k] for k in fields})
    return getattr(model, "data_config", None) or DataConfig()


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
    from .. import __version__

    base = getattr(model, "pretrained_cfg", {}) or {}
    # Only loaded weights have a source; a model built for a tag (pretrained=False) only has its config.
    base_weights = ({k: base[k] for k in ("tag", "source", "license", "non_commercial") if base.get(k) is not None}
                    if base.get("source") else None)  # fmt: skip
    n_params = sum(p.numel() for p in model.parameters())
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
            "parameters": n_params,
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
    from ..registry import is_model, resolve

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
                        interpolation=interp if interp in ("bilinear", "bicubic", "nearest") else "bilinear")  # fmt: skip
    return SavedConfig(resolve(name), args, dc, cfg.get("license"))


def read_config(path: str | os.PathLike, what: str | None = None) -> SavedConfig:
    """Read and validate a saved ``config.json``; ``what`` names it in errors (default: its folder)."""
    path = Path(path)
    what = str(path.parent) if what is None else what
    try:
        d = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"{what}: unreadable config.json ({e})") from None
    return parse_config(d, what)


def checkpoint_from_config(cfg: SavedConfig, weights: Path, what: str):
    """A :class:`~modelzoo.hub.load.Checkpoint` for weights described by ``cfg``."""
    from .load import Checkpoint

    args = dict(cfg.model_args)
    num_classes, in_chans = args.pop("num_classes", None), args.pop("in_chans", None)
    info = {"source": what, "license": cfg.license,
            "non_commercial": cfg.license in NON_COMMERCIAL_LICENSES if cfg.license else None}  # fmt: skip
    for key in ("top1_err", "top5_err"):
        if key in cfg.metrics:
            info[key] = cfg.metrics[key]
    info["class_names"] = cfg.class_names
    info = {k: v for k, v in info.items() if v is not None}
    return Checkpoint(weights, what, architecture=cfg.architecture, data_config=cfg.data_config,
                      num_classes=num_classes, in_chans=in_chans, model_args=args, info=info)  # fmt: skip


# ---------------------------------------------------------------------------------- model card
def _card(config: dict[str, Any], repo_id: str | None) -> str:
    from ..registry import architecture

    arch = architecture(config["architecture"])
    dc, args, prov = config["data_config"], config["model_args"], config["provenance"]
    lic = config.get("license")
    front = ["---", f"license: {lic if lic in HF_LICENSES else 'other'}"]
    if lic and lic not in HF_LICENSES:
        front.append(f"license_name: {json.dumps(lic)}")
    front += ["library_name: modelzoo", "tags:", "- image-classification", "- modelzoo", f"- {arch.name}", "---", ""]
    where = f"hf-hub:{repo_id}" if repo_id else "/path/to/this/directory"
    lines = [
        f"# {arch.display_name or arch.name} (`{arch.name}`)", "",
        f"An image classifier saved by modelzoo {prov['modelzoo_version']}: "
        f"{args['num_classes']} classes, {args['in_chans']} input channels, {prov['parameters']:,} parameters.", "",
        "## Use", "", "```python", "import modelzoo", "",
        f"model = modelzoo.create({where!r}).eval()", "transform = modelzoo.eval_transform(model)  # PIL image -> tensor",
        "logits = model(transform(image).unsqueeze(0))", "```", "",
        "## Evaluation preprocessing", "",
        f"Resize the shorter side to {dc['test_size']} px ({dc['interpolation']}), centre-crop {dc['crop_size']} px, "
        f"RGB scaled to 0-1, normalised with mean {dc['mean']} and std {dc['std']}. Trained at {dc['train_size']} px.", "",
    ]  # fmt: skip
    if config["metrics"]:
        lines += ["## Metrics", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in config["metrics"].items()] + [""]
    lines += ["## Constructor arguments", "", "```json", json.dumps(args, indent=1), "```", ""]
    if config["training"]:
        lines += ["## Training", "", "```json", json.dumps(config["training"], indent=1), "```", ""]
    base = prov.get("base_weights")
    lines += ["## Provenance", ""]
    if base:
        lines.append(f"Initialised from `{base.get('tag') or base.get('source')}` (license: {base.get('license', 'unknown')}).")
    lines += [f"Weights sha256 `{prov['weights_sha256']}`; saved {prov['created']} with torch {prov['torch_version']}.", ""]
    if lic in NON_COMMERCIAL_LICENSES:
        lines += ["**License: non-commercial use only** (inherited from the base weights).", ""]
    return "\n".join(front + lines)


# ------------------------------------------------------------------------------------ writing
def save_pretrained(model: nn.Module, directory: str | os.PathLike, *, metrics: dict | None = None,
                    training: dict | None = None, data_config: DataConfig | None = None,
                    class_names: list[str] | None = None) -> Path:  # fmt: skip
    """Write ``model.safetensors``, ``config.json`` and a model card ``README.md`` to ``directory``.

    ``metrics`` (e.g. ``{'top1_err': 23.1, 'top5_err': 6.6}``) and ``training`` (e.g. the recipe)
    are stored as given (JSON-serialisable); ``data_config`` defaults to the model's
    ``pretrained_cfg``; ``class_names`` (one per class, index order) default to
    ``pretrained_cfg['class_names']`` and come back in the loaded model's ``pretrained_cfg``. Written atomically: files go to a temporary folder first, so an error
    leaves no half-written directory (an existing one keeps its old content). DataParallel/DDP and
    ``torch.compile`` wrappers are looked through. Returns the path.
    """
    return _write(unwrap_model(model), Path(directory).expanduser(), metrics, training, data_config, class_names,
                  repo_id=None)


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside ``torch.compile`` (``._orig_mod``) or DataParallel/DDP (``.module``) wrappers."""
    while True:
        if isinstance(getattr(model, "_orig_mod", None), nn.Module):
            model = model._orig_mod
        elif not hasattr(model, "arch_name") and isinstance(getattr(model, "module", None), nn.Module):
            model = model.module
        else:
            return model


def _write(model: nn.Module, directory: Path, metrics: dict | None, training: dict | None,
           data_config: DataConfig | None, class_names: list[str] | None, *, repo_id: str | None) -> Path:  # fmt: skip
    from safetensors.torch import save_file

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    try:
        state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
        weights = tmp / FILES[0]
        save_file(state, str(weights), metadata={"format": "pt", "modelzoo_architecture": getattr(model, "arch_name", "")})
        config = build_config(model, file_sha256(weights), metrics=metrics, training=training, data_config=data_config,
                              class_names=class_names)
        (tmp / FILES[1]).write_text(json.dumps(config, indent=2) + "\n")
        (tmp / FILES[2]).write_text(_card(config, repo_id))
        _move_into_place(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def _move_into_place(tmp: Path, directory: Path) -> None:
    """Swap the finished folder in. A folder holding only our files is replaced whole; one holding
    other files too keeps them and gets ours renamed in one by one."""
    if not directory.exists():
        os.rename(tmp, directory)
        return
    if not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a directory")
    if {p.name for p in directory.iterdir()} <= set(FILES):
        old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(directory, old)
        os.rename(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)
        return
    for name in FILES:
        os.replace(tmp / name, directory / name)
    tmp.rmdir()


def push_to_hub(model: nn.Module, repo_id: str, token: str | None = None, private: bool = False, *,
                metrics: dict | None = None, training: dict | None = None, data_config: DataConfig | None = None,
                class_names: list[str] | None = None, revision: str = "main",
                commit_message: str | None = None) -> str:  # fmt: skip
    """``save_pretrained`` into a temporary folder and upload it to the Hugging Face Hub as one
    commit (the repo is created if needed; ``HF_ENDPOINT`` and ``HF_TOKEN`` are honoured).
    ``metrics``, ``training``, ``data_config`` and ``class_names`` are as for ``save_pretrained``.
    Returns the commit URL. ``modelzoo.create('hf-hub:' + repo_id)`` loads it back."""
    from huggingface_hub import CommitOperationAdd, HfApi

    model = unwrap_model(model)
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    with tempfile.TemporaryDirectory(prefix="modelzoo-push-") as tmp:
        folder = _write(model, Path(tmp) / "model", metrics, training, data_config, class_names, repo_id=repo_id)
        ops = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(folder / name)) for name in FILES]
        info = api.create_commit(repo_id, ops, commit_message=commit_message or f"Upload {model.arch_name} with modelzoo",
                                 revision=revision, repo_type="model")  # fmt: skip
    return str(info.commit_url)
