"""optimize_for_inference: BN folded, channels_last, autocast; outputs match the plain model."""
import shutil

import pytest
import torch

import modelzoo
from modelzoo.inference import fold_conv_bn


def _with_random_bn_stats(model):
    torch.manual_seed(0)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.normal_(0, 0.1)
    return model.eval()


@pytest.mark.parametrize("name", ["resnet18", "resnext50_32x4d", "regnety_200mf", "efficientnet_b0"])
def test_fp32_matches_plain_model(name):
    model = _with_random_bn_stats(modelzoo.create(name))
    fast = modelzoo.optimize_for_inference(model)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in fast.modules())
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()), "the original must stay untouched"
    x = torch.randn(2, 3, 96, 96)
    with torch.no_grad():
        expected = model(x)
    out = fast(x)
    assert out.dtype == torch.float32 and out.shape == expected.shape
    assert (out - expected).abs().max() <= 1e-3
    assert fast.model.stem.conv.weight.is_contiguous(memory_format=torch.channels_last)


def test_reduced_precision_keeps_top1():
    model = _with_random_bn_stats(modelzoo.create("resnet18"))
    fast = modelzoo.optimize_for_inference(model, dtype=torch.bfloat16)
    x = torch.randn(8, 3, 64, 64)
    with torch.no_grad():
        agree = (fast(x).argmax(1) == model(x).argmax(1)).float().mean()
    assert agree >= 0.75


def test_fold_conv_bn_with_bias_and_groups():
    conv = torch.nn.Conv2d(8, 8, 3, padding=1, groups=4, bias=True)
    bn = _with_random_bn_stats(torch.nn.Sequential(torch.nn.BatchNorm2d(8)))[0]
    x = torch.randn(2, 8, 5, 5)
    with torch.no_grad():
        assert torch.allclose(fold_conv_bn(conv, bn)(x), bn(conv(x)), atol=1e-5)


def test_bad_dtype():
    with pytest.raises(ValueError, match="dtype"):
        modelzoo.optimize_for_inference(modelzoo.create("resnet18"), dtype=torch.int8)


@pytest.mark.skipif(not (shutil.which("c++") or shutil.which("g++")), reason="torch.compile on the CPU needs a C++ compiler")
def test_compiled_matches_plain_model():
    model = _with_random_bn_stats(modelzoo.create("regnetx_200mf"))
    fast = modelzoo.optimize_for_inference(model, compile=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = model(x)
    assert (fast(x) - expected).abs().max() <= 1e-3
    assert hasattr(fast.model, "_orig_mod"), "compile=True must compile"
    assert fast.pretrained_cfg == model.pretrained_cfg


def test_a_callers_autocast_stays_in_effect():
    fast = modelzoo.optimize_for_inference(_with_random_bn_stats(modelzoo.create("resnet18")))
    seen = []
    fast.model.head.fc.register_forward_hook(lambda m, i, out: seen.append(out.dtype))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = fast(torch.randn(2, 3, 64, 64))
    assert seen == [torch.bfloat16] and out.dtype == torch.float32
