"""training/configs/: generated from modelzoo.training.recipes, in sync, following the seed and pycls."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import modelzoo
from modelzoo.data_config import test_size_for as protocol_test_size
from modelzoo.registry import architecture
from modelzoo.training.config import load_config, recipe_path, repo_recipe_dir, validate
from modelzoo.training.recipes import recipe

REPO = Path(__file__).resolve().parents[2]
# the zoo's models (other tests register custom models, which have no recipe)
ZOO = [n for n in modelzoo.list_models() if architecture(n).family != "custom"]
PYCLS = REPO.parent / "shared" / "reference" / "pycls_weights.json"


def test_recipe_files_are_in_sync_with_the_generator():
    proc = subprocess.run([sys.executable, str(REPO / "training" / "make_recipes.py"), "--check"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_one_recipe_per_model_plus_demo():
    files = sorted(repo_recipe_dir().rglob("*.yaml"))
    assert len(files) == len(ZOO) + 1
    for name in ZOO:
        assert recipe_path(name).is_file(), name


@pytest.mark.parametrize("name", ZOO)
def test_recipe_follows_the_protocol(name):
    cfg = validate(load_config(model=name, overrides=["data.root=/data/imagenet"]))
    family = architecture(name).family
    ref_lr, wd = (0.2, 1e-5) if family == "efficientnet" else (0.1, 5e-5)
    assert cfg.optim.base_lr == pytest.approx(cfg.train.batch_size / 128 * ref_lr)
    assert cfg.optim.weight_decay == wd and cfg.optim.momentum == 0.9 and not cfg.optim.nesterov
    assert cfg.optim.max_epoch == 100 and cfg.optim.warmup_epochs == (5 if family.startswith("regnet") else 0)
    assert cfg.data.backend == "dali_cpu" and cfg.data.root == "/data/imagenet"
    size = architecture(name).data_config.train_size
    assert (cfg.data.train_size, cfg.data.crop_size, cfg.data.test_size) == (size, size, protocol_test_size(size))
    assert not cfg.optim.label_smoothing and not cfg.optim.ema_decay and cfg.optim.clip_grad_norm is None
    assert load_config(model=name).data.root is None  # the user must name the dataset


@pytest.mark.skipif(not PYCLS.is_file(), reason="needs ../shared/reference/pycls_weights.json")
def test_recipes_match_the_pycls_recipes():
    facts = json.loads(PYCLS.read_text())
    assert len(facts) == 36
    for name, entry in facts.items():
        r, mine = entry["recipe"], recipe(name)
        assert mine["optim"]["base_lr"] == pytest.approx(r["OPTIM"]["BASE_LR"]), name
        assert mine["optim"]["weight_decay"] == pytest.approx(float(r["OPTIM"]["WEIGHT_DECAY"])), name
        assert mine["optim"]["max_epoch"] == r["OPTIM"]["MAX_EPOCH"] and mine["optim"]["momentum"] == r["OPTIM"]["MOMENTUM"]
        assert mine["optim"]["warmup_epochs"] == r["OPTIM"].get("WARMUP_EPOCHS", 0), name
        assert mine["train"]["batch_size"] == r["TRAIN"]["BATCH_SIZE"] and mine["test"]["batch_size"] == r["TEST"]["BATCH_SIZE"]
        assert mine["data"]["train_size"] == r["TRAIN"]["IM_SIZE"] and mine["data"]["test_size"] == r["TEST"]["IM_SIZE"], name


def test_demo_recipe():
    cfg = validate(load_config())
    assert cfg.data.root == "demo" and cfg.data.backend == "auto"
    # the values docs/training.md describes and its measured figures come from
    assert (cfg.model.name, cfg.data.train_size, cfg.train.batch_size, cfg.train.cpu_threads) == ("regnetx_200mf", 64, 64, 1)
    assert (cfg.optim.base_lr, cfg.optim.max_epoch, cfg.optim.warmup_epochs) == (0.1, 12, 1) and cfg.train.channels_last
    assert cfg.optim.nesterov and cfg.optim.label_smoothing == 0.1
