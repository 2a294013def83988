"""The seven sections of a training config, each a frozen dataclass that checks its own values.

The dataclasses are the OmegaConf schema of :class:`modelzoo.training.config.Config` (types are
enforced when values are set); ``problems()`` lists what is wrong with a section's values, each
message naming ``section.field``. Cross-section checks live in :func:`~modelzoo.training.config.validate`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from .zoo import UnknownModelError, architecture

BACKENDS = ("auto", "custom", "dali_cpu", "dali_gpu", "torch")


def _choice(section: str, name: str, value: str, choices: tuple[str, ...]) -> list[str]:
    """The message for a value outside ``choices`` (none when it is one of them)."""
    return [] if value in choices else [f"{section}.{name}: {value!r} is not one of {', '.join(choices)}"]


def _at_least(where: str, value: float | None, low: float) -> list[str]:
    """The message for a value below ``low`` (none for None: "not set" is always allowed)."""
    return [] if value is None or value >= low else [f"{where}: must be >= {low}, got {value}"]


@dataclass(frozen=True)
class ModelCfg:
    """Which network to train and where its initial weights come from."""

    name: str = ""  #: canonical model name or alias (``modelzoo.list_models()``)
    pretrained: Union[bool, str] = False  #: False, True (default weights), a tag, a path or ``hf-hub:org/repo``
    num_classes: int | None = None  #: None → the dataset's class count (the head is replaced if needed)
    kwargs: dict[str, Any] = field(default_factory=dict)  #: architecture keyword arguments (``drop_rate``, ...)

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``model.<field>``)."""
        errors = _at_least("model.num_classes", self.num_classes, 1)
        if not self.name:
            errors.append("model.name: required (e.g. --model resnet50 or model.name=resnet50)")
        else:
            try:
                architecture(self.name)
            except UnknownModelError as err:
                errors.append(f"model.name: {err}")
        if isinstance(self.pretrained, str) and not self.pretrained.strip():
            errors.append("model.pretrained: empty string")
        return errors


@dataclass(frozen=True)
class DataCfg:
    """The dataset, the loader backend and the image geometry (None → the weights'/model's data config)."""

    root: str | None = None  #: ImageNet-layout folder (``train/``, ``val/``), or ``demo`` for the embedded dataset
    backend: str = "auto"  #: auto | custom | dali_cpu | dali_gpu | torch (auto: dali_cpu if DALI imports, else custom)
    train_size: int | None = None  #: random-resized-crop size for training
    test_size: int | None = None  #: validation: resize the shorter side to this ...
    crop_size: int | None = None  #: ... then take the centre crop of this size
    mean: tuple[float, float, float] | None = None  #: RGB, 0-1 scale
    std: tuple[float, float, float] | None = None  #: RGB, 0-1 scale
    num_workers: int | None = None  #: loader workers/threads per process (None: the backend's default)
    skip_bad_files: bool = False  #: skip unreadable images (counted) instead of failing

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``data.<field>``)."""
        errors = _choice("data", "backend", self.backend, BACKENDS)
        if self.root is None or not self.root.strip():
            errors.append("data.root: required: an ImageNet-layout folder (train/<class>/*, val/<class>/*) or 'demo'")
        for name in ("train_size", "test_size", "crop_size"):
            value = getattr(self, name)
            if value is not None and value < 8:
                errors.append(f"data.{name}: must be >= 8 pixels, got {value}")
        if self.crop_size is not None and self.test_size is not None and self.crop_size > self.test_size:
            errors.append(f"data.crop_size ({self.crop_size}) must not exceed data.test_size ({self.test_size})")
        if self.std is not None and min(self.std) <= 0:
            errors.append(f"data.std: must be positive, got {self.std}")
        return errors + _at_least("data.num_workers", self.num_workers, 0)


@dataclass(frozen=True)
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
    clip_grad_norm: float | None = None  #: clip the global gradient L2 norm to this value
    ema_decay: float = 0.0  #: EMA of weights with this decay per step (0: off); EMA weights are evaluated and exported

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``optim.<field>``)."""
        checks = [
            (self.base_lr > 0, f"optim.base_lr: must be > 0, got {self.base_lr}"),
            (self.max_epoch >= 1, f"optim.max_epoch: must be >= 1, got {self.max_epoch}"),
            (0 <= self.warmup_epochs <= self.max_epoch,
             f"optim.warmup_epochs: must be in [0, optim.max_epoch={self.max_epoch}], got {self.warmup_epochs}"),
            (0 < self.warmup_factor <= 1, f"optim.warmup_factor: must be in (0, 1], got {self.warmup_factor}"),
            (0 <= self.min_lr_factor < 1, f"optim.min_lr_factor: must be in [0, 1), got {self.min_lr_factor}"),
            (0 <= self.momentum < 1, f"optim.momentum: must be in [0, 1), got {self.momentum}"),
            (not self.nesterov or self.momentum > 0, "optim.nesterov: needs optim.momentum > 0"),
            (self.weight_decay >= 0, f"optim.weight_decay: must be >= 0, got {self.weight_decay}"),
            (0 <= self.label_smoothing < 1, f"optim.label_smoothing: must be in [0, 1), got {self.label_smoothing}"),
            (self.clip_grad_norm is None or self.clip_grad_norm > 0,
             f"optim.clip_grad_norm: must be > 0, got {self.clip_grad_norm}"),
            (0 <= self.ema_decay < 1, f"optim.ema_decay: must be in [0, 1), got {self.ema_decay}"),
        ]  # fmt: skip
        return [message for ok, message in checks if not ok]


