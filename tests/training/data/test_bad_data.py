"""Bad data: clear errors naming the file or folder by default; skipping with a count when asked."""
from __future__ import annotations

import logging
import shutil

import pytest
from loader_helpers import CPU_BACKENDS, collect

from modelzoo.training.data import BadImageError, DatasetError, build_loader


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damage(root):
    """Truncate one train image, replace another with text; returns both paths."""
    files = sorted((root / "train" / "circle").iterdir())
    _truncate(files[1])
    files[4].write_text("this is not an image")
    return [str(files[1]), str(files[4])]


def _loader(root, backend, split="train", **kw):
    return build_loader(root, split, backend=backend, size=32, batch_size=8, num_workers=0, **kw)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_unreadable_file_raises_naming_it(demo_copy, backend):
    bad = _damage(demo_copy)
    with pytest.raises(BadImageError) as info:
        collect(_loader(demo_copy, backend))
    message = str(info.value)
    assert any(path in message for path in bad), message
    assert "truncated JPEG" in message or "not a JPEG or PNG" in message


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_skip_bad_files_counts_them(demo_copy, backend, caplog):
    bad = _damage(demo_copy)
    loader = _loader(demo_copy, backend, skip_bad_files=True)
    with caplog.at_level(logging.WARNING, logger="modelzoo.training.data"):
        images, labels, sizes = collect(loader)
    lost = {path for path, _ in loader.excluded} | set(loader.skipped_files)
    assert lost == set(bad)
    assert len(images) == loader.num_samples - loader.skipped and len(labels) == len(images)
    assert loader.skipped + len(loader.excluded) == 2  # decode-time skips (custom, torch) or excluded (DALI)
    assert any("skipped" in r.message or "excluded" in r.message for r in caplog.records)


def test_worker_error_reaches_the_main_process(demo_copy):
    """A failing worker raises in the training process (no silent death, no hang)."""
    bad = _damage(demo_copy)
    loader = build_loader(demo_copy, "train", backend="custom", size=32, batch_size=8, num_workers=2)
    with pytest.raises(BadImageError, match="|".join(bad)):
        collect(loader)


def test_skipped_count_is_reported_each_epoch(demo_copy, caplog):
    _damage(demo_copy)
    loader = build_loader(demo_copy, "val", backend="custom", size=32, batch_size=8, num_workers=0,
                          skip_bad_files=True)  # fmt: skip
    (demo_copy / "val" / "star" / "star_0000.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    with caplog.at_level(logging.WARNING, logger="modelzoo.training.data"):
        for epoch in (0, 1):
            images = collect(loader, epoch)[0]
            assert len(images) == 29 and loader.skipped == 1
    assert sum("skipped 1 unreadable" in r.message for r in caplog.records) == 2


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_non_image_file_name(demo_copy, backend):
    stray = demo_copy / "train" / "ring" / "notes.txt"
    stray.write_text("labelling notes")
    with pytest.raises(BadImageError, match="notes.txt"):
        _loader(demo_copy, backend)
    loader = _loader(demo_copy, backend, skip_bad_files=True)
    assert loader.excluded == [(str(stray), "not an image file name")] and len(collect(loader)[0]) == 80


def test_empty_class_folder(demo_copy):
    shutil.rmtree(demo_copy / "val" / "star")
    (demo_copy / "val" / "star").mkdir()
    with pytest.raises(DatasetError, match=r"val/star is empty"):
        _loader(demo_copy, "custom", "val")


def test_missing_split(demo_copy):
    shutil.rmtree(demo_copy / "val")
    with pytest.raises(FileNotFoundError, match=r"missing split folder .*val"):
        _loader(demo_copy, "custom", "val")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        _loader(demo_copy / "nowhere", "custom", "train")


def test_class_sets_differ(demo_copy):
    shutil.move(demo_copy / "val" / "star", demo_copy / "val" / "pentagon")
    for split in ("train", "val"):
        with pytest.raises(DatasetError, match=r"only in train: \['star'\], only in val: \['pentagon'\]"):
            _loader(demo_copy, "custom", split)


def test_hidden_entries_are_ignored(demo_copy):
    (demo_copy / "train" / ".ipynb_checkpoints").mkdir()
    (demo_copy / "train" / "ring" / ".DS_Store").write_bytes(b"\0\0")
    (demo_copy / "train" / "README.txt").write_text("ignored: files next to class folders")
    loader = _loader(demo_copy, "custom")
    assert len(loader.classes) == 10 and len(collect(loader)[0]) == 80
