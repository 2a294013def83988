"""The training loop on an in-memory loader: outputs, options, signals + resume, NaN, fine-tuning."""
from __future__ import annotations

import json
import os
import signal

import pytest
import torch
from trainer_fakes import FakeLoader, fake_loaders

import modelzoo
from modelzoo.models.base import describe_weights
from modelzoo.training import checkpoint
from modelzoo.training.config import Config, ConfigError
from modelzoo.training.trainer import NonFiniteLossError, Trainer, TrainingInterrupted, evaluate


def tiny_cfg(**overrides) -> Config:
    cfg = Config.from_dict({
        "model": {"name": "regnetx_200mf"},
        "data": {"root": "unused", "backend": "custom", "train_size": 32},
        "optim": {"base_lr": 0.01, "max_epoch": 2, "warmup_epochs": 0.5},
        "train": {"batch_size": 8, "device": "cpu", "cpu_threads": 1},
        "test": {"batch_size": 8},
        "log": {"progress": "lines", "log_period": 3, "plot": False},
    })  # fmt: skip
    return cfg.replace(**overrides)


def train(cfg: Config, run_dir, **loader_kw) -> Trainer:
    trainer = Trainer(cfg, run_dir, loaders=fake_loaders(size=cfg.data.train_size, **loader_kw))
    try:
        trainer.fit()
    finally:
        trainer.close()
    return trainer


