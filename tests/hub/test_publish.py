"""save_pretrained / push_to_hub / create(directory | 'hf-hub:...'): exact round trips."""
from __future__ import annotations

import json

import pytest
import torch

import modelzoo
from modelzoo.hub import publish
from modelzoo.hub.download import file_sha256

from .conftest import randomize

X = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))


def _same(a, b):
    a.eval(), b.eval()
    with torch.no_grad():
        assert (a(X[:, : a.in_chans]) - b(X[:, : b.in_chans])).abs().max() == 0


def test_save_pretrained_writes_weights_config_and_card(tmp_path):
    model = randomize(modelzoo.create("efficientnet_b0", num_classes=10, tf_port=True, drop_rate=0.2,
                                      drop_connect_rate=0.1))  # fmt: skip
    out = modelzoo.save_pretrained(model, tmp_path / "run" / "best", metrics={"top1_err": 12.5, "top5_err": 1.25},
                                   training={"recipe": {"OPTIM": {"BASE_LR": 0.4}}, "epochs": 3})  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "config.json", "model.safetensors"]
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["format"] == "modelzoo" and cfg["architecture"] == "efficientnet_b0"
    assert cfg["model_args"] == {"num_classes": 10, "in_chans": 3, "bn_eps": 1e-3, "bn_momentum": 0.1,
                                 "activation": "silu", "drop_rate": 0.2, "tf_port": True, "drop_connect_rate": 0.1}  # fmt: skip
    assert cfg["data_config"] == model.data_config.to_dict()
    assert cfg["metrics"] == {"top1_err": 12.5, "top5_err": 1.25}
    assert cfg["training"]["recipe"] == {"OPTIM": {"BASE_LR": 0.4}}
    assert cfg["provenance"]["weights_sha256"] == file_sha256(out / "model.safetensors")
    assert cfg["provenance"]["parameters"] == sum(p.numel() for p in model.parameters())
    card = (out / "README.md").read_text()
    assert card.startswith("---\n") and "library_name: modelzoo" in card and "| top1_err | 12.5 |" in card
    assert "modelzoo.create(" in card and '"BASE_LR": 0.4' in card


def test_create_from_directory_rebuilds_the_exact_model(tmp_path):
    model = randomize(modelzoo.create("regnety_200mf", num_classes=7, in_chans=1, bn_eps=2e-5, drop_rate=0.1))
    d = modelzoo.save_pretrained(model, tmp_path / "m")
    loaded = modelzoo.create(d)
    assert repr(loaded) == repr(model) and loaded.num_classes == 7 and loaded.in_chans == 1
    assert all(torch.equal(a, b) for a, b in zip(loaded.state_dict().values(), model.state_dict().values()))
    _same(model, loaded)
    _same(model, modelzoo.create("regnety_200mf", pretrained=str(d), in_chans=1, bn_eps=2e-5, drop_rate=0.1))
    _same(model, modelzoo.create("regnety_200mf", pretrained=str(d / "model.safetensors"), num_classes=7, in_chans=1,
                                 bn_eps=2e-5))  # fmt: skip
    assert loaded.pretrained_cfg["source"] == str(d)
    with pytest.warns(UserWarning, match="the weights have 7 classes, the model 3"):
        assert modelzoo.create(str(d), num_classes=3).num_classes == 3
    assert modelzoo.create(str(d), drop_rate=0.5).head.dropout.p == 0.5  # training options can change
    with pytest.raises(ValueError, match="holds a regnety_200mf, not a resnet18"):
        modelzoo.create("resnet18", pretrained=str(d))


def test_loaded_weights_carry_their_data_config_through_save_and_load(tmp_path, monkeypatch):
    from modelzoo.hub.specs import get_weights

    spec = get_weights("regnetx_200mf.pycls_in1k")
    model = randomize(modelzoo.create("regnetx_200mf"))
    custom = spec.data_config.replace(test_size=300, crop_size=288, interpolation="bicubic")
    d = modelzoo.save_pretrained(model, tmp_path / "a", data_config=custom)
    loaded = modelzoo.create(str(d))
    assert (loaded.pretrained_cfg["test_size"], loaded.pretrained_cfg["crop_size"]) == (300, 288)
    assert loaded.data_config == custom and modelzoo.eval_transform(loaded).data_config == custom
    d2 = modelzoo.save_pretrained(loaded, tmp_path / "b")  # the loaded config travels on
    assert json.loads((d2 / "config.json").read_text())["data_config"] == custom.to_dict()


