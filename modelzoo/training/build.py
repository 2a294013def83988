"""What a run is made of, built from its resolved config: the loaders of this process and the model."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

import torch
import torch.nn as nn

import modelzoo

from .config import Config, ModelCfg
from .dist import DistInfo
from .resolve import dataset_root, run_data_config
from .zoo import DataConfig, describe_weights


class Loader(Protocol):
    """What the trainer needs from a loader (``modelzoo.training.data.build_loader`` returns one)."""

    classes: list[str]
    num_samples: int

    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]: ...
    def set_epoch(self, epoch: int) -> None: ...


def build_loaders(cfg: Config, info: DistInfo) -> tuple[Loader, Loader]:
    """Train and val loaders of this process (its share of the global batch sizes)."""
    from .data import build_loader

    dc, ws = run_data_config(cfg.data), info.world_size
    common = dict(backend=cfg.data.backend, rank=info.rank, world_size=ws, device=info.device,
                  num_workers=cfg.data.num_workers, seed=cfg.train.seed, skip_bad_files=cfg.data.skip_bad_files)  # fmt: skip
    root = dataset_root(cfg.data.root)
    train = build_loader(root, "train", size=dc.train_size, batch_size=cfg.train.batch_size // ws, **common)
    val = build_loader(root, "val", size=dc.crop_size, batch_size=cfg.test.batch_size // ws, val_resize=dc.test_size,
                       **common)  # fmt: skip
    return train, val


def build_model(cfg: ModelCfg, dc: DataConfig, class_names: Sequence[str],
                say: Callable[[str], None] = print) -> nn.Module:  # fmt: skip
    """The network of a resolved ``model`` section, recording the data config and class names its
    new weights are trained for (``save_pretrained`` exports them).

    With ``pretrained`` weights whose class count differs from ``cfg.num_classes``, the head is
    replaced by a freshly initialised one (``say`` reports it); everything else is loaded.
    """
    if cfg.pretrained is False:
        model = modelzoo.create(cfg.name, num_classes=cfg.num_classes, **cfg.kwargs)
    else:
        model = modelzoo.create(cfg.name, pretrained=cfg.pretrained, **cfg.kwargs)
        if model.num_classes != cfg.num_classes:
            say(f"replacing the {model.num_classes}-class head of the pretrained weights by a new "
                f"{cfg.num_classes}-class head")  # fmt: skip
            model.reset_classifier(cfg.num_classes)
    describe_weights(model, dc, {"class_names": list(class_names)})
    return model
