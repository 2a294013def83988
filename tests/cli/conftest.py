"""CLI test fixtures: tiny saved models, images in several formats, a small demo dataset, an offline
weight cache holding a (random) registered weight set, and helpers to run the command.

Everything is built once per session in a temporary folder; nothing touches the network.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import modelzoo
from modelzoo import DataConfig
from modelzoo.cli import main

CACHED_TAG = "regnetx_200mf.pycls_in1k"  # a registered weight set whose cache the tests fill with random weights
TINY_METRICS = {"top1_err": 12.5, "top5_err": 1.25}


@dataclass(frozen=True)
class Workspace:
    root: Path
    env: dict[str, str]  # the environment every command runs in (isolated, offline caches)
    tiny10: Path  # save_pretrained: resnet18, 10 classes, 64 px, metrics recorded
    in1k: Path  # save_pretrained: regnetx_200mf, 1000 classes, 64 px
    demo: Path  # the demo dataset's generator, 3 val images per class
    images: dict[str, Path]


def offline_env(root: Path) -> dict[str, str]:
    env = {
        "MODELZOO_HOME": str(root / "modelzoo-home"),
        "HF_HOME": str(root / "hf-home"),
        "HF_ENDPOINT": "http://127.0.0.1:9",  # discard port: nothing listens
        "MODELZOO_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }
    return env


def write_images(root: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)
    images = {name: root / name for name in ("rgb.jpg", "gray.jpg", "rgb.png", "gray.png", "palette.png", "cmyk.jpg",
                                              "rgba.png", "not_an_image.jpg", "truncated.jpg")}  # fmt: skip
    Image.fromarray(rgb).save(images["rgb.jpg"], quality=90)
    Image.fromarray(rgb[:, :, 0]).save(images["gray.jpg"])
    Image.fromarray(rgb).save(images["rgb.png"])
    Image.fromarray(rgb[:70, :50, 1]).save(images["gray.png"])
    Image.fromarray(rgb).convert("P").save(images["palette.png"])
    Image.fromarray(rgb).convert("CMYK").save(images["cmyk.jpg"])
    Image.fromarray(np.dstack([rgb, rgb[:, :, :1]])).save(images["rgba.png"])
    images["not_an_image.jpg"].write_text("this is text, not a JPEG\n")
    data = images["rgb.jpg"].read_bytes()
    images["truncated.jpg"].write_bytes(data[: len(data) // 2])
    return images


@pytest.fixture(scope="session")
def ws(tmp_path_factory) -> Workspace:
    from modelzoo.hub.download import url_cache_path
    from modelzoo.training.data.demo import write_demo_images

    root = tmp_path_factory.mktemp("cli")
    env = offline_env(root)
    torch.manual_seed(0)
    tiny10 = modelzoo.save_pretrained(modelzoo.create("resnet18", num_classes=10), root / "tiny10",
                                      data_config=DataConfig.for_train_size(64), metrics=TINY_METRICS)  # fmt: skip
    in1k = modelzoo.save_pretrained(modelzoo.create("regnetx_200mf"), root / "in1k",
                                    data_config=DataConfig.for_train_size(64))  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:  # a pycls-format file where the hub caches CACHED_TAG's URL
        mp.setenv("MODELZOO_HOME", env["MODELZOO_HOME"])
        cached = url_cache_path(modelzoo.get_weights(CACHED_TAG).url)
    cached.parent.mkdir(parents=True)
    torch.save({"model_state": modelzoo.create("regnetx_200mf").state_dict()}, cached)
    demo = root / "demo"
    write_demo_images(demo, train_per_class=1, val_per_class=3)
    images = write_images(root)
    return Workspace(root, env, Path(tiny10), Path(in1k), demo, images)


@pytest.fixture(autouse=True)
def _env(ws, monkeypatch):
    """In-process commands see the same isolated, offline environment as the subprocesses."""
    for key, value in ws.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.chdir(ws.root)


@dataclass
class Result:
    rc: int
    out: str
    err: str


def run_cli(ws: Workspace, *args: str, module: bool = False, timeout: float = 300,
            env_changes: dict[str, str | None] | None = None) -> Result:  # fmt: skip
    """Run the installed ``modelzoo`` console script (or ``python -m modelzoo``) in a subprocess;
    ``env_changes`` sets variables of the workspace environment (None: removes them)."""
    script = Path(sys.executable).with_name("modelzoo")
    cmd = [sys.executable, "-m", "modelzoo"] if module or not script.exists() else [str(script)]
    env = {**os.environ, **ws.env}
    env.pop("HF_HUB_CACHE", None)
    for key, value in (env_changes or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    p = subprocess.run(cmd + [str(a) for a in args], cwd=ws.root, env=env, capture_output=True, text=True,
                       timeout=timeout)  # fmt: skip
    return Result(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def cli(capsys):
    """Run the command in this process (fast): ``cli('list', 'resnet')`` → Result."""

    def run(*args: str) -> Result:
        try:
            rc = main([str(a) for a in args])
        except SystemExit as e:  # argparse: --help, usage errors
            rc = e.code if isinstance(e.code, int) else 1
        captured = capsys.readouterr()
        return Result(rc, captured.out, captured.err)

    return run
