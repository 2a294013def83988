"""Training configuration: typed sections, YAML files, dotted overrides, strict validation.

A config has seven sections (``model``, ``data``, ``optim``, ``train``, ``test``, ``dist``,
``log``); each part of the trainer receives only its own section. Configs come from a YAML file
(a recipe in ``training/configs/`` or any file) plus ``section.key=value`` overrides. Every
error names the offending field, and everything is checked before anything starts.
"""
from __future__ import annotations

import contextlib
import dataclasses
import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml

from modelzoo.registry import UnknownModelError, architecture

BACKENDS = ("auto", "custom", "dali_cpu", "dali_gpu", "torch")
DEMO_ROOT = "demo"  # data.root value selecting the embedded demo dataset


class ConfigError(ValueError):
    """An invalid configuration; the message names every offending field."""


@dataclass
class ModelCfg:
    """Which network to train and where its initial weights come from."""

    name: str = ""  #: canonical model name or alias (``modelzoo.list_models()``)
    pretrained: Union[bool, str] = False  #: False, True (default weights), a tag, a path or ``hf-hub:org/repo``
    num_classes: Optional[int] = None  #: None → the dataset's class count (the head is replaced if needed)
    kwargs: dict = field(default_factory=dict)  #: architecture keyword arguments (``drop_rate``, ``bn_eps``, ...)


@dataclass
class DataCfg:
    """The dataset, the loader backend and the image geometry (None → the weights'/model's data config)."""

    root: Optional[str] = None  #: ImageNet-layout folder (``train/``, ``val/``), or ``demo`` for the embedded dataset
    backend: str = "auto"  #: auto | custom | dali_cpu | dali_gpu | torch (auto: dali_cpu if DALI imports, else custom)
    train_size: Optional[int] = None  #: random-resized-crop size for training
    test_size: Optional[int] = None  #: validation: resize the shorter side to this ...
    crop_size: Optional[int] = None  #: ... then take the centre crop of this size
    mean: Optional[tuple[float, float, float]] = None  #: RGB, 0-1 scale
    std: Optional[tuple[float, float, float]] = None  #: RGB, 0-1 scale
    num_workers: Optional[int] = None  #: loader workers/threads per process (None: the backend's default)
    skip_bad_files: bool = False  #: skip unreadable images (counted) instead of failing


@dataclass
class OptimCfg:
    """SGD and the learning-rate schedule (linear warm-up + half-period cosine)."""

    base_lr: float = 0.1  #: absolute peak lr for ``train.batch_size`` (recipes: batch/128 · reference lr)
    max_epoch: int = 100
    warmup_epochs: float = 0.0  #: linear warm-up length in epochs (0: none)
    warmup_factor: float = 0.1  #: the warm-up starts at warmup_factor · lr
    min_lr_factor: float = 0.0  #: the cosine ends at min_lr_factor · base_lr
    momentum: float = 0.9
    nesterov: bool = False
    weight_decay: float = 5e-5
    no_wd_bn_bias: bool = False  #: no weight decay on BN parameters and biases
    label_smoothing: float = 0.0
    clip_grad_norm: Optional[float] = None  #: clip the global gradient L2 norm to this value
    ema_decay: float = 0.0  #: EMA of weights with this decay per step (0: off); EMA weights are evaluated and exported


@dataclass
class TrainCfg:
    """The training run: global batch, seed, device and numerics, checkpointing."""

    batch_size: int = 128  #: global batch (all processes together); must divide by the world size
    seed: int = 0
    device: str = "auto"  #: auto (cuda if available) | cpu | cuda
    amp: str = "none"  #: none | bf16 | fp16 (fp16 adds a gradient scaler; CUDA only)
    channels_last: bool = False
    cpu_threads: Optional[int] = None  #: torch intra-op threads per process (None: torch's default)
    checkpoint_period: int = 1  #: checkpoint every N epochs (and always after the last one and on SIGTERM/SIGINT)
    keep_checkpoints: int = 2  #: keep the last N epoch checkpoints (plus best.pt)
    limit_batches: Optional[int] = None  #: cap the iterations per epoch (quick smoke runs)


@dataclass
class TestCfg:
    """Evaluation on the validation split."""

    __test__ = False  # not a pytest test class

    batch_size: int = 200  #: global evaluation batch
    eval_period: int = 1  #: evaluate every N epochs (and always after the last one)


