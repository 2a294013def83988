"""Pretrained weights: specs (data), download/cache/verify, key conversion, loading, publishing.

Public entry points are re-exported by :mod:`modelzoo`: ``get_weights``, ``list_weights``,
``eval_transform``, ``save_pretrained``, ``push_to_hub`` and the :class:`WeightSpec` type.
"""
from .download import ChecksumError, DownloadError, OfflineError, WeightsNotFoundError, cache_dir
from .load import UnsafeCheckpointError, WeightsMismatchError
from .publish import push_to_hub, save_pretrained
from .specs import Source, UnknownWeightsError, WeightSpec, get_weights, list_weights, models_with_weights
from .transforms import EvalTransform, eval_transform

__all__ = [
    "WeightSpec", "Source", "get_weights", "list_weights", "models_with_weights", "eval_transform", "EvalTransform",
    "save_pretrained", "push_to_hub", "cache_dir", "DownloadError", "WeightsNotFoundError", "OfflineError",
    "ChecksumError", "UnknownWeightsError", "UnsafeCheckpointError", "WeightsMismatchError",
]  # fmt: skip
