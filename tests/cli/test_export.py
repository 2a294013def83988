"""modelzoo export."""
from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
import torch

import modelzoo
from modelzoo import exporters

from .conftest import run_cli

X = torch.randn(4, 3, 64, 64, generator=torch.Generator().manual_seed(1))


def eager(ws) -> torch.Tensor:
    with torch.no_grad():
        return modelzoo.create(str(ws.tiny10)).eval()(X)


def test_export_onnx_as_subprocess(ws):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    out = ws.root / "exports" / "tiny.onnx"
    r = run_cli(ws, "export", "resnet18", "--weights", ws.tiny10, "--format", "onnx", "--out", out)
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith(f"wrote {out} (") and "opset" in lines[0]
    assert lines[1] == "input: float32 [batch, 3, 64, 64]; output: float32 [batch, 10] logits (ONNX names: images, logits)"
    assert lines[2].startswith("preprocessing: RGB, resize the shorter side to 74 (bilinear), centre crop 64")
    assert lines[3].startswith("verified: onnxruntime output matches the eager model on a random batch of 3")
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = session.run(None, {"images": X.numpy()})[0]  # a batch size not used when exporting
    np.testing.assert_allclose(got, eager(ws).numpy(), rtol=1e-4, atol=1e-5)
    assert [p.name for p in out.parent.iterdir()] == ["tiny.onnx"]  # no temporary files left


def test_export_torchscript(cli, ws, tmp_path):
    out = tmp_path / "tiny.pt"
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "torchscript", "--out", out)
    assert r.rc == 0, r.err
    assert "verified: torch.jit.load output matches the eager model" in r.out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # torch.jit is deprecated, still what people load
        loaded = torch.jit.load(str(out))
    torch.testing.assert_close(loaded(X), eager(ws), rtol=1e-5, atol=1e-6)


def test_export_failures_write_nothing(cli, ws, tmp_path, monkeypatch):
    out = tmp_path / "bad.pt"

    def wrong(model, example, path):
        path.write_bytes(b"half-written")
        return (lambda x: model(x) + 1.0), "a wrong exporter"

    monkeypatch.setitem(exporters._EXPORTERS, "torchscript", wrong)
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "torchscript", "--out", out)
    assert r.rc == 1 and r.err.count("\n") == 1 and "does not match the eager model" in r.err
    assert list(tmp_path.iterdir()) == []

    def broken(model, example, path):
        raise RuntimeError("the tracer gave up\nlong details")

    monkeypatch.setitem(exporters._EXPORTERS, "torchscript", broken)
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "torchscript", "--out", out)
    assert r.rc == 1 and r.err == "modelzoo export: error: torchscript export failed: RuntimeError: the tracer gave up\n"
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx → ImportError
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "onnx", "--out", tmp_path / "m.onnx")
    assert r.rc == 2 and "needs the onnx package: pip install onnx" in r.err and list(tmp_path.iterdir()) == []

    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "tflite", "--out", out)
    assert r.rc == 2 and r.err.count("\n") == 1 and "invalid choice: 'tflite'" in r.err
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "onnx")
    assert r.rc == 2 and "--out" in r.err


def test_export_onnx_fallback_exporter_and_no_onnxruntime(cli, ws, tmp_path, monkeypatch):
    pytest.importorskip("onnx")
    has = exporters._has  # without onnxscript: the TorchScript-based exporter
    monkeypatch.setattr(exporters, "_has", lambda module: module != "onnxscript" and has(module))
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    out = tmp_path / "m.onnx"
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "onnx", "--out", out, "--size", 32)
    assert r.rc == 0 and out.is_file()
    assert "TorchScript-based exporter" in r.out and "[batch, 3, 32, 32]" in r.out and "verified" not in r.out
    assert "onnxruntime is not installed" in r.err and r.err.count("\n") == 1


def test_export_exported_program(cli, ws, tmp_path):
    out = tmp_path / "tiny.pt2"
    r = cli("export", "resnet18", "--weights", ws.tiny10, "--format", "exported_program", "--out", out)
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith(f"wrote {out} (") and "torch.export" in lines[0]
    assert lines[1] == "input: float32 [batch, 3, 64, 64]; output: float32 [batch, 10] logits"
    assert lines[3].startswith("verified: torch.export.load output matches the eager model on a random batch of 3")
    loaded = torch.export.load(str(out)).module()
    torch.testing.assert_close(loaded(X), eager(ws), rtol=1e-5, atol=1e-6)
