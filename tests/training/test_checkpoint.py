"""Checkpoint files: atomic writes, keep-last-N + best, newest-first resume, position-derived seeds."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from modelzoo.training import checkpoint


def _state(epoch: int, iteration: int = 0) -> dict:
    return {"epoch": epoch, "iteration": iteration, "w": torch.full((3,), float(epoch))}


def test_keep_last_n_plus_best(tmp_path):
    for e in range(1, 6):
        checkpoint.save(_state(e), tmp_path, keep=2, best=e == 2)
    assert [p.name for p in checkpoint.list_checkpoints(tmp_path)] == ["epoch_0004.pt", "epoch_0005.pt"]
    assert checkpoint.load(tmp_path / checkpoint.BEST)["epoch"] == 2  # best survives pruning
    checkpoint.save(_state(6), tmp_path, keep=2, regular=False, best=True)  # best only
    assert checkpoint.load(tmp_path / checkpoint.BEST)["epoch"] == 6
    assert len(checkpoint.list_checkpoints(tmp_path)) == 2


def test_positions_sort_mid_epoch_after_epoch_end(tmp_path):
    for e, i in ((2, 0), (2, 30), (3, 0)):
        checkpoint.save(_state(e, i), tmp_path, keep=5)
    names = [p.name for p in checkpoint.list_checkpoints(tmp_path)]
    assert names == ["epoch_0002.pt", "epoch_0002_iter_000030.pt", "epoch_0003.pt"]
    path, state = checkpoint.latest(tmp_path)
    assert path.name == "epoch_0003.pt" and state["epoch"] == 3


def test_a_crash_while_writing_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    checkpoint.save(_state(1), tmp_path, keep=3)

    def torn_save(obj, f):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", torn_save)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.save(_state(2), tmp_path, keep=3)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["epoch_0001.pt"]  # no torn or temporary file
    assert checkpoint.latest(tmp_path)[1]["epoch"] == 1


def test_a_damaged_newest_checkpoint_falls_back(tmp_path, capsys):
    checkpoint.save(_state(1), tmp_path, keep=3)
    (tmp_path / "epoch_0002.pt").write_bytes(b"garbage")
    path, state = checkpoint.latest(tmp_path)
    assert state["epoch"] == 1 and "skipping unreadable checkpoint" in capsys.readouterr().out
    assert checkpoint.latest(tmp_path / "nothing") is None


def test_seeding_from_the_position_fixes_every_generator():
    """What replaces a saved RNG state: re-seeding from the position reproduces every generator's draws."""
    draws = []
    for _ in range(2):
        checkpoint.seed_everything(checkpoint.derive_seed(0, 3, 7, 1))
        draws.append((random.random(), np.random.rand(), torch.rand(2)))
    assert draws[0][:2] == draws[1][:2] and torch.equal(draws[0][2], draws[1][2])


def test_atomic_text_write_leaves_the_old_text_on_failure(tmp_path, monkeypatch):
    path = checkpoint.atomic_write_text(tmp_path / "config.yaml", "old\n")
    monkeypatch.setattr(checkpoint.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        checkpoint.atomic_write_text(path, "new\n")
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


def test_derived_seeds_differ_by_position():
    seeds = {checkpoint.derive_seed(0, e, i, r) for e in range(3) for i in range(3) for r in range(2)}
    assert len(seeds) == 18 and checkpoint.derive_seed(0, 1, 2, 0) == checkpoint.derive_seed(0, 1, 2, 0)
