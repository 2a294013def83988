"""ResNet and ResNeXt as AnyNet specs (pycls ``R-*``/``X-*`` ImageNet configs, stride on the 3×3)."""
from __future__ import annotations

from .anynet import AnyNetSpec

_STRIDES = (1, 2, 2, 2)
_BOTTLENECK_WIDTHS = (256, 512, 1024, 2048)


def _basic(depths: tuple[int, ...]) -> AnyNetSpec:
    widths = (64, 128, 256, 512)
    return AnyNetSpec("res_stem_in", 64, "res_basic_block", depths, widths, _STRIDES, (1.0,) * 4, widths)


def _bottleneck(depths: tuple[int, ...], groups: int, group_w: int) -> AnyNetSpec:
    """``groups``×``group_w`` bottleneck in stage 1, doubling per stage (1×64d is plain ResNet)."""
    bot_mul = groups * group_w / 256
    group_ws = tuple(group_w * 2**i for i in range(4))
    return AnyNetSpec("res_stem_in", 64, "res_bottleneck_block", depths, _BOTTLENECK_WIDTHS, _STRIDES, (bot_mul,) * 4, group_ws)


# name: (spec, display name, aliases)
VARIANTS: dict[str, tuple[AnyNetSpec, str, tuple[str, ...]]] = {
    "resnet18": (_basic((2, 2, 2, 2)), "ResNet-18", ("R-18-1x64d",)),
    "resnet34": (_basic((3, 4, 6, 3)), "ResNet-34", ("R-34-1x64d",)),
    "resnet50": (_bottleneck((3, 4, 6, 3), 1, 64), "ResNet-50", ("R-50-1x64d",)),
    "resnet101": (_bottleneck((3, 4, 23, 3), 1, 64), "ResNet-101", ("R-101-1x64d",)),
    "resnet152": (_bottleneck((3, 8, 36, 3), 1, 64), "ResNet-152", ("R-152-1x64d",)),
    "resnext50_32x4d": (_bottleneck((3, 4, 6, 3), 32, 4), "ResNeXt-50", ("X-50-32x4d", "ResNeXt-50-32x4d")),
    "resnext101_32x4d": (_bottleneck((3, 4, 23, 3), 32, 4), "ResNeXt-101", ("X-101-32x4d", "ResNeXt-101-32x4d")),
    "resnext101_32x8d": (_bottleneck((3, 4, 23, 3), 32, 8), "ResNeXt-101-32x8d", ("X-101-32x8d",)),
    "resnext152_32x4d": (_bottleneck((3, 8, 36, 3), 32, 4), "ResNeXt-152", ("X-152-32x4d", "ResNeXt-152-32x4d")),
}
