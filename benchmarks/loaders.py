"""Loader throughput: every CPU backend against the standard torchvision ImageNet recipe, side by side.

    python benchmarks/loaders.py                      # 2000 generated ~500×375 JPEGs (cached)
    python benchmarks/loaders.py --root ~/imagenet    # or any ImageNet-layout folder (train/, val/)

The baseline yields normalised float32 batches (it normalises in its workers, as the recipe does);
our backends yield uint8 batches, because they normalise on the training device (the GPU, in
production). ``--normalize`` adds ``normalize`` on this CPU to their timing. Epochs run
round-robin across the pipelines, so load changes on a shared machine hit all of them alike;
the first epoch of each is a warm-up; the figure is the median of the others. The decode-only
line (read + OpenCV decode in as many processes, nothing else) is the ceiling.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Callable, Iterable

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import environment  # noqa: E402
from modelzoo.data_config import IMAGENET_MEAN, IMAGENET_STD, test_size_for  # noqa: E402
from modelzoo.hub.download import cache_dir  # noqa: E402
from modelzoo.training.data import build_loader, normalize  # noqa: E402
from modelzoo.training.data.custom import OpenCVFolder  # noqa: E402
from modelzoo.training.data.demo import build_once, photo_like_image  # noqa: E402

TARGETS = {("train", "dali_cpu"): 1.8, ("train", "custom"): 1.6, ("train", "torch"): 1.2,
           ("val", "dali_cpu"): 1.7, ("val", "custom"): 1.5}  # fmt: skip
CLASSES = 10


def _write_image(args: tuple[Path, int]) -> None:
    root, i = args
    rng = np.random.default_rng([1234, i])
    h, w = (375, 500) if rng.random() < 0.7 else (500, 375)
    h, w = int(h * rng.uniform(0.9, 1.1)), int(w * rng.uniform(0.9, 1.1))
    path = root / "train" / f"class{i % CLASSES:02d}" / f"img{i:05d}.jpg"
    cv2.imwrite(str(path), photo_like_image(rng, h, w)[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])
    os.link(path, root / "val" / path.parent.name / path.name)  # val: the same files


def make_images(count: int, workers: int) -> Path:
    """``count`` ImageNet-sized photo-like JPEGs (q90) in train/ and val/ (hard links), cached."""

    def build(tmp: Path) -> None:
        for split in ("train", "val"):
            for c in range(CLASSES):
                (tmp / split / f"class{c:02d}").mkdir(parents=True)
        with Pool(workers) as pool:
            pool.map(_write_image, [(tmp, i) for i in range(count)], chunksize=16)

    root = cache_dir() / "benchmarks" / f"loaders-{count}"
    return build_once(root, build, {"images": count, "version": 1, "quality": 90})


# ---------------------------------------------------------------------------------------------- pipelines


def baseline_loader(root: Path, split: str, size: int, batch_size: int, workers: int) -> torch.utils.data.DataLoader:
    """The standard torchvision ImageNet recipe: ImageFolder + PIL + transforms, float output."""
    import torchvision.transforms as T
    from torchvision.datasets import ImageFolder

    norm = [T.ToTensor(), T.Normalize(IMAGENET_MEAN, IMAGENET_STD)]
    if split == "train":
        tf = T.Compose([T.RandomResizedCrop(size), T.RandomHorizontalFlip(), *norm])
    else:
        tf = T.Compose([T.Resize(test_size_for(size)), T.CenterCrop(size), *norm])
    train = split == "train"
    return torch.utils.data.DataLoader(ImageFolder(str(root / split), tf), batch_size=batch_size, shuffle=train,
                                       drop_last=train, num_workers=workers)  # fmt: skip


def normalized(loader) -> Iterable[torch.Tensor]:
    for images, _ in loader:
        yield normalize(images, IMAGENET_MEAN, IMAGENET_STD)


class _Decode(torch.utils.data.Dataset):
    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int) -> int:
        return cv2.imdecode(np.fromfile(self.paths[i], np.uint8), cv2.IMREAD_COLOR).shape[0]


def decode_only(root: Path, split: str, batch_size: int, workers: int) -> torch.utils.data.DataLoader:
    paths = sorted(str(p) for p in (root / split).glob("*/*") if p.is_file())
    if workers:
        OpenCVFolder.before_fork()  # one OpenCV thread before forking, as the custom backend does
    return torch.utils.data.DataLoader(_Decode(paths), batch_size=batch_size, num_workers=workers)


def time_epoch(make_iter: Callable[[int], Iterable], epoch: int) -> tuple[float, int]:
    """(seconds, images) of one pass over ``make_iter(epoch)``."""
    start, count = time.perf_counter(), 0
    for batch in make_iter(epoch):
        count += len(batch)
    return time.perf_counter() - start, count


def pipelines(root: Path, split: str, args) -> dict[str, Callable[[int], Iterable]]:
    """name → (epoch → iterable of batches)."""
    runs: dict[str, Callable[[int], Iterable]] = {}
    base = baseline_loader(root, split, args.size, args.batch_size, args.workers)
    runs["torchvision recipe"] = lambda epoch: (x for x, _ in base)
    for backend in args.backends:
        try:
            loader = build_loader(root, split, backend=backend, size=args.size, batch_size=args.batch_size,
                                  num_workers=args.workers)  # fmt: skip
        except ImportError as e:
            print(f"skipping {backend}: {e}")
            continue

        def run(epoch: int, loader=loader):
            loader.set_epoch(epoch)
            return normalized(loader) if args.normalize else (x for x, _ in loader)

        runs[backend] = run
    dec = decode_only(root, split, args.batch_size, args.workers)
    runs["decode only (ceiling)"] = lambda epoch: (x for x in dec)
    return runs


def measure(root: Path, split: str, args) -> dict[str, float]:
    """Median images/s per pipeline over ``args.epochs`` round-robin epochs after a warm-up."""
    runs = pipelines(root, split, args)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for epoch in range(args.epochs + 1):
        for name, make_iter in runs.items():
            seconds, count = time_epoch(make_iter, epoch)
            if epoch:
                rates[name].append(count / seconds)
        print(f"  {split} epoch {epoch} done", file=sys.stderr)
    return {name: statistics.median(r) for name, r in rates.items()}


def report(results: dict[str, dict[str, float]]) -> list[str]:
    lines = []
    for split, rates in results.items():
        base = rates["torchvision recipe"]
        lines.append(f"\n{split} (images/s, median)      img/s   × recipe   target")
        for name, rate in rates.items():
            target = TARGETS.get((split, name))
            verdict = "" if target is None else f"≥ {target:.1f}× {'ok' if rate / base >= target else 'MISSED'}"
            lines.append(f"  {name:<24} {rate:8.0f}   {rate / base:6.2f}×   {verdict}")
    return lines


def main(argv: list[str] | None = None) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", type=Path, help="ImageNet-layout folder (default: generate photo-like JPEGs)")
    p.add_argument("--images", type=int, default=2000, help="number of generated images")
    p.add_argument("--epochs", type=int, default=4, help="timed epochs per pipeline (after one warm-up)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--workers", type=int, default=cores, help="DataLoader workers / DALI threads")
    p.add_argument("--backends", default="custom,torch,dali_cpu", type=lambda s: s.split(","))
    p.add_argument("--splits", default="train,val", type=lambda s: s.split(","))
    p.add_argument("--normalize", action="store_true", help="include normalize() on the CPU for our backends")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    root = args.root or make_images(args.images, args.workers)
    print(f"{datetime.date.today()} {platform.node()}: {cores} cores, {args.workers} workers, batch "
          f"{args.batch_size}, size {args.size}, torch {torch.__version__}, normalize on CPU: {args.normalize}, "
          f"data {root}")  # fmt: skip
    results = {split: measure(root, split, args) for split in args.splits}
    print("\n".join(report(results)))
    if args.json:
        env = {**environment(torch.device("cpu")), "opencv": cv2.__version__, "workers": args.workers,
               "batch_size": args.batch_size, "size": args.size}  # fmt: skip
        record = {"date": str(datetime.date.today()), "cores": cores, "normalize": args.normalize,
                  "environment": env, "results": results}  # fmt: skip
        args.json.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
