"""modelzoo validate."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

import modelzoo

from .conftest import CACHED_TAG, TINY_METRICS, run_cli


def test_validate_as_subprocess_on_the_demo_dataset(ws):
    r = run_cli(ws, "validate", "resnet18", "--weights", ws.tiny10, "--data", ws.demo, "--batch-size", 8,
                "--workers", 1)  # fmt: skip
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith(f"resnet18 with weights {ws.tiny10} on {ws.demo / 'val'}: 30 images, backend custom, "
                               "resize 74, crop 64, bilinear")  # fmt: skip
    table = {line.split()[0]: line.split()[1:] for line in lines[3:6]}
    measured = [float(x) for x in table["measured"]]
    assert all(0 <= x <= 100 for x in measured) and measured[1] <= measured[0]
    assert table["published"] == [f"{TINY_METRICS['top1_err']:.2f}", f"{TINY_METRICS['top5_err']:.2f}"]
    assert table["difference"] == [f"{measured[0] - TINY_METRICS['top1_err']:+.2f}",
                                   f"{measured[1] - TINY_METRICS['top5_err']:+.2f}"]  # fmt: skip
    assert lines[6] == "published: recorded with the weights (config.json metrics)"
    assert "4/4" in r.err and "batch" in r.err  # the progress bar (stderr)


def test_validate_json_limit_and_val_folder(cli, ws):
    r = cli("validate", "resnet18", "--weights", ws.tiny10, "--data", ws.demo / "val", "--limit", 10, "--json",
            "--no-progress", "--backend", "torch", "--workers", 0)  # fmt: skip
    assert r.rc == 0, r.err
    got = json.loads(r.out)
    assert got["images"] == 10 and got["split_images"] == 30 and got["backend"] == "torch"
    assert got["data_config"] == modelzoo.DataConfig.for_train_size(64).to_dict()
    assert (got["published_top1_err"], got["published_top5_err"]) == (TINY_METRICS["top1_err"], TINY_METRICS["top5_err"])
    assert r.err == ""  # --no-progress


@pytest.fixture(scope="module")
def imagenet_layout(tmp_path_factory):
    """A 1000-class ImageNet-layout val folder with one small image per class."""
    root = tmp_path_factory.mktemp("imagenet")
    rng = np.random.default_rng(0)
    for c in range(1000):
        (root / "val" / f"n{c:08d}").mkdir(parents=True)
        Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(root / "val" / f"n{c:08d}" / "a.png")
    return root


def test_validate_registered_weights_use_the_spec_protocol(cli, ws, imagenet_layout):
    spec = modelzoo.get_weights(CACHED_TAG)
    r = cli("validate", CACHED_TAG, "--data", imagenet_layout, "--limit", 4, "--no-progress", "--workers", 0)
    assert r.rc == 0, r.err
    dc = spec.data_config
    assert r.out.splitlines()[0].startswith(f"{CACHED_TAG} on {imagenet_layout / 'val'}: 4 of 1000 images (quick "
                                            f"check: one in every 250), backend custom, resize {dc.test_size}, "
                                            f"crop {dc.crop_size}, {dc.interpolation}")  # fmt: skip
    published = next(line for line in r.out.splitlines() if line.startswith("published "))
    assert published.split()[1:] == [f"{spec.top1_err:.2f}", f"{spec.top5_err:.2f}"]
    assert f"published: {spec.tag}: {spec.protocol}" in r.out


def test_validate_bad_input_and_bad_files(cli, ws, tmp_path):
    r = cli("validate", "regnetx_200mf", "--weights", ws.in1k, "--data", ws.demo, "--no-progress")
    assert r.rc == 2 and r.err.count("\n") == 1
    assert "has 10 class folders but the model predicts 1000 classes" in r.err
    r = cli("validate", "resnet18", "--weights", ws.tiny10, "--data", tmp_path / "nowhere")
    assert r.rc == 2 and r.err == f"modelzoo validate: error: --data {tmp_path / 'nowhere'}: no such directory\n"
    r = cli("validate", "resnet18", "--weights", ws.tiny10, "--data", ws.demo, "--backend", "pil")
    assert r.rc == 2 and r.err.count("\n") == 1 and "unknown loader backend 'pil'" in r.err
    r = cli("validate", "resnet18", "--weights", ws.tiny10)
    assert r.rc == 2 and r.err.count("\n") == 1 and "--data" in r.err

    data = tmp_path / "data"
    shutil.copytree(ws.demo, data)
    shutil.copy(ws.images["truncated.jpg"], data / "val" / "ring" / "zz_truncated.jpg")
    args = ["validate", "resnet18", "--weights", ws.tiny10, "--data", data, "--no-progress", "--workers", 1]
    r = cli(*args)
    assert r.rc == 1 and r.out == "" and r.err.count("\n") == 1
    assert r.err.startswith(f"modelzoo validate: error: validation failed: {data / 'val' / 'ring' / 'zz_truncated.jpg'}: truncated")
    assert r.err.endswith("(--skip-bad-files skips unreadable files)\n")
    r = cli(*args, "--skip-bad-files")
    assert r.rc == 0 and "30 images" in r.out and "skipped 1 unreadable file(s)" in r.out
