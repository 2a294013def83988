"""Weight sets of ResNet/ResNeXt: pycls's, torchvision's (v1 and v2 recipes), timm's, Gluon's and Facebook's semi-/weakly supervised (rows: see :mod:`.rows`)."""
from __future__ import annotations

from ..weight_spec import WeightSpec
from .rows import HALF, pycls, timm


def rows() -> list[WeightSpec]:
    # fmt: off
    return [
        # resnet18
        timm("resnet18.tv_in1k", top1=30.248, top5=10.918, pct=0.875, interp="bilinear", tv_file="resnet18-f37072fd.pth"),
        timm("resnet18.a1_in1k", top1=28.496, top5=9.914, pct=0.95, interp="bicubic"),
        timm("resnet18.a2_in1k", top1=29.366, top5=10.514, pct=0.95, interp="bicubic"),
        timm("resnet18.a3_in1k", top1=31.75, top5=11.828, pct=0.95, interp="bicubic", train=160),
        timm("resnet18.fb_ssl_yfcc100m_ft_in1k", top1=27.364, top5=8.584, pct=0.875, interp="bilinear"),
        timm("resnet18.fb_swsl_ig1b_ft_in1k", top1=26.714, top5=8.246, pct=0.875, interp="bilinear"),
        timm("resnet18.gluon_in1k", top1=29.156, top5=10.25, pct=0.875, interp="bicubic"),
        # resnet34
        timm("resnet34.tv_in1k", top1=26.702, top5=8.578, pct=0.875, interp="bilinear", tv_file="resnet34-b627a593.pth"),
        timm("resnet34.a1_in1k", top1=23.58, top5=7.104, pct=0.95, interp="bicubic"),
        timm("resnet34.a2_in1k", top1=24.48, top5=7.546, pct=0.95, interp="bicubic"),
        timm("resnet34.a3_in1k", top1=27.004, top5=8.884, pct=0.95, interp="bicubic", train=160),
        timm("resnet34.bt_in1k", top1=24.824, top5=7.834, pct=0.875, interp="bicubic"),
        timm("resnet34.gluon_in1k", top1=25.426, top5=8.012, pct=0.875, interp="bicubic"),
        timm("resnet34.ra4_e3600_r224_in1k", top1=22.508, top5=6.502, pct=0.9, interp="bicubic", norm=HALF),
        # resnet50
        pycls("resnet50", "161235311/R-50-1x64d", top1=23.19, top5=6.63),
        timm("resnet50.tv_in1k", top1=23.844, top5=7.134, pct=0.875, interp="bilinear", tv_file="resnet50-0676ba61.pth"),
        timm("resnet50.tv2_in1k", top1=19.154, top5=4.57, pct=0.965, interp="bilinear", train=176, tv_file="resnet50-11ad3fa6.pth"),
        timm("resnet50.a1_in1k", top1=19.618, top5=5.402, pct=0.95, interp="bicubic"),
        timm("resnet50.a1h_in1k", top1=19.346, top5=4.688, pct=1.0, interp="bicubic", train=176),
        timm("resnet50.a2_in1k", top1=20.172, top5=5.44, pct=0.95, interp="bicubic"),
        timm("resnet50.a3_in1k", top1=21.948, top5=6.22, pct=0.95, interp="bicubic", train=160),
        timm("resnet50.am_in1k", top1=20.996, top5=5.608, pct=0.875, interp="bicubic"),
        timm("resnet50.b1k_in1k", top1=20.436, top5=5.378, pct=0.95, interp="bicubic"),
        timm("resnet50.b2k_in1k", top1=20.612, top5=5.42, pct=0.95, interp="bicubic"),
        timm("resnet50.bt_in1k", top1=21.556, top5=5.726, pct=0.875, interp="bicubic"),
        timm("resnet50.c1_in1k", top1=20.234, top5=5.046, pct=0.95, interp="bicubic"),
        timm("resnet50.c2_in1k", top1=20.132, top5=5.138, pct=0.95, interp="bicubic"),
        timm("resnet50.d_in1k", top1=20.096, top5=5.334, pct=0.95, interp="bicubic"),
        timm("resnet50.fb_ssl_yfcc100m_ft_in1k", top1=20.748, top5=5.174, pct=0.875, interp="bilinear"),
        timm("resnet50.fb_swsl_ig1b_ft_in1k", top1=18.854, top5=4.02, pct=0.875, interp="bilinear"),
        timm("resnet50.gluon_in1k", top1=22.42, top5=6.296, pct=0.875, interp="bicubic"),
        timm("resnet50.ra_in1k", top1=21.18, top5=5.686, pct=0.875, interp="bicubic"),
        timm("resnet50.ram_in1k", top1=20.966, top5=5.614, pct=0.875, interp="bicubic"),
        # resnet101
        pycls("resnet101", "161167170/R-101-1x64d", top1=21.414, top5=5.792),
        timm("resnet101.tv_in1k", top1=22.596, top5=6.448, pct=0.875, interp="bilinear", tv_file="resnet101-63fe2227.pth"),
        timm("resnet101.tv2_in1k", top1=18.094, top5=4.232, pct=0.965, interp="bilinear", train=176, tv_file="resnet101-cd907fc2.pth"),
        timm("resnet101.a1_in1k", top1=18.506, top5=4.836, pct=0.95, interp="bicubic"),
        timm("resnet101.a1h_in1k", top1=18.05, top5=4.24, pct=0.95, interp="bicubic"),
        timm("resnet101.a2_in1k", top1=18.656, top5=4.802, pct=0.95, interp="bicubic"),
        timm("resnet101.a3_in1k", top1=20.164, top5=5.392, pct=0.95, interp="bicubic", train=160),
        timm("resnet101.gluon_in1k", top1=20.694, top5=5.462, pct=0.875, interp="bicubic"),
        # resnet152
        pycls("resnet152", "161167467/R-152-1x64d", top1=20.87, top5=5.44),
        timm("resnet152.tv_in1k", top1=21.67, top5=5.954, pct=0.875, interp="bilinear", tv_file="resnet152-394f9c45.pth"),
        timm("resnet152.tv2_in1k", top1=17.706, top5=4.0, pct=0.965, interp="bilinear", train=176, tv_file="resnet152-f82ba261.pth"),
        timm("resnet152.a1_in1k", top1=18.002, top5=4.706, pct=0.95, interp="bicubic"),
        timm("resnet152.a1h_in1k", top1=17.182, top5=3.876, pct=0.95, interp="bicubic"),
        timm("resnet152.a2_in1k", top1=18.236, top5=4.73, pct=0.95, interp="bicubic"),
        timm("resnet152.a3_in1k", top1=19.452, top5=4.996, pct=0.95, interp="bicubic", train=160),
        timm("resnet152.gluon_in1k", top1=20.288, top5=5.28, pct=0.875, interp="bicubic"),
        # resnext50_32x4d
        pycls("resnext50_32x4d", "161167411/X-50-32x4d", top1=21.884, top5=6.062),
        timm("resnext50_32x4d.tv_in1k", top1=22.368, top5=6.326, pct=0.875, interp="bilinear", tv_file="resnext50_32x4d-7cdf4587.pth"),
        timm("resnext50_32x4d.tv2_in1k", top1=18.81, top5=4.656, pct=0.965, interp="bilinear", train=176, tv_file="resnext50_32x4d-1a0047aa.pth"),
        timm("resnext50_32x4d.a1_in1k", top1=19.474, top5=5.542, pct=0.95, interp="bicubic"),
        timm("resnext50_32x4d.a1h_in1k", top1=18.86, top5=4.68, pct=0.95, interp="bicubic"),
        timm("resnext50_32x4d.a2_in1k", top1=19.556, top5=5.37, pct=0.95, interp="bicubic"),
        timm("resnext50_32x4d.a3_in1k", top1=20.742, top5=5.692, pct=0.95, interp="bicubic", train=160),
        timm("resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k", top1=19.684, top5=4.614, pct=0.875, interp="bilinear"),
        timm("resnext50_32x4d.fb_swsl_ig1b_ft_in1k", top1=17.838, top5=3.776, pct=0.875, interp="bilinear"),
        timm("resnext50_32x4d.gluon_in1k", top1=20.646, top5=5.576, pct=0.875, interp="bicubic"),
        timm("resnext50_32x4d.ra_in1k", top1=20.2, top5=5.392, pct=0.875, interp="bicubic"),
        # resnext101_32x4d
        pycls("resnext101_32x4d", "161167590/X-101-32x4d", top1=20.664, top5=5.392),
        timm("resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k", top1=19.064, top5=4.268, pct=0.875, interp="bilinear"),
        timm("resnext101_32x4d.fb_swsl_ig1b_ft_in1k", top1=16.732, top5=3.24, pct=0.875, interp="bilinear"),
        timm("resnext101_32x4d.gluon_in1k", top1=19.664, top5=5.092, pct=0.875, interp="bicubic"),
        # resnext101_32x8d
        timm("resnext101_32x8d.tv2_in1k", top1=17.168, top5=3.766, pct=0.965, interp="bilinear", train=176, tv_file="resnext101_32x8d-110c445d.pth"),
        timm("resnext101_32x8d.tv_in1k", top1=20.692, top5=5.47, pct=0.875, interp="bilinear", tv_file="resnext101_32x8d-8ba56ff5.pth"),
        timm("resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k", top1=18.38, top5=3.964, pct=0.875, interp="bilinear"),
        timm("resnext101_32x8d.fb_swsl_ig1b_ft_in1k", top1=15.724, top5=2.812, pct=0.875, interp="bilinear"),
        timm("resnext101_32x8d.fb_wsl_ig1b_ft_in1k", top1=17.28, top5=3.376, pct=0.875, interp="bilinear"),
        # resnext152_32x4d
        pycls("resnext152_32x4d", "162471172/X-152-32x4d", top1=20.386, top5=5.318),
    ]
    # fmt: on
