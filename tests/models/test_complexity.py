"""Analytic complexity: exact pycls golden numbers and params == sum(numel)."""
import json
from pathlib import Path

import pytest
import torch

import modelzoo
from modelzoo.models.efficientnet import SPECS

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "complexity_reference.json").read_text())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_numbers_exact(name):
    expected = {k: GOLDEN[name][k] for k in ("flops", "params", "acts")}
    assert modelzoo.complexity(name) == expected
    # The pycls display/config name resolves to the same model.
    assert modelzoo.complexity(GOLDEN[name]["pycls_name"]) == expected


@pytest.mark.parametrize("name", modelzoo.list_models())
def test_params_equal_numel(name):
    model = modelzoo.create(name)
    assert modelzoo.complexity(model)["params"] == sum(p.numel() for p in model.parameters())
    assert modelzoo.complexity(model) == modelzoo.complexity(name)


@pytest.mark.parametrize("name", ["resnet18", "regnety_200mf", "efficientnet_b0"])
def test_params_follow_num_classes_and_in_chans(name):
    model = modelzoo.create(name, num_classes=7, in_chans=1)
    assert model.complexity()["params"] == sum(p.numel() for p in model.parameters())
    headless = modelzoo.create(name, num_classes=0)
    assert headless.complexity()["params"] == sum(p.numel() for p in headless.parameters())


def test_default_im_size_is_train_size():
    assert modelzoo.complexity("efficientnet_b1") == modelzoo.complexity("efficientnet_b1", im_size=240)
    assert modelzoo.complexity("efficientnet_b1") != modelzoo.complexity("efficientnet_b1", im_size=224)
    # Spatial work scales with area; params do not.
    small, large = modelzoo.complexity("resnet50", 112), modelzoo.complexity("resnet50", 448)
    assert small["params"] == large["params"]
    assert 15 < large["flops"] / small["flops"] < 16.1


def test_flops_match_a_hook_count():
    """Cross-check the analytic MAC count against the convolutions/linears actually executed."""
    model = modelzoo.create("regnety_200mf").eval()
    macs = []

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
            macs.append(output.numel() * k + (output.numel() if module.bias is not None else 0))
        elif isinstance(module, torch.nn.Linear):
            macs.append(output.numel() * module.in_features + output.numel())

    for m in model.modules():
        m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.zeros(1, 3, 224, 224))
    assert sum(macs) == modelzoo.complexity(model)["flops"]


@pytest.mark.parametrize("name", ["efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4", "efficientnet_b5"])
def test_compound_scaling_reproduces_pycls_variants(name):
    """B6/B7 come from compound scaling; the same rule must give the pycls B1–B5 tables."""
    coeffs = {"efficientnet_b1": (1.0, 1.1), "efficientnet_b2": (1.1, 1.2), "efficientnet_b3": (1.2, 1.4),
              "efficientnet_b4": (1.4, 1.8), "efficientnet_b5": (1.6, 2.2)}  # fmt: skip
    width, depth = coeffs[name]
    assert SPECS["efficientnet_b0"].scaled(width, depth, SPECS[name].train_size) == SPECS[name]


def test_complexity_rejects_foreign_modules():
    with pytest.raises(TypeError, match="no analytic complexity"):
        modelzoo.complexity(torch.nn.Linear(2, 2))
