"""Build original pycls (0.1.1) models from a config dict: the oracle for pycls checkpoints."""
from __future__ import annotations

import contextlib
from typing import Iterator

import torch.nn as nn


@contextlib.contextmanager
def pycls_config(arch_cfg: dict) -> Iterator:
    """pycls's global config with ``arch_cfg`` (MODEL/ANYNET/REGNET/EN/RESNET sections) merged in,
    restored afterwards."""
    from pycls.core.config import cfg
    from yacs.config import CfgNode

    snapshot = cfg.clone()
    try:
        cfg.merge_from_other_cfg(CfgNode(arch_cfg))
        yield cfg
    finally:
        cfg.merge_from_other_cfg(snapshot)


def build_pycls(arch_cfg: dict) -> nn.Module:
    """The pycls model for ``arch_cfg``."""
    from pycls.core import builders

    with pycls_config(arch_cfg):
        return builders.build_model()


def pycls_cfg_dump(arch_cfg: dict) -> str:
    """The YAML text pycls stores under ``cfg`` in its checkpoints."""
    with pycls_config(arch_cfg) as cfg:
        return cfg.dump()