@dataclass
class DistCfg:
    """torch.distributed settings (the process group itself comes from torchrun's env://)."""

    backend: str = "auto"  #: auto (nccl on CUDA, gloo on CPU) | nccl | gloo
    timeout_s: int = 1800  #: collective timeout: a dead peer turns into an error after this long


@dataclass
class LogCfg:
    """What rank 0 prints and writes."""

    progress: str = "auto"  #: auto (bar on a terminal, lines otherwise) | bar | lines | none
    log_period: int = 50  #: iterations between plain log lines
    tensorboard: bool = False  #: also write TensorBoard events (needs the tensorboard package)
    plot: bool = True  #: write curves.png at the end (needs matplotlib)
    export: bool = True  #: export the best weights with save_pretrained at the end


CHOICES: dict[str, tuple[str, ...]] = {
    "data.backend": BACKENDS,
    "train.device": ("auto", "cpu", "cuda"),
    "train.amp": ("none", "bf16", "fp16"),
    "dist.backend": ("auto", "nccl", "gloo"),
    "log.progress": ("auto", "bar", "lines", "none"),
}


@dataclass
class Config:
    """A complete training configuration."""

    model: ModelCfg = field(default_factory=ModelCfg)
    data: DataCfg = field(default_factory=DataCfg)
    optim: OptimCfg = field(default_factory=OptimCfg)
    train: TrainCfg = field(default_factory=TrainCfg)
    test: TestCfg = field(default_factory=TestCfg)
    dist: DistCfg = field(default_factory=DistCfg)
    log: LogCfg = field(default_factory=LogCfg)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (lists for tuples), suitable for YAML/JSON and checkpoints."""
        return _plain(dataclasses.asdict(self))

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, default_flow_style=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Config":
        """Build and type-check a config from a nested dict (missing keys keep their defaults)."""
        return _build(cls, d, "")

    def replace(self, **overrides: Any) -> "Config":
        """A copy with ``{'optim.base_lr': 0.2, ...}``-style overrides applied (validated types)."""
        d = self.to_dict()
        for key, value in overrides.items():
            _set_dotted(d, key, value)
        return Config.from_dict(d)


# ----------------------------------------------------------------------------------- type checks
def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Union:
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a list of {len(typing.get_args(tp))} numbers"
    if origin is dict or tp is dict:
        return "a mapping"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    return {type(None): "null", bool: "true/false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))


def _coerce(value: Any, tp: Any, where: str) -> Any:
    """``value`` checked against (and, for int → float and list → tuple, converted to) ``tp``."""
    origin = typing.get_origin(tp)
    if origin is Union:
        for arg in typing.get_args(tp):  # bool before str, int before float: first match wins
            try:
                return _coerce(value, arg, where)
            except ConfigError:
                pass
    elif tp is type(None):
        if value is None:
            return None
    elif tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):  # YAML 1.1 reads 1e-5 (no dot) as text
            with contextlib.suppress(ValueError):
                return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif origin is tuple:
        args = typing.get_args(tp)
        if isinstance(value, (list, tuple)) and len(value) == len(args):
            return tuple(_coerce(v, a, f"{where}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
    elif tp is dict or origin is dict:
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return dict(value)
    else:  # pragma: no cover - a field type this module does not know
        raise TypeError(f"unsupported config type {tp!r} for {where}")
    raise ConfigError(f"{where}: expected {_type_name(tp)}, got {value!r}")


def _unknown_key(where: str, key: str, known: list[str]) -> ConfigError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{where}{close[0]}'?" if close else f" (known: {', '.join(known)})"
    return ConfigError(f"unknown config key '{where}{key}'{hint}")


def _build(cls: type, d: Any, prefix: str) -> Any:
    where = prefix.rstrip(".") or "config"
    if d is None:
        d = {}
    if not isinstance(d, dict):
        raise ConfigError(f"{where}: expected a mapping of keys, got {d!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    kwargs = {}
    for key, value in d.items():
        if key not in names:
            raise _unknown_key(prefix, str(key), names)
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            kwargs[key] = _build(tp, value, f"{prefix}{key}.")
        else:
            kwargs[key] = _coerce(value, tp, f"{prefix}{key}")
    return cls(**kwargs)


def _set_dotted(d: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    if len(parts) < 2:
        raise ConfigError(f"override {key!r}: expected section.key=value (e.g. optim.base_lr=0.2)")
    node = d
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if not isinstance(child, dict):
            known = [k for k, v in node.items() if isinstance(v, dict)]
            raise _unknown_key(".".join(parts[:i]) + ("." if i else ""), part, known)
        node = child
    if parts[-1] not in node and parts[:-1] != ["model", "kwargs"]:  # kwargs takes any name
        raise _unknown_key(".".join(parts[:-1]) + ".", parts[-1], list(node))
    node[parts[-1]] = value


def parse_override(text: str) -> tuple[str, Any]:
    """``'optim.base_lr=0.2'`` → ``('optim.base_lr', 0.2)``; values are YAML scalars/lists."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {text!r}: expected section.key=value (e.g. optim.base_lr=0.2)")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    return key.strip(), value


