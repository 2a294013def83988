"""Resolving a run's config once, before anything is built.

A recipe leaves values to be derived: ``auto`` (loader backend, device, process-group backend),
``null`` sizes and normalisation (the initial weights' or the architecture's data config), a
``null`` class count (the dataset's class folders), a model alias. :func:`resolve_config` fills
all of them from facts known before the model and the loaders exist; the result is what the run
prints, saves as ``config.yaml``, stores in every checkpoint and uses, unchanged, to the end.
Values that only mean "this machine's default" (``data.num_workers``, ``train.cpu_threads``)
stay ``null``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import dist
from .config import DEMO_ROOT, Config, ConfigError, DataCfg, validate
from .dist import DistInfo
from .zoo import DataConfig, architecture, weights_data_config

__all__ = ["resolve_config", "run_data_config", "default_backend", "dataset_root", "dataset_classes"]


def default_backend() -> str:
    """``dali_cpu`` when DALI (and its PyTorch plugin) imports, else ``custom``."""
    from .data.dali import require_dali

    try:
        require_dali("dali_cpu")
    except ImportError:
        return "custom"
    return "dali_cpu"


def dataset_root(root: str) -> Path:
    """``data.root`` as a path; ``demo`` creates (once: ranks wait on its file lock) the embedded dataset."""
    if root != DEMO_ROOT:
        return Path(root).expanduser()
    from .data import make_demo_dataset

    return make_demo_dataset()


def dataset_classes(root: str) -> list[str]:
    """The class names of ``data.root``: the sorted class folders of its ``train`` split."""
    from .data.folder import class_folders

    try:
        classes = class_folders(dataset_root(root) / "train")
    except FileNotFoundError as err:
        raise ConfigError(f"data.root: {err}") from None
    if not classes:
        raise ConfigError(f"data.root: {dataset_root(root) / 'train'} has no class folders")
    return classes


def derive_data_config(cfg: DataCfg, base: DataConfig) -> DataConfig:
    """``base`` (the weights'/architecture's data config) with the fields ``cfg`` sets.

    Setting only ``train_size`` derives the rest by the protocol (test = nearest even
    256/224 · size, crop = size)."""
    dc = base
    if cfg.train_size is not None and cfg.train_size != base.train_size:
        dc = DataConfig.for_train_size(cfg.train_size, mean=base.mean, std=base.std)
    changes = {k: getattr(cfg, k) for k in ("test_size", "crop_size", "mean", "std") if getattr(cfg, k) is not None}
    return dc.replace(**changes)


def run_data_config(cfg: DataCfg) -> DataConfig:
    """The data config a resolved run trains and evaluates with, and records with its weights.

    Every loader backend resizes bilinearly (antialiased), so that is the interpolation recorded."""
    missing = [k for k in ("train_size", "test_size", "crop_size", "mean", "std") if getattr(cfg, k) is None]
    if missing:
        raise ValueError(f"data.{missing[0]} is not resolved: pass the config through resolve_config() first")
    return DataConfig(train_size=cfg.train_size, test_size=cfg.test_size, crop_size=cfg.crop_size, mean=cfg.mean,
                      std=cfg.std, interpolation="bilinear")  # fmt: skip


def _initial_data_config(cfg: Config) -> DataConfig:
    """The data config of ``model.pretrained`` (a bad value is a config error naming the field)."""
    try:
        return weights_data_config(cfg.model.name, cfg.model.pretrained)
    except (ValueError, TypeError, KeyError, FileNotFoundError) as err:  # unknown tag, missing file, ...
        raise ConfigError(f"model.pretrained: {err}") from None


def resolve_config(cfg: Config, info: DistInfo | None = None, *, classes: Sequence[str] | None = None) -> Config:
    """``cfg`` with every derivable value filled in, validated for ``info``'s world size.

    ``info`` (default: one process on ``train.device``) decides the device; ``classes`` (default:
    the class folders of ``data.root``) gives the class count when ``model.num_classes`` is null.
    Resolving a resolved config returns an equal one.
    """
    validate(cfg)
    info = info or DistInfo(device=dist.pick_device(cfg.train.device))
    base = _initial_data_config(cfg)
    try:
        dc = derive_data_config(cfg.data, base)
    except ValueError as err:  # e.g. data.crop_size larger than the weights' test size
        raise ConfigError(f"data: {err}") from None
    num_classes = cfg.model.num_classes
    if num_classes is None:
        num_classes = len(classes if classes is not None else dataset_classes(cfg.data.root))
    resolved = cfg.replace(**{
        "model.name": architecture(cfg.model.name).name,  # an alias becomes the canonical name
        "model.num_classes": num_classes,
        "data.backend": default_backend() if cfg.data.backend == "auto" else cfg.data.backend,
        "data.train_size": dc.train_size, "data.test_size": dc.test_size, "data.crop_size": dc.crop_size,
        "data.mean": list(dc.mean), "data.std": list(dc.std),
        "train.device": info.device.type,
        "dist.backend": dist.process_group_backend(cfg.dist, info.device),
    })  # fmt: skip
    return validate(resolved, info.world_size)
