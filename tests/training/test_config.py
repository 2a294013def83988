"""Config: YAML + dotted overrides, strict types and values, errors that name the field."""
from __future__ import annotations

import pytest

from modelzoo.training.config import (
    Config,
    ConfigError,
    apply_overrides,
    load_config,
    parse_override,
    training_differences,  # fmt: skip
    validate,
)
from modelzoo.training.run import main


def demo() -> Config:
    return load_config()


def test_no_arguments_is_the_demo_recipe():
    cfg = validate(demo())
    assert cfg.data.root == "demo" and cfg.model.name and cfg.optim.max_epoch >= 1


def test_overrides_parse_yaml_values():
    cfg = apply_overrides(demo(), ["optim.base_lr=0.2", "data.backend=custom", "train.seed=3", "optim.nesterov=true",
                                   "data.mean=[0.5, 0.5, 0.5]", "model.kwargs.drop_rate=0.1", "optim.clip_grad_norm=null"])  # fmt: skip
    assert cfg.optim.base_lr == 0.2 and cfg.data.backend == "custom" and cfg.train.seed == 3 and cfg.optim.nesterov
    assert cfg.data.mean == (0.5, 0.5, 0.5) and cfg.model.kwargs["drop_rate"] == 0.1 and cfg.optim.clip_grad_norm is None
    assert parse_override("optim.max_epoch=7") == ("optim.max_epoch", 7)
    assert apply_overrides(demo(), ["optim.weight_decay=1e-5"]).optim.weight_decay == 1e-5  # YAML 1.1 text


def test_text_values_stay_text():
    cfg = apply_overrides(demo(), ["data.root=2024", "model.pretrained=tv_in1k", "model.pretrained=hf-hub:org/x"])
    assert cfg.data.root == "2024" and cfg.model.pretrained == "hf-hub:org/x"
    assert apply_overrides(demo(), ["model.pretrained=true"]).model.pretrained is True


def test_int_becomes_float_but_not_the_reverse():
    assert apply_overrides(demo(), ["optim.base_lr=1"]).optim.base_lr == 1.0
    with pytest.raises(ConfigError, match=r"train\.batch_size: expected an integer, got 1\.5"):
        apply_overrides(demo(), ["train.batch_size=1.5"])


@pytest.mark.parametrize("override, message", [
    ("optim.base_rl=0.1", r"unknown config key 'optim\.base_rl'; did you mean 'optim\.base_lr'\?"),
    ("optimizer.base_lr=0.1", r"unknown config key 'optimizer'; did you mean 'optim'\?"),
    ("optim.base_lr=fast", r"optim\.base_lr: expected a number, got 'fast'"),
    ("train.batch_size=big", r"train\.batch_size: expected an integer"),
    ("optim.nesterov=maybe", r"optim\.nesterov: expected true/false"),
    ("base_lr=0.1", r"expected section\.key=value"),
    ("optim.base_lr", r"expected section\.key=value"),
])  # fmt: skip
def test_override_errors_name_the_field(override, message):
    with pytest.raises(ConfigError, match=message):
        apply_overrides(demo(), [override])


def test_an_override_sets_its_key_and_a_mapping_replaces_the_old_one():
    assert apply_overrides(demo(), ["model.kwargs={drop_rate: 0.2}"]).model.kwargs == {"drop_rate": 0.2}
    assert apply_overrides(demo(), ["model.kwargs.drop_rate=0.2"]).model.kwargs == {"zero_init_last_bn": True,
                                                                                     "drop_rate": 0.2}  # fmt: skip


