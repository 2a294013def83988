"""The resolve step: every derivable value filled once, before anything is built, from facts alone."""
from __future__ import annotations

import dataclasses

import pytest

import modelzoo
from modelzoo.models.base import describe_weights
from modelzoo.training.config import Config, ConfigError
from modelzoo.training.resolve import default_backend, resolve_config

CLASSES = ["ant", "bee", "cat"]


def recipe(**overrides) -> Config:
    cfg = Config.from_dict({"model": {"name": "RegNetX-200MF"}, "data": {"root": "unused", "train_size": 32},
                            "train": {"batch_size": 8, "device": "cpu"}, "test": {"batch_size": 8}})  # fmt: skip
    return cfg.replace(**overrides)


def test_every_derivable_value_is_filled():
    cfg = resolve_config(recipe(), classes=CLASSES)
    assert cfg.model.name == "regnetx_200mf" and cfg.model.num_classes == 3  # canonical name, the dataset's classes
    assert cfg.data.backend == default_backend() and (cfg.train.device, cfg.dist.backend) == ("cpu", "gloo")
    assert (cfg.data.train_size, cfg.data.test_size, cfg.data.crop_size) == (32, 36, 32)  # the protocol for 32
    assert cfg.data.mean == modelzoo.DataConfig().mean and cfg.data.std == modelzoo.DataConfig().std
    assert cfg.data.num_workers is None and cfg.train.cpu_threads is None  # "this machine's default" stays
    assert resolve_config(cfg) == cfg  # resolving again changes nothing (and needs no dataset)


def test_the_result_is_immutable():
    cfg = resolve_config(recipe(), classes=CLASSES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.optim.base_lr = 1.0  # type: ignore[misc]
    assert cfg.replace(**{"optim.base_lr": 0.5}).optim.base_lr == 0.5 and cfg.optim.base_lr != 0.5


def test_the_weights_data_config_is_read_without_reading_the_weights(tmp_path):
    dc = modelzoo.DataConfig(train_size=40, test_size=46, crop_size=40, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25))
    model = modelzoo.create("regnetx_200mf", num_classes=5)
    describe_weights(model, dc)
    saved = modelzoo.save_pretrained(model, tmp_path / "weights")
    (saved / "model.safetensors").write_bytes(b"not weights")  # resolving must not need them
    cfg = resolve_config(recipe(**{"model.pretrained": str(saved), "data.train_size": None}), classes=CLASSES)
    assert (cfg.data.train_size, cfg.data.test_size, cfg.data.crop_size) == (40, 46, 40)
    assert cfg.data.mean == (0.5, 0.5, 0.5) and cfg.model.num_classes == 3
    # a field that is set wins over the weights' value; the rest still comes from them
    cfg = resolve_config(recipe(**{"model.pretrained": str(saved), "data.train_size": None, "data.std": [1, 1, 1]}),
                         classes=CLASSES)  # fmt: skip
    assert cfg.data.std == (1.0, 1.0, 1.0) and cfg.data.mean == (0.5, 0.5, 0.5)


@pytest.mark.parametrize("overrides, message", [
    ({"model.pretrained": "no_such_tag"}, r"model\.pretrained: .*no_such_tag"),
    ({"model.pretrained": "/nonexistent/weights"}, r"model\.pretrained: .*no such file or directory"),
    ({"data.crop_size": 300}, r"data: .*crop_size \(300\) is larger than test_size \(36\)"),
    ({"train.batch_size": 9}, r"train\.batch_size: 9 is not divisible by the world size 2"),
])  # fmt: skip
def test_what_only_resolving_finds_is_a_config_error(overrides, message):
    from modelzoo.training.dist import DistInfo

    with pytest.raises(ConfigError, match=message):
        resolve_config(recipe(**overrides), DistInfo(rank=0, world_size=2), classes=CLASSES)


def test_a_dataset_without_a_train_split_names_data_root(tmp_path):
    with pytest.raises(ConfigError, match=r"data\.root: missing split folder .*train"):
        resolve_config(recipe(**{"data.root": str(tmp_path)}))
    (tmp_path / "train" / "a").mkdir(parents=True)
    (tmp_path / "train" / "b").mkdir()
    assert resolve_config(recipe(**{"data.root": str(tmp_path)})).model.num_classes == 2  # the class folders