def apply_overrides(cfg: Config, overrides: list[str]) -> Config:
    """Apply ``section.key=value`` strings; a value that only makes sense as text stays text."""
    d = cfg.to_dict()
    for text in overrides:
        key, value = parse_override(text)
        _set_dotted(d, key, value)
        try:
            Config.from_dict(d)
        except ConfigError:
            raw = text.partition("=")[2]
            _set_dotted(d, key, raw)  # e.g. data.root=2024 or model.pretrained=tv_in1k
            try:
                Config.from_dict(d)
            except ConfigError:
                _set_dotted(d, key, value)
                Config.from_dict(d)  # raises the error for the parsed value
    return Config.from_dict(d)


# ------------------------------------------------------------------------------------ validation
def validate(cfg: Config, world_size: int | None = None) -> Config:
    """Check values (types are checked on construction); raise ConfigError listing every problem.

    ``world_size`` (when known) adds the divisibility checks of the global batch sizes.
    """
    errors: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            errors.append(message)

    m, d, o, t, e, dist, log = cfg.model, cfg.data, cfg.optim, cfg.train, cfg.test, cfg.dist, cfg.log
    for key, choices in CHOICES.items():
        section, name = key.split(".")
        value = getattr(getattr(cfg, section), name)
        check(value in choices, f"{key}: {value!r} is not one of {', '.join(choices)}")
    if not m.name:
        errors.append("model.name: required (e.g. --model resnet50 or model.name=resnet50)")
    else:
        try:
            architecture(m.name)
        except UnknownModelError as err:
            errors.append(f"model.name: {err}")
    check(m.num_classes is None or m.num_classes >= 1, f"model.num_classes: must be >= 1, got {m.num_classes}")
    check(not isinstance(m.pretrained, str) or bool(m.pretrained.strip()), "model.pretrained: empty string")
    check(d.root is not None and bool(d.root.strip()),
          "data.root: required: an ImageNet-layout folder (train/<class>/*, val/<class>/*) or 'demo'")
    for name in ("train_size", "test_size", "crop_size"):
        value = getattr(d, name)
        check(value is None or value >= 8, f"data.{name}: must be >= 8 pixels, got {value}")
    if d.crop_size is not None and d.test_size is not None:
        check(d.crop_size <= d.test_size, f"data.crop_size ({d.crop_size}) must not exceed data.test_size ({d.test_size})")
    check(d.std is None or min(d.std) > 0, f"data.std: must be positive, got {d.std}")
    check(d.num_workers is None or d.num_workers >= 0, f"data.num_workers: must be >= 0, got {d.num_workers}")
    check(o.base_lr > 0, f"optim.base_lr: must be > 0, got {o.base_lr}")
    check(o.max_epoch >= 1, f"optim.max_epoch: must be >= 1, got {o.max_epoch}")
    check(0 <= o.warmup_epochs <= o.max_epoch, f"optim.warmup_epochs: must be in [0, optim.max_epoch={o.max_epoch}], got {o.warmup_epochs}")
    check(0 < o.warmup_factor <= 1, f"optim.warmup_factor: must be in (0, 1], got {o.warmup_factor}")
    check(0 <= o.min_lr_factor < 1, f"optim.min_lr_factor: must be in [0, 1), got {o.min_lr_factor}")
    check(0 <= o.momentum < 1, f"optim.momentum: must be in [0, 1), got {o.momentum}")
    check(not o.nesterov or o.momentum > 0, "optim.nesterov: needs optim.momentum > 0")
    check(o.weight_decay >= 0, f"optim.weight_decay: must be >= 0, got {o.weight_decay}")
    check(0 <= o.label_smoothing < 1, f"optim.label_smoothing: must be in [0, 1), got {o.label_smoothing}")
    check(o.clip_grad_norm is None or o.clip_grad_norm > 0, f"optim.clip_grad_norm: must be > 0, got {o.clip_grad_norm}")
    check(0 <= o.ema_decay < 1, f"optim.ema_decay: must be in [0, 1), got {o.ema_decay}")
    check(t.batch_size >= 1, f"train.batch_size: must be >= 1, got {t.batch_size}")
    check(t.checkpoint_period >= 1, f"train.checkpoint_period: must be >= 1, got {t.checkpoint_period}")
    check(t.keep_checkpoints >= 1, f"train.keep_checkpoints: must be >= 1, got {t.keep_checkpoints}")
    check(t.cpu_threads is None or t.cpu_threads >= 1, f"train.cpu_threads: must be >= 1, got {t.cpu_threads}")
    check(t.limit_batches is None or t.limit_batches >= 1, f"train.limit_batches: must be >= 1, got {t.limit_batches}")
    check(t.amp != "fp16" or t.device != "cpu", "train.amp: fp16 needs CUDA (use bf16 or none on the CPU)")
    check(e.batch_size >= 1, f"test.batch_size: must be >= 1, got {e.batch_size}")
    check(e.eval_period >= 1, f"test.eval_period: must be >= 1, got {e.eval_period}")
    check(dist.timeout_s >= 1, f"dist.timeout_s: must be >= 1, got {dist.timeout_s}")
    check(log.log_period >= 1, f"log.log_period: must be >= 1, got {log.log_period}")
    if world_size is not None:
        for key, value in (("train.batch_size", t.batch_size), ("test.batch_size", e.batch_size)):
            check(value % world_size == 0, f"{key}: {value} is not divisible by the world size {world_size}")
    if errors:
        raise ConfigError("invalid config:\n  " + "\n  ".join(errors))
    return cfg


