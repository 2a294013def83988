"""modelzoo: image-classification architectures with exact complexity and verified pretrained weights."""
from .api import complexity, create, eval_transform, list_models
from .backbones import backbone_with_fpn
from .data_config import DataConfig
from .exporters import export
from .hub import WeightSpec, get_weights, list_weights, push_to_hub, save_pretrained
from .inference import optimize_for_inference
from .models.features import freeze, freeze_bn
from .registry import UnknownModelError, is_model, register_model
from .version import __version__

__all__ = ["create", "list_models", "is_model", "register_model", "complexity", "DataConfig", "UnknownModelError",
           "optimize_for_inference", "export", "WeightSpec", "get_weights", "list_weights", "eval_transform",
           "save_pretrained", "push_to_hub", "backbone_with_fpn", "freeze", "freeze_bn", "__version__"]  # fmt: skip
