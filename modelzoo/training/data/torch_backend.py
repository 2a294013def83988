"""``torch`` backend: a torchvision ``DatasetFolder``, ``torchvision.io`` decoding, ``transforms.v2`` ops.

The folder scan and the class map are the shared ones (``folder.scan_split``); the crop windows
come from the shared sampler, so for a given seed this backend crops exactly where ``custom`` does.
"""
from __future__ import annotations

import warnings

import torch
from torchvision.datasets import DatasetFolder
from torchvision.io import ImageReadMode, decode_image, read_file
from torchvision.transforms.v2 import functional as F

from .folder import IMAGE_EXTENSIONS, BadImageError, Split, decode_failure
from .loader import FileDataset
from .sharding import sample_rng
from .transforms import sample_crop, sample_flip


def decode(path: str) -> torch.Tensor:
    """An image file as a CHW uint8 RGB tensor (grayscale, CMYK, palette, alpha, 16-bit → RGB)."""
    with warnings.catch_warnings():  # torchvision 0.29 deprecates its decoders in favour of TorchCodec
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            data = read_file(path)
        except (OSError, RuntimeError) as e:
            raise BadImageError(f"{path}: unreadable ({e})") from e
        try:
            image = decode_image(data, mode=ImageReadMode.RGB, apply_exif_orientation=False)
        except RuntimeError as e:
            raise decode_failure(path, data.numpy(), str(e).strip().splitlines()[-1][:200]) from e
    return image if image.dtype == torch.uint8 else F.to_dtype(image, torch.uint8, scale=True)


class TorchvisionFolder(FileDataset, DatasetFolder):
    """Dataset of the ``torch`` backend; also a ``DatasetFolder`` (``classes``, ``samples``, ``targets``)."""

    def __init__(self, split: Split, **kwargs) -> None:
        self._split = split
        FileDataset.__init__(self, split, **kwargs)
        DatasetFolder.__init__(self, str(split.root / split.name), loader=decode, extensions=IMAGE_EXTENSIONS)

    def find_classes(self, directory: str) -> tuple[list[str], dict[str, int]]:
        return self._split.classes, {name: i for i, name in enumerate(self._split.classes)}

    def make_dataset(self, directory, class_to_idx, extensions=None, is_valid_file=None, allow_empty=False):
        return list(zip(self._split.paths, self._split.labels.tolist()))

    def load(self, path: str, epoch: int, index: int) -> torch.Tensor:
        image = self.loader(path)
        if not self.train:
            return F.center_crop(F.resize(image, [self.resize], antialias=True), [self.size])
        rng = sample_rng(self.seed, epoch, index)
        box = sample_crop(image.shape[-2], image.shape[-1], rng)
        image = F.resized_crop(image, *box, [self.size, self.size], antialias=True)
        return F.horizontal_flip(image) if sample_flip(rng) else image
