"""Checkpoints: atomic writes, keep-last-N + best, auto-resume, and position-derived seeds.

A checkpoint is named after its position in training: ``epoch_0003.pt`` holds the state after 3
complete epochs, ``epoch_0003_iter_000050.pt`` (written on SIGTERM/SIGINT) the state after 50
more iterations. It is written to a temporary file that is renamed into place only when
complete, so a crash at any moment leaves the previous checkpoints intact and never a torn file.
Files load with ``torch.load(weights_only=True)``: nothing in them needs unpickling code.

Randomness is a function of the position too: :func:`seed_everything` re-seeds Python, NumPy and
torch (CPU and CUDA) from ``(seed, epoch, iteration, rank)`` before every step, and the loaders
draw from ``(seed, epoch, sample)``, which is what makes a resumed run bit-identical to an
uninterrupted one. So no generator state is saved: the position is all a checkpoint needs.
"""
from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch

BEST = "best.pt"
_NAME = re.compile(r"^epoch_(\d{4,})(?:_iter_(\d{6,}))?\.pt$")


def checkpoint_name(epoch: int, iteration: int = 0) -> str:
    """File name for the state after ``epoch`` complete epochs and ``iteration`` more steps."""
    return f"epoch_{epoch:04d}.pt" if iteration == 0 else f"epoch_{epoch:04d}_iter_{iteration:06d}.pt"


def _position(path: Path) -> tuple[int, int] | None:
    m = _NAME.match(path.name)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else None


def list_checkpoints(directory: str | Path) -> list[Path]:
    """Complete checkpoints in ``directory``, oldest first (``best.pt`` and temporary files excluded)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [(pos, p) for p in directory.iterdir() if (pos := _position(p)) is not None]
    return [p for _, p in sorted(found)]


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # not supported on this platform
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_save(obj: Any, path: str | Path) -> Path:
    """``torch.save`` to a temporary file in the same folder, fsync, then rename over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write a text file through a temporary file and a rename: readers see the old or the new text."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def save(state: dict[str, Any], directory: str | Path, *, keep: int, regular: bool = True,
         best: bool = False) -> Path | None:  # fmt: skip
    """Write ``state`` (which has ``epoch`` and ``iteration``) as the next position checkpoint in
    ``directory`` (if ``regular``) and as ``best.pt`` (if ``best``); delete all but the newest
    ``keep`` position checkpoints. Returns the position checkpoint's path (None if not written)."""
    directory = Path(directory)
    path = None
    if regular:
        path = atomic_save(state, directory / checkpoint_name(state["epoch"], state["iteration"]))
        if best:
            _atomic_link(path, directory / BEST)
        for old in list_checkpoints(directory)[:-keep]:
            old.unlink(missing_ok=True)
    elif best:
        atomic_save(state, directory / BEST)
    return path


def _atomic_link(src: Path, dst: Path) -> None:
    """Make ``dst`` a hard link to ``src`` (a copy where links are unsupported), atomically."""
    tmp = dst.with_name(f".{dst.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    _fsync_dir(dst.parent)


def load(path: str | Path) -> dict[str, Any]:
    """Load a checkpoint onto the CPU (tensors only; no arbitrary unpickling)."""
    return torch.load(path, map_location="cpu", weights_only=True)


def latest(directory: str | Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest checkpoint in ``directory`` that loads, or None; unreadable ones are reported and skipped."""
    for path in reversed(list_checkpoints(directory)):
        try:
            return path, load(path)
        except Exception as err:  # a file damaged after it was written (disk, manual edits)
            print(f"warning: skipping unreadable checkpoint {path}: {err}", flush=True)
    return None


# ----------------------------------------------------------------------------------------- seeds
def derive_seed(seed: int, *position: int) -> int:
    """A 32-bit seed mixed from ``seed`` and a position such as ``(epoch, iteration, rank)``."""
    return int(np.random.SeedSequence([seed, *position]).generate_state(1)[0])


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and every CUDA device)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
