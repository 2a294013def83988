"""The uniform model interface and the explicit architecture options."""
import pytest
import torch

import modelzoo
from modelzoo.layers import Conv2dSame


@pytest.mark.parametrize("name,features", [("resnet18", 512), ("resnet50", 2048), ("regnetx_200mf", 368), ("efficientnet_b0", 1280)])
def test_features_head_and_classifier(name, features):
    model = modelzoo.create(name).eval()
    assert model.num_features == features and model.num_classes == 1000
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        f = model.forward_features(x)
        assert f.shape == (2, features, 2, 2)
        assert model.forward_head(f, pre_logits=True).shape == (2, features)
        assert torch.equal(model.forward_head(f), model(x))
    model.reset_classifier(5)
    assert model.num_classes == 5 and model.pretrained_cfg["num_classes"] == 5
    assert model(x).shape == (2, 5)
    model.reset_classifier(0)
    assert model(x).shape == (2, features)
    with pytest.raises(ValueError, match="num_classes"):
        model.reset_classifier(-1)


@pytest.mark.parametrize(
    "name,train,test",
    [("resnet50", 224, 256), ("efficientnet_b1", 240, 274), ("efficientnet_b2", 260, 298), ("efficientnet_b3", 300, 342),
     ("efficientnet_b4", 380, 434), ("efficientnet_b5", 456, 522), ("efficientnet_b6", 528, 604), ("efficientnet_b7", 600, 686)],
)  # fmt: skip
def test_data_config(name, train, test):
    cfg = modelzoo.create(name, num_classes=0).default_cfg
    assert (cfg["train_size"], cfg["test_size"], cfg["crop_size"]) == (train, test, train)
    assert cfg["mean"] == [0.485, 0.456, 0.406] and cfg["std"] == [0.229, 0.224, 0.225]
    assert cfg["interpolation"] == "bilinear" and cfg["architecture"] == name
    assert cfg["input_size"] == (3, train, train)


def test_explicit_layer_options():
    model = modelzoo.create("efficientnet_b0", bn_eps=1e-3, bn_momentum=0.01, drop_rate=0.2, drop_connect_rate=0.2)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert all(m.eps == 1e-3 and m.momentum == 0.01 for m in bns)
    assert model.head.dropout.p == 0.2
    relu = modelzoo.create("efficientnet_b0", activation="relu")
    assert any(isinstance(m, torch.nn.ReLU) for m in relu.modules())
    assert not any(isinstance(m, torch.nn.ReLU) for m in model.modules())
    with pytest.raises(ValueError, match="activation"):
        modelzoo.create("resnet18", activation="gelu_typo")
    with pytest.raises(TypeError, match="resnet18.*drop_connect_rate"):
        modelzoo.create("resnet18", drop_connect_rate=0.1)


def test_zero_init_last_bn():
    model = modelzoo.create("resnet50", zero_init_last_bn=True)
    assert torch.all(model.s1.b1.f.c_bn.weight == 0) and torch.all(model.s1.b1.f.a_bn.weight == 1)
    assert torch.all(modelzoo.create("resnet50").s1.b1.f.c_bn.weight == 1)


def test_drop_connect_only_in_training():
    torch.manual_seed(0)
    model = modelzoo.create("efficientnet_b0", num_classes=4, drop_connect_rate=0.5)
    x = torch.randn(4, 3, 32, 32)
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(x), model(x))
    model.train()
    with torch.no_grad():
        assert not torch.equal(model(x), model(x))


@pytest.mark.parametrize("size", [223, 224, 225, 97])
def test_tf_same_padding(size):
    model = modelzoo.create("efficientnet_b0", tf_port=True, num_classes=0).eval()
    assert isinstance(model.stem.conv, Conv2dSame)
    assert model.stem.bn.eps == 1e-3
    with torch.no_grad():
        f = model.forward_features(torch.randn(1, 3, size, size))
    expected = size
    for _ in range(5):
        expected = -(-expected // 2)  # TF "SAME": ceil(size / stride)
    assert f.shape[-1] == expected
    # Asymmetric padding: TF pads the extra pixel at the bottom/right.
    conv = Conv2dSame(1, 1, 3, stride=2)
    conv.weight.data.fill_(1.0)
    out = conv(torch.ones(1, 1, 4, 4))
    assert out.tolist() == [[[[9.0, 6.0], [6.0, 4.0]]]]


def test_module_names_follow_pycls():
    keys = set(modelzoo.create("regnety_200mf").state_dict())
    for k in ("stem.conv.weight", "stem.bn.running_var", "s1.b1.proj.weight", "s1.b1.bn.weight", "s1.b1.f.a.weight",
              "s1.b1.f.b_bn.bias", "s1.b1.f.se.f_ex.0.weight", "s1.b1.f.se.f_ex.2.bias", "s1.b1.f.c_bn.weight", "head.fc.weight"):  # fmt: skip
        assert k in keys, k
    keys = set(modelzoo.create("efficientnet_b0").state_dict())
    for k in ("s1.b1.dwise.weight", "s1.b1.se.f_ex.0.weight", "s1.b1.lin_proj_bn.weight", "s2.b1.exp.weight",
              "s2.b1.exp_bn.running_mean", "head.conv.weight", "head.conv_bn.weight", "head.fc.bias"):  # fmt: skip
        assert k in keys, k
    assert not any(k.startswith("s1.b1.exp") for k in keys)


def test_invalid_model_arguments():
    with pytest.raises(ValueError, match="num_classes"):
        modelzoo.create("resnet18", num_classes=-1)
    with pytest.raises(ValueError, match="in_chans"):
        modelzoo.create("resnet18", in_chans=0)
