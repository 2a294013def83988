"""Backbones: multi-scale features (timm parity), dilation, forward_intermediates, export, errors."""
from __future__ import annotations

import pytest
import torch

import modelzoo
from model_helpers import randomize

X = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))
# modelzoo name → timm name of the same architecture
FAMILIES = {"resnet50": "resnet50", "regnety_1_6gf": "regnety_016", "efficientnet_b0": "efficientnet_b0"}


@pytest.mark.parametrize("name", FAMILIES)
def test_levels_equal_timms_features_only_model_with_the_same_weights(name, tmp_path):
    import timm
    from safetensors.torch import save_file

    source = randomize(timm.create_model(FAMILIES[name]), seed=1)
    path = tmp_path / "weights.safetensors"
    save_file({k: v.contiguous() for k, v in source.state_dict().items()}, str(path))
    ours = modelzoo.create(name, pretrained=str(path), features_only=True).eval()
    theirs = timm.create_model(FAMILIES[name], features_only=True).eval()
    missing, _ = theirs.load_state_dict(source.state_dict(), strict=False)
    assert not missing
    assert ours.feature_info.channels() == theirs.feature_info.channels()
    assert ours.feature_info.reduction() == theirs.feature_info.reduction() == [2, 4, 8, 16, 32]
    with torch.no_grad():
        got, expected = ours(X), theirs(X)
    assert len(got) == len(expected) == 5
    for level, (a, b) in enumerate(zip(got, expected)):
        assert a.shape == b.shape and (a - b).abs().max() <= 1e-4, level
    assert not any(k.startswith("head.") for k in ours.state_dict())


@pytest.mark.parametrize("name", ["resnet18", "regnetx_200mf", "efficientnet_b0"])
@pytest.mark.parametrize("output_stride", [16, 8])
def test_output_stride_dilates_and_weights_still_load(name, output_stride, tmp_path):
    plain = randomize(modelzoo.create(name, num_classes=5))
    d = modelzoo.save_pretrained(plain, tmp_path / "w")
    model = modelzoo.create(name, pretrained=str(d), features_only=True, output_stride=output_stride).eval()
    with torch.no_grad():
        shapes = [f.shape[-1] for f in model(X)]
    assert model.feature_info.reduction() == [min(r, output_stride) for r in (2, 4, 8, 16, 32)]
    assert shapes == [64 // r for r in model.feature_info.reduction()]
    with torch.no_grad():  # the levels above the output stride are untouched by the dilation
        undilated = modelzoo.create(str(d), features_only=True).eval()(X)
    n_same = (2, 4, 8, 16).index(output_stride) + 1
    assert all(torch.equal(a, b) for a, b in zip(model(X)[:n_same], undilated[:n_same]))
    full = modelzoo.create(name, output_stride=output_stride)
    assert full.model_args["output_stride"] == output_stride and full.complexity(64)["flops"] > plain.complexity(64)["flops"]


def test_forward_intermediates_gives_logits_and_levels_in_one_pass():
    model = randomize(modelzoo.create("regnetx_200mf", num_classes=7))
    with torch.no_grad():
        final, levels = model.forward_intermediates(X)
        assert torch.equal(model.forward_head(final), model(X))
        features = modelzoo.create("regnetx_200mf", features_only=True)
        features.load_state_dict({k: v for k, v in model.state_dict().items() if not k.startswith("head.")})
        assert all(torch.equal(a, b) for a, b in zip(levels, features.eval()(X)))
        last_two = model.forward_intermediates(X, indices=2, intermediates_only=True)
        assert [t.shape[1] for t in last_two] == model.feature_info.channels()[-2:]
        early, (s1,) = model.forward_intermediates(X, indices=[1], stop_early=True)
        assert torch.equal(early, s1) and torch.equal(s1, levels[1])


def test_out_indices_select_and_truncate():
    model = modelzoo.create("resnet50", features_only=True, out_indices=(1, 2)).eval()
    assert model.feature_info.channels() == [256, 512] and model.stage_names == ["s1", "s2"]
    assert not any(k.startswith(("s3.", "s4.")) for k in model.state_dict())
    with torch.no_grad():
        assert [f.shape[1] for f in model(X)] == [256, 512]


@pytest.mark.parametrize("kwargs, message", [
    ({"features_only": True, "out_indices": (0, 5)}, r"index 5 is out of range \(valid: 0 to 4"),
    ({"features_only": True, "out_indices": (1, 1)}, r"repeat a level \(valid: 0 to 4"),
    ({"features_only": True, "output_stride": 4}, r"output_stride must be one of \(8, 16, 32\)"),
    ({"features_only": True, "num_classes": 10}, r"num_classes=10 conflicts with features_only=True"),
    ({"out_indices": (1, 2)}, r"pass features_only=True"),
])  # fmt: skip
def test_bad_feature_options_name_the_valid_choices(kwargs, message):
    with pytest.raises(ValueError, match=message):
        modelzoo.create("regnetx_200mf", **kwargs)


def test_features_only_traces_exports_and_optimizes():
    model = randomize(modelzoo.create("regnetx_200mf", features_only=True))
    x = torch.randn(3, 3, 96, 80)
    with torch.no_grad():
        expected = model(x)
    traced = torch.fx.symbolic_trace(model)
    assert all(torch.equal(a, b) for a, b in zip(traced(x), expected))
    batch, height, width = torch.export.Dim("batch"), torch.export.Dim("h", min=64), torch.export.Dim("w", min=64)
    program = torch.export.export(model, (X,), dynamic_shapes=({0: batch, 2: height, 3: width},))
    assert all((a - b).abs().max() <= 1e-5 for a, b in zip(program.module()(x), expected))  # other batch and size
    fast = modelzoo.optimize_for_inference(model)
    assert all((a - b).abs().max() <= 1e-3 for a, b in zip(fast(x), expected))
    assert modelzoo.create("efficientnet_b0", features_only=True, tf_port=True)(X)[0].shape == (2, 16, 32, 32)
