"""Hub test fixtures: an isolated cache and environment per test, and local servers on 127.0.0.1."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import torch
import torch.nn as nn

from modelzoo.hub import specs

from .servers import FileServer, HubServer

PYCLS_MODELS = json.loads((Path(__file__).parent / "pycls_models.json").read_text())


@pytest.fixture(autouse=True, scope="package")
def one_thread():
    """Tiny tensors only: one intra-op thread is faster, and much faster on a shared, busy machine
    (idle OpenMP workers spin while others wait for the CPU)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Fresh caches; no network beyond the local servers (the default endpoint refuses connections)."""
    monkeypatch.setenv("MODELZOO_HOME", str(tmp_path / "modelzoo-home"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    for var in ("HF_HUB_CACHE", "MODELZOO_OFFLINE", "HF_HUB_OFFLINE", "HF_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def file_server():
    server = FileServer()
    yield server
    server.stop()


@pytest.fixture
def hub_server(monkeypatch):
    server = HubServer()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


def use_spec(monkeypatch, spec: specs.WeightSpec) -> specs.WeightSpec:
    """Register ``spec`` as the first (default) weight set of its model for this test."""
    table = {spec.tag: spec, **{t: s for t, s in specs.WEIGHTS.items() if t != spec.tag}}
    monkeypatch.setattr(specs, "WEIGHTS", table)
    return spec


def local_sources(spec: specs.WeightSpec, file_server: FileServer) -> specs.WeightSpec:
    """``spec`` with its URL sources moved to the local file server (same paths); Hub sources follow HF_ENDPOINT."""
    moved = tuple(dataclasses.replace(s, url=file_server.url + urlsplit(s.url).path) if s.url else s for s in spec.sources)
    return dataclasses.replace(spec, sources=moved)


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
