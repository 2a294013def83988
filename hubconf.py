"""torch.hub entrypoints for modelzoo: one explicit function per registered architecture.

    model = torch.hub.load("<repo or local dir>", "resnet50", pretrained=True)

Each entrypoint forwards to :func:`modelzoo.create`. ``pretrained`` is False (random init), True
(default weights), a weight tag such as ``"tv_in1k"``, a local file or ``save_pretrained``
directory, or ``"hf-hub:org/repo"``; other keyword arguments (``num_classes``, ``in_chans``, ...)
go to ``create``. Complexity figures in the docstrings are analytic, at the model's train size
(flops are multiply-accumulates); tests/test_hubconf.py checks them against the code.
"""
from modelzoo import create as _create

dependencies = ["torch", "numpy", "safetensors", "huggingface_hub", "requests"]


def efficientnet_b0(pretrained=False, **kwargs):
    """EfficientNet-B0: 0.39 GFLOPs, 5.29 M params, 6.75 M acts at 224 px."""
    return _create("efficientnet_b0", pretrained=pretrained, **kwargs)


def efficientnet_b1(pretrained=False, **kwargs):
    """EfficientNet-B1: 0.69 GFLOPs, 7.79 M params, 10.88 M acts at 240 px."""
    return _create("efficientnet_b1", pretrained=pretrained, **kwargs)


def efficientnet_b2(pretrained=False, **kwargs):
    """EfficientNet-B2: 0.99 GFLOPs, 9.11 M params, 13.83 M acts at 260 px."""
    return _create("efficientnet_b2", pretrained=pretrained, **kwargs)


def efficientnet_b3(pretrained=False, **kwargs):
    """EfficientNet-B3: 1.83 GFLOPs, 12.23 M params, 23.83 M acts at 300 px."""
    return _create("efficientnet_b3", pretrained=pretrained, **kwargs)


def efficientnet_b4(pretrained=False, **kwargs):
    """EfficientNet-B4: 4.39 GFLOPs, 19.34 M params, 49.49 M acts at 380 px."""
    return _create("efficientnet_b4", pretrained=pretrained, **kwargs)


def efficientnet_b5(pretrained=False, **kwargs):
    """EfficientNet-B5: 10.27 GFLOPs, 30.39 M params, 98.86 M acts at 456 px."""
    return _create("efficientnet_b5", pretrained=pretrained, **kwargs)


def efficientnet_b6(pretrained=False, **kwargs):
    """EfficientNet-B6: 19.07 GFLOPs, 43.04 M params, 167.39 M acts at 528 px."""
    return _create("efficientnet_b6", pretrained=pretrained, **kwargs)


def efficientnet_b7(pretrained=False, **kwargs):
    """EfficientNet-B7: 37.75 GFLOPs, 66.35 M params, 289.94 M acts at 600 px."""
    return _create("efficientnet_b7", pretrained=pretrained, **kwargs)


def regnetx_1_6gf(pretrained=False, **kwargs):
    """RegNetX-1.6GF: 1.60 GFLOPs, 9.19 M params, 7.93 M acts at 224 px."""
    return _create("regnetx_1_6gf", pretrained=pretrained, **kwargs)


def regnetx_3_2gf(pretrained=False, **kwargs):
    """RegNetX-3.2GF: 3.18 GFLOPs, 15.30 M params, 11.37 M acts at 224 px."""
    return _create("regnetx_3_2gf", pretrained=pretrained, **kwargs)


def regnetx_4_0gf(pretrained=False, **kwargs):
    """RegNetX-4.0GF: 3.96 GFLOPs, 22.12 M params, 12.20 M acts at 224 px."""
    return _create("regnetx_4_0gf", pretrained=pretrained, **kwargs)


def regnetx_6_4gf(pretrained=False, **kwargs):
    """RegNetX-6.4GF: 6.46 GFLOPs, 26.21 M params, 16.37 M acts at 224 px."""
    return _create("regnetx_6_4gf", pretrained=pretrained, **kwargs)


def regnetx_8_0gf(pretrained=False, **kwargs):
    """RegNetX-8.0GF: 8.00 GFLOPs, 39.57 M params, 14.06 M acts at 224 px."""
    return _create("regnetx_8_0gf", pretrained=pretrained, **kwargs)


def regnetx_12gf(pretrained=False, **kwargs):
    """RegNetX-12GF: 12.09 GFLOPs, 46.11 M params, 21.37 M acts at 224 px."""
    return _create("regnetx_12gf", pretrained=pretrained, **kwargs)


def regnetx_16gf(pretrained=False, **kwargs):
    """RegNetX-16GF: 15.94 GFLOPs, 54.28 M params, 25.52 M acts at 224 px."""
    return _create("regnetx_16gf", pretrained=pretrained, **kwargs)


def regnetx_32gf(pretrained=False, **kwargs):
    """RegNetX-32GF: 31.74 GFLOPs, 107.81 M params, 36.30 M acts at 224 px."""
    return _create("regnetx_32gf", pretrained=pretrained, **kwargs)


def regnetx_200mf(pretrained=False, **kwargs):
    """RegNetX-200MF: 0.20 GFLOPs, 2.68 M params, 2.16 M acts at 224 px."""
    return _create("regnetx_200mf", pretrained=pretrained, **kwargs)


def regnetx_400mf(pretrained=False, **kwargs):
    """RegNetX-400MF: 0.40 GFLOPs, 5.16 M params, 3.14 M acts at 224 px."""
    return _create("regnetx_400mf", pretrained=pretrained, **kwargs)


def regnetx_600mf(pretrained=False, **kwargs):
    """RegNetX-600MF: 0.60 GFLOPs, 6.20 M params, 3.98 M acts at 224 px."""
    return _create("regnetx_600mf", pretrained=pretrained, **kwargs)


