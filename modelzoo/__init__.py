"""modelzoo: image-classification architectures with exact complexity and verified pretrained weights."""
from .complexity import complexity
from .data_config import DataConfig
from .factory import create
from .registry import UnknownModelError, is_model, list_models, register_model

__all__ = ["create", "list_models", "is_model", "register_model", "complexity", "DataConfig", "UnknownModelError"]
__version__ = "0.1.0"
