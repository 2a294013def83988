"""Download path end to end against local servers: plain HTTP (URL sources) and a Hub-compatible
server (HF_ENDPOINT). First download, cached reuse, offline reuse, resume, tampering, repair, 404."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import torch

import modelzoo
from modelzoo.hub import download as dl
from modelzoo.hub.download import ChecksumError, OfflineError, WeightsNotFoundError
from modelzoo.hub.specs import Source, get_weights

from .conftest import PYCLS_MODELS, local_sources, randomize, use_spec

BLOB = os.urandom(300_000)
SHA = hashlib.sha256(BLOB).hexdigest()


def _gets(server, path):
    return [r for r in server.requests("GET") if r[1] == path]


# ------------------------------------------------------------------------------------ plain URL
def test_url_download_cache_and_offline_reuse(file_server, monkeypatch):
    file_server.files["/w/model.pth"] = BLOB
    src = Source(url=file_server.url + "/w/model.pth")
    path = dl.fetch(src)
    assert path.read_bytes() == BLOB
    assert path.is_relative_to(dl.cache_dir()) and not path.with_name(path.name + ".part").exists()
    record = path.with_name(path.name + ".sha256.json")
    assert SHA in record.read_text()  # trust on first use: digest recorded beside the cache
    assert dl.fetch(src) == path and len(_gets(file_server, "/w/model.pth")) == 1  # cached: no request
    file_server.stop()
    monkeypatch.setenv("MODELZOO_OFFLINE", "1")
    assert dl.fetch(src).read_bytes() == BLOB
    with pytest.raises(OfflineError, match=r"/w/other\.pth.*not in the cache.*MODELZOO_OFFLINE.*MODELZOO_HOME"):
        dl.fetch(Source(url=file_server.url + "/w/other.pth"))


def test_hf_hub_offline_env_also_keeps_url_sources_offline(file_server, monkeypatch):
    file_server.files["/x.pth"] = BLOB
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(OfflineError):
        dl.fetch(Source(url=file_server.url + "/x.pth"))
    assert not file_server.log


def test_interrupted_download_is_resumed_with_a_range_request(file_server):
    file_server.files["/w.pth"] = BLOB
    file_server.drop_after["/w.pth"] = 100_000  # the first GET dies after 100 kB
    path = dl.fetch(Source(url=file_server.url + "/w.pth", sha256=SHA))
    assert path.read_bytes() == BLOB
    gets = _gets(file_server, "/w.pth")
    assert [g[2] for g in gets] == [None, "bytes=100000-"]


def test_partial_file_left_by_an_earlier_run_is_resumed(file_server):
    file_server.files["/w.pth"] = BLOB
    src = Source(url=file_server.url + "/w.pth", sha256=SHA)
    part = dl.url_cache_path(str(src.url)).with_name("w.pth.part")
    part.parent.mkdir(parents=True)
    part.write_bytes(BLOB[:123_456])
    assert dl.fetch(src).read_bytes() == BLOB
    assert [g[2] for g in _gets(file_server, "/w.pth")] == ["bytes=123456-"]


@pytest.mark.parametrize("case", ["server ignores Range", "partial file longer than the file"])
def test_resume_falls_back_to_a_full_download(file_server, case):
    file_server.files["/w.pth"] = BLOB
    src = Source(url=file_server.url + "/w.pth", sha256=SHA)
    part = dl.url_cache_path(str(src.url)).with_name("w.pth.part")
    part.parent.mkdir(parents=True)
    if case == "server ignores Range":
        file_server.ignore_range = True
        part.write_bytes(b"x" * 1000)
    else:
        part.write_bytes(BLOB + b"junk")
    assert dl.fetch(src).read_bytes() == BLOB


def test_tampered_download_is_rejected_and_nothing_is_cached(file_server):
    file_server.files["/w.pth"] = BLOB[:-1] + b"!"
    for expected in (SHA, SHA[:8]):  # full digest, or a published prefix
        src = Source(url=file_server.url + "/w.pth", sha256=expected)
        with pytest.raises(ChecksumError, match=f"expected {expected}"):
            dl.fetch(src)
        dest = dl.url_cache_path(str(src.url))
        assert not dest.exists() and not dest.with_name("w.pth.part").exists()


def test_trust_on_first_use_rejects_a_changed_upstream_file(file_server):
    file_server.files["/w.pth"] = BLOB
    src = Source(url=file_server.url + "/w.pth")
    path = dl.fetch(src)
    path.unlink()  # cache lost; the publisher's file has changed meanwhile
    file_server.files["/w.pth"] = os.urandom(300_000)
    with pytest.raises(ChecksumError, match="recorded when it was first downloaded"):
        dl.fetch(src)
    assert not path.exists()


@pytest.mark.parametrize("sha", [SHA, None])
def test_truncated_or_corrupted_cache_is_fetched_again(file_server, sha):
    file_server.files["/w.pth"] = BLOB
    src = Source(url=file_server.url + "/w.pth", sha256=sha)
    path = dl.fetch(src)
    path.write_bytes(BLOB[:1000])  # truncated
    assert dl.fetch(src).read_bytes() == BLOB
    path.write_bytes(b"\0" * len(BLOB))  # corrupted, same size
    assert dl.fetch(src).read_bytes() == BLOB
    assert len(_gets(file_server, "/w.pth")) == 3


def test_404_names_the_url(file_server):
    with pytest.raises(WeightsNotFoundError, match=r"/missing\.pth: HTTP 404"):
        dl.fetch(Source(url=file_server.url + "/missing.pth"))


def test_unreachable_server_names_the_url_and_the_env_var():
    with pytest.raises(OfflineError, match=r"127\.0\.0\.1:9/w\.pth.*MODELZOO_OFFLINE"):
        dl.fetch(Source(url="http://127.0.0.1:9/w.pth"))


def test_mirrors_are_tried_in_order(file_server):
    file_server.files["/b/w.pth"] = BLOB
    a, b = Source(url=file_server.url + "/a/w.pth"), Source(url=file_server.url + "/b/w.pth")
    source, path = dl.fetch_first((a, b), "test")
    assert source is b and path.read_bytes() == BLOB
    with pytest.raises(WeightsNotFoundError, match=r"from any source:\n  - .*/a/w\.pth.*\n  - .*/c/w\.pth"):
        dl.fetch_first((a, Source(url=file_server.url + "/c/w.pth")), "test")


# ----------------------------------------------------------------------------- Hugging Face Hub
def test_hf_download_cache_and_offline_reuse(hub_server, monkeypatch, isolated_env):
    hub_server.add("org/weights", "model.safetensors", BLOB)
    src = Source(hf_repo="org/weights")
    path = dl.fetch(src)
    assert path.read_bytes() == BLOB
    assert str(path).startswith(str(isolated_env / "hf-home" / "hub"))  # HF_HOME honoured
    n = len(hub_server.log)
    assert dl.fetch(src) == path and len(hub_server.log) == n  # cached copy, no request
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert dl.fetch(src).read_bytes() == BLOB
    with pytest.raises(OfflineError, match=r"org/other.*not in the Hugging Face cache.*HF_HUB_OFFLINE.*HF_HOME"):
        dl.fetch(Source(hf_repo="org/other"))


def test_hf_tampered_file_is_rejected_and_removed(hub_server):
    hub_server.add("org/weights", "model.safetensors", BLOB)
    hub_server.tampered[("org/weights", "model.safetensors")] = BLOB[::-1]
    with pytest.raises(ChecksumError, match="does not match its sha256"):
        dl.fetch(Source(hf_repo="org/weights"))
    blobs = list(Path(dl.hf_cache_dir()).rglob("blobs/*"))
    assert not [b for b in blobs if b.is_file() and not b.name.endswith(".lock")]


def test_hf_truncated_cache_is_fetched_again(hub_server):
    hub_server.add("org/weights", "model.safetensors", BLOB)
    src = Source(hf_repo="org/weights")
    path = dl.fetch(src)
    Path(os.path.realpath(path)).write_bytes(BLOB[:10])
    assert dl.fetch(src).read_bytes() == BLOB


def test_hf_tofu_rejects_a_replaced_file(hub_server):
    hub_server.add("org/weights", "model.safetensors", BLOB)
    src = Source(hf_repo="org/weights")
    path = dl.fetch(src)
    Path(os.path.realpath(path)).unlink()
    hub_server.add("org/weights", "model.safetensors", os.urandom(1000))  # new commit, new content
    with pytest.raises(ChecksumError, match="recorded when it was first downloaded"):
        dl.fetch(src)


def test_hf_404_names_repo_and_file(hub_server):
    hub_server.add("org/weights", "config.json", b"{}")
    with pytest.raises(WeightsNotFoundError, match=r"hf-hub:org/weights/model\.safetensors@main"):
        dl.fetch(Source(hf_repo="org/weights"))
    with pytest.raises(WeightsNotFoundError, match=r"hf-hub:org/nothing"):
        dl.fetch(Source(hf_repo="org/nothing"))


# ------------------------------------------------------------------------ create(pretrained=True)
def _timm_regnetx_002() -> tuple[torch.nn.Module, bytes]:
    import timm
    from safetensors.torch import save

    model = randomize(timm.create_model("regnetx_002"), seed=5)
    return model, save({k: v.contiguous() for k, v in model.state_dict().items()})


def _pycls_file(tmp_path) -> tuple[torch.nn.Module, bytes]:
    from .pycls_oracle import build_pycls, pycls_cfg_dump

    arch = PYCLS_MODELS["regnetx_200mf"]["arch"]
    model = randomize(build_pycls(arch), seed=6)
    path = tmp_path / "x.pyth"
    torch.save({"epoch": 100, "model_state": model.state_dict(), "cfg": pycls_cfg_dump(arch)}, path)
    return model, path.read_bytes()


def test_create_pretrained_true_downloads_converts_and_falls_back_to_the_pycls_mirror(
    hub_server, file_server, monkeypatch, tmp_path
):
    spec = use_spec(monkeypatch, local_sources(get_weights("regnetx_200mf.pycls_in1k"), file_server))
    timm_model, timm_bytes = _timm_regnetx_002()
    hub_server.add("timm/regnetx_002.pycls_in1k", "model.safetensors", timm_bytes)
    x = torch.randn(2, 3, 64, 64)

    model = modelzoo.create("regnetx_200mf", pretrained=True).eval()
    assert torch.allclose(model(x), timm_model(x), atol=1e-4)
    cfg = model.pretrained_cfg
    assert cfg["tag"] == "regnetx_200mf.pycls_in1k" and cfg["source"].startswith("hf-hub:timm/regnetx_002")
    assert (cfg["test_size"], cfg["crop_size"], cfg["interpolation"]) == (256, 224, "bilinear")
    assert cfg["license"] == "mit" and cfg["top1_err"] == spec.top1_err

    # A fresh machine where the Hub copy is gone: the original pycls .pyth (BGR) is used instead.
    monkeypatch.setenv("MODELZOO_HOME", str(tmp_path / "home2"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf2"))
    del hub_server.repos["timm/regnetx_002.pycls_in1k"]
    oracle, pyth = _pycls_file(tmp_path)
    file_server.files[spec.sources[1].url.split(file_server.url, 1)[1]] = pyth
    model = modelzoo.create("regnetx_200mf", pretrained="pycls_in1k").eval()
    assert torch.allclose(model(x), oracle(x.flip(1)), atol=1e-4)  # RGB in ours == BGR in pycls
    assert model.pretrained_cfg["source"] == spec.sources[1].url

    # Offline with the cache in place: no requests at all.
    monkeypatch.setenv("MODELZOO_OFFLINE", "1")
    n = len(file_server.log) + len(hub_server.log)
    modelzoo.create("regnetx_200mf", pretrained=True)
    assert len(file_server.log) + len(hub_server.log) == n


def test_create_offline_with_nothing_cached_lists_files_and_env_vars(monkeypatch):
    monkeypatch.setenv("MODELZOO_OFFLINE", "1")
    with pytest.raises(OfflineError) as e:
        modelzoo.create("regnetx_200mf", pretrained=True)
    msg = str(e.value)
    assert "regnetx_200mf.pycls_in1k" in msg and "hf-hub:timm/regnetx_002.pycls_in1k" in msg
    assert "RegNetX-200MF_dds_8gpu.pyth" in msg and "HF_HOME" in msg and "MODELZOO_HOME" in msg


def test_torch_hub_entrypoint_takes_pretrained(hub_server, file_server, monkeypatch):
    use_spec(monkeypatch, local_sources(get_weights("regnetx_200mf.pycls_in1k"), file_server))
    timm_model, timm_bytes = _timm_regnetx_002()
    hub_server.add("timm/regnetx_002.pycls_in1k", "model.safetensors", timm_bytes)
    repo = Path(__file__).resolve().parents[2]
    model = torch.hub.load(str(repo), "regnetx_200mf", source="local", pretrained=True).eval()
    x = torch.randn(1, 3, 64, 64)
    assert torch.allclose(model(x), timm_model(x), atol=1e-4)
    with pytest.warns(UserWarning, match="classifier"):
        model = torch.hub.load(str(repo), "regnetx_200mf", source="local", pretrained="pycls_in1k", num_classes=3)
    assert model.num_classes == 3