def same_state(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_outputs_of_a_run(tmp_path):
    t = train(tiny_cfg(), tmp_path)
    assert t.cfg.model.num_classes == 4  # from the dataset
    assert (t.cfg.data.test_size, t.cfg.data.crop_size) == (36, 32)  # protocol sizes for train 32
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["checkpoints", "config.yaml", "metrics.jsonl", "train.log"]
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["best.pt", "epoch_0001.pt", "epoch_0002.pt"]
    records = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [r["kind"] for r in records if r["kind"] != "step"] == ["train", "val", "train", "val"]
    assert [r["step"] for r in records if r["kind"] == "step"] == [3, 6]
    val = [r for r in records if r["kind"] == "val"][-1]
    assert 0 <= val["top1_err"] <= 100 and val["top5_err"] == 0.0  # 4 classes: top-5 always right
    state = checkpoint.load(tmp_path / "checkpoints" / "epoch_0002.pt")
    assert Config.from_dict(state["config"]) == t.cfg and (state["epoch"], state["iteration"]) == (2, 0)
    assert {"model", "optimizer", "ema", "scaler", "best"} <= state.keys()
    # the same command again: nothing left to do, same weights
    again = train(tiny_cfg(), tmp_path)
    assert again.epoch == 2 and same_state(again.model.state_dict(), t.model.state_dict())


OPTIONS = {"optim.ema_decay": 0.9, "optim.label_smoothing": 0.1, "optim.clip_grad_norm": 1.0,
           "optim.no_wd_bn_bias": True, "optim.nesterov": True, "model.kwargs": {"drop_rate": 0.2}}  # fmt: skip


@pytest.mark.parametrize("stop_at", [(1, 1), (0, 3)])  # mid-epoch 2; last step of epoch 1 (stops at its end)
def test_sigterm_then_resume_is_bit_identical(tmp_path, stop_at):
    cfg = tiny_cfg(**OPTIONS)
    reference = train(cfg, tmp_path / "a")

    class SignalAt(FakeLoader):
        def __iter__(self):
            for b, batch in enumerate(super().__iter__()):
                if (self.epoch, b) == stop_at:
                    os.kill(os.getpid(), signal.SIGTERM)
                yield batch

    loaders = (SignalAt(train=True, size=32), FakeLoader(train=False, size=32, n=16))
    first = Trainer(cfg, tmp_path / "b", loaders=loaders)
    with pytest.raises(TrainingInterrupted) as err:
        first.fit()
    first.close()
    assert err.value.signum == signal.SIGTERM and err.value.path.exists()
    epoch, it = stop_at[0] + (stop_at[1] + 1) // 4, (stop_at[1] + 1) % 4
    assert err.value.path.name == checkpoint.checkpoint_name(epoch, it)
    resumed = train(cfg, tmp_path / "b")
    assert same_state(resumed.model.state_dict(), reference.model.state_dict())
    assert same_state(resumed.ema.state_dict(), reference.ema.state_dict())
    momenta = [st["state"] for st in (resumed.optimizer.state_dict(), reference.optimizer.state_dict())]
    assert momenta[0].keys() == momenta[1].keys()
    assert all(torch.equal(momenta[0][k]["momentum_buffer"], momenta[1][k]["momentum_buffer"]) for k in momenta[0])
    steps = [json.loads(x)["step"] for x in (tmp_path / "b" / "metrics.jsonl").read_text().splitlines()]
    assert steps == sorted(steps)  # no duplicated records after the resume


def test_nan_loss_stops_and_keeps_the_last_good_checkpoint(tmp_path):
    cfg = tiny_cfg(**{"optim.max_epoch": 3})
    t = Trainer(cfg, tmp_path, loaders=fake_loaders(size=32))
    calls = {"n": 0}

    def poison(module, inputs, output):
        calls["n"] += 1
        return output * float("nan") if calls["n"] == 4 + 2 + 2 else output  # step 2 of epoch 2 (after 2 val batches)

    t.model.register_forward_hook(poison)
    with pytest.raises(NonFiniteLossError, match=r"loss is nan at epoch 2, iteration 2 .*last good checkpoint stays in"):
        t.fit()
    t.close()
    assert [p.name for p in checkpoint.list_checkpoints(tmp_path / "checkpoints")] == ["epoch_0001.pt"]
    state = checkpoint.load(tmp_path / "checkpoints" / "epoch_0001.pt")
    assert all(torch.isfinite(v).all() for v in state["model"].values() if v.is_floating_point())


def test_a_different_config_does_not_resume(tmp_path):
    train(tiny_cfg(**{"optim.max_epoch": 1}), tmp_path)
    with pytest.raises(ConfigError, match=r"different config \(optim\.base_lr differ\)"):
        Trainer(tiny_cfg(**{"optim.max_epoch": 1, "optim.base_lr": 0.3}), tmp_path, loaders=fake_loaders(size=32))


def test_evaluate_counts_exactly():
    class Fixed(torch.nn.Module):  # always predicts class order 0 > 1 > 2 > 3
        def forward(self, x):
            return torch.tensor([4.0, 3.0, 2.0, 1.0]).expand(x.shape[0], 4)

    loader = FakeLoader(train=False, n=40, size=16)  # labels 0..3 repeating
    res = evaluate(Fixed(), loader, modelzoo.DataConfig(), device=torch.device("cpu"))
    assert res.images == 40 and res.top1_err == pytest.approx(75.0) and res.top5_err == 0.0
    assert res.loss == pytest.approx(torch.nn.functional.cross_entropy(Fixed()(torch.zeros(40, 3, 1, 1)),
                                                                       loader.labels).item(), rel=1e-6)  # fmt: skip


def test_fine_tuning_from_saved_weights(tmp_path):
    dc = modelzoo.DataConfig(train_size=40, test_size=46, crop_size=40, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25))
    base = modelzoo.create("regnetx_200mf", num_classes=7)
    describe_weights(base, dc)  # weights trained for this data config
    src = modelzoo.save_pretrained(base, tmp_path / "base")
    cfg = tiny_cfg(**{"model.pretrained": str(src), "data.train_size": None, "optim.max_epoch": 1})
    t = Trainer(cfg, tmp_path / "run", loaders=fake_loaders(size=40))
    assert t.model.num_classes == 4 and t.cfg.model.num_classes == 4  # head replaced for the dataset's classes
    assert t.data_config == dc and t.cfg.data.mean == (0.5, 0.5, 0.5)  # data config from the weights
    body = {k: v for k, v in base.state_dict().items() if not k.startswith("head.fc")}
    assert all(torch.equal(v, t.model.state_dict()[k]) for k, v in body.items())  # backbone loaded
    t.close()
