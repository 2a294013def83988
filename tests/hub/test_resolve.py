"""The one resolver: every kind of name means one thing, and resolving downloads no weights."""
from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest
import torch

import modelzoo
from modelzoo.hub import resolve
from modelzoo.hub import download as dl
from modelzoo.hub.specs import get_weights

from .conftest import PYCLS_MODELS, randomize, use_spec


@pytest.mark.parametrize("name, arch", [("resnet50", "resnet50"), ("ResNet-50", "resnet50"), ("R-50-1x64d", "resnet50"),
                                        ("RegNetX-1.6GF", "regnetx_1_6gf"), ("regnetx_016", "regnetx_1_6gf")])  # fmt: skip
def test_names_and_aliases_build_without_weights(name, arch):
    r = resolve(name)
    assert r.architecture.name == arch and r.weights is None and r.spec is None
    assert r.data_config == r.architecture.data_config and r.kwargs == {}


def test_a_tag_selects_its_architecture_options_and_data_config_without_downloading(monkeypatch):
    monkeypatch.setattr(dl, "fetch", lambda *a, **k: pytest.fail("resolve downloaded something"))
    r = resolve("efficientnet_b0.tf_in1k")
    spec = get_weights("efficientnet_b0.tf_in1k")
    assert r.spec == spec and r.weights is None and r.kwargs == {"tf_port": True} and r.fixed == {"tf_port"}
    assert r.data_config == spec.data_config and r.info == {"tag": spec.tag}
    loaded = resolve("efficientnet_b0.tf_in1k", pretrained=True)
    assert loaded.weights.sources == spec.sources and loaded.info["license"] == spec.license
    assert resolve("regnety_400mf", pretrained="tv2_in1k").spec.tag == "regnety_400mf.tv2_in1k"
    assert resolve("RegNetY-400MF", pretrained=True).spec.tag == "regnety_400mf.pycls_in1k"  # the default
    with pytest.raises(ValueError, match="tf_port"):
        modelzoo.create("efficientnet_b0.tf_in1k", tf_port=False)


def test_saved_directories_and_files_name_their_model(tmp_path):
    model = randomize(modelzoo.create("regnetx_200mf", num_classes=3, drop_rate=0.1))
    d = modelzoo.save_pretrained(model, tmp_path / "m", class_names=["a", "b", "c"])
    r = resolve(str(d))
    assert r.architecture.name == "regnetx_200mf" and r.kwargs["drop_rate"] == 0.1
    assert r.weights.num_classes == 3 and r.info["class_names"] == ["a", "b", "c"]
    file_only = resolve("regnetx_200mf", pretrained=str(d / "model.safetensors"))
    assert file_only.weights.num_classes is None and file_only.info == {"source": str(d / "model.safetensors")}
    with pytest.raises(ValueError, match="no config.json names the architecture"):
        resolve(str(d / "model.safetensors"))
    with pytest.raises(ValueError, match="holds a regnetx_200mf, not a resnet18"):
        resolve("resnet18", pretrained=str(d))
    with pytest.raises(ValueError, match="names its own weights"):
        resolve(str(d), pretrained="tv_in1k")


def test_a_pycls_checkpoint_names_its_own_architecture(tmp_path):
    """A ``.pyth`` file carries pycls's config: the resolver finds the zoo model it describes."""
    from .pycls_oracle import build_pycls, pycls_cfg_dump

    arch = PYCLS_MODELS["regnety_200mf"]["arch"]
    oracle = randomize(build_pycls(arch), seed=2).eval()
    path = tmp_path / "RegNetY-200MF_dds_8gpu.pyth"
    torch.save({"epoch": 100, "model_state": oracle.state_dict(), "cfg": pycls_cfg_dump(arch)}, path)
    r = resolve(str(path))
    assert r.architecture.name == "regnety_200mf" and r.kwargs["bn_eps"] == 1e-5
    model = modelzoo.create(str(path)).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), oracle(x.flip(1)), atol=1e-4)  # pycls consumes BGR
    effnet = PYCLS_MODELS["efficientnet_b1"]["arch"]
    torch.save({"model_state": {}, "cfg": pycls_cfg_dump(effnet)}, tmp_path / "en.pyth")
    assert resolve(str(tmp_path / "en.pyth")).architecture.name == "efficientnet_b1"


def test_unreachable_hosts_fail_at_once_without_retries(monkeypatch):
    """No name resolution or a refused connection is not a transfer to retry: one probe, one error."""
    import requests

    spec = get_weights("regnetx_200mf.pycls_in1k")
    local = tuple(dataclasses.replace(s, url="http://127.0.0.1:9" + urlsplit(s.url).path) if s.url else s
                  for s in spec.sources)  # fmt: skip
    use_spec(monkeypatch, dataclasses.replace(spec, sources=local))  # HF_ENDPOINT and the URL: nothing listens
    monkeypatch.setattr(requests, "get", lambda *a, **k: pytest.fail("a request was sent to an unreachable host"))
    dl._unreachable.cache_clear()
    with pytest.raises(dl.OfflineError) as err:
        modelzoo.create("regnetx_200mf", pretrained=True)
    message = str(err.value)
    assert message.count("\n") == 0 and "could not get the weights regnetx_200mf.pycls_in1k" in message
    assert "hf-hub:timm/regnetx_002.pycls_in1k" in message and "RegNetX-200MF_dds_8gpu.pyth" in message
    assert "pretrained='/path/to/file'" in message
