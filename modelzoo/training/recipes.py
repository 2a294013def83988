"""The training recipes: the seed protocol applied to every zoo model, and the demo recipe.

This module is the single source of ``training/configs/``; ``training/make_recipes.py`` writes the
files and ``tests/training/test_recipes.py`` checks that they match. The protocol:

- SGD with momentum 0.9 (no Nesterov), half-period cosine over 100 epochs, no other enhancements;
- lr = batch/128 · reference lr: reference 0.1 with weight decay 5e-5 for ResNet, ResNeXt and
  RegNet, 0.2 with weight decay 1e-5 for EfficientNet; ``optim.base_lr`` stores the result;
- global batch sizes (train and test) and warm-up epochs as in the pycls recipes (8 GPUs);
  models without a pycls recipe (ResNet-18/34, ResNeXt-101 32x8d, EfficientNet-B6/B7) follow
  their family (see ``BATCH``);
- train at the model's train size (EfficientNet per paper), test by resizing to the even
  integer nearest to 256/224 · size and centre-cropping size;
- ``dali_cpu`` loader backend.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import modelzoo

from .zoo import architecture

REFERENCE = {  # family: (reference lr per 128 images, weight decay)
    "resnet": (0.1, 5e-5),
    "resnext": (0.1, 5e-5),
    "regnetx": (0.1, 5e-5),
    "regnety": (0.1, 5e-5),
    "efficientnet": (0.2, 1e-5),
}
MAX_EPOCH = 100
REGNET_WARMUP = 5  # pycls RegNet recipes warm up for 5 epochs; its ResNet/EfficientNet recipes do not

# (train batch, test batch), global over 8 GPUs, from the pycls recipes (TRAIN/TEST.BATCH_SIZE).
_SMALL_REGNET, _MID_REGNET, _BIG = (1024, 800), (512, 400), (256, 200)
BATCH: dict[str, tuple[int, int]] = {
    **{f"regnet{v}_{s}": _SMALL_REGNET for v in "xy" for s in ("200mf", "400mf", "600mf", "800mf", "1_6gf")},
    **{f"regnet{v}_{s}": _MID_REGNET for v in "xy" for s in ("3_2gf", "4_0gf", "6_4gf", "8_0gf", "12gf")},
    "regnetx_16gf": _MID_REGNET, "regnety_16gf": _BIG, "regnetx_32gf": _BIG, "regnety_32gf": _BIG,
    **{name: _BIG for name in ("resnet50", "resnet101", "resnet152", "resnext50_32x4d", "resnext101_32x4d",
                               "resnext152_32x4d")},
    **{f"efficientnet_b{i}": _BIG for i in range(4)},
    "efficientnet_b4": (128, 104), "efficientnet_b5": (64, 48),
    # not in pycls: their family's batch; EfficientNet keeps halving with the image size
    "resnet18": _BIG, "resnet34": _BIG, "resnext101_32x8d": _BIG,
    "efficientnet_b6": (32, 24), "efficientnet_b7": (16, 12),
}  # fmt: skip
FROM_FAMILY = ("resnet18", "resnet34", "resnext101_32x8d", "efficientnet_b6", "efficientnet_b7")

# The demo: a RegNetX-200MF (last BN of each block zero-initialised) at 64 px on the embedded
# 10-class dataset, SGD with Nesterov momentum and label smoothing, a few CPU minutes.
DEMO: dict[str, Any] = {
    "model": {"name": "regnetx_200mf", "kwargs": {"zero_init_last_bn": True}},
    "data": {"root": "demo", "backend": "auto", "train_size": 64},
    "optim": {"base_lr": 0.1, "max_epoch": 12, "warmup_epochs": 1, "weight_decay": 5e-5, "nesterov": True,
              "label_smoothing": 0.1},
    # 1 thread: faster on 2 cores shared with the loader; channels-last: ~25 % faster convolutions on the CPU
    "train": {"batch_size": 64, "cpu_threads": 1, "channels_last": True},
    "test": {"batch_size": 100},
}
_DEMO_HEADER = """\
# The demo recipe: python -m modelzoo.training.run (no arguments) trains this on the embedded
# 10-class dataset (data.root: demo) on the CPU in a few minutes (target: >= 90 % val accuracy).
# backend auto = dali_cpu if DALI is installed, else custom.
"""


def recipe(name: str) -> dict[str, Any]:
    """The recipe of ``demo`` or a zoo model (canonical name or alias) as a config dict."""
    if name == "demo":
        return copy.deepcopy(DEMO)
    arch = architecture(name)
    ref_lr, wd = REFERENCE[arch.family]
    train_batch, test_batch = BATCH[arch.name]
    dc = arch.data_config
    return {
        "model": {"name": arch.name},
        "data": {"root": None, "backend": "dali_cpu", "train_size": dc.train_size, "test_size": dc.test_size,
                 "crop_size": dc.crop_size},  # fmt: skip
        "optim": {"base_lr": round(train_batch / 128 * ref_lr, 10), "max_epoch": MAX_EPOCH,
                  "warmup_epochs": REGNET_WARMUP if arch.family.startswith("regnet") else 0, "momentum": 0.9,
                  "nesterov": False, "weight_decay": wd},  # fmt: skip
        "train": {"batch_size": train_batch},
        "test": {"batch_size": test_batch},
    }


def render(name: str) -> str:
    """The YAML text of a recipe file (a header comment, then the recipe)."""
    body = yaml.safe_dump(recipe(name), sort_keys=False, default_flow_style=False)
    if name == "demo":
        return _DEMO_HEADER + body
    arch = architecture(name)
    ref_lr, wd = REFERENCE[arch.family]
    batch = BATCH[arch.name][0]
    source = "family default (no pycls recipe)" if arch.name in FROM_FAMILY else "pycls recipe"
    header = (
        f"# {arch.display_name or arch.name}: the seed protocol (docs/training.md).\n"
        f"# lr = batch/128 * reference lr = {batch}/128 * {ref_lr} = {recipe(name)['optim']['base_lr']}; "
        f"weight decay {wd}; batch sizes: {source}.\n"
        f"# Set data.root=/path/to/imagenet. Generated by training/make_recipes.py: edit that, not this file.\n"
    )
    return header + body


def recipe_files(directory: str | Path) -> dict[Path, str]:
    """Every recipe file (path → text) under ``directory``: ``demo.yaml`` and ``<family>/<name>.yaml``."""
    directory = Path(directory)
    files = {directory / "demo.yaml": render("demo")}
    for name in modelzoo.list_models():
        arch = architecture(name)
        if arch.family in REFERENCE:
            files[directory / arch.family / f"{name}.yaml"] = render(name)
    return files
