"""Every registered model runs forward/backward on CPU at a small resolution."""
import pytest
import torch

import modelzoo


@pytest.mark.parametrize("name", modelzoo.list_models())
def test_forward_backward(name):
    torch.manual_seed(0)
    model = modelzoo.create(name, num_classes=7)
    x = torch.randn(2, 3, 64, 64)
    model.train()
    out = model(x)
    assert out.shape == (2, 7) and torch.isfinite(out).all()
    out.logsumexp(1).sum().backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not torch.isfinite(p.grad).all()]
    assert not missing, f"parameters without finite gradients: {missing[:5]}"
    model.eval()
    with torch.no_grad():
        out = model(x)
    assert out.shape == (2, 7) and torch.isfinite(out).all()


@pytest.mark.parametrize("name", modelzoo.list_models())
def test_single_channel_input(name):
    model = modelzoo.create(name, num_classes=3, in_chans=1).eval()
    with torch.no_grad():
        assert model(torch.randn(1, 1, 48, 48)).shape == (1, 3)
