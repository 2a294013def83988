"""Reporting: metrics records (torn lines, truncation on resume), the curves plot, progress lines."""
from __future__ import annotations

from modelzoo.training.config import LogCfg
from modelzoo.training.log import RunLog, plot_curves, read_metrics


def test_metrics_truncation_and_torn_lines(tmp_path):
    log = RunLog(LogCfg(progress="lines"), tmp_path)
    for step in (10, 20, 30):
        log.metrics({"kind": "step", "step": step, "epoch": step / 10, "loss": 1.0 / step, "lr": 0.1})
    with open(log.metrics_path, "a") as f:
        f.write('{"kind": "step", "st')  # killed mid-write
    log.truncate_metrics(20)
    assert [r["step"] for r in read_metrics(log.metrics_path)] == [10, 20]
    log.close()


def test_curves_png(tmp_path):
    records = [{"kind": "step", "step": s, "epoch": s / 4, "loss": 2.0 / (s + 1), "lr": 0.1} for s in range(8)]
    records += [{"kind": k, "step": 4 * e, "epoch": e, "loss": 1.0, "top1_err": 50.0 / e, "top5_err": 10.0}
                for e in (1, 2) for k in ("train", "val")]  # fmt: skip
    png = plot_curves(records, tmp_path / "curves.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_lines_and_rank_nonzero_silence(tmp_path, capsys):
    log = RunLog(LogCfg(progress="lines", log_period=2), tmp_path)
    bar = log.progress(4, "epoch 1/1")
    for _ in range(4):
        bar.update(loss=0.5, lr=0.1)
    bar.close()
    out = capsys.readouterr().out
    assert "epoch 1/1 [2/4] loss 0.5 lr 0.1" in out and "[4/4]" in out and "eta" in out
    assert "[2/4]" in (tmp_path / "train.log").read_text()
    log.close()
    silent = RunLog(LogCfg(), tmp_path / "rank1", enabled=False)
    silent.info("x")
    silent.metrics({"kind": "step", "step": 1})
    assert not (tmp_path / "rank1").exists() and capsys.readouterr().out == ""


def test_missing_tensorboard_is_a_warning(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_tensorboard(name, *a, **k):
        if name == "torch.utils.tensorboard":
            raise ImportError("no tensorboard")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_tensorboard)
    log = RunLog(LogCfg(progress="lines", tensorboard=True), tmp_path)
    assert "tensorboard package is not installed" in capsys.readouterr().out
    log.close()
