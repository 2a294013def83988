"""Training configuration: typed sections, YAML files, dotted overrides, strict validation.

A config has seven sections (``model``, ``data``, ``optim``, ``train``, ``test``, ``dist``,
``log``), frozen dataclasses that double as the OmegaConf schema: OmegaConf checks and converts
every value as it is set (a YAML recipe merged onto the defaults, then ``section.key=value``
overrides), and its errors are turned into messages that name the field. Each section checks
its own values (``problems()``); :func:`validate` adds the checks that need the world size and
lists every problem at once. Everything is checked before anything starts.
"""
from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Union

import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException, ValidationError

from .sections import BACKENDS, DataCfg, DistCfg, LogCfg, ModelCfg, OptimCfg, TestCfg, TrainCfg
from .zoo import UnknownModelError, architecture

__all__ = ["Config", "ConfigError", "ModelCfg", "DataCfg", "OptimCfg", "TrainCfg", "TestCfg", "DistCfg", "LogCfg",
           "BACKENDS", "DEMO_ROOT", "apply_overrides", "load_config", "parse_override", "training_differences",
           "validate", "load_yaml", "load_recipe", "recipe_path", "repo_recipe_dir"]  # fmt: skip

DEMO_ROOT = "demo"  # data.root value selecting the embedded demo dataset


class ConfigError(ValueError):
    """An invalid configuration; the message names every offending field."""


@dataclass(frozen=True)
class Config:
    """A complete training configuration (immutable: :meth:`replace` returns a changed copy)."""

    SECTIONS: ClassVar[tuple[str, ...]] = ("model", "data", "optim", "train", "test", "dist", "log")

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
        return OmegaConf.to_yaml(self.to_dict())

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> Config:
        """Build and type-check a config from a nested dict (missing keys keep their defaults)."""
        return _to_config(_node_from_dict(d))

    def replace(self, **overrides: Any) -> Config:
        """A copy with ``{'optim.base_lr': 0.2, ...}``-style overrides applied (validated types)."""
        node = _schema(self)
        for key, value in overrides.items():
            _assign(node, key, value)
        return _to_config(node)

    def problems(self) -> list[str]:
        """Every section's problems, in section order."""
        return [message for name in self.SECTIONS for message in getattr(self, name).problems()]


# ----------------------------------------------------------------- OmegaConf ↔ Config and errors
def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _schema(cfg: Config | None = None) -> DictConfig:
    """A writable OmegaConf node typed by :class:`Config`, holding ``cfg`` (default: the defaults)."""
    node = OmegaConf.structured(cfg if cfg is not None else Config)
    # Frozen dataclasses make every section read-only; we build a new config by assignment instead.
    OmegaConf.set_readonly(node, False)
    for section in Config.SECTIONS:
        OmegaConf.set_readonly(node[section], False)
    return node


def _node_from_dict(d: Mapping[str, Any] | None) -> DictConfig:
    """The defaults with ``d``'s sections merged on, key by key (OmegaConf checks every value)."""
    if d is not None and not isinstance(d, Mapping):
        raise ConfigError(f"config: expected a mapping of sections, got {d!r}")
    node = _schema()
    for section, values in (d or {}).items():
        if section not in Config.SECTIONS:
            raise _unknown_key(str(section))
        if isinstance(values, Mapping):
            for key, value in values.items():
                _assign(node, f"{section}.{key}", value)
        elif values is not None:  # an empty section keeps its defaults
            _assign(node, section, values)  # raises: a section needs a mapping
    return node


def _to_config(node: DictConfig) -> Config:
    try:
        return OmegaConf.to_object(node)
    except OmegaConfBaseException as err:  # e.g. an ${interpolation} that does not resolve
        raise ConfigError(f"{err.full_key or 'config'}: {str(err).splitlines()[0]}") from None


def _field_type(key: str) -> Any:
    """The declared type of a dotted key (``Any`` inside ``model.kwargs``); KeyError if unknown."""
    tp: Any = Config
    for part in key.split("."):
        if not dataclasses.is_dataclass(tp):
            return Any
        tp = typing.get_type_hints(tp)[part]
    return tp


