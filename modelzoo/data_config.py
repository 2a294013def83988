"""The data configuration a model (or a weight set) expects: sizes, normalisation, interpolation."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

IMAGENET_MEAN = (0.485, 0.456, 0.406)  # RGB
IMAGENET_STD = (0.229, 0.224, 0.225)  # RGB
INTERPOLATIONS = ("bilinear", "bicubic", "nearest")


def test_size_for(train_size: int) -> int:
    """pycls TEST.IM_SIZE: the even integer nearest to 256/224 · train size (224 → 256, 240 → 274)."""
    return 2 * round(train_size * 256 / 224 / 2)


@dataclass(frozen=True)
class DataConfig:
    """How images are prepared for a model.

    Training crops ``train_size``; evaluation resizes the shorter side to ``test_size`` and takes
    the centre ``crop_size`` crop. ``mean``/``std`` are per RGB channel on a 0–1 scale.
    """

    train_size: int = 224
    test_size: int = 256
    crop_size: int = 224
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    interpolation: str = "bilinear"

    def __post_init__(self) -> None:
        for field in ("train_size", "test_size", "crop_size"):
            value = getattr(self, field)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"DataConfig.{field} must be a positive integer, got {value!r}")
        if self.crop_size > self.test_size:
            raise ValueError(
                f"DataConfig.crop_size ({self.crop_size}) is larger than test_size ({self.test_size})"
            )
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"DataConfig.interpolation must be one of {INTERPOLATIONS}, got {self.interpolation!r}"
            )
        for field in ("mean", "std"):
            value = tuple(float(v) for v in getattr(self, field))
            if len(value) != 3:
                raise ValueError(f"DataConfig.{field} needs 3 values (RGB), got {value!r}")
            object.__setattr__(self, field, value)
        if min(self.std) <= 0:
            raise ValueError(f"DataConfig.std must be positive, got {self.std!r}")

    @classmethod
    def for_train_size(cls, train_size: int, **kwargs: Any) -> "DataConfig":
        """The pycls protocol for a train size: test = nearest even 256/224 · size, crop = size."""
        return cls(train_size=train_size, test_size=test_size_for(train_size), crop_size=train_size, **kwargs)

    @property
    def crop_pct(self) -> float:
        """timm's crop_pct: crop_size / test_size."""
        return self.crop_size / self.test_size

    def replace(self, **changes: Any) -> "DataConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["mean"], d["std"] = list(self.mean), list(self.std)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DataConfig":
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown DataConfig field(s): {sorted(unknown)}")
        return cls(**{k: (tuple(v) if k in ("mean", "std") else v) for k, v in d.items()})


@lru_cache(maxsize=1)
def imagenet_class_names() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in class-index order (package data, ``data/imagenet_classes.txt``)."""
    text = resources.files("modelzoo").joinpath("data/imagenet_classes.txt").read_text(encoding="utf-8")
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(names) != 1000:
        raise RuntimeError(f"modelzoo/data/imagenet_classes.txt has {len(names)} names, expected 1000")
    return names
