"""SGD, the learning-rate schedule and the EMA of weights.

The schedule is a pure function of the position in training, so a resumed run needs nothing but
``(epoch, iteration)`` to continue it exactly: a linear warm-up from ``warmup_factor · lr`` to
``lr`` over ``warmup_epochs``, multiplied onto a half-period cosine from ``base_lr`` (epoch 0) to
``min_lr_factor · base_lr`` (epoch ``max_epoch``). It is evaluated at every iteration.
"""
from __future__ import annotations

import copy
import math

import torch
import torch.nn as nn

from .config import OptimCfg


def lr_at(cfg: OptimCfg, epoch: int, iteration: int = 0, iters_per_epoch: int = 1) -> float:
    """Learning rate for iteration ``iteration`` (0-based) of epoch ``epoch`` (0-based)."""
    t = epoch + iteration / iters_per_epoch  # fractional epochs done
    cosine = 0.5 * (1.0 + math.cos(math.pi * t / cfg.max_epoch))
    lr = cfg.base_lr * (cfg.min_lr_factor + (1.0 - cfg.min_lr_factor) * cosine)
    if t < cfg.warmup_epochs:
        alpha = t / cfg.warmup_epochs
        lr *= cfg.warmup_factor * (1.0 - alpha) + alpha
    return lr


def param_groups(model: nn.Module, cfg: OptimCfg) -> list[dict]:
    """One group with weight decay; with ``no_wd_bn_bias``, BN parameters and biases (all 1-d
    parameters) go to a second group without it."""
    params = [p for p in model.parameters() if p.requires_grad]
    if not cfg.no_wd_bn_bias:
        return [{"params": params, "weight_decay": cfg.weight_decay}]
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    return [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def build_optimizer(model: nn.Module, cfg: OptimCfg) -> torch.optim.SGD:
    """SGD (momentum, optional Nesterov) over :func:`param_groups`; the lr is set every step."""
    return torch.optim.SGD(param_groups(model, cfg), lr=lr_at(cfg, 0), momentum=cfg.momentum,
                           nesterov=cfg.nesterov)  # fmt: skip


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


class WeightEma:
    """Exponential moving average of a model's parameters (buffers are copied, not averaged).

    ``ema = decay · ema + (1 − decay) · weights`` after every optimizer step. The averaged copy
    lives on the model's device in ``self.module`` and is used for evaluation and export.
    """

    def __init__(self, model: nn.Module, decay: float):
        self.decay = decay
        self.module = copy.deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        for ema_p, p in zip(self.module.parameters(), model.parameters()):
            ema_p.lerp_(p.detach(), 1.0 - self.decay)
        self.copy_buffers(model)

    @torch.no_grad()
    def copy_buffers(self, model: nn.Module) -> None:
        for ema_b, b in zip(self.module.buffers(), model.buffers()):
            ema_b.copy_(b)

    def state_dict(self) -> dict[str, torch.Tensor]:
        return self.module.state_dict()

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.module.load_state_dict(state)