def _union_args(tp: Any) -> tuple[Any, ...] | None:
    """The members of ``Union[a, b]`` or ``a | b``; None for any other type."""
    return typing.get_args(tp) if typing.get_origin(tp) in (Union, types.UnionType) else None


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if _union_args(tp) is not None:
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a list of {len(typing.get_args(tp))} numbers"
    if origin is dict or dataclasses.is_dataclass(tp):
        return "a mapping of keys"
    return {type(None): "null", bool: "true/false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))


def _unknown_key(key: str) -> ConfigError:
    parent, _, name = key.rpartition(".")
    section = _field_type(parent) if parent else Config
    known = [f.name for f in dataclasses.fields(section)] if dataclasses.is_dataclass(section) else []
    close = difflib.get_close_matches(name, known, n=1)
    prefix = f"{parent}." if parent else ""
    hint = f"; did you mean '{prefix}{close[0]}'?" if close else f" (known: {', '.join(known)})"
    return ConfigError(f"unknown config key '{key}'{hint}")


def _assign(node: DictConfig, key: str, value: Any) -> None:
    """Set ``node.<key> = value``; OmegaConf's type errors become messages naming the field."""
    try:
        OmegaConf.update(node, key, value, merge=False)
    except (ConfigKeyError, ConfigAttributeError) as err:
        raise _unknown_key(err.full_key or key) from None
    except ValidationError as err:
        where = err.full_key or key
        if where != key:  # ``train.batch_size.x=1``: a value used as a section
            raise ConfigError(f"unknown config key '{key}': {where} is a value, not a section") from None
        raise ConfigError(f"{key}: expected {_type_name(_field_type(key))}, got {value!r}") from None
    except OmegaConfBaseException as err:
        raise ConfigError(f"{err.full_key or key}: {str(err).splitlines()[0]}") from None


# ------------------------------------------------------------------------------------ overrides
def parse_override(text: str) -> tuple[str, Any]:
    """``'optim.base_lr=0.2'`` → ``('optim.base_lr', 0.2)``; values are YAML scalars/lists."""
    key, sep, raw = text.partition("=")
    if not sep or "." not in key or not key.strip():
        raise ConfigError(f"override {text!r}: expected section.key=value (e.g. optim.base_lr=0.2)")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    return key.strip(), value


def _as_typed(key: str, raw: str, value: Any) -> Any:
    """The parsed value, or the raw text where the field takes text and the value is not of a type
    it takes (``data.root=2024``, ``model.pretrained=tv_in1k``: YAML would read a number)."""
    try:
        tp = _field_type(key)
    except KeyError:
        return value  # an unknown key: assigning it reports it
    accepted = _union_args(tp) or (tp,)
    if str in accepted and not isinstance(value, str) and type(value) not in accepted:
        return raw
    return value


def apply_overrides(cfg: Config, overrides: list[str]) -> Config:
    """Apply ``section.key=value`` strings in order; a value that only makes sense as text stays text."""
    return _to_config(_override(_schema(cfg), overrides))


def _override(node: DictConfig, overrides: list[str]) -> DictConfig:
    for text in overrides:
        key, value = parse_override(text)
        _assign(node, key, _as_typed(key, text.partition("=")[2].strip(), value))
    return node


# ------------------------------------------------------------------------------------ validation
def validate(cfg: Config, world_size: int | None = None) -> Config:
    """Check values (types are checked on construction); raise ConfigError listing every problem.

    Each section checks its own fields; ``world_size`` (when known) adds the divisibility checks
    of the global batch sizes, the one check that spans sections and the job's shape.
    """
    errors = cfg.problems()
    if world_size is not None:
        for key, value in (("train.batch_size", cfg.train.batch_size), ("test.batch_size", cfg.test.batch_size)):
            if value % world_size:
                errors.append(f"{key}: {value} is not divisible by the world size {world_size}")
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
        node = _node_from_dict(d)
    except ConfigError as err:
        raise ConfigError(f"{where}: {err}") from None
    return _to_config(_override(node, list(overrides)))  # one config built for file + overrides


# -------------------------------------------------------------------------------------- resuming
RESUME_SAFE = ("data.root", "data.num_workers", "data.skip_bad_files", "train.cpu_threads", "train.device",
               "test.batch_size", "dist.", "log.")  # fmt: skip


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


