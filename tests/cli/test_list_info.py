"""modelzoo list / info."""
from __future__ import annotations

import json

import modelzoo
from modelzoo.registry import architecture

from .conftest import run_cli


def test_list_as_subprocess_via_python_m(ws):
    r = run_cli(ws, "list", "resnet", module=True)
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split()[:5] == ["model", "name", "params", "GFLOPs", "size"]
    rows = {line.split()[0]: line for line in lines[2:] if line.strip() and not line.startswith(" ")}
    assert list(rows)[:5] == ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"]
    assert "resnext50_32x4d" not in rows  # plain text matches inside names: 'resnet' is not in 'resnext'
    r50 = rows["resnet50"].split()
    assert r50[1:5] == ["ResNet-50", "25.56M", "4.09", "224"]
    assert r50[5] == str(len(modelzoo.list_weights("resnet50")))
    assert r50[6] == modelzoo.get_weights("resnet50").tag


def test_list_patterns_pretrained_and_json(cli):
    r = cli("list", "--pretrained", "resnet50")
    assert r.rc == 0
    tags = modelzoo.list_weights("resnet50")
    body = [line for line in r.out.splitlines()[2:] if line.startswith("resnet50.")]
    assert [line.split()[0] for line in body] == tags
    default = modelzoo.get_weights("resnet50")
    assert any(line.startswith(default.tag + " *") for line in body)
    swsl = next(line for line in body if line.startswith("resnet50.fb_swsl_ig1b_ft_in1k"))
    assert "cc-by-nc-4.0 (non-commercial)" in swsl and f"{modelzoo.get_weights(swsl.split()[0]).top1_err:.2f}" in swsl

    r = cli("list", "--pretrained", "*.tv_in1k", "--json")
    got = json.loads(r.out)
    assert [d["tag"] for d in got] == modelzoo.list_weights("*.tv_in1k") and got[0]["sources"]

    r = cli("list", "RegNetY-3.2GF", "--json")  # an alias is an exact model name
    assert [d["model"] for d in json.loads(r.out)] == ["regnety_3_2gf"]
    assert json.loads(r.out)[0]["flops"] == modelzoo.complexity("regnety_3_2gf")["flops"]

    # every registered model, including ones other tests register without analytic complexity
    listed = json.loads(cli("list", "--json").out)
    assert [d["model"] for d in listed] == modelzoo.list_models()
    r = cli("list", "nosuchmodel")
    assert r.rc == 2 and r.out == "" and r.err.count("\n") == 1 and "no model matches 'nosuchmodel'" in r.err


def test_info_as_subprocess(ws):
    r = run_cli(ws, "info", "resnet50.tv2_in1k")
    assert r.rc == 0, r.err
    out = r.out
    spec = modelzoo.get_weights("resnet50.tv2_in1k")
    # architecture: one row per stage with depth, width, stride
    for i, (d, w, s) in enumerate(zip((3, 4, 6, 3), (256, 512, 1024, 2048), (1, 2, 2, 2)), 1):
        assert any(line.split()[:4] == [f"s{i}", str(d), str(w), str(s)] for line in out.splitlines())
    assert "at 224x224: 4.089 GFLOPs, 25.56M parameters" in out
    # the selected weights' data config
    assert "train at 176 px; evaluate: resize the shorter side to 232 px (bilinear), centre crop 224 px" in out
    # every weight tag, with its license and published error
    for tag in modelzoo.list_weights("resnet50"):
        s = modelzoo.get_weights(tag)
        row = next(line for line in out.splitlines() if line.strip().startswith(tag + " ") or line.strip() == tag)
        assert s.license in row and f"{s.top1_err:.2f}" in row and f"{s.top5_err:.2f}" in row
    assert f"Selected weights {spec.tag}" in out and f"protocol: {spec.protocol}" in out
    assert all(f"source: {src.location}" in out for src in spec.sources)


def test_info_efficientnet_json_and_errors(cli):
    r = cli("info", "efficientnet_b2")
    assert r.rc == 0
    spec = architecture("efficientnet_b2").spec
    assert "expansion" in r.out and "kernel" in r.out and f"head: 1x1 conv ({spec.head_w} channels)" in r.out
    assert "at 260x260" in r.out and "Selected weights" not in r.out

    info = json.loads(cli("info", "EN-B2", "--json").out)
    assert info["model"] == "efficientnet_b2" and info["spec"]["widths"] == list(spec.widths)
    assert info["complexity"]["260"] == modelzoo.complexity("efficientnet_b2", 260)
    assert [w["tag"] for w in info["weights"]] == modelzoo.list_weights("efficientnet_b2")

    r = cli("info", "resnet5")
    assert r.rc == 2 and r.out == "" and r.err.count("\n") == 1
    assert "unknown model 'resnet5'" in r.err and "'resnet50'" in r.err and "'modelzoo list'" in r.err
    r = cli("info", "resnet50.nope_in1k")
    assert r.rc == 2 and r.err.count("\n") == 1 and "resnet50.tv_in1k" in r.err


def test_info_on_a_user_registered_model(cli, monkeypatch):
    """A model without analytic complexity: info says so instead of failing."""
    from modelzoo import registry

    for table in ("_REGISTRY", "_ALIASES"):  # the registration stays in this test
        monkeypatch.setattr(registry, table, dict(getattr(registry, table)))

    @modelzoo.register_model(name="cli_test_tiny_net")
    def tiny(*, num_classes: int = 1000, in_chans: int = 3):
        import torch.nn as nn

        return nn.Sequential(nn.Flatten(), nn.LazyLinear(num_classes))

    r = cli("info", "cli_test_tiny_net")
    assert r.rc == 0, r.err
    assert "no analytic complexity (a user-registered model)" in r.out and "GFLOPs" not in r.out