@dataclass(frozen=True)
class TrainCfg:
    """The training run: global batch, seed, device and numerics, checkpointing."""

    batch_size: int = 128  #: global batch (all processes together); must divide by the world size
    seed: int = 0
    device: str = "auto"  #: auto (cuda if available) | cpu | cuda
    amp: str = "none"  #: none | bf16 | fp16 (fp16 adds a gradient scaler; CUDA only)
    channels_last: bool = False
    cpu_threads: int | None = None  #: torch intra-op threads per process (None: torch's default)
    checkpoint_period: int = 1  #: checkpoint every N epochs (and always after the last one and on SIGTERM/SIGINT)
    keep_checkpoints: int = 2  #: keep the last N epoch checkpoints (plus best.pt)
    limit_batches: int | None = None  #: cap the iterations per epoch (quick smoke runs)

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``train.<field>``)."""
        errors = _choice("train", "device", self.device, ("auto", "cpu", "cuda"))
        errors += _choice("train", "amp", self.amp, ("none", "bf16", "fp16"))
        for name in ("batch_size", "checkpoint_period", "keep_checkpoints", "cpu_threads", "limit_batches"):
            errors += _at_least(f"train.{name}", getattr(self, name), 1)
        if self.amp == "fp16" and self.device == "cpu":
            errors.append("train.amp: fp16 needs CUDA (use bf16 or none on the CPU)")
        return errors


@dataclass(frozen=True)
class TestCfg:
    """Evaluation on the validation split."""

    __test__ = False  # not a pytest test class

    batch_size: int = 200  #: global evaluation batch
    eval_period: int = 1  #: evaluate every N epochs (and always after the last one)

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``test.<field>``)."""
        return _at_least("test.batch_size", self.batch_size, 1) + _at_least("test.eval_period", self.eval_period, 1)


@dataclass(frozen=True)
class DistCfg:
    """torch.distributed settings (the process group itself comes from torchrun's env://)."""

    backend: str = "auto"  #: auto (nccl on CUDA, gloo on CPU) | nccl | gloo
    timeout_s: int = 1800  #: collective timeout: a dead peer turns into an error after this long

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``dist.<field>``)."""
        errors = _choice("dist", "backend", self.backend, ("auto", "nccl", "gloo"))
        return errors + _at_least("dist.timeout_s", self.timeout_s, 1)


@dataclass(frozen=True)
class LogCfg:
    """What rank 0 prints and writes."""

    progress: str = "auto"  #: auto (bar on a terminal, lines otherwise) | bar | lines | none
    log_period: int = 50  #: iterations between plain log lines
    tensorboard: bool = False  #: also write TensorBoard events (needs the tensorboard package)
    plot: bool = True  #: write curves.png at the end (needs matplotlib)
    export: bool = True  #: export the best weights with save_pretrained at the end

    def problems(self) -> list[str]:
        """What is wrong with this section's values (messages name ``log.<field>``)."""
        errors = _choice("log", "progress", self.progress, ("auto", "bar", "lines", "none"))
        return errors + _at_least("log.log_period", self.log_period, 1)
