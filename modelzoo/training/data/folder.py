"""The ImageNet folder layout: scanning a split, the class map, and recognising bad image files.

``<root>/<split>/<class>/<image>``: the classes are the sorted sub-folder names of the split (the
same map for every backend), the samples of a class its files sorted by name. Hidden entries
(starting with ``.``) and plain files directly inside the split folder are ignored.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")  # case-insensitive
SPLITS = ("train", "val")
_TAIL_BYTES = 4096  # where a complete JPEG/PNG has its end marker


class DatasetError(ValueError):
    """The dataset folder is not usable as given (empty class folder, class sets that differ, ...)."""


class BadImageError(RuntimeError):
    """A file could not be decoded as an image. The message starts with the file's path."""


@dataclass
class Split:
    """One scanned split: ``paths[i]`` has label ``labels[i]`` (an index into ``classes``)."""

    root: Path
    name: str
    classes: list[str]
    paths: list[str]
    labels: np.ndarray  # int64
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (path, reason), skip_bad_files only

    def __len__(self) -> int:
        return len(self.paths)


def _visible(entries: list[os.DirEntry]) -> list[os.DirEntry]:
    return sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)


def class_folders(split_dir: Path) -> list[str]:
    """The sorted class folder names of a split folder; FileNotFoundError if it is missing."""
    if not split_dir.is_dir():
        root = split_dir.parent
        found = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else None
        where = f"{root} contains {found}" if found is not None else f"{root} does not exist"
        raise FileNotFoundError(f"missing split folder {split_dir} ({where}; expected {list(SPLITS)})")
    with os.scandir(split_dir) as it:
        return [e.name for e in _visible(list(it)) if e.is_dir()]


def _check_same_classes(root: Path, split: str, classes: list[str]) -> None:
    """Raise if the other split exists with a different set of class folders."""
    found = {split: classes}
    for other in SPLITS:
        if other not in found and (root / other).is_dir():
            found[other] = class_folders(root / other)
    if len(found) < 2 or found["train"] == found["val"]:
        return
    train, val = set(found["train"]), set(found["val"])
    raise DatasetError(
        f"the class folders of {root / 'train'} and {root / 'val'} differ: only in train: "
        f"{sorted(train - val)[:10]}, only in val: {sorted(val - train)[:10]} (the class map must be the same)"
    )


def scan_split(root: str | os.PathLike, split: str, *, skip_bad_files: bool = False) -> Split:
    """Scan ``<root>/<split>``: the class map and the sample list, with clear errors for bad layouts.

    Errors name the folder or file: a missing split, no class folders, an empty class folder,
    train/val class sets that differ, a file without an image extension (``IMAGE_EXTENSIONS``).
    With ``skip_bad_files`` such files are excluded instead (listed in ``Split.excluded``).
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {list(SPLITS)}")
    root = Path(root).expanduser()
    split_dir = root / split
    classes = class_folders(split_dir)
    if not classes:
        raise DatasetError(f"{split_dir} has no class folders (expected {split_dir}/<class>/<image>)")
    _check_same_classes(root, split, classes)
    paths: list[str] = []
    labels: list[int] = []
    excluded: list[tuple[str, str]] = []
    for label, name in enumerate(classes):
        with os.scandir(split_dir / name) as it:
            files = [e for e in _visible(list(it)) if e.is_file()]
        if not files:
            raise DatasetError(f"class folder {split_dir / name} is empty (every class needs images)")
        for entry in files:
            if entry.name.lower().endswith(IMAGE_EXTENSIONS):
                paths.append(entry.path)
                labels.append(label)
            elif skip_bad_files:
                excluded.append((entry.path, "not an image file name"))
            else:
                raise BadImageError(
                    f"{entry.path}: not an image file name (accepted: {', '.join(IMAGE_EXTENSIONS)}); "
                    "remove it or pass skip_bad_files=True"
                )
    return Split(root, split, classes, paths, np.asarray(labels, dtype=np.int64), excluded)


def image_problem(head: bytes, tail: bytes) -> str | None:
    """Why bytes that start with ``head`` and end with ``tail`` are not a complete JPEG/PNG, or None.

    A cheap structural check (signature and end marker), used to explain decoder failures and to
    pre-filter files for DALI, which cannot skip a file it fails to decode.
    """
    if not head:
        return "empty file"
    if head.startswith(b"\xff\xd8\xff"):
        return None if b"\xff\xd9" in tail else "truncated JPEG (no end-of-image marker)"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return None if b"IEND" in tail else "truncated PNG (no IEND chunk)"
    return f"not a JPEG or PNG image (starts with {head[:8]!r})"


def bytes_problem(data) -> str | None:
    """``image_problem`` for a file's whole content (bytes or a uint8 array)."""
    return image_problem(bytes(data[:16]), bytes(data[-_TAIL_BYTES:]))


def file_problem(path: str) -> str | None:
    """``image_problem`` for a file on disk, reading only its first and last bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - _TAIL_BYTES))
            tail = f.read()
    except OSError as e:
        return f"unreadable ({e.strerror or e})"
    return image_problem(head, tail)


def find_bad_files(paths: list[str], threads: int = 8) -> list[tuple[str, str]]:
    """``(path, reason)`` for each of ``paths`` that fails ``file_problem``, in order."""
    with ThreadPoolExecutor(max(1, threads)) as pool:
        problems = list(pool.map(file_problem, paths, chunksize=256))
    return [(p, why) for p, why in zip(paths, problems) if why is not None]


def decode_failure(path: str, data=None, detail: str = "") -> BadImageError:
    """The error for a file a decoder rejected, explained by ``image_problem`` where it can."""
    reason = bytes_problem(data) if data is not None else None
    reason = reason or "corrupt image data (the decoder rejected it)"
    return BadImageError(f"{path}: {reason}{f' [{detail}]' if detail else ''}")
