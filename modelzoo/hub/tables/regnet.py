"""Weight sets of RegNetX/RegNetY: pycls's (with timm's safetensors copies), torchvision's and timm's (rows: see :mod:`.rows`)."""
from __future__ import annotations

from ..weight_spec import WeightSpec
from .rows import pycls, timm


def rows() -> list[WeightSpec]:
    # fmt: off
    return [
        # regnetx_1_6gf
        pycls("regnetx_1_6gf", "160990626/RegNetX-1.6GF", top1=23.038, top5=6.484),
        timm("regnetx_1_6gf.tv2_in1k", top1=20.56, top5=5.232, pct=0.965, interp="bicubic"),
        # regnetx_3_2gf
        pycls("regnetx_3_2gf", "160906139/RegNetX-3.2GF", top1=21.736, top5=5.862),
        timm("regnetx_3_2gf.tv2_in1k", top1=19.084, top5=4.752, pct=0.965, interp="bicubic"),
        # regnetx_4_0gf
        pycls("regnetx_4_0gf", "160906383/RegNetX-4.0GF", top1=21.356, top5=5.736),
        # regnetx_6_4gf
        pycls("regnetx_6_4gf", "161116590/RegNetX-6.4GF", top1=20.844, top5=5.434),
        # regnetx_8_0gf
        pycls("regnetx_8_0gf", "161107726/RegNetX-8.0GF", top1=20.728, top5=5.42),
        timm("regnetx_8_0gf.tv2_in1k", top1=18.448, top5=4.46, pct=0.965, interp="bicubic"),
        # regnetx_12gf
        pycls("regnetx_12gf", "160906020/RegNetX-12GF", top1=20.288, top5=5.284),
        # regnetx_16gf
        pycls("regnetx_16gf", "158460855/RegNetX-16GF", top1=19.956, top5=5.022),
        timm("regnetx_16gf.tv2_in1k", top1=17.426, top5=3.942, pct=0.965, interp="bicubic"),
        # regnetx_32gf
        pycls("regnetx_32gf", "158188473/RegNetX-32GF", top1=19.498, top5=4.878),
        timm("regnetx_32gf.tv2_in1k", top1=17.176, top5=3.8, pct=0.965, interp="bicubic"),
        # regnetx_200mf
        pycls("regnetx_200mf", "160905981/RegNetX-200MF", top1=31.088, top5=11.342),
        # regnetx_400mf
        pycls("regnetx_400mf", "160905967/RegNetX-400MF", top1=27.382, top5=9.076),
        # regnetx_600mf
        pycls("regnetx_600mf", "160906442/RegNetX-600MF", top1=25.864, top5=8.198),
        # regnetx_800mf
        pycls("regnetx_800mf", "160906036/RegNetX-800MF", top1=24.846, top5=7.592),
        timm("regnetx_800mf.tv2_in1k", top1=22.706, top5=6.336, pct=0.965, interp="bicubic"),
        # regnety_1_6gf
        pycls("regnety_1_6gf", "160906681/RegNetY-1.6GF", top1=22.066, top5=6.134),
        timm("regnety_1_6gf.tv2_in1k", top1=19.332, top5=4.664, pct=0.965, interp="bicubic"),
        # regnety_3_2gf
        pycls("regnety_3_2gf", "160906834/RegNetY-3.2GF", top1=21.074, top5=5.454),
        timm("regnety_3_2gf.tv2_in1k", top1=18.212, top5=4.174, pct=0.965, interp="bicubic"),
        timm("regnety_3_2gf.ra_in1k", top1=18.052, top5=4.028, pct=0.95, interp="bicubic"),
        # regnety_4_0gf
        pycls("regnety_4_0gf", "160906838/RegNetY-4.0GF", top1=20.64, top5=5.336),
        timm("regnety_4_0gf.ra3_in1k", top1=17.692, top5=3.922, pct=0.95, interp="bicubic"),
        # regnety_6_4gf
        pycls("regnety_6_4gf", "160907112/RegNetY-6.4GF", top1=20.11, top5=5.1),
        timm("regnety_6_4gf.ra3_in1k", top1=16.994, top5=3.704, pct=0.95, interp="bicubic"),
        # regnety_8_0gf
        pycls("regnety_8_0gf", "161160905/RegNetY-8.0GF", top1=20.052, top5=5.06),
        timm("regnety_8_0gf.ra3_in1k", top1=16.834, top5=3.52, pct=0.95, interp="bicubic"),
        # regnety_12gf
        pycls("regnety_12gf", "160907100/RegNetY-12GF", top1=19.67, top5=4.856),
        timm("regnety_12gf.sw_in12k_ft_in1k", top1=15.006, top5=2.588, pct=0.95, interp="bicubic"),
        # regnety_16gf
        pycls("regnety_16gf", "161303400/RegNetY-16GF", top1=19.608, top5=4.944),
        timm("regnety_16gf.tv2_in1k", top1=17.354, top5=3.77, pct=0.965, interp="bicubic"),
        timm("regnety_16gf.deit_in1k", top1=17.0, top5=3.498, pct=0.95, interp="bicubic"),
        timm("regnety_16gf.lion_in12k_ft_in1k", top1=14.398, top5=2.332, pct=0.95, interp="bicubic"),
        timm("regnety_16gf.sw_in12k_ft_in1k", top1=14.404, top5=2.332, pct=0.95, interp="bicubic"),
        timm("regnety_16gf.swag_ft_in1k", top1=13.98, top5=1.954, pct=1.0, interp="bicubic", crop=384),
        timm("regnety_16gf.swag_lc_in1k", top1=16.194, top5=2.716, pct=0.965, interp="bicubic"),
        # regnety_32gf
        pycls("regnety_32gf", "161277763/RegNetY-32GF", top1=19.066, top5=4.568),
        timm("regnety_32gf.tv2_in1k", top1=16.83, top5=3.584, pct=0.965, interp="bicubic"),
        timm("regnety_32gf.seer_ft_in1k", top1=16.676, top5=3.288, pct=1.0, interp="bicubic", crop=384),
        timm("regnety_32gf.swag_ft_in1k", top1=13.17, top5=1.638, pct=1.0, interp="bicubic", crop=384),
        timm("regnety_32gf.swag_lc_in1k", top1=15.346, top5=2.508, pct=0.965, interp="bicubic"),
        # regnety_200mf
        pycls("regnety_200mf", "176245422/RegNetY-200MF", top1=29.658, top5=10.378),
        # regnety_400mf
        pycls("regnety_400mf", "160906449/RegNetY-400MF", top1=25.898, top5=8.07),
        timm("regnety_400mf.tv2_in1k", top1=24.406, top5=7.294, pct=0.965, interp="bicubic"),
        # regnety_600mf
        pycls("regnety_600mf", "160981443/RegNetY-600MF", top1=24.54, top5=7.28),
        # regnety_800mf
        pycls("regnety_800mf", "160906567/RegNetY-800MF", top1=23.684, top5=6.846),
    ]
    # fmt: on