def test_non_commercial_base_weights_are_flagged_in_the_card(hub_server, tmp_path):
    """Weights really loaded from a cc-by-nc spec (served by the local Hub) carry its license on."""
    import timm
    from safetensors.torch import save

    tag = "resnet18.fb_swsl_ig1b_ft_in1k"
    source = randomize(timm.create_model("resnet18"))
    hub_server.add(f"timm/{tag}", "model.safetensors", save({k: v.contiguous() for k, v in source.state_dict().items()}))
    model = modelzoo.create(tag, pretrained=True)
    assert model.pretrained_cfg["source"] == f"hf-hub:timm/{tag}/model.safetensors@main"
    d = modelzoo.save_pretrained(model, tmp_path / "nc")
    cfg = json.loads((d / "config.json").read_text())
    assert cfg["license"] == "cc-by-nc-4.0"
    assert cfg["provenance"]["base_weights"] == {"tag": tag, "source": model.pretrained_cfg["source"],
                                                 "license": "cc-by-nc-4.0", "non_commercial": True}  # fmt: skip
    card = (d / "README.md").read_text()
    assert "license: cc-by-nc-4.0" in card and "non-commercial use only" in card
    assert f"Initialised from `{tag}` (license: cc-by-nc-4.0)" in card


def test_a_model_built_for_a_tag_without_its_weights_claims_no_base_weights(tmp_path):
    """create('<tag>') gives random weights with the tag's architecture and data config: nothing was loaded."""
    model = modelzoo.create("efficientnet_b0.tf_in1k")
    assert model.pretrained_cfg["tag"] == "efficientnet_b0.tf_in1k" and "source" not in model.pretrained_cfg
    d = modelzoo.save_pretrained(model, tmp_path / "random")
    cfg = json.loads((d / "config.json").read_text())
    assert cfg["provenance"]["base_weights"] is None and cfg["license"] is None
    assert cfg["data_config"] == model.data_config.to_dict() and cfg["model_args"]["tf_port"] is True
    card = (d / "README.md").read_text()
    assert "Initialised from" not in card and "efficientnet_b0.tf_in1k" not in card
    assert "non-commercial" not in card


def test_save_is_atomic(tmp_path):
    model = modelzoo.create("regnetx_200mf")
    with pytest.raises(ValueError, match="metrics must be JSON-serialisable"):
        modelzoo.save_pretrained(model, tmp_path / "x", metrics={"bad": object()})
    assert list(tmp_path.iterdir()) == []  # no directory, no temporary leftovers
    d = modelzoo.save_pretrained(model, tmp_path / "x", metrics={"top1_err": 1.0})
    with pytest.raises(ValueError):
        modelzoo.save_pretrained(model, d, metrics={"bad": object()})
    assert json.loads((d / "config.json").read_text())["metrics"] == {"top1_err": 1.0}  # old content intact
    modelzoo.save_pretrained(model, d, metrics={"top1_err": 2.0})  # replaced whole
    assert json.loads((d / "config.json").read_text())["metrics"] == {"top1_err": 2.0}
    (d / "train.log").write_text("keep me")
    modelzoo.save_pretrained(model, d, metrics={"top1_err": 3.0})  # other files are kept
    assert (d / "train.log").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


def test_wrapped_models_are_saved_as_the_model_inside(tmp_path):
    model = randomize(modelzoo.create("regnetx_200mf", num_classes=3))
    d = modelzoo.save_pretrained(torch.nn.DataParallel(model), tmp_path / "dp")
    _same(model, modelzoo.create(d))


def test_models_that_cannot_be_rebuilt_are_refused(tmp_path):
    model = modelzoo.create("regnetx_200mf")
    model.head.fc = torch.nn.Sequential(torch.nn.Linear(model.num_features, 10))
    with pytest.raises(ValueError, match="only saves models it can rebuild exactly"):
        modelzoo.save_pretrained(model, tmp_path / "x")
    with pytest.raises(ValueError, match="arch_name"):
        publish.constructor_args(torch.nn.Linear(2, 2))
    assert not (tmp_path / "x").exists()


def test_directory_errors_are_clear(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no weight file"):
        modelzoo.create(str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError, match="no such file or directory"):
        modelzoo.create(str(tmp_path / "nothing"))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "config.json").write_text('{"format": "modelzoo", "model_args": {}}')
    (tmp_path / "bad" / "model.safetensors").write_bytes(b"")
    with pytest.raises(ValueError, match="malformed config.json"):
        modelzoo.create(str(tmp_path / "bad"))


# ----------------------------------------------------------------------------------- the Hub
def test_push_to_hub_then_create_from_the_hub_gives_identical_logits(hub_server, tmp_path):
    model = randomize(modelzoo.create("regnetx_200mf", num_classes=5))
    url = modelzoo.push_to_hub(model, "org/my-regnet", token="hf_test", private=True,
                               metrics={"top1_err": 40.0}, training={"recipe": "tiny"})  # fmt: skip
    assert "org/my-regnet/commit/" in url
    assert set(hub_server.repos["org/my-regnet"]) == {"model.safetensors", "config.json", "README.md"}
    assert hub_server.private["org/my-regnet"]
    assert "hf-hub:org/my-regnet" in hub_server.repos["org/my-regnet"]["README.md"].decode()
    loaded = modelzoo.create("hf-hub:org/my-regnet")
    assert repr(loaded) == repr(model) and loaded.pretrained_cfg["source"] == "hf-hub:org/my-regnet"
    _same(model, loaded)
    _same(model, modelzoo.create("regnetx_200mf", pretrained="hf-hub:org/my-regnet"))
    commit = hub_server.head("org/my-regnet")
    newer = randomize(modelzoo.create("regnetx_200mf", num_classes=5), seed=9)
    modelzoo.push_to_hub(newer, "org/my-regnet")
    _same(newer, modelzoo.create("hf-hub:org/my-regnet"))  # a repo named by the user follows its updates
    _same(model, modelzoo.create(f"hf-hub:org/my-regnet@{commit}"))  # or stays on a given revision


