"""Pretrained weights: specs (data), the resolver, download/cache/verify, key conversion, loading,
publishing.

Public entry points are re-exported by :mod:`modelzoo`: ``get_weights``, ``list_weights``,
``save_pretrained``, ``push_to_hub`` and the :class:`WeightSpec` type; :func:`resolve` says what a
model name means.
"""
from .download import ChecksumError, DownloadError, OfflineError, WeightsNotFoundError, cache_dir
from .load import ClassifierReinitializedWarning, UnsafeCheckpointError, WeightsMismatchError
from .publish import push_to_hub, save_pretrained
from .resolve import Resolved, resolve
from .specs import Source, UnknownWeightsError, WeightSpec, get_weights, list_weights, models_with_weights

__all__ = [
    "WeightSpec", "Source", "get_weights", "list_weights", "models_with_weights", "resolve", "Resolved",
    "save_pretrained", "push_to_hub", "cache_dir", "DownloadError", "WeightsNotFoundError", "OfflineError",
    "ChecksumError", "UnknownWeightsError", "UnsafeCheckpointError", "WeightsMismatchError",
    "ClassifierReinitializedWarning",
]  # fmt: skip
