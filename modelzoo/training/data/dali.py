"""``dali_cpu`` / ``dali_gpu`` backends: NVIDIA DALI pipelines (DALI is imported only in here, lazily).

Train: fused decode-and-random-crop (only the crop window is decoded), resize to ``size``, random
mirror. Val: decode, then one antialiased resize of exactly the region torchvision's
resize-then-centre-crop keeps (same geometry, integer arithmetic inside the pipeline). Both end in
a uint8 ``crop_mirror_normalize`` that transposes to CHW (and mirrors) in DALI's threads.
``dali_cpu`` runs every op on CPU threads; ``dali_gpu`` decodes with nvJPEG (``mixed``) and resizes
on the GPU.

The train pipeline is rebuilt every epoch from this rank's share of the shared shuffled order
(``sharding.rank_indices``) with seed ``pipeline_seed(seed, epoch, rank)``: epoch ``e`` depends
only on ``(seed, e, rank, world_size)``. The val pipeline (fixed order, no randomness) is built
once and rewound after each complete pass. The random crops are DALI's own (same distribution as the
other backends, different draws). DALI cannot skip a file it fails to decode: with
``skip_bad_files`` the files are pre-checked (signature and end marker) and bad ones excluded; a
decode failure otherwise stops the epoch with an error naming the file.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from .folder import BadImageError, Split, find_bad_files
from .loader import Batch, EpochLoader
from .sharding import pipeline_seed
from .transforms import ATTEMPTS, RATIO, SCALE

_READER = "reader"
_PREFETCH = 2


def require_dali(backend: str) -> None:
    """Raise a clear ImportError when DALI is missing."""
    try:
        import nvidia.dali  # noqa: F401
        import nvidia.dali.plugin.pytorch  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"backend {backend!r} needs NVIDIA DALI, which is not installed: pip install modelzoo[dali] "
            f"(or an nvidia-dali-cudaXXX wheel matching your CUDA; 'custom' and 'torch' need no DALI)"
        ) from e


def without_bad_files(split: Split, threads: int) -> Split:
    """``split`` minus the files failing the header/end-marker check (added to ``excluded``)."""
    bad = find_bad_files(split.paths, threads=max(4, threads))
    if not bad:
        return split
    bad_paths = {path for path, _ in bad}
    keep = np.array([p not in bad_paths for p in split.paths], dtype=bool)
    paths = [p for p, k in zip(split.paths, keep) if k]
    return Split(split.root, split.name, split.classes, paths, split.labels[keep], split.excluded + bad)


def _half_even_half(d):
    """``round(d / 2)`` with ties to even (Python's round) for an integer DALI node ``d``."""
    k = d // 2
    return k + (d - 2 * k) * (k - 2 * (k // 2))


def _center_roi(shape, size: int, resize: int):
    """Source region (start, end) in (y, x) that resize-shorter-to-``resize`` + centre-crop keeps."""
    from nvidia.dali import fn
    from nvidia.dali import math as dmath

    h, w = shape[0], shape[1]
    short = dmath.min(h, w)
    rh, rw = resize * h // short, resize * w // short
    oy, ox = _half_even_half(rh - size), _half_even_half(rw - size)
    start = fn.stack(oy * h / rh, ox * w / rw)
    end = fn.stack((oy + size) * h / rh, (ox + size) * w / rw)
    return start, end


def build_pipeline(files: list[str], labels: list[int], *, train: bool, size: int, resize: int, gpu: bool,
                   batch_size: int, num_threads: int, device_id: int | None, seed: int):  # fmt: skip
    """A DALI pipeline yielding ``images`` (N×3×size×size uint8 RGB) and ``labels`` for ``files`` in order.

    The transpose to CHW (and the train mirror) happen in DALI's worker threads, still in uint8
    (cheaper than a copy by torch in the loop's thread; see docs/data.md).
    """
    from nvidia.dali import fn, pipeline_def, types

    decoder = "mixed" if gpu else "cpu"

    @pipeline_def(batch_size=batch_size, num_threads=num_threads, device_id=device_id, seed=seed,
                  prefetch_queue_depth=_PREFETCH)  # fmt: skip
    def pipeline():
        encoded, label = fn.readers.file(files=files, labels=labels, random_shuffle=False, pad_last_batch=True,
                                         name=_READER)  # fmt: skip
        if train:
            images = fn.decoders.image_random_crop(
                encoded, device=decoder, output_type=types.RGB, adjust_orientation=False,
                random_area=list(SCALE), random_aspect_ratio=list(RATIO), num_attempts=ATTEMPTS,
            )  # fmt: skip
            images = fn.resize(images, size=[size, size])
            mirror = fn.random.coin_flip(probability=0.5)
        else:
            start, end = _center_roi(fn.peek_image_shape(encoded, adjust_orientation=False), size, resize)
            images = fn.decoders.image(encoded, device=decoder, output_type=types.RGB, adjust_orientation=False)
            images = fn.resize(images, size=[size, size], roi_start=start, roi_end=end)
            mirror = 0
        images = fn.crop_mirror_normalize(images, dtype=types.UINT8, output_layout="CHW", mirror=mirror)
        return images, label

    return pipeline()


class DaliLoader(EpochLoader):
    """Loader of the ``dali_cpu`` and ``dali_gpu`` backends (see the module doc)."""

    def __init__(self, split: Split, *, gpu: bool, size: int, resize: int, num_threads: int, **kwargs) -> None:
        super().__init__(split, **kwargs)
        self.gpu, self.size, self.resize, self.num_threads = gpu, size, resize, max(1, num_threads)
        if gpu and self.device.type != "cuda":
            raise ValueError(f"backend 'dali_gpu' produces CUDA tensors: pass device='cuda[:N]', not {self.device}")
        if gpu and not torch.cuda.is_available():
            raise RuntimeError("backend 'dali_gpu' needs CUDA, which is not available here (use 'dali_cpu')")
        self._finished_val = None  # val: same files, no randomness: a completed pipeline is reused

    def _epoch_iterator(self, files: list[str], labels: list[int]):
        """A new pipeline for a train epoch; for val, the last completed one, rewound."""
        it, self._finished_val = self._finished_val, None
        if it is None:
            return self._iterator(files, labels)
        it.reset()
        return it

    def _iterator(self, files: list[str], labels: list[int]):
        from nvidia.dali.plugin.pytorch import DALIGenericIterator, LastBatchPolicy

        device_id = (self.device.index or 0) if self.gpu else None
        pipe = build_pipeline(files, labels, train=self.train, size=self.size, resize=self.resize, gpu=self.gpu,
                              batch_size=self.batch_size, num_threads=self.num_threads, device_id=device_id,
                              seed=pipeline_seed(self.seed, self.epoch, self.rank))  # fmt: skip
        return DALIGenericIterator([pipe], ["images", "labels"], reader_name=_READER, auto_reset=False,
                                   last_batch_policy=LastBatchPolicy.PARTIAL)  # fmt: skip

    def _batches(self) -> Iterator[Batch]:
        indices = self.epoch_indices()
        if not len(indices):  # a val rank with nothing to read (world_size > samples)
            return
        files = [self.split.paths[i] for i in indices]
        it = self._epoch_iterator(files, self.split.labels[indices].tolist())
        done = 0
        while True:
            try:
                (batch,) = next(it)
            except StopIteration:
                if not self.train:
                    self._finished_val = it
                return
            except Exception as e:  # DALI raises RuntimeError; be explicit about which file broke it
                raise self._explain(files, done, e) from e
            done += 1
            images = batch["images"].to(self.device, non_blocking=True)
            yield images, batch["labels"].view(-1).to(self.device, dtype=torch.int64, non_blocking=True)

    def _explain(self, files: list[str], done: int, error: Exception) -> Exception:
        """The error to raise for a failed batch: name the bad file (near the failing batch first)."""
        window = files[done * self.batch_size : (done + _PREFETCH + 2) * self.batch_size]
        bad = find_bad_files(window, self.num_threads) or find_bad_files(files, self.num_threads)
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if bad:
            path, why = bad[0]
            return BadImageError(f"{path}: {why} (DALI stopped: {first_line}; skip_bad_files=True excludes such files)")
        where = self.split.root / self.split.name
        return RuntimeError(f"DALI pipeline failed on {where}, epoch {self.epoch}: {error}")
