"""torchrun target for test_ddp.py: the real main job, instrumented.

Records (under $DDP_TEST_OUT, outside the run directory) per rank: the identity of every
training sample it saw (the test images are solid colours: red = 4 · sample number), every
write-like file-system event under the run directory, and the final model state. With
$DDP_CRASH_RANK set, that rank dies with an exception at its third training step.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import torch

from modelzoo.training import run, trainer

OUT = Path(os.environ["DDP_TEST_OUT"])
RANK = int(os.environ["RANK"])
RUN_DIR = str(Path(sys.argv[sys.argv.index("--out") + 1]).resolve())
seen: list[list[int]] = []
writes: list[str] = []


class Recording:
    def __init__(self, loader):
        self.loader = loader
        self.classes, self.num_samples = loader.classes, loader.num_samples

    def __len__(self):
        return len(self.loader)

    def set_epoch(self, epoch):
        seen.append([])
        self.loader.set_epoch(epoch)

    def __iter__(self):
        for images, labels in self.loader:
            seen[-1].extend(int(round(v)) // 4 for v in images[:, 0].double().mean(dim=(1, 2)).tolist())
            yield images, labels


def audit(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = args[1], args[2] or 0
        writing = (mode is not None and any(c in mode for c in "wax+")) or (mode is None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing and os.path.abspath(os.fsdecode(args[0])).startswith(RUN_DIR):
            writes.append(f"{event} {os.fsdecode(args[0])}")
    elif event in ("os.mkdir", "os.rename", "os.remove", "os.link", "os.rmdir", "shutil.copyfile", "os.truncate"):
        paths = [os.fsdecode(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
        if any(os.path.abspath(p).startswith(RUN_DIR) for p in paths):
            writes.append(f"{event} {paths}")


build_loaders = trainer.build_loaders
trainer.build_loaders = lambda *a, **k: (lambda tv: (Recording(tv[0]), tv[1]))(build_loaders(*a, **k))
fit = trainer.Trainer.fit


def recording_fit(self):
    result = fit(self)
    torch.save(self.model.state_dict(), OUT / f"state{RANK}.pt")
    return result


trainer.Trainer.fit = recording_fit
if os.environ.get("DDP_CRASH_RANK") == str(RANK):
    step = trainer.Trainer._train_step

    def crashing_step(self, *a, **k):
        if self.iteration == 2:
            raise RuntimeError(f"simulated crash of rank {RANK}")
        return step(self, *a, **k)

    trainer.Trainer._train_step = crashing_step

sys.addaudithook(audit)
code = 1
try:
    code = run.main(sys.argv[1:])
finally:
    (OUT / f"rank{RANK}.json").write_text(json.dumps({"seen": seen, "writes": writes, "code": code}))
sys.exit(code)