def regnetx_800mf(pretrained=False, **kwargs):
    """RegNetX-800MF: 0.80 GFLOPs, 7.26 M params, 5.15 M acts at 224 px."""
    return _create("regnetx_800mf", pretrained=pretrained, **kwargs)


def regnety_1_6gf(pretrained=False, **kwargs):
    """RegNetY-1.6GF: 1.61 GFLOPs, 11.20 M params, 8.04 M acts at 224 px."""
    return _create("regnety_1_6gf", pretrained=pretrained, **kwargs)


def regnety_3_2gf(pretrained=False, **kwargs):
    """RegNetY-3.2GF: 3.18 GFLOPs, 19.44 M params, 11.26 M acts at 224 px."""
    return _create("regnety_3_2gf", pretrained=pretrained, **kwargs)


def regnety_4_0gf(pretrained=False, **kwargs):
    """RegNetY-4.0GF: 3.97 GFLOPs, 20.65 M params, 12.29 M acts at 224 px."""
    return _create("regnety_4_0gf", pretrained=pretrained, **kwargs)


def regnety_6_4gf(pretrained=False, **kwargs):
    """RegNetY-6.4GF: 6.36 GFLOPs, 30.58 M params, 16.41 M acts at 224 px."""
    return _create("regnety_6_4gf", pretrained=pretrained, **kwargs)


def regnety_8_0gf(pretrained=False, **kwargs):
    """RegNetY-8.0GF: 7.96 GFLOPs, 39.18 M params, 17.97 M acts at 224 px."""
    return _create("regnety_8_0gf", pretrained=pretrained, **kwargs)


def regnety_12gf(pretrained=False, **kwargs):
    """RegNetY-12GF: 12.09 GFLOPs, 51.82 M params, 21.38 M acts at 224 px."""
    return _create("regnety_12gf", pretrained=pretrained, **kwargs)


def regnety_16gf(pretrained=False, **kwargs):
    """RegNetY-16GF: 15.91 GFLOPs, 83.59 M params, 23.04 M acts at 224 px."""
    return _create("regnety_16gf", pretrained=pretrained, **kwargs)


def regnety_32gf(pretrained=False, **kwargs):
    """RegNetY-32GF: 32.28 GFLOPs, 145.05 M params, 30.26 M acts at 224 px."""
    return _create("regnety_32gf", pretrained=pretrained, **kwargs)


def regnety_200mf(pretrained=False, **kwargs):
    """RegNetY-200MF: 0.20 GFLOPs, 3.16 M params, 2.17 M acts at 224 px."""
    return _create("regnety_200mf", pretrained=pretrained, **kwargs)


def regnety_400mf(pretrained=False, **kwargs):
    """RegNetY-400MF: 0.40 GFLOPs, 4.34 M params, 3.89 M acts at 224 px."""
    return _create("regnety_400mf", pretrained=pretrained, **kwargs)


def regnety_600mf(pretrained=False, **kwargs):
    """RegNetY-600MF: 0.60 GFLOPs, 6.06 M params, 4.33 M acts at 224 px."""
    return _create("regnety_600mf", pretrained=pretrained, **kwargs)


def regnety_800mf(pretrained=False, **kwargs):
    """RegNetY-800MF: 0.80 GFLOPs, 6.26 M params, 5.25 M acts at 224 px."""
    return _create("regnety_800mf", pretrained=pretrained, **kwargs)


def resnet18(pretrained=False, **kwargs):
    """ResNet-18: 1.81 GFLOPs, 11.69 M params, 2.69 M acts at 224 px."""
    return _create("resnet18", pretrained=pretrained, **kwargs)


def resnet34(pretrained=False, **kwargs):
    """ResNet-34: 3.66 GFLOPs, 21.80 M params, 3.94 M acts at 224 px."""
    return _create("resnet34", pretrained=pretrained, **kwargs)


def resnet50(pretrained=False, **kwargs):
    """ResNet-50: 4.09 GFLOPs, 25.56 M params, 11.32 M acts at 224 px."""
    return _create("resnet50", pretrained=pretrained, **kwargs)


def resnet101(pretrained=False, **kwargs):
    """ResNet-101: 7.80 GFLOPs, 44.55 M params, 16.43 M acts at 224 px."""
    return _create("resnet101", pretrained=pretrained, **kwargs)


def resnet152(pretrained=False, **kwargs):
    """ResNet-152: 11.51 GFLOPs, 60.19 M params, 22.76 M acts at 224 px."""
    return _create("resnet152", pretrained=pretrained, **kwargs)


def resnext50_32x4d(pretrained=False, **kwargs):
    """ResNeXt-50: 4.23 GFLOPs, 25.03 M params, 14.60 M acts at 224 px."""
    return _create("resnext50_32x4d", pretrained=pretrained, **kwargs)


def resnext101_32x4d(pretrained=False, **kwargs):
    """ResNeXt-101: 7.97 GFLOPs, 44.18 M params, 21.43 M acts at 224 px."""
    return _create("resnext101_32x4d", pretrained=pretrained, **kwargs)


def resnext101_32x8d(pretrained=False, **kwargs):
    """ResNeXt-101-32x8d: 16.41 GFLOPs, 88.79 M params, 31.41 M acts at 224 px."""
    return _create("resnext101_32x8d", pretrained=pretrained, **kwargs)


def resnext152_32x4d(pretrained=False, **kwargs):
    """ResNeXt-152: 11.71 GFLOPs, 59.95 M params, 29.86 M acts at 224 px."""
    return _create("resnext152_32x4d", pretrained=pretrained, **kwargs)
