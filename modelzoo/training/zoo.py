"""The training code's one door into modelzoo's internals.

The trainer builds models with the public API (``modelzoo.create``, ``save_pretrained``,
``push_to_hub``); what it needs beyond that (the registry entry of a name, the data config of
weights without downloading them, recording what new weights are trained for, the cache folder)
is imported here and nowhere else under ``modelzoo/training``, so a change in the core's layout is
a change of this file only.
"""
from __future__ import annotations

from modelzoo import DataConfig, UnknownModelError
from modelzoo.data_config import test_size_for
from modelzoo.hub import cache_dir, resolve
from modelzoo.models.base import data_config_of, describe_weights
from modelzoo.registry import Architecture, architecture

__all__ = ["Architecture", "DataConfig", "UnknownModelError", "architecture", "cache_dir", "data_config_of",
           "describe_weights", "test_size_for", "weights_data_config"]  # fmt: skip


def weights_data_config(name: str, pretrained: bool | str) -> DataConfig:
    """The data config of the initial weights that ``model.name``/``model.pretrained`` select (the
    architecture's for a random init).

    Reads at most a config file (a ``save_pretrained`` directory's or a Hub repo's
    ``config.json``), never the weights themselves.
    """
    return resolve(name, pretrained).data_config or architecture(name).data_config
