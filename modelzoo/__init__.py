"""modelzoo: image-classification architectures with exact complexity and verified pretrained weights."""
from .complexity import complexity
from .data_config import DataConfig
from .factory import create
from .hub import WeightSpec, eval_transform, get_weights, list_weights, push_to_hub, save_pretrained
from .inference import optimize_for_inference
from .registry import UnknownModelError, is_model, list_models, register_model

__all__ = ["create", "list_models", "is_model", "register_model", "complexity", "DataConfig", "UnknownModelError",
           "optimize_for_inference", "WeightSpec", "get_weights", "list_weights", "eval_transform", "save_pretrained",
           "push_to_hub"]
__version__ = "0.1.0"
