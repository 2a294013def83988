"""The weight tables: every published weight set modelzoo can load (data only).

Facts come from the publishers: pycls's model zoo (URLs, top-1/top-5 errors, train sizes), timm's
``pretrained_cfg`` and ``results/results-imagenet.csv`` (Hub repos, licenses, eval configs and
errors) and torchvision's weight enums (file names, whose hex part is a sha256 prefix). Nothing
here is guessed: unknown digests are None and get recorded on first download.

The first spec listed for a model is its default: pycls's weights for the 36 pycls models,
otherwise torchvision's (ResNet-18/34, ResNeXt-101-32x8d) or TensorFlow's AutoAugment weights
(EfficientNet-B6/B7).
"""
from __future__ import annotations

import math
from typing import Any

from ..data_config import IMAGENET_MEAN, IMAGENET_STD, DataConfig
from .specs import Source, WeightSpec

IMAGENET = (IMAGENET_MEAN, IMAGENET_STD)
HALF = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))

PYCLS = "https://github.com/facebookresearch/pycls (dds_baselines model zoo)"
TIMM = "https://github.com/huggingface/pytorch-image-models"
TORCHVISION = "https://github.com/pytorch/vision"
GLUON = "https://cv.gluon.ai/model_zoo/classification.html"
FB_SEMI = "https://github.com/facebookresearch/semi-supervised-ImageNet1K-models"
FB_WSL = "https://github.com/facebookresearch/WSL-Images"
SEER = "https://github.com/facebookresearch/vissl"
TF_PORT = (("tf_port", True),)  # TensorFlow "SAME" padding + BN eps 1e-3


def _pycls(arch: str, url: str, top1_err: float, top5_err: float, train_size: int, hf_copy: str | None = None) -> WeightSpec:
    """A pycls model-zoo checkpoint (``.pyth``, BGR stem), optionally with timm's RGB Hub copy first."""
    dc = DataConfig.for_train_size(train_size)
    sources = (Source(url=url, converter="pycls", channel_order="BGR"),)
    notes = ""
    if hf_copy:
        sources = (Source(hf_repo=hf_copy, converter="timm_regnet"),) + sources
        notes = f"{hf_copy} is timm's safetensors copy of this pycls checkpoint (already RGB); it is tried first."
    protocol = (f"pycls test: ImageNet-1k val (50,000 images), shorter side resized to {dc.test_size} px "
                f"(bilinear), centre {dc.crop_size} px crop")  # fmt: skip
    return WeightSpec(f"{arch}.pycls_in1k", sources, dc, "mit", PYCLS, top1_err, top5_err, protocol, notes=notes)


def _torchvision(filename: str) -> Source:
    """torchvision's original file; the hex part of its name is the start of its sha256."""
    return Source(url=f"https://download.pytorch.org/models/{filename}", sha256=filename.rsplit("-", 1)[1].split(".")[0],
                  converter="resnet")  # fmt: skip


def _hf(tag: str, repo: str, converter: str, license: str, origin: str, top1_err: float, top5_err: float, *,
        train: int, crop: int, pct: float, interp: str, norm: tuple = IMAGENET,
        model_args: tuple[tuple[str, Any], ...] = (), mirror: Source | None = None) -> WeightSpec:  # fmt: skip
    """A Hugging Face Hub repo measured by timm at ``crop`` px with ``crop_pct`` ``pct``."""
    resize = math.floor(crop / pct)  # timm's eval rule
    dc = DataConfig(train_size=train, test_size=resize, crop_size=crop, mean=norm[0], std=norm[1], interpolation=interp)
    sources = (Source(hf_repo=repo, converter=converter),) + ((mirror,) if mirror else ())
    protocol = (f"timm validate.py (results-imagenet.csv): ImageNet-1k val (50,000 images), shorter side resized "
                f"to {resize} px ({interp}), centre {crop} px crop (crop_pct {pct})")  # fmt: skip
    return WeightSpec(tag, sources, dc, license, origin, top1_err, top5_err, protocol, model_args=model_args)


