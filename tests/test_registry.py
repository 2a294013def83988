"""Registry: canonical names, aliases, listing, errors, user registration."""
import pytest
import torch

import modelzoo
from modelzoo.registry import architecture

REGNET_SIZES = "200mf 400mf 600mf 800mf 1_6gf 3_2gf 4_0gf 6_4gf 8_0gf 12gf 16gf 32gf".split()
CANONICAL = (
    "resnet18 resnet34 resnet50 resnet101 resnet152 resnext50_32x4d resnext101_32x4d resnext101_32x8d resnext152_32x4d".split()
    + [f"regnet{k}_{s}" for k in "xy" for s in REGNET_SIZES]
    + [f"efficientnet_b{i}" for i in range(8)]
)


def test_canonical_names():
    builtin = {n for n in modelzoo.list_models() if architecture(n).family != "custom"}  # other tests register more
    assert builtin == set(CANONICAL)
    assert all(modelzoo.is_model(n) for n in CANONICAL)


@pytest.mark.parametrize(
    "alias,name",
    [("ResNet-50", "resnet50"), ("ResNeXt-101", "resnext101_32x4d"), ("RegNetX-1.6GF", "regnetx_1_6gf"),
     ("RegNetY-400MF", "regnety_400mf"), ("EfficientNet-B1", "efficientnet_b1"), ("R-50-1x64d", "resnet50"),
     ("X-50-32x4d", "resnext50_32x4d"), ("EN-B0", "efficientnet_b0"), ("regnetx_016", "regnetx_1_6gf"),
     ("regnety_004", "regnety_400mf"), ("regnety_320", "regnety_32gf"), ("RESNET50", "resnet50")],
)  # fmt: skip
def test_aliases(alias, name):
    assert modelzoo.is_model(alias)
    assert architecture(alias).name == name
    assert modelzoo.create(alias, num_classes=0).pretrained_cfg["architecture"] == name


def test_list_models_pattern_and_natural_order():
    assert modelzoo.list_models("resnet*") == ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"]
    assert modelzoo.list_models("efficientnet_b?")[:3] == ["efficientnet_b0", "efficientnet_b1", "efficientnet_b2"]
    assert modelzoo.list_models("RegNetY_1*") == ["regnety_1_6gf", "regnety_12gf", "regnety_16gf"]
    assert modelzoo.list_models("nothing*") == []


def test_unknown_name_suggests_closest():
    with pytest.raises(modelzoo.UnknownModelError, match=r"unknown model 'resnet5'.*'resnet50'") as err:
        modelzoo.create("resnet5")
    assert "resnet50" in err.value.suggestions
    assert isinstance(err.value, KeyError) and isinstance(err.value, ValueError)
    with pytest.raises(modelzoo.UnknownModelError, match="regnety_400mf"):
        modelzoo.complexity("regnety_400")
    assert not modelzoo.is_model("resnet5")


def test_register_model_and_duplicates():
    @modelzoo.register_model
    def tiny_test_net(*, num_classes=1000, in_chans=3):
        return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.LazyLinear(num_classes))

    assert modelzoo.is_model("tiny_test_net")
    assert "tiny_test_net" in modelzoo.list_models("tiny*")
    assert isinstance(modelzoo.create("tiny_test_net", num_classes=3), torch.nn.Sequential)
    with pytest.raises(ValueError, match="already registered"):
        modelzoo.register_model(tiny_test_net)
    with pytest.raises(ValueError, match="already registered"):
        modelzoo.register_model(name="resnet50")(tiny_test_net)
    with pytest.raises(ValueError, match="already registered"):
        modelzoo.register_model(name="other_net", aliases=("ResNet-50",))(tiny_test_net)
    # A model without weights cannot be created pretrained.
    with pytest.raises(ValueError, match="tiny_test_net.*no pretrained weights"):
        modelzoo.create("tiny_test_net", pretrained=True)
