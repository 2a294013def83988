"""--help everywhere, exit statuses, one-line errors, and the import boundary."""
from __future__ import annotations

import subprocess
import sys

import pytest

import modelzoo

COMMANDS = ("list", "info", "predict", "validate", "export")


def test_help_everywhere(cli):
    r = cli("--help")
    assert r.rc == 0 and r.out.startswith("usage: modelzoo") and all(c in r.out for c in COMMANDS)
    for command in COMMANDS:
        r = cli(command, "--help")
        assert r.rc == 0 and r.out.startswith(f"usage: modelzoo {command}"), command
    assert "--weights PATH" in cli("predict", "--help").out and "--limit N" in cli("validate", "--help").out
    r = cli("--version")
    assert r.rc == 0 and r.out.startswith("modelzoo ")


@pytest.mark.parametrize("args, message", [
    ((), "the following arguments are required: COMMAND"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
    (("predict", "resnet50"), "the following arguments are required: IMAGE"),
    (("predict", "resnet50", "x.jpg", "--top-k", "many"), "argument --top-k: invalid int value: 'many'"),
    (("predict", "resnet50", "x.jpg", "--top-k", "0"), "--top-k must be at least 1"),
    (("predict", "resnt50", "x.jpg"), "unknown model 'resnt50'; did you mean 'resnet50'"),
    (("predict", "resnet50.tv_in1k", "x.jpg", "--weights", "w.safetensors"), "give either a weight tag"),
    (("predict", "resnet50", "x.jpg", "--weights", "nowhere.safetensors"), "--weights nowhere.safetensors: no such file"),
    (("predict", "resnet50", "x.jpg", "--device", "gpu0"), "--device 'gpu0' is not a device"),
    (("validate", "resnet50", "--data", ".", "--batch-size", "0"), "--batch-size and --limit must be at least 1"),
    (("export", "resnet50.nope", "--format", "onnx", "--out", "m.onnx"), "unknown weight tag 'resnet50.nope'"),
    (("export", "resnet50", "--format", "onnx", "--out", "."), "--out . is a directory"),
])  # fmt: skip
def test_bad_input_is_one_line_and_exit_status_2(cli, args, message):
    r = cli(*args)
    assert r.rc == 2 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("modelzoo") and message in r.err, r.err


def test_weights_that_do_not_fit(cli, ws):
    r = cli("predict", "resnet50", "x.jpg", "--weights", ws.tiny10)  # a resnet18 directory
    assert r.rc == 2 and r.err.count("\n") == 1 and "resnet18" in r.err
    r = cli("predict", "resnet18", "x.jpg", "--weights", ws.in1k / "model.safetensors")  # a regnetx_200mf file
    assert r.rc == 2 and r.err.count("\n") == 1 and "do not fit the model" in r.err and "missing" in r.err
    # a bare 10-class file loads as a 10-class model (its class count comes from the file)
    r = cli("predict", "resnet18", "x.jpg", "--weights", ws.tiny10 / "model.safetensors")
    assert r.rc == 1 and "x.jpg: no such file" in r.err and "classes" not in r.err


def test_the_cli_does_not_import_training_until_validate():
    code = ("import sys, modelzoo.cli; assert modelzoo.cli.main(['list', 'resnet']) == 0; "
            "assert modelzoo.cli.main(['info', 'resnet50']) == 0; "
            "assert not [m for m in sys.modules if m.startswith('modelzoo.training')]")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_library_hints_are_said_as_options(cli, ws, monkeypatch):
    """Errors from the library name Python calls (pretrained=...); the command says --weights."""
    r = cli("predict", "resnet50.tv_in1k", "x.jpg", "--weights", "w.safetensors")
    assert r.rc == 2 and "give either a weight tag (resnet50.tv_in1k) or --weights w.safetensors, not both" in r.err
    bare = ws.tiny10 / "model.safetensors"
    r = cli("predict", bare, "x.jpg")  # a weight file that does not name its architecture
    assert r.rc == 2 and r.err.count("\n") == 1 and f"a model name and --weights {bare}" in r.err

    from modelzoo import registry

    for table in ("_REGISTRY", "_ALIASES"):  # the registration stays in this test
        monkeypatch.setattr(registry, table, dict(getattr(registry, table)))
    modelzoo.register_model(lambda *, num_classes=1000, in_chans=3: None, name="cli_test_no_weights")
    r = cli("predict", "cli_test_no_weights", "x.jpg")
    assert r.rc == 2 and r.err.count("\n") == 1 and "has no pretrained weights" in r.err
    assert "'modelzoo list --pretrained'" in r.err and "--weights takes a local file" in r.err
    assert "modelzoo.list_models" not in r.err and "pretrained=" not in r.err


def test_paths_are_paths_and_names_are_names(cli, ws, monkeypatch):
    """A bare word is a model name for NAME (a folder of that name gets a hint) and a path for --weights."""
    monkeypatch.chdir(ws.root)  # ws.root holds the folder 'tiny10'
    r = cli("predict", "tiny10", "x.jpg")
    assert r.rc == 2 and r.err.count("\n") == 1 and "unknown model 'tiny10'" in r.err and "write './tiny10'" in r.err
    r = cli("predict", "resnet18", "x.jpg", "--weights", "tv_in1k")  # not a weight tag: a file that is not there
    assert r.rc == 2 and "--weights ./tv_in1k: no such file or directory" in r.err
    r = cli("predict", "resnet18", "x.jpg", "--weights", "tiny10")  # a folder here, named without a slash
    assert r.rc == 1 and "x.jpg: no such file" in r.err