def test_push_to_hub_carries_class_names_and_data_config(hub_server):
    from modelzoo.data_config import DataConfig

    names = ["cat", "dog", "fish"]
    custom = DataConfig.for_train_size(64).replace(interpolation="bicubic")
    model = randomize(modelzoo.create("resnet18", num_classes=3))
    modelzoo.push_to_hub(model, "org/pets", class_names=names, data_config=custom)
    cfg = json.loads(hub_server.repos["org/pets"]["config.json"])
    assert cfg["class_names"] == names and cfg["data_config"] == custom.to_dict()
    loaded = modelzoo.create("hf-hub:org/pets")
    assert loaded.pretrained_cfg["class_names"] == names and loaded.data_config == custom
    _same(model, loaded)
    with pytest.raises(ValueError, match="2 class names for a model with 3 classes"):
        modelzoo.push_to_hub(model, "org/pets", class_names=names[:2])
    assert json.loads(hub_server.repos["org/pets"]["config.json"])["class_names"] == names  # nothing pushed


def test_timm_format_hub_repos_load_with_their_config(hub_server):
    """A timm repo (config.json with pretrained_cfg, timm key names) maps onto the exact modelzoo model."""
    import timm
    from safetensors.torch import save

    source = randomize(timm.create_model("tf_efficientnet_b0"))
    config = {"architecture": "tf_efficientnet_b0", "num_classes": 1000, "pretrained_cfg": {
        "input_size": [3, 224, 224], "crop_pct": 0.875, "interpolation": "bicubic",
        "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "license": "apache-2.0"}}  # fmt: skip
    hub_server.add("someone/tf-b0", "config.json", json.dumps(config).encode())
    hub_server.add("someone/tf-b0", "model.safetensors", save({k: v.contiguous() for k, v in source.state_dict().items()}))
    model = modelzoo.create("hf-hub:someone/tf-b0").eval()
    assert model.tf_port and model.pretrained_cfg["interpolation"] == "bicubic" and model.pretrained_cfg["test_size"] == 256
    with torch.no_grad():
        assert (model(X) - source(X)).abs().max() <= 1e-4


def test_hub_reference_errors(hub_server):
    with pytest.raises(ValueError, match="expected 'hf-hub:org/repo'"):
        modelzoo.create("hf-hub:just-a-name")
    with pytest.raises(FileNotFoundError, match="no weight file in the repo"):
        modelzoo.create("hf-hub:org/missing")
    hub_server.add("org/weights-only", "model.safetensors", b"")
    with pytest.raises(ValueError, match="no config.json names the architecture"):
        modelzoo.create("hf-hub:org/weights-only")


def test_class_names_travel_with_the_weights(tmp_path):
    from modelzoo.hub.load import ClassifierReinitializedWarning

    names = [f"class_{i}" for i in range(4)]
    model = randomize(modelzoo.create("resnet18", num_classes=4))
    d = modelzoo.save_pretrained(model, tmp_path / "m", class_names=names)
    assert json.loads((d / "config.json").read_text())["class_names"] == names
    loaded = modelzoo.create(str(d))
    assert loaded.pretrained_cfg["class_names"] == names
    assert modelzoo.save_pretrained(loaded, tmp_path / "again").joinpath("config.json").read_text().count("class_3") == 1
    # A new head no longer has those classes.
    with pytest.warns(ClassifierReinitializedWarning):
        assert "class_names" not in modelzoo.create(str(d), num_classes=2).pretrained_cfg
    with pytest.raises(ValueError, match="3 class names for a model with 4 classes"):
        modelzoo.save_pretrained(model, tmp_path / "bad", class_names=names[:3])
    assert not (tmp_path / "bad").exists()


def test_a_bare_file_keeps_its_class_count(tmp_path):
    """Without num_classes the model takes the file's classifier size instead of re-initialising it."""
    model = randomize(modelzoo.create("resnet18", num_classes=5))
    d = modelzoo.save_pretrained(model, tmp_path / "m")
    loaded = modelzoo.create("resnet18", pretrained=str(d / "model.safetensors"))
    assert loaded.num_classes == 5
    _same(model, loaded)
