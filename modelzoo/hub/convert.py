"""Key converters: other projects' checkpoints → modelzoo parameter names (which are pycls's).

Each converter is a pure function from a loaded checkpoint object to a flat state dict; they are
keyed by name in :data:`CONVERTERS` (the name a :class:`~modelzoo.hub.specs.Source` gives).
Keys a converter does not know are passed through unchanged, so the strict load that follows
reports them. Channel order and input-channel adaptation are separate small functions.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

import torch

StateDict = dict[str, torch.Tensor]
STEM_KEY = "stem.conv.weight"  # the first conv of every modelzoo model


def _rename(sd: StateDict, rules: list[tuple[str, Callable[[re.Match], str]]]) -> StateDict:
    compiled = [(re.compile(p), f) for p, f in rules]
    out: StateDict = {}
    for key, value in sd.items():
        new = key
        for pattern, fn in compiled:
            m = pattern.fullmatch(key)
            if m:
                new = fn(m)
                break
        if new in out:
            raise ValueError(f"two checkpoint keys map to {new!r} (the second is {key!r})")
        out[new] = value
    return out


def _block(stage: str, index: str) -> str:
    """timm/torchvision ``layer{i}.{j}`` / ``blocks.{i}.{j}`` → pycls ``s{i}.b{j+1}`` (1-based blocks)."""
    return f"s{int(stage)}.b{int(index) + 1}"


def unwrap(obj: Any) -> StateDict:
    """The state dict inside common containers (``state_dict``/``model``/``model_state`` entries),
    without DistributedDataParallel's ``module.`` or ``torch.compile``'s ``_orig_mod.`` prefix."""
    for key in ("state_dict", "model", "model_state"):
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise ValueError("checkpoint is not a state dict (a mapping of names to tensors)")
    for prefix in ("module.", "_orig_mod."):  # DistributedDataParallel, torch.compile
        if obj and all(k.startswith(prefix) for k in obj):
            obj = {k[len(prefix):]: v for k, v in obj.items()}
    return dict(obj)


def is_pycls_checkpoint(obj: Any) -> bool:
    """pycls's ``torch.save`` layout: ``model_state`` plus the yacs config dumped as YAML text."""
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("model_state"), dict)
        and isinstance(obj.get("cfg"), str)
        and re.search(r"^MODEL:", obj["cfg"], re.M) is not None
    )


def from_zoo(obj: Any) -> StateDict:
    """modelzoo's own names (``save_pretrained`` files, training checkpoints)."""
    return unwrap(obj)


def from_pycls(obj: Any) -> StateDict:
    """A pycls checkpoint: names are already ours; the weights sit in ``model_state``.

    The stem still expects BGR input: the loader flips it because the source is marked BGR.
    """
    if not (isinstance(obj, dict) and isinstance(obj.get("model_state"), dict)):
        raise ValueError("not a pycls checkpoint: no 'model_state' entry")
    return unwrap(obj["model_state"])


_RESNET_RULES = [
    (r"conv1\.(\w+)", lambda m: f"stem.conv.{m[1]}"),
    (r"bn1\.(\w+)", lambda m: f"stem.bn.{m[1]}"),
    (r"layer(\d+)\.(\d+)\.conv([123])\.(\w+)", lambda m: f"{_block(m[1], m[2])}.f.{'abc'[int(m[3]) - 1]}.{m[4]}"),
    (r"layer(\d+)\.(\d+)\.bn([123])\.(\w+)", lambda m: f"{_block(m[1], m[2])}.f.{'abc'[int(m[3]) - 1]}_bn.{m[4]}"),
    (r"layer(\d+)\.(\d+)\.downsample\.0\.(\w+)", lambda m: f"{_block(m[1], m[2])}.proj.{m[3]}"),
    (r"layer(\d+)\.(\d+)\.downsample\.1\.(\w+)", lambda m: f"{_block(m[1], m[2])}.bn.{m[3]}"),
    (r"fc\.(\w+)", lambda m: f"head.fc.{m[1]}"),
]


def from_resnet(obj: Any) -> StateDict:
    """torchvision and timm ResNet/ResNeXt (``conv1``, ``layer{i}.{j}.conv{k}``, ``downsample``, ``fc``)."""
    return _rename(unwrap(obj), _RESNET_RULES)


_REGNET_PARTS = {
    "conv1.conv": "f.a", "conv1.bn": "f.a_bn", "conv2.conv": "f.b", "conv2.bn": "f.b_bn",
    "conv3.conv": "f.c", "conv3.bn": "f.c_bn", "se.fc1": "f.se.f_ex.0", "se.fc2": "f.se.f_ex.2",
    "downsample.conv": "proj", "downsample.bn": "bn",
}  # fmt: skip
_REGNET_RULES = [
    (r"(s\d+\.b\d+)\.(" + "|".join(re.escape(p) for p in _REGNET_PARTS) + r")\.(\w+)",
     lambda m: f"{m[1]}.{_REGNET_PARTS[m[2]]}.{m[3]}"),
]  # fmt: skip


