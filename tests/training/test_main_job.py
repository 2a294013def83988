"""The main job end to end on the embedded dataset with the real loaders (subprocesses).

- every CPU backend: a short run of ``python -m modelzoo.training.run`` trains, exports, reloads
  the export and re-evaluates it to the same error, and writes its outputs;
- every CPU backend (``custom``, ``torch``, ``dali_cpu``): a run killed with SIGKILL and rerun
  reaches bit-identical weights;
- the main job itself (the full demo recipe on the default backend) reaches >= 90 % val accuracy;
  the other backends run the same recipe with ``--run-slow``. What the short runs above and the
  loader tests (``tests/training/data``: identical val batches, augmentation statistics) prove
  for every backend is what that longer run would add.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from modelzoo.training import checkpoint
from modelzoo.training.data import make_demo_dataset
from modelzoo.training.trainer import default_backend

SHORT = ["data.train_size=32", "train.batch_size=32", "train.limit_batches=6", "optim.max_epoch=3", "test.eval_period=2",
         "optim.warmup_epochs=1", "optim.base_lr=0.02", "model.kwargs={zero_init_last_bn: true}", "train.device=cpu", "train.cpu_threads=1", "data.num_workers=1", "log.log_period=2"]  # fmt: skip


BACKENDS = ["custom", "torch",
            pytest.param("dali_cpu", marks=pytest.mark.skipif(default_backend() != "dali_cpu", reason="no DALI"))]


def command(run_dir: Path, *overrides: str) -> list[str]:
    return [sys.executable, "-m", "modelzoo.training.run", "--out", str(run_dir), *overrides]


def main_job(run_dir: Path, *overrides: str, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(command(run_dir, *overrides), capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def final_weights(run_dir: Path) -> dict[str, torch.Tensor]:
    return checkpoint.latest(run_dir / "checkpoints")[1]["model"]


def check_outputs(run_dir: Path, proc: subprocess.CompletedProcess, epochs: int) -> dict:
    summary = json.loads((run_dir / "summary.json").read_text())
    assert {"top1_err", "top5_err", "epochs", "images_per_sec", "wall_s", "export"} <= summary.keys()
    assert summary["epochs"] == epochs and summary["images_per_sec"] > 0 and summary["wall_s"] > 0
    assert summary["reloaded_top1_err"] == summary["top1_err"] and summary["reloaded_top5_err"] == summary["top5_err"]
    out = proc.stdout
    assert f"final top-1 error {summary['top1_err']:.2f}%" in out
    assert f"pretrained='{summary['export']}'): top-1 error {summary['top1_err']:.2f}%" in out  # the same error again
    export = Path(summary["export"])
    assert sorted(p.name for p in export.iterdir()) == ["README.md", "config.json", "model.safetensors"]
    card = json.loads((export / "config.json").read_text())
    assert card["metrics"]["top1_err"] == summary["top1_err"]  # metrics stored with the weights
    demo_classes = sorted(p.name for p in (make_demo_dataset() / "train").iterdir())
    assert card["class_names"] == demo_classes  # so that `modelzoo predict` names the classes
    for name in ("config.yaml", "metrics.jsonl", "train.log", "curves.png"):
        assert (run_dir / name).is_file(), name
    return summary


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    """``short_run(backend)``: (run dir, process) of the short main job, run once per backend."""
    runs = {}

    def get(backend: str) -> tuple[Path, subprocess.CompletedProcess]:
        if backend not in runs:
            run_dir = tmp_path_factory.mktemp(backend) / "run"
            runs[backend] = run_dir, main_job(run_dir, f"data.backend={backend}", *SHORT)
        return runs[backend]

    return get


@pytest.mark.parametrize("backend", BACKENDS)
def test_short_main_job_on_each_cpu_backend(short_run, backend):
    run_dir, proc = short_run(backend)
    check_outputs(run_dir, proc, epochs=3)
    assert f"backend: {backend}" in (run_dir / "config.yaml").read_text()
    if backend == "custom":  # the same command again: nothing to train, same export
        before = load_file(run_dir / "export" / "model.safetensors")
        again = main_job(run_dir, f"data.backend={backend}", *SHORT)
        assert "training already finished" in again.stdout
        after = load_file(run_dir / "export" / "model.safetensors")
        assert all(torch.equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_then_resume_gives_identical_weights(tmp_path, short_run, backend):
    overrides = [f"data.backend={backend}", *SHORT]
    reference, _ = short_run(backend)  # the same command, uninterrupted
    run_dir = tmp_path / "killed"
    proc = subprocess.Popen(command(run_dir, *overrides), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    first = run_dir / "checkpoints" / "epoch_0001.pt"
    deadline = time.monotonic() + 300
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the trainer and its loader workers, mid-epoch 2
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (run_dir / "checkpoints" / "epoch_0003.pt").exists()
    resumed = main_job(run_dir, *overrides)
    assert "resumed from" in resumed.stdout
    a, b = final_weights(reference), final_weights(run_dir)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    exported = [load_file(d / "export" / "model.safetensors") for d in (reference, run_dir)]
    assert all(torch.equal(exported[0][k], exported[1][k]) for k in exported[0])


def test_ctrl_c_stops_gracefully_and_resumes_identically(tmp_path, short_run):
    """SIGINT to the whole process group (Ctrl-C): the loader workers get it too."""
    overrides = ["data.backend=custom", *SHORT]
    reference, _ = short_run("custom")
    run_dir = tmp_path / "interrupted"
    proc = subprocess.Popen(command(run_dir, *overrides), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # fmt: skip
    first = run_dir / "checkpoints" / "epoch_0001.pt"
    deadline = time.monotonic() + 300
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 128 + signal.SIGINT, out[-3000:]
    assert "stopping on SIGINT" in out and "rerun the same command to resume" in out
    main_job(run_dir, *overrides)
    a, b = final_weights(reference), final_weights(run_dir)
    assert all(torch.equal(a[k], b[k]) for k in a)


def demo_reaches_the_bar(run_dir: Path, *overrides: str) -> dict:
    proc = main_job(run_dir, *overrides, timeout=1800)
    summary = check_outputs(run_dir, proc, epochs=summary_epochs())
    assert summary["top1_err"] <= 10.0, summary
    return summary


def test_the_main_job_reaches_the_bar(tmp_path):
    """``python -m modelzoo.training.run`` as ``make demo`` runs it: >= 90 % val accuracy."""
    summary = demo_reaches_the_bar(tmp_path / "demo")
    assert summary["backend"] == default_backend()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["custom", "torch", "dali_cpu"])
def test_demo_recipe_reaches_the_bar_on_every_backend(tmp_path, backend):
    """The full demo recipe on each CPU backend (a few minutes each; opt-in with --run-slow)."""
    if backend == default_backend():
        pytest.skip(f"the main job runs {backend} here (test_the_main_job_reaches_the_bar)")
    if backend.startswith("dali") and default_backend() != "dali_cpu":
        pytest.skip("no DALI")
    assert demo_reaches_the_bar(tmp_path / "demo", f"data.backend={backend}")["backend"] == backend


def summary_epochs() -> int:
    from modelzoo.training.config import load_config

    return load_config().optim.max_epoch
