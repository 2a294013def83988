"""The weight tables: complete, consistent with the publishers' facts, and exposed as documented."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import timm
import torch

import modelzoo
from modelzoo.hub import convert as cv
from modelzoo.hub import specs
from modelzoo.hub.docs import markdown_table
from modelzoo.hub.specs import UnknownWeightsError, get_weights, list_weights

from .conftest import PYCLS_MODELS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hub.md"


def test_every_pycls_model_has_its_pycls_weights_as_published():
    for name, facts in PYCLS_MODELS.items():
        spec = get_weights(f"{name}.pycls_in1k")
        assert spec.is_default, name
        pyth = spec.sources[-1]
        assert pyth.url == facts["weights_url"] and pyth.converter == "pycls" and pyth.channel_order == "BGR"
        assert (spec.top1_err, spec.top5_err) == (facts["top1_err"], facts["top5_err"])
        dc = spec.data_config
        assert (dc.train_size, dc.test_size, dc.crop_size, dc.interpolation) == (
            facts["train_size"], facts["test_size"], facts["train_size"], "bilinear")  # fmt: skip
        assert spec.license == "mit" and not spec.non_commercial
        # The file name is pycls's name for the same architecture.
        arch = modelzoo.registry.architecture(name)
        assert any(pyth.url.rsplit("/", 1)[1].startswith(n + "_") for n in (arch.display_name, *arch.aliases)), name


def test_pycls_regnets_prefer_timms_rgb_safetensors_copy():
    for name in PYCLS_MODELS:
        spec = get_weights(f"{name}.pycls_in1k")
        if name.startswith("regnet"):
            hf = spec.sources[0]
            alias = modelzoo.registry.architecture(name).aliases[0]  # regnetx_002 ...
            assert (hf.hf_repo, hf.filename, hf.converter, hf.format) == (
                f"timm/{alias}.pycls_in1k", "model.safetensors", "timm_regnet", "safetensors")  # fmt: skip
        else:
            assert len(spec.sources) == 1


def test_exactly_one_default_per_model_and_list_models_pretrained():
    with_weights = modelzoo.list_models(pretrained=True)
    assert with_weights == sorted({s.arch for s in specs.weight_table().values()}, key=modelzoo.registry.size_order)
    assert len(with_weights) == 41
    for name in with_weights:
        assert sum(s.is_default for s in specs.weight_table().values() if s.arch == name) == 1
    assert get_weights("resnet18").tag == "resnet18.tv_in1k"
    assert get_weights("resnext101_32x8d").tag == "resnext101_32x8d.tv2_in1k"
    assert get_weights("efficientnet_b7").tag == "efficientnet_b7.tf_aa_in1k"


def test_sources_listed_in_the_reference_are_covered():
    for tag in ["resnet50.tv_in1k", "resnet101.tv2_in1k", "resnet152.tv_in1k", "resnet50.a1_in1k",
                "resnext50_32x4d.tv2_in1k", "resnext101_32x4d.gluon_in1k", "resnext101_32x8d.tv_in1k",
                "efficientnet_b0.ra_in1k", "efficientnet_b1.ft_in1k", "efficientnet_b2.ra_in1k",
                "efficientnet_b3.ra2_in1k", "efficientnet_b4.ra2_in1k", "efficientnet_b0.tf_in1k",
                "efficientnet_b7.tf_ns_jft_in1k", "regnety_032.pycls_in1k"]:  # fmt: skip
        assert get_weights(tag)
    assert get_weights("resnet50.tv2_in1k").top1_err == pytest.approx(100 - 80.846)
    assert get_weights("efficientnet_b0.tf_in1k").model_kwargs == {"tf_port": True}


def test_lookup_by_alias_pattern_and_helpful_errors():
    assert get_weights("regnety_032.pycls_in1k") is get_weights("regnety_3_2gf.pycls_in1k")
    assert get_weights("RegNetY-3.2GF").tag == "regnety_3_2gf.pycls_in1k"
    assert list_weights("RegNetY-3.2GF") == list_weights("regnety_032.*") == list_weights("regnety_3_2gf")
    assert list_weights("resnet50.tv*") == ["resnet50.tv_in1k", "resnet50.tv2_in1k"]
    assert list_weights("*")[0] == "efficientnet_b0.pycls_in1k" and len(list_weights()) == len(specs.weight_table())
    with pytest.raises(UnknownWeightsError, match=r"resnet50 has: resnet50\.pycls_in1k, resnet50\.tv_in1k"):
        get_weights("resnet50.nope")
    with pytest.raises(UnknownWeightsError, match="did you mean 'resnet50.tv_in1k'"):
        get_weights("resnet5.tv_in1k")
    with pytest.raises(UnknownWeightsError, match="resnext152_32x4d.*pycls_in1k"):
        modelzoo.create("resnext152_32x4d", pretrained="tv_in1k")
    with pytest.raises(ValueError, match="holds weights for resnet18, not resnet50"):
        modelzoo.create("resnet50", pretrained="resnet18.tv_in1k")


def test_licenses_and_non_commercial_flags():
    nc = {t for t, s in specs.weight_table().items() if s.non_commercial}
    assert {t for t in specs.weight_table() if ".fb_" in t or "swag" in t or "seer" in t} == nc
    assert all(specs.weight_table()[t].license == "bsd-3-clause" for t in list_weights("*.tv*"))


def test_every_source_names_a_known_converter():
    assert {s.converter for spec in specs.weight_table().values() for s in spec.sources} <= set(cv.CONVERTERS)


def test_no_invented_digests():
    """Only torchvision publishes digests (a sha256 prefix in its file names); everything else is
    recorded on first download."""
    for spec in specs.weight_table().values():
        for s in spec.sources:
            if s.sha256 is None:
                continue
            assert s.url and s.url.startswith("https://download.pytorch.org/models/"), spec.tag
            assert re.fullmatch(rf".*-{s.sha256}\.pth", s.url) and len(s.sha256) == 8


def test_eval_configs_are_consistent_with_their_protocol():
    for spec in specs.weight_table().values():
        dc = spec.data_config
        assert dc.crop_size <= dc.test_size
        assert f"{dc.test_size} px" in spec.protocol and f"centre {dc.crop_size} px crop" in spec.protocol
        m = re.search(r"crop_pct ([\d.]+)", spec.protocol)
        if m:  # timm's rule: resize = floor(crop / crop_pct)
            assert dc.test_size == math.floor(dc.crop_size / float(m.group(1)))


def _timm_arch(spec: specs.WeightSpec) -> str | None:
    hf = next((s for s in spec.sources if s.hf_repo and s.hf_repo.startswith("timm/")), None)
    return hf.hf_repo[len("timm/"):].split(".")[0] if hf else None


def test_every_hub_weight_set_fits_its_model_exactly(monkeypatch):
    """timm's architecture for each Hub repo, converted, has our model's keys and shapes."""
    monkeypatch.setattr(torch.Tensor, "normal_", lambda t, *a, **k: t)  # init is irrelevant (and slow on meta)
    theirs: dict[str, dict] = {}
    ours: dict[tuple, dict] = {}
    checked = 0
    with torch.device("meta"):
        for spec in specs.weight_table().values():
            name = _timm_arch(spec)
            if name is None:
                continue
            if name not in theirs:
                converter = next(s.converter for s in spec.sources if s.hf_repo)
                theirs[name] = {k: v.shape for k, v in cv.convert(timm.create_model(name).state_dict(), converter).items()}
            key = (spec.arch, spec.model_args)
            if key not in ours:
                ours[key] = {k: v.shape for k, v in modelzoo.create(spec.arch, **spec.model_kwargs).state_dict().items()}
            assert theirs[name] == ours[key], spec.tag
            checked += 1
    assert checked == 128 + 24  # Hub-only weight sets + the pycls RegNets' Hub copies


def test_tag_in_the_name_builds_the_architecture_it_needs(monkeypatch):
    from modelzoo import registry

    model = modelzoo.create("efficientnet_b0.tf_in1k")  # random weights, TF architecture and eval config
    assert model.tf_port and model.pretrained_cfg["tag"] == "efficientnet_b0.tf_in1k"
    assert model.pretrained_cfg["interpolation"] == "bicubic"
    with pytest.raises(ValueError, match=r"efficientnet_b0.tf_in1k needs \{'tf_port': True\}"):
        modelzoo.create("efficientnet_b0.tf_in1k", tf_port=False)
    # Register on copies of the registry, so that the custom model does not outlive this test.
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(registry, "_ALIASES", dict(registry._ALIASES))
    modelzoo.register_model(lambda **kw: torch.nn.Identity(), name="hub_test_custom_model")
    with pytest.raises(ValueError, match="has no pretrained weights"):
        modelzoo.create("hub_test_custom_model", pretrained=True)


def test_eval_transform_is_derived_from_the_spec():
    from PIL import Image
    from torchvision.transforms import v2

    img = torch.randint(0, 256, (3, 300, 400), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    for tag in ["resnet50.tv2_in1k", "efficientnet_b3.tf_ap_in1k", "regnetx_200mf.pycls_in1k"]:
        spec = get_weights(tag)
        dc = spec.data_config
        t = modelzoo.eval_transform(tag)
        assert t.data_config is dc and modelzoo.eval_transform(spec).data_config is dc
        ref = v2.Compose([v2.Resize(dc.test_size, interpolation=v2.InterpolationMode(dc.interpolation), antialias=True),
                          v2.CenterCrop(dc.crop_size), v2.ToDtype(torch.float32, scale=True),
                          v2.Normalize(list(dc.mean), list(dc.std))])  # fmt: skip
        out = t(img)
        assert out.shape == (3, dc.crop_size, dc.crop_size) and torch.allclose(out, ref(img))
        pil = t(Image.fromarray(img.permute(1, 2, 0).numpy()))  # PIL path: same geometry, PIL's resampler
        assert pil.shape == out.shape and (pil - out).abs().mean() < 0.05
    model = modelzoo.create("efficientnet_b3.tf_ap_in1k")
    assert modelzoo.eval_transform(model).data_config == get_weights("efficientnet_b3.tf_ap_in1k").data_config
    assert modelzoo.eval_transform(model)(img[:1]).shape[0] == 3  # grey input is expanded to RGB
    with pytest.raises(TypeError, match="PIL image or a uint8 tensor"):
        modelzoo.eval_transform("resnet50")([1, 2, 3])


def test_docs_table_is_generated_from_the_specs():
    text = DOCS.read_text()
    assert markdown_table() in text, "docs/hub.md is stale: regenerate with `python -m modelzoo.hub.docs`"


def test_spec_to_dict_has_what_the_cli_shows():
    d = get_weights("resnet50.fb_ssl_yfcc100m_ft_in1k").to_dict()
    assert d["non_commercial"] and d["license"] == "cc-by-nc-4.0" and d["sources"][0]["format"] == "safetensors"
    assert {"tag", "arch", "origin", "top1_err", "top5_err", "protocol", "data_config", "default"} <= set(d)