def from_timm_regnet(obj: Any) -> StateDict:
    """timm RegNet (``s{i}.b{j}.conv{k}.conv/bn``, ``se.fc1/fc2``, ``downsample``); stem and head match."""
    return _rename(unwrap(obj), _REGNET_RULES)


# EfficientNet blocks: depthwise-separable (expansion 1) vs inverted residual.
_DS_PARTS = {"conv_dw": "dwise", "bn1": "dwise_bn", "conv_pw": "lin_proj", "bn2": "lin_proj_bn"}
_IR_PARTS = {"conv_pw": "exp", "bn1": "exp_bn", "conv_dw": "dwise", "bn2": "dwise_bn", "conv_pwl": "lin_proj", "bn3": "lin_proj_bn"}
_SE_PARTS = {"se.conv_reduce": "se.f_ex.0", "se.conv_expand": "se.f_ex.2"}


def from_timm_efficientnet(obj: Any) -> StateDict:
    """timm EfficientNet and TF-ported EfficientNet (``conv_stem``, ``blocks.{i}.{j}``, ``conv_head``,
    ``classifier``)."""
    sd = unwrap(obj)
    inverted = {m[1] for k in sd if (m := re.match(r"(blocks\.\d+\.\d+)\.conv_pwl\.", k))}

    def block(m: re.Match) -> str:
        parts = _IR_PARTS if f"blocks.{m[1]}.{m[2]}" in inverted else _DS_PARTS
        part = _SE_PARTS.get(m[3]) or parts.get(m[3])
        if part is None:
            return m[0]  # unknown: left for the strict load to report
        return f"s{int(m[1]) + 1}.b{int(m[2]) + 1}.{part}.{m[4]}"

    rules = [
        (r"conv_stem\.(\w+)", lambda m: f"stem.conv.{m[1]}"),
        (r"bn1\.(\w+)", lambda m: f"stem.bn.{m[1]}"),
        (r"blocks\.(\d+)\.(\d+)\.(se\.conv_reduce|se\.conv_expand|\w+)\.(\w+)", block),
        (r"conv_head\.(\w+)", lambda m: f"head.conv.{m[1]}"),
        (r"bn2\.(\w+)", lambda m: f"head.conv_bn.{m[1]}"),
        (r"classifier\.(\w+)", lambda m: f"head.fc.{m[1]}"),
    ]
    return _rename(sd, rules)


CONVERTERS: dict[str, Callable[[Any], StateDict]] = {
    "zoo": from_zoo,
    "pycls": from_pycls,
    "resnet": from_resnet,
    "timm_regnet": from_timm_regnet,
    "timm_efficientnet": from_timm_efficientnet,
}


def convert(obj: Any, converter: str) -> StateDict:
    """Apply the converter named ``converter`` (a key of :data:`CONVERTERS`)."""
    try:
        fn = CONVERTERS[converter]
    except KeyError:
        raise ValueError(f"unknown converter {converter!r}; known: {', '.join(CONVERTERS)}") from None
    return fn(obj)


def detect_converter(obj: Any) -> str:
    """Guess the converter from a checkpoint's layout (for files that come without a spec)."""
    if is_pycls_checkpoint(obj):
        return "pycls"
    keys = set(unwrap(obj))
    if "conv_stem.weight" in keys:
        return "timm_efficientnet"
    if "conv1.weight" in keys and any(k.startswith("layer1.") for k in keys):
        return "resnet"
    if any(re.match(r"s\d+\.b\d+\.conv1\.conv\.", k) for k in keys):
        return "timm_regnet"
    if STEM_KEY in keys:
        return "zoo"
    sample = ", ".join(sorted(keys)[:5])
    raise ValueError(f"unrecognised checkpoint layout (first keys: {sample}); known converters: {', '.join(CONVERTERS)}")


def flip_channels(sd: StateDict, key: str = STEM_KEY) -> StateDict:
    """Reverse the input-channel order of the stem conv (BGR ↔ RGB)."""
    w = sd[key]
    if w.shape[1] != 3:
        raise ValueError(f"{key}: can only flip a 3-channel stem, it has {w.shape[1]} input channels")
    return {**sd, key: w.flip(1).contiguous()}


def adapt_in_chans(sd: StateDict, in_chans: int, key: str = STEM_KEY) -> StateDict:
    """Adapt a 3-channel stem conv to ``in_chans`` inputs: summed for 1 channel; for more, the RGB
    filters are repeated and scaled by 3/in_chans so the response to a grey image is unchanged."""
    w = sd[key]
    if w.shape[1] == in_chans:
        return sd
    if w.shape[1] != 3:
        raise ValueError(f"{key} has {w.shape[1]} input channels; only 3-channel weights can be adapted to {in_chans}")
    if in_chans == 1:
        new = w.sum(dim=1, keepdim=True)
    else:
        new = w.repeat(1, math.ceil(in_chans / 3), 1, 1)[:, :in_chans] * (3.0 / in_chans)
    return {**sd, key: new.contiguous()}
