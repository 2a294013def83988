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


REGNETX_BY_SIZE = ["regnetx_200mf", "regnetx_400mf", "regnetx_600mf", "regnetx_800mf", "regnetx_1_6gf",
                   "regnetx_3_2gf", "regnetx_4_0gf", "regnetx_6_4gf", "regnetx_8_0gf", "regnetx_12gf",
                   "regnetx_16gf", "regnetx_32gf"]  # fmt: skip


def test_list_orders_each_family_by_size(cli):
    """pycls's order (200MF, 400MF, ... 32GF), not the digits' (12GF before 1.6GF)."""
    r = cli("list", "regnetx_")
    rows = [line.split() for line in r.out.splitlines()[2:] if line.startswith("regnetx_")]
    assert [row[0] for row in rows] == REGNETX_BY_SIZE
    gflops = [float(row[3]) for row in rows]
    assert gflops == sorted(gflops)

    r = cli("list", "--pretrained", "regnetx_")
    tags = [line.split()[:2] for line in r.out.splitlines()[2:] if line.startswith("regnetx_")]
    models = [tag.split(".")[0] for tag, _ in tags]
    assert list(dict.fromkeys(models)) == REGNETX_BY_SIZE  # grouped by model, in size order
    firsts = [mark for i, (_, mark) in enumerate(tags) if i == 0 or models[i] != models[i - 1]]
    assert firsts == ["*"] * len(REGNETX_BY_SIZE)  # each model's default first


def test_list_a_weight_tag(cli):
    r = cli("list", "--pretrained", "ResNet-50.tv_in1k", "--json")  # an alias with a tag: that weight set
    assert [d["tag"] for d in json.loads(r.out)] == ["resnet50.tv_in1k"]
    r = cli("list", "resnet50.tv_in1k", "--json")  # without --pretrained: its model
    assert [d["model"] for d in json.loads(r.out)] == ["resnet50"]


def test_info_on_a_save_pretrained_directory(cli, ws):
    r = cli("info", ws.tiny10)
    assert r.rc == 0, r.err
    assert r.out.startswith("resnet18: ResNet-18 (family resnet")
    assert f"Data config (weights {ws.tiny10})" in r.out and "train at 64 px" in r.out
    assert "at 64x64: " in r.out and "at 224x224: " in r.out  # the weights' resolution and the train size
    assert f"Weights {ws.tiny10}\n  recorded: top-1 err 12.50 %, top-5 err 1.25 %" in r.out
    info = json.loads(cli("info", ws.tiny10, "--json").out)
    assert info["data_config_of"] == str(ws.tiny10) and info["data_config"]["crop_size"] == 64


def test_info_features_prints_the_feature_levels(cli):
    r = cli("info", "RegNetY-1.6GF", "--features")
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "regnety_1_6gf: feature levels of modelzoo.create('regnety_1_6gf', features_only=True)"
    assert [line.split() for line in lines[3:]] == [["0", "stem", "32", "2"], ["1", "s1", "48", "4"],
                                                    ["2", "s2", "120", "8"], ["3", "s3", "336", "16"],
                                                    ["4", "s4", "888", "32"]]  # fmt: skip
    levels = json.loads(cli("info", "efficientnet_b0", "--features", "--output-stride", "16", "--json").out)["levels"]
    model = modelzoo.create("efficientnet_b0", features_only=True, output_stride=16)
    assert [lv["channels"] for lv in levels] == model.feature_info.channels()
    assert [lv["stride"] for lv in levels] == model.feature_info.reduction() == [2, 4, 8, 16, 16]
