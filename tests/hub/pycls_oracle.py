"""Build original pycls (0.1.1) models from a config dict: the oracle for pycls checkpoints."""
from __future__ import annotations

import torch.nn as nn


def build_pycls(arch_cfg: dict) -> nn.Module:
    """pycls model for ``arch_cfg`` (MODEL/ANYNET/REGNET/EN/RESNET sections); pycls's global
    config is restored afterwards."""
    from pycls.core import builders
    from pycls.core.config import cfg
    from yacs.config import CfgNode

    snapshot = cfg.clone()
    try:
        cfg.merge_from_other_cfg(CfgNode(arch_cfg))
        return builders.build_model()
    finally:
        cfg.merge_from_other_cfg(snapshot)


def pycls_cfg_dump(arch_cfg: dict) -> str:
    """The YAML text pycls stores under ``cfg`` in its checkpoints."""
    from pycls.core.config import cfg
    from yacs.config import CfgNode

    snapshot = cfg.clone()
    try:
        cfg.merge_from_other_cfg(CfgNode(arch_cfg))
        return cfg.dump()
    finally:
        cfg.merge_from_other_cfg(snapshot)
