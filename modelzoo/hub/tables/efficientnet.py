"""Weight sets of EfficientNet: pycls's B0-B5, timm's own trainings and the TensorFlow ports (tf_*) (rows: see :mod:`.rows`)."""
from __future__ import annotations

from ..weight_spec import WeightSpec
from .rows import HALF, pycls, timm


def rows() -> list[WeightSpec]:
    # fmt: off
    return [
        # efficientnet_b0
        pycls("efficientnet_b0", "161305613/EN-B0", top1=24.92, top5=7.814),
        timm("efficientnet_b0.ra4_e3600_r224_in1k", top1=21.432, top5=5.66, pct=0.9, interp="bicubic", norm=HALF),
        timm("efficientnet_b0.ra_in1k", top1=22.302, top5=6.462, pct=0.875, interp="bicubic"),
        timm("efficientnet_b0.tf_aa_in1k", top1=23.118, top5=6.73, pct=0.875, interp="bicubic"),
        timm("efficientnet_b0.tf_ap_in1k", top1=22.9, top5=6.742, pct=0.875, interp="bicubic", norm=HALF),
        timm("efficientnet_b0.tf_in1k", top1=23.458, top5=6.992, pct=0.875, interp="bicubic"),
        timm("efficientnet_b0.tf_ns_jft_in1k", top1=21.32, top5=5.628, pct=0.875, interp="bicubic"),
        # efficientnet_b1
        pycls("efficientnet_b1", "161304979/EN-B1", top1=24.068, top5=7.228, train=240),
        timm("efficientnet_b1.ft_in1k", top1=22.408, top5=6.364, pct=0.875, interp="bicubic"),
        timm("efficientnet_b1.ra4_e3600_r240_in1k", top1=19.596, top5=4.848, pct=0.9, interp="bicubic", crop=240, norm=HALF),
        timm("efficientnet_b1.tf_aa_in1k", top1=21.16, top5=5.798, pct=0.882, interp="bicubic", crop=240),
        timm("efficientnet_b1.tf_ap_in1k", top1=20.712, top5=5.684, pct=0.882, interp="bicubic", crop=240, norm=HALF),
        timm("efficientnet_b1.tf_in1k", top1=21.454, top5=5.904, pct=0.882, interp="bicubic", crop=240),
        timm("efficientnet_b1.tf_ns_jft_in1k", top1=18.612, top5=4.244, pct=0.882, interp="bicubic", crop=240),
        # efficientnet_b2
        pycls("efficientnet_b2", "161305015/EN-B2", top1=23.518, top5=6.968, train=260),
        timm("efficientnet_b2.ra_in1k", top1=20.676, top5=5.418, pct=0.875, interp="bicubic", crop=256),
        timm("efficientnet_b2.tf_aa_in1k", top1=19.926, top5=5.094, pct=0.89, interp="bicubic", crop=260),
        timm("efficientnet_b2.tf_ap_in1k", top1=19.7, top5=4.968, pct=0.89, interp="bicubic", crop=260, norm=HALF),
        timm("efficientnet_b2.tf_in1k", top1=20.388, top5=5.286, pct=0.89, interp="bicubic", crop=260),
        timm("efficientnet_b2.tf_ns_jft_in1k", top1=17.588, top5=3.762, pct=0.89, interp="bicubic", crop=260),
        # efficientnet_b3
        pycls("efficientnet_b3", "161305060/EN-B3", top1=22.47, top5=6.514, train=300),
        timm("efficientnet_b3.ra2_in1k", top1=18.528, top5=4.304, pct=0.875, interp="bicubic", crop=288),
        timm("efficientnet_b3.tf_aa_in1k", top1=18.352, top5=4.276, pct=0.904, interp="bicubic", crop=300),
        timm("efficientnet_b3.tf_ap_in1k", top1=18.158, top5=4.386, pct=0.904, interp="bicubic", crop=300, norm=HALF),
        timm("efficientnet_b3.tf_in1k", top1=19.122, top5=4.692, pct=0.904, interp="bicubic", crop=300),
        timm("efficientnet_b3.tf_ns_jft_in1k", top1=15.946, top5=3.074, pct=0.904, interp="bicubic", crop=300),
        # efficientnet_b4
        pycls("efficientnet_b4", "161305098/EN-B4", top1=21.374, top5=5.808, train=380),
        timm("efficientnet_b4.ra2_in1k", top1=17.342, top5=3.866, pct=0.875, interp="bicubic", crop=320),
        timm("efficientnet_b4.tf_aa_in1k", top1=16.96, top5=3.702, pct=0.922, interp="bicubic", crop=380),
        timm("efficientnet_b4.tf_ap_in1k", top1=16.754, top5=3.608, pct=0.922, interp="bicubic", crop=380, norm=HALF),
        timm("efficientnet_b4.tf_in1k", top1=17.402, top5=3.868, pct=0.922, interp="bicubic", crop=380),
        timm("efficientnet_b4.tf_ns_jft_in1k", top1=14.844, top5=2.518, pct=0.922, interp="bicubic", crop=380),
        # efficientnet_b5
        pycls("efficientnet_b5", "161305138/EN-B5", top1=21.674, top5=6.238, train=456),
        timm("efficientnet_b5.sw_in12k_ft_in1k", top1=14.106, top5=2.258, pct=1.0, interp="bicubic", crop=448),
        timm("efficientnet_b5.tf_aa_in1k", top1=16.304, top5=3.288, pct=0.934, interp="bicubic", crop=456),
        timm("efficientnet_b5.tf_ap_in1k", top1=15.742, top5=3.016, pct=0.934, interp="bicubic", crop=456, norm=HALF),
        timm("efficientnet_b5.tf_in1k", top1=16.83, top5=3.466, pct=0.934, interp="bicubic", crop=456),
        timm("efficientnet_b5.tf_ns_jft_in1k", top1=13.904, top5=2.256, pct=0.934, interp="bicubic", crop=456),
        timm("efficientnet_b5.tf_ra_in1k", top1=16.166, top5=3.236, pct=0.934, interp="bicubic", crop=456),
        # efficientnet_b6
        timm("efficientnet_b6.tf_aa_in1k", top1=15.876, top5=3.11, pct=0.942, interp="bicubic", crop=528),
        timm("efficientnet_b6.tf_ap_in1k", top1=15.206, top5=2.862, pct=0.942, interp="bicubic", crop=528, norm=HALF),
        timm("efficientnet_b6.tf_ns_jft_in1k", top1=13.524, top5=2.136, pct=0.942, interp="bicubic", crop=528),
        # efficientnet_b7
        timm("efficientnet_b7.tf_aa_in1k", top1=15.576, top5=3.092, pct=0.949, interp="bicubic", crop=600),
        timm("efficientnet_b7.tf_ap_in1k", top1=14.868, top5=2.744, pct=0.949, interp="bicubic", crop=600, norm=HALF),
        timm("efficientnet_b7.tf_ns_jft_in1k", top1=13.15, top5=1.92, pct=0.949, interp="bicubic", crop=600),
        timm("efficientnet_b7.tf_ra_in1k", top1=15.074, top5=2.78, pct=0.949, interp="bicubic", crop=600),
    ]
    # fmt: on
