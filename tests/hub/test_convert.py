"""Converter parity: torchvision/timm/pycls source models with random weights and BN statistics,
converted, loaded strictly, give the same logits (max abs diff <= 1e-4) — no downloads."""
from __future__ import annotations

import os
import pickle

import pytest
import timm
import torch
import torchvision

import modelzoo
from modelzoo.hub import convert as cv
from modelzoo.hub.load import UnsafeCheckpointError, Weights, WeightsMismatchError, read_checkpoint, read_state
from modelzoo.hub.weight_spec import Source

from .conftest import PYCLS_MODELS, randomize
from .pycls_oracle import build_pycls, pycls_cfg_dump

TOL = 1e-4
SIZE = 64  # small inputs keep the suite fast; every layer still runs


def _fast(build):
    """Build on the meta device and allocate without initialising (randomize/load fill every tensor)."""
    with torch.device("meta"):
        model = build()
    return model.to_empty(device="cpu")


def _logits(model, x):
    with torch.no_grad():
        return model(x)


def _assert_parity(source, ours, x=None, x_source=None):
    x = torch.randn(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1)) if x is None else x
    a, b = _logits(source, x if x_source is None else x_source), _logits(ours, x)
    assert a.shape == b.shape
    assert a.abs().max() > 1e-3  # the comparison is not vacuous
    assert (a - b).abs().max().item() <= TOL


# (source builder, converter, our model, our constructor args)
PARITY = {
    "tv-resnet50": (lambda: torchvision.models.resnet50(), "resnet", "resnet50", {}),
    "tv-resnext50_32x4d": (lambda: torchvision.models.resnext50_32x4d(), "resnet", "resnext50_32x4d", {}),
    "tv-resnext101_32x8d": (lambda: torchvision.models.resnext101_32x8d(), "resnet", "resnext101_32x8d", {}),
    "timm-resnet18": (lambda: timm.create_model("resnet18"), "resnet", "resnet18", {}),
    "timm-regnetx_002": (lambda: timm.create_model("regnetx_002"), "timm_regnet", "regnetx_200mf", {}),
    "timm-regnetx_004": (lambda: timm.create_model("regnetx_004"), "timm_regnet", "regnetx_400mf", {}),
    "timm-regnety_002": (lambda: timm.create_model("regnety_002"), "timm_regnet", "regnety_200mf", {}),
    "timm-regnety_008": (lambda: timm.create_model("regnety_008"), "timm_regnet", "regnety_800mf", {}),
    "timm-efficientnet_b0": (lambda: timm.create_model("efficientnet_b0"), "timm_efficientnet", "efficientnet_b0", {}),
    "timm-efficientnet_b2": (lambda: timm.create_model("efficientnet_b2"), "timm_efficientnet", "efficientnet_b2", {}),
    "timm-tf_efficientnet_b0": (lambda: timm.create_model("tf_efficientnet_b0"), "timm_efficientnet", "efficientnet_b0",
                                {"tf_port": True}),  # fmt: skip
}


@pytest.mark.parametrize("case", list(PARITY))
def test_converter_parity(case):
    build_source, converter, name, args = PARITY[case]
    source = randomize(_fast(build_source))
    ours = _fast(lambda: modelzoo.create(name, **args)).eval()
    assert cv.detect_converter(source.state_dict()) == converter
    ours.load_state_dict(cv.convert(source.state_dict(), converter), strict=True)
    _assert_parity(source, ours)


def test_tf_port_needs_same_padding():
    """The TF weights only match with tf_port=True (at even sizes SAME pads only right/bottom)."""
    source = randomize(_fast(lambda: timm.create_model("tf_efficientnet_b0")))
    plain = _fast(lambda: modelzoo.create("efficientnet_b0", bn_eps=1e-3)).eval()
    plain.load_state_dict(cv.convert(source.state_dict(), "timm_efficientnet"))
    x = torch.randn(1, 3, 64, 64)
    assert (_logits(source, x) - _logits(plain, x)).abs().max() > 1e-3


