"""Fine-tuning controls: frozen stages and BatchNorm, stochastic depth, gradient checkpointing, and
torchvision's detectors on a zoo backbone."""
from __future__ import annotations

import pytest
import torch
from torchvision.ops import FrozenBatchNorm2d

import modelzoo
from model_helpers import randomize

X = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))
FAMILIES = ["resnet18", "regnetx_200mf", "efficientnet_b0"]


def test_freeze_stages_and_batchnorm():
    model = randomize(modelzoo.create("regnetx_200mf", num_classes=4))
    with torch.no_grad():
        expected = model.eval()(X)
    modelzoo.freeze(model, stages=2)
    frozen = [model.stem, model.s1, model.s2]
    assert all(not p.requires_grad for part in frozen for p in part.parameters())
    assert all(p.requires_grad for p in model.s3.parameters())
    assert any(isinstance(m, FrozenBatchNorm2d) for m in model.s2.modules())
    assert not any(isinstance(m, FrozenBatchNorm2d) for m in model.s3.modules())
    modelzoo.freeze_bn(model)  # everything: the network is then a fixed function in train mode too
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    with torch.no_grad():
        assert (model.train()(X) - expected).abs().max() <= 1e-5
        assert (model.eval()(X) - expected).abs().max() <= 1e-5
    keys = set(modelzoo.create("regnetx_200mf", num_classes=4).state_dict())
    assert set(model.state_dict()) == {k for k in keys if not k.endswith("num_batches_tracked")}
    with pytest.raises(ValueError, match=r"stages s1\.\.s4"):
        modelzoo.freeze(model, stages=5)


def test_drop_path_grows_linearly_and_is_identity_in_eval(tmp_path):
    model = modelzoo.create("resnet18", num_classes=3, drop_path_rate=0.3)
    rates = [b.drop_path.rate if b.drop_path is not None else 0.0 for s in model.stage_names for b in getattr(model, s)]
    assert rates == pytest.approx([0.3 * i / 7 for i in range(8)])
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(X), model(X))
        model.train()
        assert not torch.equal(model(X), model(X))
    again = modelzoo.create(modelzoo.save_pretrained(model, tmp_path / "m"))
    assert again.model_args["drop_path_rate"] == 0.3
    with pytest.raises(ValueError, match="drop_path_rate"):
        modelzoo.create("resnet18", drop_path_rate=1.0)


@pytest.mark.parametrize("name", FAMILIES)
def test_gradient_checkpointing_gives_the_same_loss_gradients_and_statistics(name):
    def step(checkpointing: bool):
        torch.manual_seed(0)
        model = randomize(modelzoo.create(name, num_classes=5)).train()
        model.set_grad_checkpointing(checkpointing)
        loss = torch.nn.functional.cross_entropy(model(X), torch.tensor([1, 3]))
        loss.backward()
        grads = {n: p.grad.clone() for n, p in model.named_parameters()}
        return loss.item(), grads, {k: v.clone() for k, v in model.state_dict().items()}

    (loss_a, grads_a, state_a), (loss_b, grads_b, state_b) = step(False), step(True)
    assert loss_a == pytest.approx(loss_b, rel=1e-6)
    for k in grads_a:
        assert (grads_a[k] - grads_b[k]).norm() <= 1e-5 * grads_a[k].norm() + 1e-8, k
    assert all(torch.allclose(state_a[k].float(), state_b[k].float(), atol=1e-6) for k in state_a)  # BN stats once


@pytest.mark.parametrize("name", FAMILIES)
def test_faster_rcnn_trains_and_evaluates_on_a_zoo_backbone(name):
    from torchvision.models.detection import FasterRCNN

    torch.manual_seed(0)
    backbone = modelzoo.backbone_with_fpn(name, freeze_stages=1)
    detector = FasterRCNN(backbone, num_classes=3, min_size=96, max_size=96).train()
    images = [torch.rand(3, 96, 96), torch.rand(3, 96, 80)]
    targets = [{"boxes": torch.tensor([[8.0, 10.0, 60.0, 70.0]]), "labels": torch.tensor([1])},
               {"boxes": torch.tensor([[20.0, 5.0, 50.0, 40.0], [0.0, 0.0, 30.0, 30.0]]), "labels": torch.tensor([2, 1])}]  # fmt: skip
    losses = detector(images, targets)
    loss = sum(losses.values())
    assert torch.isfinite(loss)
    loss.backward()
    body = backbone.body
    assert all(p.grad is None for part in (body.stem, body.s1) for p in part.parameters())
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in body.s2.parameters())
    detector.eval()
    with torch.no_grad():
        (out, _) = detector(images)
    assert set(out) == {"boxes", "labels", "scores"}
