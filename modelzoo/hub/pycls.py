"""pycls checkpoints (``.pyth``): which modelzoo architecture a checkpoint's config describes.

pycls saves ``{"epoch", "model_state", "optimizer_state", "cfg"}`` where ``cfg`` is its whole yacs
config dumped as YAML. The architecture sections (``MODEL.TYPE`` with ``ANYNET``/``REGNET``/``EN``)
are turned into a modelzoo spec and matched against the registered ones, so a pycls file names
its own model: ``modelzoo.create('RegNetY-400MF_dds_8gpu.pyth')``.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from ..models.anynet import AnyNetSpec
from ..models.efficientnet import EffNetSpec
from ..models.regnet import RegNetParams
from ..registry import Architecture, architecture, list_models


def parse_cfg(text: str, what: str) -> dict[str, Any]:
    """The YAML config text stored in a pycls checkpoint, as a dict."""
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ValueError(f"{what}: the pycls config in the checkpoint is not valid YAML ({e})") from None
    if not isinstance(cfg, dict) or not isinstance(cfg.get("MODEL"), dict):
        raise ValueError(f"{what}: the pycls config in the checkpoint has no MODEL section")
    return cfg


def spec_from_cfg(cfg: dict[str, Any], what: str) -> AnyNetSpec | EffNetSpec:
    """The modelzoo spec of the network a pycls config builds (train size from ``TRAIN.IM_SIZE``)."""
    kind = str(cfg["MODEL"].get("TYPE", "")).lower()
    size = int(cfg.get("TRAIN", {}).get("IM_SIZE", 224))
    try:
        if kind == "regnet":
            r = cfg["REGNET"]
            params = RegNetParams(int(r["DEPTH"]), int(r["W0"]), float(r["WA"]), float(r["WM"]), int(r["GROUP_W"]),
                                  se=bool(r["SE_ON"]), stem_w=int(r["STEM_W"]), bot_mul=float(r["BOT_MUL"]))  # fmt: skip
            return dataclasses.replace(params.to_spec(), train_size=size)
        if kind == "anynet":
            a = cfg["ANYNET"]
            return AnyNetSpec(a["STEM_TYPE"], int(a["STEM_W"]), a["BLOCK_TYPE"], tuple(a["DEPTHS"]), tuple(a["WIDTHS"]),
                              tuple(a["STRIDES"]), tuple(float(b) for b in a["BOT_MULS"]), tuple(a["GROUP_WS"]),
                              float(a["SE_R"]) if a.get("SE_ON") else 0.0, size)  # fmt: skip
        if kind == "effnet":
            e = cfg["EN"]
            return EffNetSpec(int(e["STEM_W"]), tuple(e["DEPTHS"]), tuple(e["WIDTHS"]), tuple(e["EXP_RATIOS"]),
                              tuple(e["KERNELS"]), tuple(e["STRIDES"]), int(e["HEAD_W"]), size, float(e["SE_R"]))  # fmt: skip
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{what}: incomplete pycls {kind} config ({type(e).__name__}: {e})") from None
    raise ValueError(f"{what}: pycls model type {kind!r} has no modelzoo counterpart (known: anynet, regnet, effnet)")


def architecture_of(cfg: dict[str, Any], what: str) -> Architecture:
    """The registered architecture whose spec equals the config's (train size aside)."""
    spec = spec_from_cfg(cfg, what)
    for name in list_models():
        arch = architecture(name)
        if type(arch.spec) is type(spec) and dataclasses.replace(arch.spec, train_size=spec.train_size) == spec:
            return arch
    raise ValueError(f"{what}: the pycls config describes a network that is not in the zoo ({spec})")


def model_args(cfg: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments a pycls config implies (BN settings, dropout, drop-connect)."""
    bn = cfg.get("BN", {})
    args: dict[str, Any] = {"num_classes": int(cfg["MODEL"].get("NUM_CLASSES", 1000))}
    if "EPS" in bn:
        args["bn_eps"] = float(bn["EPS"])
    if "MOM" in bn:
        args["bn_momentum"] = float(bn["MOM"])
    if str(cfg["MODEL"].get("TYPE", "")).lower() == "effnet":
        en = cfg.get("EN", {})
        args.update(drop_rate=float(en.get("DROPOUT_RATIO", 0.0)), drop_connect_rate=float(en.get("DC_RATIO", 0.0)))
    return args