# ------------------------------------------------------------------------------------ pycls
def _pycls_checkpoint(tmp_path, name: str, seed: int = 0):
    """A checkpoint exactly as pycls writes it (model_state, optimizer_state, epoch, cfg YAML)."""
    arch = PYCLS_MODELS[name]["arch"]
    model = randomize(_fast(lambda: build_pycls(arch)), seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    path = tmp_path / f"{name}.pyth"
    torch.save({"epoch": 99, "model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "cfg": pycls_cfg_dump(arch)}, path)  # fmt: skip
    return model, path


@pytest.mark.parametrize("name", ["regnetx_200mf", "regnety_200mf", "resnet50", "efficientnet_b0"])
def test_pycls_checkpoint_rgb_equals_original_bgr(tmp_path, name):
    oracle, path = _pycls_checkpoint(tmp_path, name)
    ours = modelzoo.create(name, pretrained=str(path)).eval()  # format detected: pycls → BGR flipped
    x_rgb = torch.randn(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(3))
    _assert_parity(oracle, ours, x=x_rgb, x_source=x_rgb.flip(1))  # pycls consumes BGR


def test_pycls_checkpoint_loads_strictly_with_explicit_converter(tmp_path):
    oracle, path = _pycls_checkpoint(tmp_path, "regnetx_200mf")
    obj = read_checkpoint(path)
    sd = cv.flip_channels(cv.convert(obj, "pycls"))
    ours = modelzoo.create("regnetx_200mf")
    ours.load_state_dict(sd, strict=True)
    assert torch.equal(ours.stem.conv.weight, oracle.stem.conv.weight.flip(1))


def test_all_pycls_models_match_their_pycls_original(monkeypatch):
    """Each of the 36 pycls models: keys and shapes equal the pycls 0.1.1 build of its recipe."""
    assert len(PYCLS_MODELS) == 36
    monkeypatch.setattr(torch.Tensor, "normal_", lambda t, *a, **k: t)  # init is irrelevant (and slow on meta)
    with torch.device("meta"):
        for name, facts in PYCLS_MODELS.items():
            theirs = {k: v.shape for k, v in build_pycls(facts["arch"]).state_dict().items()}
            ours = {k: v.shape for k, v in modelzoo.create(name).state_dict().items()}
            assert theirs == ours, name


# ----------------------------------------------------------------------- adaptation and checks
def _saved(tmp_path, model, name="w.safetensors"):
    from safetensors.torch import save_file

    path = tmp_path / name
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(path))
    return path


def test_in_chans_1_sums_the_rgb_filters(tmp_path):
    src = randomize(modelzoo.create("regnetx_200mf"))
    grey = modelzoo.create("regnetx_200mf", pretrained=str(_saved(tmp_path, src)), in_chans=1).eval()
    assert grey.stem.conv.weight.shape[1] == 1
    x = torch.rand(2, 1, SIZE, SIZE)
    _assert_parity(src, grey, x=x, x_source=x.expand(-1, 3, -1, -1))


def test_in_chans_more_repeats_and_rescales(tmp_path):
    src = randomize(modelzoo.create("regnetx_200mf"))
    six = modelzoo.create("regnetx_200mf", pretrained=str(_saved(tmp_path, src)), in_chans=6).eval()
    w = six.stem.conv.weight
    assert w.shape[1] == 6 and torch.allclose(w[:, :3], src.stem.conv.weight / 2) and torch.equal(w[:, :3], w[:, 3:])
    x = torch.rand(2, 3, SIZE, SIZE)
    _assert_parity(src, six, x=torch.cat([x, x], 1), x_source=x)


def test_other_num_classes_reinitialises_the_head_with_a_warning(tmp_path):
    src = randomize(modelzoo.create("regnetx_200mf"))
    with pytest.warns(UserWarning, match=r"1000 classes, the model 7.*head\.fc"):
        model = modelzoo.create("regnetx_200mf", pretrained=str(_saved(tmp_path, src)), num_classes=7).eval()
    assert model.head.fc.weight.shape == (7, src.num_features)
    assert torch.equal(model.stem.conv.weight, src.stem.conv.weight)
    assert torch.equal(model.s4.b1.f.b.weight, src.s4.b1.f.b.weight)
    assert model.pretrained_cfg["num_classes"] == 7
    feats = modelzoo.create("regnetx_200mf", pretrained=str(_saved(tmp_path, src)), num_classes=0).eval()
    x = torch.randn(1, 3, SIZE, SIZE)
    assert torch.allclose(_logits(feats, x), src.forward_head(src.forward_features(x), pre_logits=True))


def test_missing_unexpected_and_misshaped_keys_are_listed(tmp_path):
    sd = dict(randomize(modelzoo.create("regnetx_200mf")).state_dict())
    sd.pop("s1.b1.f.a.weight")
    sd["s9.b1.extra.weight"] = torch.zeros(1)
    sd["s2.b1.f.b_bn.bias"] = torch.zeros(3)
    from safetensors.torch import save_file

    save_file(sd, str(tmp_path / "bad.safetensors"))
    with pytest.raises(WeightsMismatchError) as e:
        modelzoo.create("regnetx_200mf", pretrained=str(tmp_path / "bad.safetensors"))
    msg = str(e.value)
    assert "s1.b1.f.a.weight" in msg and "s9.b1.extra.weight" in msg and "s2.b1.f.b_bn.bias: weights (3,)" in msg
    assert e.value.missing == ["s1.b1.f.a.weight"] and e.value.unexpected == ["s9.b1.extra.weight"]


def test_wrong_architecture_is_a_clear_error(tmp_path):
    path = _saved(tmp_path, modelzoo.create("regnetx_200mf"))
    with pytest.raises(WeightsMismatchError, match=r"do not fit the model:\n  missing keys \(52\):\n    s1.b1.f.se"):
        modelzoo.create("regnety_200mf", pretrained=str(path))


class _Boom:
    """Unpickling this would run code (create a marker file)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickles_needing_code_are_refused_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    with open(path, "wb") as f:
        pickle.dump({"model": _Boom(str(marker))}, f, protocol=2)
    with pytest.raises(UnsafeCheckpointError, match="weights_only"):
        read_checkpoint(path)
    with pytest.raises(UnsafeCheckpointError):
        modelzoo.create("regnetx_200mf", pretrained=str(path))
    assert not marker.exists()


def test_pth_state_dict_and_training_checkpoint_layouts_load(tmp_path):
    src = randomize(modelzoo.create("regnetx_200mf"))
    for i, obj in enumerate([src.state_dict(), {"state_dict": src.state_dict(), "epoch": 3},
                             {"model": {f"module.{k}": v for k, v in src.state_dict().items()}}]):  # fmt: skip
        path = tmp_path / f"ckpt{i}.pth"
        torch.save(obj, path)
        model = modelzoo.create("regnetx_200mf", pretrained=str(path)).eval()
        assert torch.equal(model.stem.conv.weight, src.stem.conv.weight), i


def test_unreadable_files_name_the_file(tmp_path):
    bad = tmp_path / "broken.safetensors"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    with pytest.raises(ValueError, match="broken.safetensors"):
        read_checkpoint(bad)
    with pytest.raises(FileNotFoundError, match="nope.pth"):
        modelzoo.create("regnetx_200mf", pretrained=str(tmp_path / "nope.pth"))
    trunc = tmp_path / "trunc.pth"
    torch.save(modelzoo.create("regnetx_200mf").state_dict(), trunc)
    trunc.write_bytes(trunc.read_bytes()[: os.path.getsize(trunc) // 2])
    with pytest.raises(ValueError, match="trunc.pth"):
        read_state(Weights(str(trunc), (Source(path=str(trunc)),)))
