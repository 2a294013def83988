"""The lr schedule (warm-up + half-period cosine as a pure function of the position), SGD groups, EMA."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn as nn

from modelzoo.training.config import OptimCfg
from modelzoo.training.optim import WeightEma, build_optimizer, lr_at, param_groups

CFG = OptimCfg(base_lr=0.8, max_epoch=100, warmup_epochs=5, warmup_factor=0.1)


@pytest.mark.parametrize("epoch, iteration, expected", [
    (0, 0, 0.08),  # warm-up starts at warmup_factor · lr
    # t = 2.5 epochs: cosine 0.5(1 + cos(pi · 2.5/100)) = 0.998458, warm-up factor 0.1 + 0.9 · 0.5 = 0.55
    (2, 50, 0.8 * 0.9984586 * 0.55),
    (5, 0, 0.8 * 0.5 * (1 + math.cos(math.pi * 5 / 100))),  # warm-up done
    (50, 0, 0.4),  # half way: half the lr
    (75, 0, 0.8 * 0.5 * (1 - math.sqrt(0.5))),
    (99, 99, 0.8 * 0.5 * (1 + math.cos(math.pi * 99.99 / 100))),  # last step: almost 0
])  # fmt: skip
def test_lr_values_at_chosen_steps(epoch, iteration, expected):
    assert lr_at(CFG, epoch, iteration, iters_per_epoch=100) == pytest.approx(expected, rel=1e-6)


def test_lr_is_continuous_and_decreasing_after_warmup():
    lrs = [lr_at(CFG, e, i, 10) for e in range(100) for i in range(10)]
    assert all(a < b for a, b in zip(lrs[:50], lrs[1:51]))  # rising during the 5 warm-up epochs
    assert all(a >= b for a, b in zip(lrs[50:], lrs[51:]))  # falling afterwards
    assert max(abs(a - b) for a, b in zip(lrs, lrs[1:])) < 0.02
    assert lr_at(CFG, 100, 0) == 0.0


def test_no_warmup_and_min_lr():
    cfg = OptimCfg(base_lr=0.2, max_epoch=10, warmup_epochs=0, min_lr_factor=0.1)
    assert lr_at(cfg, 0) == pytest.approx(0.2)
    assert lr_at(cfg, 10) == pytest.approx(0.02)
    assert lr_at(cfg, 5) == pytest.approx(0.02 + 0.18 * 0.5)


def _net() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4 * 4 * 4, 2))


def test_param_groups_no_wd_for_bn_and_bias():
    net = _net()
    assert len(param_groups(net, OptimCfg())) == 1
    decay, no_decay = param_groups(net, OptimCfg(no_wd_bn_bias=True, weight_decay=1e-4))
    assert decay["weight_decay"] == 1e-4 and no_decay["weight_decay"] == 0.0
    assert {id(p) for p in decay["params"]} == {id(net[0].weight), id(net[3].weight)}
    assert len(no_decay["params"]) == 4  # conv bias, BN weight and bias, linear bias


def test_sgd_settings():
    opt = build_optimizer(_net(), OptimCfg(momentum=0.9, nesterov=True))
    assert isinstance(opt, torch.optim.SGD) and opt.defaults["momentum"] == 0.9 and opt.defaults["nesterov"]


def test_ema_follows_the_formula():
    torch.manual_seed(0)
    net = _net()
    ema = WeightEma(net, decay=0.9)
    before = [p.detach().clone() for p in ema.module.parameters()]
    with torch.no_grad():
        for p in net.parameters():
            p.add_(1.0)
        net[1].running_mean.fill_(3.0)
    ema.update(net)
    for b, e, p in zip(before, ema.module.parameters(), net.parameters()):
        assert torch.allclose(e, 0.9 * b + 0.1 * p)
    assert torch.equal(ema.module[1].running_mean, net[1].running_mean)  # buffers are copied
    assert not any(p.requires_grad for p in ema.module.parameters())