@pytest.mark.parametrize("override, message", [
    ("data.mean=[0.5, 0.5]", r"data\.mean: expected a list of 3 numbers or null, got \[0\.5, 0\.5\]"),
    ("data.mean=[0.5, 0.5, x]", r"data\.mean: expected a list of 3 numbers or null"),
    ("train.batch_size.x=1", r"unknown config key 'train\.batch_size\.x': train\.batch_size is a value"),
    ("model.kwargs=[1]", r"model\.kwargs: expected a mapping of keys, got \[1\]"),
    ("data.root=${nowhere}", r"data\.root: Interpolation key 'nowhere' not found"),
])  # fmt: skip
def test_structured_values_and_interpolations_name_the_field(override, message):
    with pytest.raises(ConfigError, match=message):
        apply_overrides(demo(), [override])


@pytest.mark.parametrize("override, message", [
    ("optim.base_lr=-0.1", r"optim\.base_lr: must be > 0, got -0\.1"),
    ("data.backend=opencv", r"data\.backend: 'opencv' is not one of auto, custom, dali_cpu, dali_gpu, torch"),
    ("optim.warmup_epochs=500", r"optim\.warmup_epochs: must be in \[0, optim\.max_epoch=\d+\]"),
    ("optim.max_epoch=0", r"optim\.max_epoch: must be >= 1"),
    ("optim.momentum=1.5", r"optim\.momentum"),
    ("optim.label_smoothing=1", r"optim\.label_smoothing"),
    ("optim.ema_decay=1", r"optim\.ema_decay"),
    ("model.name=resnet5O", r"model\.name: unknown model 'resnet5O'; did you mean 'resnet50'"),
    ("model.num_classes=0", r"model\.num_classes: must be >= 1"),
    ("data.root=null", r"data\.root: required"),
    ("data.train_size=4", r"data\.train_size: must be >= 8"),
    ("train.amp=fp32", r"train\.amp: 'fp32' is not one of none, bf16, fp16"),
    ("test.eval_period=0", r"test\.eval_period: must be >= 1"),
])  # fmt: skip
def test_impossible_values(override, message):
    with pytest.raises(ConfigError, match=message):
        validate(apply_overrides(demo(), [override]))


def test_every_problem_is_listed_at_once():
    with pytest.raises(ConfigError) as err:
        validate(apply_overrides(demo(), ["optim.base_lr=-1", "train.batch_size=63"]), world_size=2)
    assert "optim.base_lr" in str(err.value) and "train.batch_size: 63 is not divisible by the world size 2" in str(err.value)


def test_yaml_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("optim:\n  base_lr: 0.1\n  max_epochs: 2\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: unknown config key 'optim\.max_epochs'; did you mean 'optim\.max_epoch'"):
        load_config(bad)
    bad.write_text("optim: [1, 2]\n")
    with pytest.raises(ConfigError, match=r"optim: expected a mapping"):
        load_config(bad)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="either --cfg FILE or --model NAME"):
        load_config(bad, model="resnet50")


def test_model_recipe_by_name_and_alias():
    with pytest.raises(ConfigError, match=r"--model: unknown model 'resnet5O'; did you mean 'resnet50'"):
        load_config(model="resnet5O")
    cfg = load_config(model="ResNet-50")
    assert cfg.model.name == "resnet50" and cfg.train.batch_size == 256 and cfg.optim.base_lr == pytest.approx(0.2)


def test_round_trip_through_dict_and_yaml(tmp_path):
    cfg = apply_overrides(demo(), ["data.mean=[0.1, 0.2, 0.3]", "optim.ema_decay=0.99"])
    path = tmp_path / "c.yaml"
    path.write_text(cfg.to_yaml())
    assert load_config(path) == cfg and Config.from_dict(cfg.to_dict()) == cfg


def test_resume_safe_differences():
    a = demo().to_dict()
    b = apply_overrides(demo(), ["data.num_workers=1", "log.progress=lines", "optim.base_lr=0.3"]).to_dict()
    assert training_differences(a, b) == ["optim.base_lr"]


def test_cli_rejects_bad_config_before_starting(capsys, tmp_path):
    assert main(["--out", str(tmp_path / "run"), "optim.base_lr=-1"]) == 2
    assert "optim.base_lr: must be > 0" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
