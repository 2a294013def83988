"""How a row of the weight tables becomes a :class:`WeightSpec`: the publishers' conventions, once.

A row names the tag and states the published facts (errors, eval crop, crop_pct, interpolation,
train size where it differs from the crop). What follows from the tag is derived here, not
repeated in every row: the Hub repo (``timm/<timm model name>.<tag name>``, TensorFlow ports
``timm/tf_<model>.<name>``), the key converter (by family), ``tf_port`` for TensorFlow ports, and
the origin and license (by the tag's prefix, see ``PUBLISHERS``).
"""
from __future__ import annotations

import math
import re

from ...data_config import IMAGENET_MEAN, IMAGENET_STD, DataConfig
from ..weight_spec import Source, WeightSpec

IMAGENET = (IMAGENET_MEAN, IMAGENET_STD)
HALF = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))

PYCLS = "https://github.com/facebookresearch/pycls (dds_baselines model zoo)"
PYCLS_FILES = "https://dl.fbaipublicfiles.com/pycls/dds_baselines/"
TIMM = "https://github.com/huggingface/pytorch-image-models"
TORCHVISION = "https://github.com/pytorch/vision"
TORCHVISION_FILES = "https://download.pytorch.org/models/"
GLUON = "https://cv.gluon.ai/model_zoo/classification.html"
FB_SEMI = "https://github.com/facebookresearch/semi-supervised-ImageNet1K-models"
FB_WSL = "https://github.com/facebookresearch/WSL-Images"
SEER = "https://github.com/facebookresearch/vissl"

# tag-name prefix → (origin, license); any other prefix is one of timm's own trainings (apache-2.0)
PUBLISHERS: dict[str, tuple[str, str]] = {
    "pycls": (PYCLS, "mit"),
    "tv": (TORCHVISION, "bsd-3-clause"),
    "tv2": (TORCHVISION, "bsd-3-clause"),
    "swag": (TORCHVISION, "cc-by-nc-4.0"),
    "gluon": (GLUON, "apache-2.0"),
    "fb_ssl": (FB_SEMI, "cc-by-nc-4.0"),
    "fb_swsl": (FB_SEMI, "cc-by-nc-4.0"),
    "fb_wsl": (FB_WSL, "cc-by-nc-4.0"),
    "seer": (SEER, "seer-license"),
}
CONVERTERS = {"resnet": "resnet", "resnext": "resnet", "regnetx": "timm_regnet", "regnety": "timm_regnet",
              "efficientnet": "timm_efficientnet"}  # fmt: skip
TF_PORT = "tf_"  # tag names of TensorFlow-ported weights start with it


def publisher(name: str) -> tuple[str, str]:
    """(origin, license) of a tag name such as ``tv2_in1k`` or ``fb_swsl_ig1b_ft_in1k``."""
    for prefix in sorted(PUBLISHERS, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "_"):
            return PUBLISHERS[prefix]
    return TIMM, "apache-2.0"


def family(arch: str) -> str:
    return re.match(r"[a-z]+", arch).group()


def timm_model(arch: str) -> str:
    """timm's name for a modelzoo architecture: RegNets by timm's size code (``regnety_1_6gf`` →
    ``regnety_016``, read from the registry's aliases), every other name as is."""
    if not family(arch).startswith("regnet"):
        return arch
    from ...registry import architecture

    return next(a for a in architecture(arch).aliases if re.fullmatch(r"regnet[xy]_\d{3}", a))


def pycls(arch: str, file: str, *, top1: float, top5: float, train: int = 224) -> WeightSpec:
    """A pycls model-zoo checkpoint (``<PYCLS_FILES><file>_dds_8gpu.pyth``, BGR stem). timm hosts an
    RGB safetensors copy of every pycls RegNet (``timm/<model>.pycls_in1k``), which is tried first."""
    dc = DataConfig.for_train_size(train)
    sources = (Source(url=f"{PYCLS_FILES}{file}_dds_8gpu.pyth", converter="pycls", channel_order="BGR"),)
    notes = ""
    if family(arch).startswith("regnet"):
        copy = f"timm/{timm_model(arch)}.pycls_in1k"
        sources = (Source(hf_repo=copy, converter="timm_regnet"),) + sources
        notes = f"{copy} is timm's safetensors copy of this pycls checkpoint (already RGB); it is tried first."
    protocol = (f"pycls test: ImageNet-1k val (50,000 images), shorter side resized to {dc.test_size} px "
                f"(bilinear), centre {dc.crop_size} px crop")  # fmt: skip
    return WeightSpec(f"{arch}.pycls_in1k", sources, dc, "mit", PYCLS, top1, top5, protocol, notes=notes)


def timm(tag: str, *, top1: float, top5: float, pct: float, interp: str, crop: int = 224, train: int | None = None,
         norm: tuple = IMAGENET, tv_file: str | None = None) -> WeightSpec:  # fmt: skip
    """A weight set on the Hugging Face Hub as timm publishes it, measured by timm at ``crop`` px
    with ``crop_pct`` ``pct``; ``tv_file`` adds torchvision's original file as a mirror (the hex
    part of its name is the start of its sha256)."""
    arch, name = tag.split(".")
    origin, license = publisher(name)
    tf_port = name.startswith(TF_PORT)
    repo = f"timm/tf_{timm_model(arch)}.{name[len(TF_PORT):]}" if tf_port else f"timm/{timm_model(arch)}.{name}"
    resize = math.floor(crop / pct)  # timm's eval rule
    dc = DataConfig(train_size=train or crop, test_size=resize, crop_size=crop, mean=norm[0], std=norm[1],
                    interpolation=interp)  # fmt: skip
    sources = (Source(hf_repo=repo, converter=CONVERTERS[family(arch)]),)
    if tv_file:
        digest = tv_file.rsplit("-", 1)[1].split(".")[0]
        sources += (Source(url=TORCHVISION_FILES + tv_file, sha256=digest, converter="resnet"),)
    protocol = (f"timm validate.py (results-imagenet.csv): ImageNet-1k val (50,000 images), shorter side resized "
                f"to {resize} px ({interp}), centre {crop} px crop (crop_pct {pct})")  # fmt: skip
    model_args = (("tf_port", True),) if tf_port else ()
    return WeightSpec(tag, sources, dc, license, origin, top1, top5, protocol, model_args=model_args)
