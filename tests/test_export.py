"""modelzoo.export: every format, a dynamic batch axis, the check against the eager model, atomic writes."""
from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
import torch

import modelzoo
from modelzoo import exporters
from modelzoo.exporters import ExportMismatchError

SIZE = 32


@pytest.fixture(scope="module")
def model() -> torch.nn.Module:
    torch.manual_seed(0)
    return modelzoo.create("resnet18", num_classes=7).eval()


def eager(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(x)


def batches() -> list[torch.Tensor]:
    """Batch sizes other than the ones used for tracing (2) and checking (3)."""
    gen = torch.Generator().manual_seed(1)
    return [torch.randn(n, 3, SIZE, SIZE, generator=gen) for n in (1, 5)]


def load_runner(path, format: str):
    """The exported file, loaded the way its users load it, as a function of a batch."""
    if format == "torchscript":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # torch.jit is deprecated, still what people load
            module = torch.jit.load(str(path))
        return lambda x: module(x)
    if format == "exported_program":
        module = torch.export.load(str(path)).module()
        return lambda x: module(x)
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return lambda x: torch.from_numpy(session.run(None, {"images": x.numpy()})[0])


@pytest.mark.parametrize("format", ["torchscript", "exported_program", "onnx"])
def test_each_format_matches_the_eager_model_at_any_batch_size(model, tmp_path, format):
    if format == "onnx":
        pytest.importorskip("onnx")
    out = tmp_path / "sub" / f"model.{format}"  # a missing folder is created
    result = modelzoo.export(model, out, format=format, image_size=SIZE)
    assert result.path == out and out.is_file() and result.format == format
    assert result.input_shape == (-1, 3, SIZE, SIZE)
    assert list(out.parent.iterdir()) == [out]  # no temporary file left
    run = load_runner(out, format)
    for x in batches():
        got = run(x)
        assert got.shape == (x.shape[0], 7)
        np.testing.assert_allclose(got.detach().numpy(), eager(model, x).numpy(), rtol=1e-4, atol=1e-5)
    if format != "onnx" or exporters._has("onnxruntime"):
        assert result.max_abs_diff is not None and 0 <= result.max_abs_diff < 1e-3


def test_default_size_is_the_weights_eval_crop(tmp_path):
    model = modelzoo.create("resnet18", num_classes=3, in_chans=1).eval()
    model.data_config = modelzoo.DataConfig.for_train_size(48)  # what a loaded model's weights would say
    result = modelzoo.export(model, tmp_path / "m.pt", format="torchscript")
    assert result.input_shape == (-1, 1, 48, 48)


def test_a_mismatch_writes_nothing_and_keeps_an_old_file(model, tmp_path, monkeypatch):
    def wrong(m, example, path):
        path.write_bytes(b"half-written")
        return (lambda x: m(x) + 1.0), "a wrong exporter"

    monkeypatch.setitem(exporters._EXPORTERS, "torchscript", wrong)
    out = tmp_path / "model.pt"
    with pytest.raises(ExportMismatchError, match=r"does not match the eager model.*nothing written"):
        modelzoo.export(model, out, format="torchscript", image_size=SIZE)
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"the previous export")
    with pytest.raises(ExportMismatchError):
        modelzoo.export(model, out, format="torchscript", image_size=SIZE)
    assert list(tmp_path.iterdir()) == [out] and out.read_bytes() == b"the previous export"


def test_a_failing_exporter_leaves_no_file(model, tmp_path, monkeypatch):
    def broken(m, example, path):
        path.write_bytes(b"half-written")
        raise RuntimeError("the tracer gave up")

    monkeypatch.setitem(exporters._EXPORTERS, "exported_program", broken)
    with pytest.raises(RuntimeError, match="the tracer gave up"):
        modelzoo.export(model, tmp_path / "m.pt2", format="exported_program", image_size=SIZE)
    assert list(tmp_path.iterdir()) == []


def test_a_batch_axis_that_is_not_dynamic_fails_the_check(model, tmp_path, monkeypatch):
    def fixed_batch(m, example, path):
        path.write_bytes(b"traced for one batch size")
        return (lambda x: m(example)), "an exporter that ignores its input"

    monkeypatch.setitem(exporters._EXPORTERS, "torchscript", fixed_batch)
    with pytest.raises(ExportMismatchError):
        modelzoo.export(model, tmp_path / "m.pt", format="torchscript", image_size=SIZE)
    assert list(tmp_path.iterdir()) == []


def test_bad_format_and_directory(model, tmp_path):
    with pytest.raises(ValueError, match=r"unknown export format 'tflite'; choose one of onnx, torchscript"):
        modelzoo.export(model, tmp_path / "m.tflite", format="tflite")
    with pytest.raises(IsADirectoryError, match="is a directory"):
        modelzoo.export(model, tmp_path, format="torchscript")
    assert list(tmp_path.iterdir()) == []


def test_onnx_without_onnx_says_what_to_install(model, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx → ImportError
    with pytest.raises(ImportError, match="pip install onnx"):
        modelzoo.export(model, tmp_path / "m.onnx", format="onnx", image_size=SIZE)
    assert list(tmp_path.iterdir()) == []


def test_onnx_without_onnxruntime_is_written_but_not_run(model, tmp_path, monkeypatch):
    pytest.importorskip("onnx")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    result = modelzoo.export(model, tmp_path / "m.onnx", format="onnx", image_size=SIZE)
    assert result.max_abs_diff is None and result.path.is_file() and "opset" in result.exporter
