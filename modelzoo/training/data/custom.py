"""``custom`` backend: OpenCV decoding, numpy cropping, uint8 resize in DataLoader workers.

The image stays uint8 from decode to batch: the crop is a numpy view, the antialiased bilinear
resize runs on uint8 channels-last data and transposes to CHW on the way out.
"""
from __future__ import annotations

import cv2
import numpy as np
import torch

from .folder import BadImageError, decode_failure
from .loader import FileDataset
from .sharding import sample_rng
from .transforms import train_crop_hwc, val_crop_hwc

# RGB output, EXIF orientation ignored (as PIL, torchvision and our DALI pipelines do).
_FLAGS = getattr(cv2, "IMREAD_COLOR_RGB", cv2.IMREAD_COLOR) | cv2.IMREAD_IGNORE_ORIENTATION
_SWAP_TO_RGB = not hasattr(cv2, "IMREAD_COLOR_RGB")


def decode(path: str) -> np.ndarray:
    """An image file as an HWC uint8 RGB array; grayscale, CMYK, palette, alpha, 16-bit all become RGB."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as e:
        raise BadImageError(f"{path}: unreadable ({e.strerror or e})") from e
    image = cv2.imdecode(data, _FLAGS) if data.size else None
    if image is None:
        raise decode_failure(path, data)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB) if _SWAP_TO_RGB else image


class OpenCVFolder(FileDataset):
    """Dataset of the ``custom`` backend."""

    def load(self, path: str, epoch: int, index: int) -> torch.Tensor:
        image = decode(path)
        if self.train:
            return train_crop_hwc(image, self.size, sample_rng(self.seed, epoch, index))
        return val_crop_hwc(image, self.size, self.resize)

    @staticmethod
    def before_fork() -> None:
        """Set OpenCV to one thread in this (parent) process before the workers fork.

        OpenCV's thread pool does not survive ``fork``: a worker touching an inherited pool (even
        ``cv2.setNumThreads``) can deadlock. With one thread there is no pool to inherit, and the
        workers, one per core, gain nothing from more threads. The setting stays in this process.
        """
        if cv2.getNumThreads() != 1:
            cv2.setNumThreads(1)
