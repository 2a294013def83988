"""``modelzoo.export``: a model to ONNX, TorchScript or a ``torch.export`` program, checked against
the eager model before the file is kept."""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
import torch.nn as nn

from .models.base import data_config_of

FORMATS = ("onnx", "torchscript", "exported_program")
CHECK_BATCH_SIZE = 3  # the check batch; tracing uses 2, so a batch axis that is not dynamic fails the check
Runner = Callable[[torch.Tensor], torch.Tensor]


class ExportMismatchError(RuntimeError):
    """The exported file does not compute what the eager model computes (nothing was written)."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote: the file, the format and exporter, the input it takes (the batch
    axis is dynamic) and the largest logit difference from the eager model on a check batch of
    another batch size (None when the file could not be run here: ONNX without onnxruntime)."""

    path: Path
    format: str
    exporter: str
    input_shape: tuple[int, int, int, int]
    max_abs_diff: float | None


def export(model: nn.Module, path: str | os.PathLike, *, format: str = "onnx", image_size: int | None = None,
           tolerance: float = 1e-3) -> ExportResult:  # fmt: skip
    """Export ``model`` (put in eval mode, on the CPU) to ``path`` in ``format`` (``onnx``,
    ``torchscript`` or ``exported_program``) for ``image_size`` px inputs (default: the weights'
    eval crop) with a dynamic batch axis, then run the exported file on a random batch of another
    size and compare with the eager model: the file is only written (atomically) if the largest
    difference is within ``1e-4 + tolerance · max |logit|``. ONNX needs ``pip install
    modelzoo[export]`` (onnx, onnxscript; onnxruntime to run the check)."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    out = Path(path).expanduser()
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a directory; give a file name")
    model = model.cpu().eval()
    size = image_size or data_config_of(model).crop_size
    in_chans = int(getattr(model, "in_chans", 3))
    gen = torch.Generator().manual_seed(0)
    example = torch.randn(2, in_chans, size, size, generator=gen)
    check = torch.randn(CHECK_BATCH_SIZE, in_chans, size, size, generator=gen)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")  # the suffix: torch.export.save wants .pt2
    try:
        run, exporter = _EXPORTERS[format](model, example, tmp)
        diff = None
        if run is not None:
            with torch.inference_mode():
                expected, got = model(check), run(check)
            diff = (got - expected).abs().max().item() if got.shape == expected.shape else float("inf")
            limit = 1e-4 + tolerance * expected.abs().max().item()
            if not diff <= limit:
                raise ExportMismatchError(f"the exported model does not match the eager model: max |difference| "
                                          f"{diff:.3g} > {limit:.3g} on a random batch of {check.shape[0]}; nothing "
                                          f"written to {out}")  # fmt: skip
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(out, format, exporter, (-1, in_chans, size, size), diff)


def _torchscript(model: nn.Module, example: torch.Tensor, path: Path) -> tuple[Runner, str]:
    with warnings.catch_warnings():  # torch.jit is deprecated in favour of torch.export, but still what people load
        warnings.simplefilter("ignore", FutureWarning)
        traced = torch.jit.trace(model, example, check_trace=False)
        torch.jit.save(traced, str(path))
        loaded = torch.jit.load(str(path), map_location="cpu")
    return (lambda x: loaded(x)), "TorchScript (traced)"


def _exported_program(model: nn.Module, example: torch.Tensor, path: Path) -> tuple[Runner, str]:
    batch = torch.export.Dim("batch", min=1)
    program = torch.export.export(model, (example,), dynamic_shapes=({0: batch},))
    torch.export.save(program, str(path))
    loaded = torch.export.load(str(path)).module()
    return (lambda x: loaded(x)), "torch.export (ExportedProgram, load with torch.export.load)"


def _onnx(model: nn.Module, example: torch.Tensor, path: Path) -> tuple[Runner | None, str]:
    """ONNX through the torch.export-based exporter when onnxscript is installed, else the
    TorchScript-based one; the runner is onnxruntime's (None without it)."""
    try:
        import onnx
    except ImportError:
        raise ImportError("ONNX export needs the onnx package: pip install onnx onnxscript onnxruntime "
                          "(or pip install modelzoo[export])") from None  # fmt: skip
    names = dict(input_names=["images"], output_names=["logits"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        if _has("onnxscript"):
            batch = torch.export.Dim("batch", min=1)
            torch.onnx.export(model, (example,), str(path), dynamic_shapes=({0: batch},), external_data=False,
                              verbose=False, **names)  # fmt: skip
            exporter = "torch.export-based exporter"
        else:
            torch.onnx.export(model, (example,), str(path), dynamo=False, opset_version=17,
                              dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}}, **names)  # fmt: skip
            exporter = "TorchScript-based exporter (pip install onnxscript for the torch.export-based one)"
    onnx.checker.check_model(str(path))
    exporter += f", opset {onnx.load(str(path), load_external_data=False).opset_import[0].version}"
    if not _has("onnxruntime"):
        return None, exporter
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return (lambda x: torch.from_numpy(session.run(None, {"images": x.numpy()})[0])), exporter


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


_EXPORTERS = {"onnx": _onnx, "torchscript": _torchscript, "exported_program": _exported_program}
