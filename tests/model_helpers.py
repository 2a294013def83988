"""Helpers shared by the model and hub tests."""
from __future__ import annotations

import torch
import torch.nn as nn


def randomize(model: nn.Module, seed: int = 0) -> nn.Module:
    """Random weights and random BatchNorm statistics (so that every tensor matters in a comparison),
    scaled by fan-in so that deep models keep moderate activations. Returns the model in eval mode."""
    g = torch.Generator().manual_seed(seed)

    def rand(t: torch.Tensor, lo: float, hi: float) -> torch.Tensor:
        return torch.rand(t.shape, generator=g) * (hi - lo) + lo

    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.weight.copy_(rand(m.weight, 0.5, 1.5))
                m.bias.copy_(rand(m.bias, -0.2, 0.2))
                m.running_mean.copy_(rand(m.running_mean, -0.2, 0.2))
                m.running_var.copy_(rand(m.running_var, 0.5, 1.5))
            elif isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) / fan_in**0.5)
                if m.bias is not None:
                    m.bias.copy_(rand(m.bias, -0.2, 0.2))
    return model.eval()
