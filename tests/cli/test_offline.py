"""Weights that cannot be downloaded: the command fails fast, with one line that says what to do.

"Offline" here is a machine whose downloads are not switched off but whose hosts cannot be
reached: the Hub endpoint and the URLs point at a closed port on 127.0.0.1, so nothing leaves the
machine. ``MODELZOO_OFFLINE=1`` (downloads switched off) is covered in test_predict.py.
"""
from __future__ import annotations

import time

import pytest

import modelzoo
from modelzoo.hub import OfflineError

from .conftest import run_cli

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
ONLINE_BUT_UNREACHABLE = {"MODELZOO_OFFLINE": None, "HF_HUB_OFFLINE": None, "HF_ENDPOINT": UNREACHABLE,
                          **{p: None for p in PROXIES}}  # fmt: skip


def hub_only_tag() -> str:
    """A registered weight set whose every mirror is on the Hub (so HF_ENDPOINT redirects them all)."""
    return next(t for t in modelzoo.list_weights("resnet50.*")
                if all(s.hf_repo for s in modelzoo.get_weights(t).sources))  # fmt: skip


@pytest.fixture
def online_but_unreachable(monkeypatch):
    for key, value in ONLINE_BUT_UNREACHABLE.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)


def check_offline_line(err: str, weights: str, command: str = "predict") -> None:
    """One line naming the weights and the sources tried, with the command line's own hint."""
    assert err.count("\n") == 1 and err.startswith(f"modelzoo {command}: error: could not get the weights {weights}")
    assert "Tried: " in err and "cannot connect to 127.0.0.1:9" in err
    assert err.rstrip().endswith("--weights FILE.") and "modelzoo.create" not in err and "pretrained=" not in err


def test_predict_fails_fast_with_one_line_as_a_subprocess(ws):
    tag = hub_only_tag()
    start = time.monotonic()
    r = run_cli(ws, "predict", tag, ws.images["rgb.jpg"], timeout=60, env_changes=ONLINE_BUT_UNREACHABLE)
    elapsed = time.monotonic() - start
    assert r.rc == 1 and r.out == "", (r.err, elapsed)
    check_offline_line(r.err, tag)
    assert f"hf-hub:{modelzoo.get_weights(tag).source.hf_repo}" in r.err


@pytest.mark.parametrize("args, weights", [
    (("predict", "{tag}", "x.jpg"), "{tag}"),
    (("validate", "{tag}", "--data", "{demo}"), "{tag}"),
    (("export", "{tag}", "--format", "torchscript", "--out", "m.pt"), "{tag}"),
    (("predict", "resnet18", "x.jpg", "--weights", f"{UNREACHABLE}/w.pth"), f"{UNREACHABLE}/w.pth"),
])  # fmt: skip
def test_every_command_that_loads_weights_fails_within_seconds(cli, ws, online_but_unreachable, args, weights):
    tag = hub_only_tag()
    args = [a.format(tag=tag, demo=ws.demo) for a in args]
    start = time.monotonic()
    r = cli(*args)
    elapsed = time.monotonic() - start
    assert r.rc == 1 and elapsed < 5, (r.err, elapsed)
    check_offline_line(r.err, weights.format(tag=tag), command=args[0])
    assert not (ws.root / "m.pt").exists()


def test_info_on_an_unreachable_hub_repo(cli, online_but_unreachable):
    r = cli("info", "hf-hub:someone/some-model")
    assert r.rc == 1 and r.err.count("\n") == 1 and "hf-hub:someone/some-model" in r.err
    assert "cannot connect to 127.0.0.1:9" in r.err


def test_info_needs_no_weight_file(cli, online_but_unreachable):
    """info NAME.TAG describes the weight set without fetching it."""
    tag = hub_only_tag()
    r = cli("info", tag)
    assert r.rc == 0 and f"Selected weights {tag}" in r.out and r.err == ""
    assert "keys, RGB, sha256" in r.out and "None" not in r.out  # a source's default channel order, in words


def test_a_list_of_failed_sources_reads_as_one_sentence():
    from modelzoo.cli.common import error_line

    e = OfflineError("could not get the weights for x from any source:\n  - a: HTTP 404\n  - b: cannot resolve b")
    assert error_line(e) == "could not get the weights for x from any source: a: HTTP 404; b: cannot resolve b"
