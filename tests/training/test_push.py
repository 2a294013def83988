"""--push-to-hub against a local Hugging Face Hub-compatible server (no internet)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

import modelzoo
from modelzoo.training.run import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hub.servers import HubServer  # noqa: E402


def test_push_to_hub_uploads_the_export(tmp_path, monkeypatch, capsys):
    server = HubServer()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_TOKEN", "test-token")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    run_dir = tmp_path / "run"
    try:
        code = main(["--out", str(run_dir), "--push-to-hub", "me/demo", "data.backend=custom", "data.train_size=32",
                     "train.batch_size=32", "train.limit_batches=3", "optim.max_epoch=1", "optim.warmup_epochs=0",
                     "train.device=cpu", "train.cpu_threads=1", "data.num_workers=0", "log.plot=false"])  # fmt: skip
        assert code == 0, capsys.readouterr().out[-2000:]
        summary = json.loads((run_dir / "summary.json").read_text())
        assert "me/demo" in summary["hub"]
        pulled = modelzoo.create("hf-hub:me/demo")
    finally:
        server.stop()
    exported = load_file(run_dir / "export" / "model.safetensors")
    assert all(torch.equal(v, pulled.state_dict()[k]) for k, v in exported.items())
    assert pulled.num_classes == 10
