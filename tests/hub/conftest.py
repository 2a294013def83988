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

from model_helpers import randomize  # noqa: F401  (re-exported for the hub tests)

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
    table = specs.build_table([spec, *(s for t, s in specs.weight_table().items() if t != spec.tag)])
    monkeypatch.setattr(specs, "_table", table)
    return table[spec.tag]


def local_sources(spec: specs.WeightSpec, file_server: FileServer) -> specs.WeightSpec:
    """``spec`` with its URL sources moved to the local file server (same paths); Hub sources follow HF_ENDPOINT."""
    moved = tuple(dataclasses.replace(s, url=file_server.url + urlsplit(s.url).path) if s.url else s for s in spec.sources)
    return dataclasses.replace(spec, sources=moved)