# fmt: off
ALL: list[WeightSpec] = [
    # efficientnet_b0
    _pycls('efficientnet_b0', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161305613/EN-B0_dds_8gpu.pyth', 24.92, 7.814, 224),
    _hf('efficientnet_b0.ra4_e3600_r224_in1k', 'timm/efficientnet_b0.ra4_e3600_r224_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 21.432, 5.66, train=224, crop=224, pct=0.9, interp='bicubic', norm=HALF),
    _hf('efficientnet_b0.ra_in1k', 'timm/efficientnet_b0.ra_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 22.302, 6.462, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('efficientnet_b0.tf_aa_in1k', 'timm/tf_efficientnet_b0.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 23.118, 6.73, train=224, crop=224, pct=0.875, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b0.tf_ap_in1k', 'timm/tf_efficientnet_b0.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 22.9, 6.742, train=224, crop=224, pct=0.875, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b0.tf_in1k', 'timm/tf_efficientnet_b0.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 23.458, 6.992, train=224, crop=224, pct=0.875, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b0.tf_ns_jft_in1k', 'timm/tf_efficientnet_b0.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 21.32, 5.628, train=224, crop=224, pct=0.875, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b1
    _pycls('efficientnet_b1', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161304979/EN-B1_dds_8gpu.pyth', 24.068, 7.228, 240),
    _hf('efficientnet_b1.ft_in1k', 'timm/efficientnet_b1.ft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 22.408, 6.364, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('efficientnet_b1.ra4_e3600_r240_in1k', 'timm/efficientnet_b1.ra4_e3600_r240_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 19.596, 4.848, train=240, crop=240, pct=0.9, interp='bicubic', norm=HALF),
    _hf('efficientnet_b1.tf_aa_in1k', 'timm/tf_efficientnet_b1.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 21.16, 5.798, train=240, crop=240, pct=0.882, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b1.tf_ap_in1k', 'timm/tf_efficientnet_b1.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 20.712, 5.684, train=240, crop=240, pct=0.882, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b1.tf_in1k', 'timm/tf_efficientnet_b1.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 21.454, 5.904, train=240, crop=240, pct=0.882, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b1.tf_ns_jft_in1k', 'timm/tf_efficientnet_b1.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 18.612, 4.244, train=240, crop=240, pct=0.882, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b2
    _pycls('efficientnet_b2', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161305015/EN-B2_dds_8gpu.pyth', 23.518, 6.968, 260),
    _hf('efficientnet_b2.ra_in1k', 'timm/efficientnet_b2.ra_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 20.676, 5.418, train=256, crop=256, pct=0.875, interp='bicubic'),
    _hf('efficientnet_b2.tf_aa_in1k', 'timm/tf_efficientnet_b2.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 19.926, 5.094, train=260, crop=260, pct=0.89, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b2.tf_ap_in1k', 'timm/tf_efficientnet_b2.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 19.7, 4.968, train=260, crop=260, pct=0.89, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b2.tf_in1k', 'timm/tf_efficientnet_b2.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 20.388, 5.286, train=260, crop=260, pct=0.89, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b2.tf_ns_jft_in1k', 'timm/tf_efficientnet_b2.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 17.588, 3.762, train=260, crop=260, pct=0.89, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b3
    _pycls('efficientnet_b3', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161305060/EN-B3_dds_8gpu.pyth', 22.47, 6.514, 300),
    _hf('efficientnet_b3.ra2_in1k', 'timm/efficientnet_b3.ra2_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 18.528, 4.304, train=288, crop=288, pct=0.875, interp='bicubic'),
    _hf('efficientnet_b3.tf_aa_in1k', 'timm/tf_efficientnet_b3.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 18.352, 4.276, train=300, crop=300, pct=0.904, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b3.tf_ap_in1k', 'timm/tf_efficientnet_b3.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 18.158, 4.386, train=300, crop=300, pct=0.904, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b3.tf_in1k', 'timm/tf_efficientnet_b3.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 19.122, 4.692, train=300, crop=300, pct=0.904, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b3.tf_ns_jft_in1k', 'timm/tf_efficientnet_b3.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.946, 3.074, train=300, crop=300, pct=0.904, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b4
    _pycls('efficientnet_b4', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161305098/EN-B4_dds_8gpu.pyth', 21.374, 5.808, 380),
    _hf('efficientnet_b4.ra2_in1k', 'timm/efficientnet_b4.ra2_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 17.342, 3.866, train=320, crop=320, pct=0.875, interp='bicubic'),
    _hf('efficientnet_b4.tf_aa_in1k', 'timm/tf_efficientnet_b4.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 16.96, 3.702, train=380, crop=380, pct=0.922, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b4.tf_ap_in1k', 'timm/tf_efficientnet_b4.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 16.754, 3.608, train=380, crop=380, pct=0.922, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b4.tf_in1k', 'timm/tf_efficientnet_b4.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 17.402, 3.868, train=380, crop=380, pct=0.922, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b4.tf_ns_jft_in1k', 'timm/tf_efficientnet_b4.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 14.844, 2.518, train=380, crop=380, pct=0.922, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b5
    _pycls('efficientnet_b5', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161305138/EN-B5_dds_8gpu.pyth', 21.674, 6.238, 456),
    _hf('efficientnet_b5.sw_in12k_ft_in1k', 'timm/efficientnet_b5.sw_in12k_ft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 14.106, 2.258, train=448, crop=448, pct=1.0, interp='bicubic'),
    _hf('efficientnet_b5.tf_aa_in1k', 'timm/tf_efficientnet_b5.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 16.304, 3.288, train=456, crop=456, pct=0.934, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b5.tf_ap_in1k', 'timm/tf_efficientnet_b5.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.742, 3.016, train=456, crop=456, pct=0.934, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b5.tf_in1k', 'timm/tf_efficientnet_b5.in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 16.83, 3.466, train=456, crop=456, pct=0.934, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b5.tf_ns_jft_in1k', 'timm/tf_efficientnet_b5.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 13.904, 2.256, train=456, crop=456, pct=0.934, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b5.tf_ra_in1k', 'timm/tf_efficientnet_b5.ra_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 16.166, 3.236, train=456, crop=456, pct=0.934, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b6
    _hf('efficientnet_b6.tf_aa_in1k', 'timm/tf_efficientnet_b6.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.876, 3.11, train=528, crop=528, pct=0.942, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b6.tf_ap_in1k', 'timm/tf_efficientnet_b6.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.206, 2.862, train=528, crop=528, pct=0.942, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b6.tf_ns_jft_in1k', 'timm/tf_efficientnet_b6.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 13.524, 2.136, train=528, crop=528, pct=0.942, interp='bicubic', model_args=TF_PORT),
    # efficientnet_b7
    _hf('efficientnet_b7.tf_aa_in1k', 'timm/tf_efficientnet_b7.aa_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.576, 3.092, train=600, crop=600, pct=0.949, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b7.tf_ap_in1k', 'timm/tf_efficientnet_b7.ap_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 14.868, 2.744, train=600, crop=600, pct=0.949, interp='bicubic', norm=HALF, model_args=TF_PORT),
    _hf('efficientnet_b7.tf_ns_jft_in1k', 'timm/tf_efficientnet_b7.ns_jft_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 13.15, 1.92, train=600, crop=600, pct=0.949, interp='bicubic', model_args=TF_PORT),
    _hf('efficientnet_b7.tf_ra_in1k', 'timm/tf_efficientnet_b7.ra_in1k', 'timm_efficientnet', 'apache-2.0', TIMM, 15.074, 2.78, train=600, crop=600, pct=0.949, interp='bicubic', model_args=TF_PORT),
    # regnetx_1_6gf
    _pycls('regnetx_1_6gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160990626/RegNetX-1.6GF_dds_8gpu.pyth', 23.038, 6.484, 224, hf_copy='timm/regnetx_016.pycls_in1k'),
    _hf('regnetx_1_6gf.tv2_in1k', 'timm/regnetx_016.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 20.56, 5.232, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnetx_3_2gf
    _pycls('regnetx_3_2gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906139/RegNetX-3.2GF_dds_8gpu.pyth', 21.736, 5.862, 224, hf_copy='timm/regnetx_032.pycls_in1k'),
    _hf('regnetx_3_2gf.tv2_in1k', 'timm/regnetx_032.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 19.084, 4.752, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnetx_4_0gf
    _pycls('regnetx_4_0gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906383/RegNetX-4.0GF_dds_8gpu.pyth', 21.356, 5.736, 224, hf_copy='timm/regnetx_040.pycls_in1k'),
    # regnetx_6_4gf
    _pycls('regnetx_6_4gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161116590/RegNetX-6.4GF_dds_8gpu.pyth', 20.844, 5.434, 224, hf_copy='timm/regnetx_064.pycls_in1k'),
    # regnetx_8_0gf
    _pycls('regnetx_8_0gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161107726/RegNetX-8.0GF_dds_8gpu.pyth', 20.728, 5.42, 224, hf_copy='timm/regnetx_080.pycls_in1k'),
    _hf('regnetx_8_0gf.tv2_in1k', 'timm/regnetx_080.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 18.448, 4.46, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnetx_12gf
    _pycls('regnetx_12gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906020/RegNetX-12GF_dds_8gpu.pyth', 20.288, 5.284, 224, hf_copy='timm/regnetx_120.pycls_in1k'),
    # regnetx_16gf
    _pycls('regnetx_16gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/158460855/RegNetX-16GF_dds_8gpu.pyth', 19.956, 5.022, 224, hf_copy='timm/regnetx_160.pycls_in1k'),
    _hf('regnetx_16gf.tv2_in1k', 'timm/regnetx_160.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 17.426, 3.942, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnetx_32gf
    _pycls('regnetx_32gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/158188473/RegNetX-32GF_dds_8gpu.pyth', 19.498, 4.878, 224, hf_copy='timm/regnetx_320.pycls_in1k'),
    _hf('regnetx_32gf.tv2_in1k', 'timm/regnetx_320.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 17.176, 3.8, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnetx_200mf
    _pycls('regnetx_200mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160905981/RegNetX-200MF_dds_8gpu.pyth', 31.088, 11.342, 224, hf_copy='timm/regnetx_002.pycls_in1k'),
    # regnetx_400mf
    _pycls('regnetx_400mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160905967/RegNetX-400MF_dds_8gpu.pyth', 27.382, 9.076, 224, hf_copy='timm/regnetx_004.pycls_in1k'),
    # regnetx_600mf
    _pycls('regnetx_600mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906442/RegNetX-600MF_dds_8gpu.pyth', 25.864, 8.198, 224, hf_copy='timm/regnetx_006.pycls_in1k'),
    # regnetx_800mf
    _pycls('regnetx_800mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906036/RegNetX-800MF_dds_8gpu.pyth', 24.846, 7.592, 224, hf_copy='timm/regnetx_008.pycls_in1k'),
    _hf('regnetx_800mf.tv2_in1k', 'timm/regnetx_008.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 22.706, 6.336, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnety_1_6gf
    _pycls('regnety_1_6gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906681/RegNetY-1.6GF_dds_8gpu.pyth', 22.066, 6.134, 224, hf_copy='timm/regnety_016.pycls_in1k'),
    _hf('regnety_1_6gf.tv2_in1k', 'timm/regnety_016.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 19.332, 4.664, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnety_3_2gf
    _pycls('regnety_3_2gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906834/RegNetY-3.2GF_dds_8gpu.pyth', 21.074, 5.454, 224, hf_copy='timm/regnety_032.pycls_in1k'),
    _hf('regnety_3_2gf.tv2_in1k', 'timm/regnety_032.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 18.212, 4.174, train=224, crop=224, pct=0.965, interp='bicubic'),
    _hf('regnety_3_2gf.ra_in1k', 'timm/regnety_032.ra_in1k', 'timm_regnet', 'apache-2.0', TIMM, 18.052, 4.028, train=224, crop=224, pct=0.95, interp='bicubic'),
    # regnety_4_0gf
    _pycls('regnety_4_0gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906838/RegNetY-4.0GF_dds_8gpu.pyth', 20.64, 5.336, 224, hf_copy='timm/regnety_040.pycls_in1k'),
    _hf('regnety_4_0gf.ra3_in1k', 'timm/regnety_040.ra3_in1k', 'timm_regnet', 'apache-2.0', TIMM, 17.692, 3.922, train=224, crop=224, pct=0.95, interp='bicubic'),
    # regnety_6_4gf
    _pycls('regnety_6_4gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160907112/RegNetY-6.4GF_dds_8gpu.pyth', 20.11, 5.1, 224, hf_copy='timm/regnety_064.pycls_in1k'),
    _hf('regnety_6_4gf.ra3_in1k', 'timm/regnety_064.ra3_in1k', 'timm_regnet', 'apache-2.0', TIMM, 16.994, 3.704, train=224, crop=224, pct=0.95, interp='bicubic'),
    # regnety_8_0gf
    _pycls('regnety_8_0gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161160905/RegNetY-8.0GF_dds_8gpu.pyth', 20.052, 5.06, 224, hf_copy='timm/regnety_080.pycls_in1k'),
    _hf('regnety_8_0gf.ra3_in1k', 'timm/regnety_080.ra3_in1k', 'timm_regnet', 'apache-2.0', TIMM, 16.834, 3.52, train=224, crop=224, pct=0.95, interp='bicubic'),
    # regnety_12gf
    _pycls('regnety_12gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160907100/RegNetY-12GF_dds_8gpu.pyth', 19.67, 4.856, 224, hf_copy='timm/regnety_120.pycls_in1k'),
    _hf('regnety_12gf.sw_in12k_ft_in1k', 'timm/regnety_120.sw_in12k_ft_in1k', 'timm_regnet', 'apache-2.0', TIMM, 15.006, 2.588, train=224, crop=224, pct=0.95, interp='bicubic'),
    # regnety_16gf
    _pycls('regnety_16gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161303400/RegNetY-16GF_dds_8gpu.pyth', 19.608, 4.944, 224, hf_copy='timm/regnety_160.pycls_in1k'),
    _hf('regnety_16gf.tv2_in1k', 'timm/regnety_160.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 17.354, 3.77, train=224, crop=224, pct=0.965, interp='bicubic'),
    _hf('regnety_16gf.deit_in1k', 'timm/regnety_160.deit_in1k', 'timm_regnet', 'apache-2.0', TIMM, 17.0, 3.498, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('regnety_16gf.lion_in12k_ft_in1k', 'timm/regnety_160.lion_in12k_ft_in1k', 'timm_regnet', 'apache-2.0', TIMM, 14.398, 2.332, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('regnety_16gf.sw_in12k_ft_in1k', 'timm/regnety_160.sw_in12k_ft_in1k', 'timm_regnet', 'apache-2.0', TIMM, 14.404, 2.332, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('regnety_16gf.swag_ft_in1k', 'timm/regnety_160.swag_ft_in1k', 'timm_regnet', 'cc-by-nc-4.0', TORCHVISION, 13.98, 1.954, train=384, crop=384, pct=1.0, interp='bicubic'),
    _hf('regnety_16gf.swag_lc_in1k', 'timm/regnety_160.swag_lc_in1k', 'timm_regnet', 'cc-by-nc-4.0', TORCHVISION, 16.194, 2.716, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnety_32gf
    _pycls('regnety_32gf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161277763/RegNetY-32GF_dds_8gpu.pyth', 19.066, 4.568, 224, hf_copy='timm/regnety_320.pycls_in1k'),
    _hf('regnety_32gf.tv2_in1k', 'timm/regnety_320.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 16.83, 3.584, train=224, crop=224, pct=0.965, interp='bicubic'),
    _hf('regnety_32gf.seer_ft_in1k', 'timm/regnety_320.seer_ft_in1k', 'timm_regnet', 'seer-license', SEER, 16.676, 3.288, train=384, crop=384, pct=1.0, interp='bicubic'),
    _hf('regnety_32gf.swag_ft_in1k', 'timm/regnety_320.swag_ft_in1k', 'timm_regnet', 'cc-by-nc-4.0', TORCHVISION, 13.17, 1.638, train=384, crop=384, pct=1.0, interp='bicubic'),
    _hf('regnety_32gf.swag_lc_in1k', 'timm/regnety_320.swag_lc_in1k', 'timm_regnet', 'cc-by-nc-4.0', TORCHVISION, 15.346, 2.508, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnety_200mf
    _pycls('regnety_200mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/176245422/RegNetY-200MF_dds_8gpu.pyth', 29.658, 10.378, 224, hf_copy='timm/regnety_002.pycls_in1k'),
    # regnety_400mf
    _pycls('regnety_400mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906449/RegNetY-400MF_dds_8gpu.pyth', 25.898, 8.07, 224, hf_copy='timm/regnety_004.pycls_in1k'),
    _hf('regnety_400mf.tv2_in1k', 'timm/regnety_004.tv2_in1k', 'timm_regnet', 'bsd-3-clause', TORCHVISION, 24.406, 7.294, train=224, crop=224, pct=0.965, interp='bicubic'),
    # regnety_600mf
    _pycls('regnety_600mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160981443/RegNetY-600MF_dds_8gpu.pyth', 24.54, 7.28, 224, hf_copy='timm/regnety_006.pycls_in1k'),
    # regnety_800mf
    _pycls('regnety_800mf', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/160906567/RegNetY-800MF_dds_8gpu.pyth', 23.684, 6.846, 224, hf_copy='timm/regnety_008.pycls_in1k'),
    # resnet18
    _hf('resnet18.tv_in1k', 'timm/resnet18.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 30.248, 10.918, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnet18-f37072fd.pth')),
    _hf('resnet18.a1_in1k', 'timm/resnet18.a1_in1k', 'resnet', 'apache-2.0', TIMM, 28.496, 9.914, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet18.a2_in1k', 'timm/resnet18.a2_in1k', 'resnet', 'apache-2.0', TIMM, 29.366, 10.514, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet18.a3_in1k', 'timm/resnet18.a3_in1k', 'resnet', 'apache-2.0', TIMM, 31.75, 11.828, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet18.fb_ssl_yfcc100m_ft_in1k', 'timm/resnet18.fb_ssl_yfcc100m_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 27.364, 8.584, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnet18.fb_swsl_ig1b_ft_in1k', 'timm/resnet18.fb_swsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 26.714, 8.246, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnet18.gluon_in1k', 'timm/resnet18.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 29.156, 10.25, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnet34
    _hf('resnet34.tv_in1k', 'timm/resnet34.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 26.702, 8.578, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnet34-b627a593.pth')),
    _hf('resnet34.a1_in1k', 'timm/resnet34.a1_in1k', 'resnet', 'apache-2.0', TIMM, 23.58, 7.104, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet34.a2_in1k', 'timm/resnet34.a2_in1k', 'resnet', 'apache-2.0', TIMM, 24.48, 7.546, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet34.a3_in1k', 'timm/resnet34.a3_in1k', 'resnet', 'apache-2.0', TIMM, 27.004, 8.884, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet34.bt_in1k', 'timm/resnet34.bt_in1k', 'resnet', 'apache-2.0', TIMM, 24.824, 7.834, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet34.gluon_in1k', 'timm/resnet34.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 25.426, 8.012, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet34.ra4_e3600_r224_in1k', 'timm/resnet34.ra4_e3600_r224_in1k', 'resnet', 'apache-2.0', TIMM, 22.508, 6.502, train=224, crop=224, pct=0.9, interp='bicubic', norm=HALF),
    # resnet50
    _pycls('resnet50', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161235311/R-50-1x64d_dds_8gpu.pyth', 23.19, 6.63, 224),
    _hf('resnet50.tv_in1k', 'timm/resnet50.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 23.844, 7.134, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnet50-0676ba61.pth')),
    _hf('resnet50.tv2_in1k', 'timm/resnet50.tv2_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 19.154, 4.57, train=176, crop=224, pct=0.965, interp='bilinear', mirror=_torchvision('resnet50-11ad3fa6.pth')),
    _hf('resnet50.a1_in1k', 'timm/resnet50.a1_in1k', 'resnet', 'apache-2.0', TIMM, 19.618, 5.402, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.a1h_in1k', 'timm/resnet50.a1h_in1k', 'resnet', 'apache-2.0', TIMM, 19.346, 4.688, train=176, crop=224, pct=1.0, interp='bicubic'),
    _hf('resnet50.a2_in1k', 'timm/resnet50.a2_in1k', 'resnet', 'apache-2.0', TIMM, 20.172, 5.44, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.a3_in1k', 'timm/resnet50.a3_in1k', 'resnet', 'apache-2.0', TIMM, 21.948, 6.22, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.am_in1k', 'timm/resnet50.am_in1k', 'resnet', 'apache-2.0', TIMM, 20.996, 5.608, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet50.b1k_in1k', 'timm/resnet50.b1k_in1k', 'resnet', 'apache-2.0', TIMM, 20.436, 5.378, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.b2k_in1k', 'timm/resnet50.b2k_in1k', 'resnet', 'apache-2.0', TIMM, 20.612, 5.42, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.bt_in1k', 'timm/resnet50.bt_in1k', 'resnet', 'apache-2.0', TIMM, 21.556, 5.726, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet50.c1_in1k', 'timm/resnet50.c1_in1k', 'resnet', 'apache-2.0', TIMM, 20.234, 5.046, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.c2_in1k', 'timm/resnet50.c2_in1k', 'resnet', 'apache-2.0', TIMM, 20.132, 5.138, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.d_in1k', 'timm/resnet50.d_in1k', 'resnet', 'apache-2.0', TIMM, 20.096, 5.334, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet50.fb_ssl_yfcc100m_ft_in1k', 'timm/resnet50.fb_ssl_yfcc100m_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 20.748, 5.174, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnet50.fb_swsl_ig1b_ft_in1k', 'timm/resnet50.fb_swsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 18.854, 4.02, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnet50.gluon_in1k', 'timm/resnet50.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 22.42, 6.296, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet50.ra_in1k', 'timm/resnet50.ra_in1k', 'resnet', 'apache-2.0', TIMM, 21.18, 5.686, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnet50.ram_in1k', 'timm/resnet50.ram_in1k', 'resnet', 'apache-2.0', TIMM, 20.966, 5.614, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnet101
    _pycls('resnet101', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161167170/R-101-1x64d_dds_8gpu.pyth', 21.414, 5.792, 224),
    _hf('resnet101.tv_in1k', 'timm/resnet101.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 22.596, 6.448, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnet101-63fe2227.pth')),
    _hf('resnet101.tv2_in1k', 'timm/resnet101.tv2_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 18.094, 4.232, train=176, crop=224, pct=0.965, interp='bilinear', mirror=_torchvision('resnet101-cd907fc2.pth')),
    _hf('resnet101.a1_in1k', 'timm/resnet101.a1_in1k', 'resnet', 'apache-2.0', TIMM, 18.506, 4.836, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet101.a1h_in1k', 'timm/resnet101.a1h_in1k', 'resnet', 'apache-2.0', TIMM, 18.05, 4.24, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet101.a2_in1k', 'timm/resnet101.a2_in1k', 'resnet', 'apache-2.0', TIMM, 18.656, 4.802, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet101.a3_in1k', 'timm/resnet101.a3_in1k', 'resnet', 'apache-2.0', TIMM, 20.164, 5.392, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet101.gluon_in1k', 'timm/resnet101.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 20.694, 5.462, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnet152
    _pycls('resnet152', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161167467/R-152-1x64d_dds_8gpu.pyth', 20.87, 5.44, 224),
    _hf('resnet152.tv_in1k', 'timm/resnet152.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 21.67, 5.954, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnet152-394f9c45.pth')),
    _hf('resnet152.tv2_in1k', 'timm/resnet152.tv2_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 17.706, 4.0, train=176, crop=224, pct=0.965, interp='bilinear', mirror=_torchvision('resnet152-f82ba261.pth')),
    _hf('resnet152.a1_in1k', 'timm/resnet152.a1_in1k', 'resnet', 'apache-2.0', TIMM, 18.002, 4.706, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet152.a1h_in1k', 'timm/resnet152.a1h_in1k', 'resnet', 'apache-2.0', TIMM, 17.182, 3.876, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet152.a2_in1k', 'timm/resnet152.a2_in1k', 'resnet', 'apache-2.0', TIMM, 18.236, 4.73, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet152.a3_in1k', 'timm/resnet152.a3_in1k', 'resnet', 'apache-2.0', TIMM, 19.452, 4.996, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnet152.gluon_in1k', 'timm/resnet152.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 20.288, 5.28, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnext50_32x4d
    _pycls('resnext50_32x4d', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161167411/X-50-32x4d_dds_8gpu.pyth', 21.884, 6.062, 224),
    _hf('resnext50_32x4d.tv_in1k', 'timm/resnext50_32x4d.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 22.368, 6.326, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnext50_32x4d-7cdf4587.pth')),
    _hf('resnext50_32x4d.tv2_in1k', 'timm/resnext50_32x4d.tv2_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 18.81, 4.656, train=176, crop=224, pct=0.965, interp='bilinear', mirror=_torchvision('resnext50_32x4d-1a0047aa.pth')),
    _hf('resnext50_32x4d.a1_in1k', 'timm/resnext50_32x4d.a1_in1k', 'resnet', 'apache-2.0', TIMM, 19.474, 5.542, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnext50_32x4d.a1h_in1k', 'timm/resnext50_32x4d.a1h_in1k', 'resnet', 'apache-2.0', TIMM, 18.86, 4.68, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnext50_32x4d.a2_in1k', 'timm/resnext50_32x4d.a2_in1k', 'resnet', 'apache-2.0', TIMM, 19.556, 5.37, train=224, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnext50_32x4d.a3_in1k', 'timm/resnext50_32x4d.a3_in1k', 'resnet', 'apache-2.0', TIMM, 20.742, 5.692, train=160, crop=224, pct=0.95, interp='bicubic'),
    _hf('resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k', 'timm/resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 19.684, 4.614, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext50_32x4d.fb_swsl_ig1b_ft_in1k', 'timm/resnext50_32x4d.fb_swsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 17.838, 3.776, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext50_32x4d.gluon_in1k', 'timm/resnext50_32x4d.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 20.646, 5.576, train=224, crop=224, pct=0.875, interp='bicubic'),
    _hf('resnext50_32x4d.ra_in1k', 'timm/resnext50_32x4d.ra_in1k', 'resnet', 'apache-2.0', TIMM, 20.2, 5.392, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnext101_32x4d
    _pycls('resnext101_32x4d', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/161167590/X-101-32x4d_dds_8gpu.pyth', 20.664, 5.392, 224),
    _hf('resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k', 'timm/resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 19.064, 4.268, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext101_32x4d.fb_swsl_ig1b_ft_in1k', 'timm/resnext101_32x4d.fb_swsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 16.732, 3.24, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext101_32x4d.gluon_in1k', 'timm/resnext101_32x4d.gluon_in1k', 'resnet', 'apache-2.0', GLUON, 19.664, 5.092, train=224, crop=224, pct=0.875, interp='bicubic'),
    # resnext101_32x8d
    _hf('resnext101_32x8d.tv2_in1k', 'timm/resnext101_32x8d.tv2_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 17.168, 3.766, train=176, crop=224, pct=0.965, interp='bilinear', mirror=_torchvision('resnext101_32x8d-110c445d.pth')),
    _hf('resnext101_32x8d.tv_in1k', 'timm/resnext101_32x8d.tv_in1k', 'resnet', 'bsd-3-clause', TORCHVISION, 20.692, 5.47, train=224, crop=224, pct=0.875, interp='bilinear', mirror=_torchvision('resnext101_32x8d-8ba56ff5.pth')),
    _hf('resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k', 'timm/resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 18.38, 3.964, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext101_32x8d.fb_swsl_ig1b_ft_in1k', 'timm/resnext101_32x8d.fb_swsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_SEMI, 15.724, 2.812, train=224, crop=224, pct=0.875, interp='bilinear'),
    _hf('resnext101_32x8d.fb_wsl_ig1b_ft_in1k', 'timm/resnext101_32x8d.fb_wsl_ig1b_ft_in1k', 'resnet', 'cc-by-nc-4.0', FB_WSL, 17.28, 3.376, train=224, crop=224, pct=0.875, interp='bilinear'),
    # resnext152_32x4d
    _pycls('resnext152_32x4d', 'https://dl.fbaipublicfiles.com/pycls/dds_baselines/162471172/X-152-32x4d_dds_8gpu.pyth', 20.386, 5.318, 224),
]
# fmt: on
