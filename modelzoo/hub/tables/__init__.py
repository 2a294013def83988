"""The weight tables: every published weight set modelzoo can load (data only), one file per family.

Facts come from the publishers: pycls's model zoo (files, top-1/top-5 errors, train sizes), timm's
``pretrained_cfg`` and ``results/results-imagenet.csv`` (Hub repos, licenses, eval configs and
errors) and torchvision's weight enums (file names, whose hex part is a sha256 prefix). Nothing
here is guessed: unknown digests are None and get recorded on first download. What every row
shares is derived from the tag once, in :mod:`.rows`.

The first row listed for a model is its default: pycls's weights for the 36 pycls models,
otherwise torchvision's (ResNet-18/34, ResNeXt-101-32x8d) or TensorFlow's AutoAugment weights
(EfficientNet-B6/B7). Nothing here runs at import time of :mod:`modelzoo`: the hub reads the
tables on first use.
"""
from __future__ import annotations

from ..weight_spec import WeightSpec


def all_specs() -> list[WeightSpec]:
    """Every row of every family's table, in table order."""
    from . import efficientnet, regnet, resnet

    return [*efficientnet.rows(), *regnet.rows(), *resnet.rows()]