# ------------------------------------------------------------------------------- files & recipes
def repo_recipe_dir() -> Path:
    """``training/configs`` of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[2] / "training" / "configs"


def recipe_path(name: str) -> Path:
    """The recipe file for ``demo`` or a model name/alias: ``training/configs/<family>/<name>.yaml``."""
    if name == "demo":
        return repo_recipe_dir() / "demo.yaml"
    arch = architecture(name)
    return repo_recipe_dir() / arch.family / f"{arch.name}.yaml"


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file into a dict (an empty file is an empty config)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        d = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    if d is not None and not isinstance(d, dict):
        raise ConfigError(f"{path}: expected a mapping of sections, got {type(d).__name__}")
    return d or {}


def load_recipe(name: str) -> dict[str, Any]:
    """The recipe for ``demo`` or a model: its YAML file, or (outside a checkout) the generator's copy."""
    path = recipe_path(name)
    if path.is_file():
        return load_yaml(path)
    from .recipes import recipe

    return recipe(name)


def load_config(cfg_file: str | Path | None = None, *, model: str | None = None,
                overrides: list[str] = ()) -> Config:  # fmt: skip
    """``--cfg FILE`` or ``--model NAME`` (neither: the demo recipe), then overrides; types checked.

    Values are checked by :func:`validate`, which the caller runs once the world size is known.
    """
    if cfg_file is not None and model is not None:
        raise ConfigError("give either --cfg FILE or --model NAME, not both")
    if cfg_file is not None:
        d = load_yaml(cfg_file)
        where = str(cfg_file)
    else:
        try:
            d = load_recipe(model or "demo")
        except UnknownModelError as err:
            raise ConfigError(f"--model: {err}") from None
        where = f"recipe {model or 'demo'}"
    try:
        cfg = Config.from_dict(d)
    except ConfigError as err:
        raise ConfigError(f"{where}: {err}") from None
    return apply_overrides(cfg, list(overrides))


RESUME_SAFE = ("data.root", "data.num_workers", "data.skip_bad_files", "train.cpu_threads", "test.batch_size", "dist.",
               "log.")


def training_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Dotted keys whose values differ between two config dicts, ignoring resume-safe keys."""
    flat_old, flat_new = _flatten(old), _flatten(new)
    keys = sorted(set(flat_old) | set(flat_new))
    return [k for k in keys if flat_old.get(k) != flat_new.get(k) and not k.startswith(RESUME_SAFE)]


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict) and not (prefix == "model." and k == "kwargs"):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
