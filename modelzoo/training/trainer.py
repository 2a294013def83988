"""The training loop: resolve the config, build model and loaders, train, evaluate, checkpoint.

``Trainer(cfg, run_dir, dist_info).fit()`` trains from scratch or resumes the newest checkpoint in
``run_dir/checkpoints``. Every process runs the same code; only rank 0 prints and writes files.
"""
from __future__ import annotations

import contextlib
import math
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol

import torch
import torch.nn as nn
import torch.nn.functional as F

import modelzoo
from modelzoo.data_config import DataConfig
from modelzoo.hub.publish import data_config_of

from . import checkpoint, dist
from .config import DEMO_ROOT, Config, ConfigError, DataCfg, ModelCfg, training_differences
from .dist import DistInfo
from .log import RunLog
from .optim import WeightEma, build_optimizer, lr_at, set_lr

CHECKPOINTS = "checkpoints"
CONFIG_FILE = "config.yaml"


class Loader(Protocol):
    """What the trainer needs from a loader (``modelzoo.training.data.build_loader`` returns one)."""

    classes: list[str]
    num_samples: int

    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]: ...
    def set_epoch(self, epoch: int) -> None: ...


class NonFiniteLossError(RuntimeError):
    """The training loss became NaN or infinite; the last good checkpoint is kept."""


class TrainingInterrupted(Exception):
    """SIGTERM/SIGINT arrived; a checkpoint was written and the run can be resumed."""

    def __init__(self, signum: int, path: Path | None):
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.path = path


@dataclass(frozen=True)
class EvalResult:
    """Validation metrics, reduced over all processes (errors in percent)."""

    loss: float
    top1_err: float
    top5_err: float
    images: int
    images_per_sec: float

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        return {f"{prefix}{k}": getattr(self, k) for k in ("loss", "top1_err", "top5_err", "images_per_sec")}


# --------------------------------------------------------------------------------- resolution
def default_backend() -> str:
    """``dali_cpu`` when DALI (and its PyTorch plugin) imports, else ``custom``."""
    from .data.dali import require_dali

    try:
        require_dali("dali_cpu")
    except ImportError:
        return "custom"
    return "dali_cpu"


def create_model(cfg: ModelCfg, num_classes: int | None = None, data_config: DataConfig | None = None) -> nn.Module:
    """The network of ``cfg``: hub weights when ``cfg.pretrained`` is set, else a fresh init.

    With weights, ``num_classes`` (None: the weights' classes) different from the weights'
    replaces the head; ``data_config`` (random init only) is the data config the model carries.
    """
    if cfg.pretrained is not False:
        return modelzoo.create(cfg.name, pretrained=cfg.pretrained, num_classes=num_classes, **cfg.kwargs)
    extra = {"data_config": data_config} if data_config is not None else {}
    return modelzoo.create(cfg.name, num_classes=num_classes, **extra, **cfg.kwargs)


def resolve_data_config(cfg: DataCfg, base: DataConfig) -> DataConfig:
    """``base`` (the weights'/architecture's data config) with the fields ``cfg`` sets.

    Setting only ``train_size`` derives the rest by the protocol (test = nearest even
    256/224 · size, crop = size)."""
    dc = base
    if cfg.train_size is not None and cfg.train_size != base.train_size:
        dc = DataConfig.for_train_size(cfg.train_size, mean=base.mean, std=base.std, interpolation=base.interpolation)
    changes = {k: getattr(cfg, k) for k in ("test_size", "crop_size", "mean", "std") if getattr(cfg, k) is not None}
    return dc.replace(**changes)


def attach_data_config(model: nn.Module, dc: DataConfig, class_names: list[str]) -> None:
    """Record on the model the data config and class names its new weights are trained for
    (``save_pretrained`` exports them)."""
    model.data_config = dc
    model.pretrained_cfg = {**model.pretrained_cfg, **model._cfg_dict(dc), "class_names": list(class_names)}


def dataset_root(root: str) -> Path:
    """``data.root`` as a path; ``demo`` creates (once: ranks wait on its file lock) the embedded dataset."""
    if root != DEMO_ROOT:
        return Path(root).expanduser()
    from .data import make_demo_dataset

    return make_demo_dataset()


def build_loaders(cfg: DataCfg, root: Path, dc: DataConfig, *, train_batch: int, test_batch: int, seed: int,
                  info: DistInfo) -> tuple[Loader, Loader]:  # fmt: skip
    """Train and val loaders of this process (per-process batch sizes)."""
    from .data import build_loader

    common = dict(backend=cfg.backend, rank=info.rank, world_size=info.world_size, device=info.device,
                  num_workers=cfg.num_workers, seed=seed, skip_bad_files=cfg.skip_bad_files)  # fmt: skip
    train = build_loader(root, "train", size=dc.train_size, batch_size=train_batch, **common)
    val = build_loader(root, "val", size=dc.crop_size, batch_size=test_batch, val_resize=dc.test_size, **common)
    return train, val


# ------------------------------------------------------------------------------------ evaluation
def autocast(device: torch.device, amp: str) -> contextlib.AbstractContextManager:
    if amp == "none":
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16 if amp == "bf16" else torch.float16)


@torch.no_grad()
def evaluate(model: nn.Module, loader: Iterable, dc: DataConfig, *, device: torch.device, amp: str = "none",
             channels_last: bool = False) -> EvalResult:  # fmt: skip
    """Top-1/top-5 error (%), mean cross-entropy and throughput over the whole (sharded) val split.

    Counts are summed over processes once at the end, so each rank may hold a different number of
    batches; with the loader covering every sample exactly once the metrics are exact.
    """
    from .data import normalize

    was_training = model.training
    model.eval()
    sums = torch.zeros(4, dtype=torch.float64, device=device)  # loss, top-1 correct, top-5 correct, n
    t0 = time.perf_counter()
    for images, labels in loader:
        x = normalize(images, dc.mean, dc.std, channels_last=channels_last)
        with autocast(device, amp):
            logits = model(x)
        logits = logits.float()
        k = min(5, logits.shape[1])
        topk = logits.topk(k, dim=1).indices
        hit = topk.eq(labels[:, None])
        sums += torch.stack([F.cross_entropy(logits, labels, reduction="sum").double(), hit[:, 0].sum().double(),
                             hit.any(dim=1).sum().double(), torch.tensor(float(labels.numel()), device=device, dtype=torch.float64)])  # fmt: skip
    dist.all_reduce_sum(sums)
    seconds = time.perf_counter() - t0
    model.train(was_training)
    loss, c1, c5, n = sums.tolist()
    n_int = int(n)
    if n_int == 0:
        raise RuntimeError("the validation split is empty")
    return EvalResult(loss / n, 100.0 * (1 - c1 / n), 100.0 * (1 - c5 / n), n_int, n / max(seconds, 1e-9))


# ----------------------------------------------------------------------------------------- signals
class StopSignals:
    """Turns SIGTERM/SIGINT into a flag checked between steps (a second SIGINT stops at once)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.signum: int | None = None
        self._old: dict[int, Any] = {}

    def _handler(self, signum: int, frame: Any) -> None:
        if self.signum == signal.SIGINT and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.signum = signum

    def __enter__(self) -> "StopSignals":
        with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
            for s in self.SIGNALS:
                self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: Any) -> None:
        for s, old in self._old.items():
            signal.signal(s, old)


# ----------------------------------------------------------------------------------------- trainer
class Trainer:
    """One training run in ``run_dir`` (resumed automatically from its newest checkpoint).

    ``loaders`` replaces :func:`build_loaders` (tests); the config's ``None``/``auto`` values are
    resolved here (backend, sizes, mean/std, classes) and the resolved config is what is printed,
    saved to ``config.yaml`` and stored in every checkpoint.
    """

    def __init__(self, cfg: Config, run_dir: str | Path, info: DistInfo | None = None,
                 loaders: tuple[Loader, Loader] | None = None):  # fmt: skip
        if info is None and dist.env_world_size() > 1:
            raise RuntimeError("a multi-process job needs the DistInfo of dist.setup(): pass info= (run() does)")
        # Without a DistInfo (one process, no process group) the device still follows the config.
        self.info = info or DistInfo(device=dist.pick_device(cfg.train.device))
        self.run_dir = Path(run_dir)
        self.ckpt_dir = self.run_dir / CHECKPOINTS
        self.log = RunLog(cfg.log, self.run_dir, enabled=self.info.is_main)
        self.device = self.info.device
        if cfg.train.cpu_threads is not None:
            torch.set_num_threads(cfg.train.cpu_threads)
        checkpoint.seed_everything(checkpoint.derive_seed(cfg.train.seed))  # identical init on every rank
        pretrained = create_model(cfg.model) if cfg.model.pretrained is not False else None
        self._resolve(cfg, pretrained, loaders)
        self._build(pretrained)
        self.epoch, self.iteration = 0, 0  # next position to run
        self._in_step = False
        self.best: dict[str, Any] = {}
        self.elapsed_s = 0.0  # wall time of all sessions of this run
        self.train_images, self.train_time_s = 0, 0.0
        self._session_t0 = time.perf_counter()
        self._resume()
        if self.info.is_main:
            self.log.info("resolved config:\n" + self.cfg.to_yaml().rstrip())
            (self.run_dir / CONFIG_FILE).write_text(self.cfg.to_yaml())

    def _resolve(self, cfg: Config, pretrained: nn.Module | None, loaders: tuple[Loader, Loader] | None) -> None:
        """Fill in the data config, backend, loaders and class count; ``self.cfg`` is the result."""
        base = data_config_of(pretrained) if pretrained is not None else modelzoo.registry.architecture(cfg.model.name).data_config
        dc = self.data_config = resolve_data_config(cfg.data, base)
        backend = default_backend() if cfg.data.backend == "auto" else cfg.data.backend
        if loaders is None:
            ws = self.info.world_size
            loaders = build_loaders(replace(cfg.data, backend=backend), dataset_root(cfg.data.root),
                                    dc, train_batch=cfg.train.batch_size // ws, test_batch=cfg.test.batch_size // ws,
                                    seed=cfg.train.seed, info=self.info)  # fmt: skip
        self.train_loader, self.val_loader = loaders
        self.cfg = cfg.replace(**{"model.num_classes": cfg.model.num_classes or len(self.train_loader.classes),
                                  "data.backend": backend, "data.train_size": dc.train_size,
                                  "data.test_size": dc.test_size, "data.crop_size": dc.crop_size,
                                  "data.mean": list(dc.mean), "data.std": list(dc.std)})  # fmt: skip
        self.iters_per_epoch = min(len(self.train_loader), self.cfg.train.limit_batches or len(self.train_loader))
        if self.iters_per_epoch == 0:
            raise RuntimeError(f"the training split has fewer samples than one batch of {cfg.train.batch_size}")

    def _build(self, pretrained: nn.Module | None) -> None:
        """Model (with the resolved head and data config), EMA, optimizer, scaler, DDP wrapper."""
        cfg, num_classes = self.cfg, self.cfg.model.num_classes
        checkpoint.seed_everything(checkpoint.derive_seed(cfg.train.seed))
        if pretrained is None:
            model = create_model(cfg.model, num_classes, self.data_config)
        else:
            model = pretrained
            if model.num_classes != num_classes:
                self.log.info(f"replacing the {model.num_classes}-class head of the pretrained weights "
                              f"by a new {num_classes}-class head")  # fmt: skip
                model.reset_classifier(num_classes)
        attach_data_config(model, self.data_config, self.train_loader.classes)
        memory_format = torch.channels_last if cfg.train.channels_last else torch.contiguous_format
        self.model = model.to(self.device, memory_format=memory_format)
        self.ema = WeightEma(self.model, cfg.optim.ema_decay) if cfg.optim.ema_decay > 0 else None
        self.optimizer = build_optimizer(self.model, cfg.optim)
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=cfg.train.amp == "fp16")
        self.ddp = self.model
        if self.info.distributed:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.ddp = nn.parallel.DistributedDataParallel(self.model, device_ids=ids)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True

    # -------------------------------------------------------------------------------- state
    @property
    def step(self) -> int:
        """Optimizer steps done."""
        return self.epoch * self.iters_per_epoch + self.iteration

    @property
    def images_per_sec(self) -> float:
        """Training throughput of the whole run (all processes, all sessions)."""
        return self.train_images / self.train_time_s if self.train_time_s else 0.0

    @property
    def wall_s(self) -> float:
        """Wall time of the whole run so far (all sessions)."""
        return self.elapsed_s + time.perf_counter() - self._session_t0

    def state_dict(self) -> dict[str, Any]:
        """Everything a checkpoint holds."""
        return {
            "format": 1,
            "epoch": self.epoch,
            "iteration": self.iteration,
            "step": self.step,
            "iters_per_epoch": self.iters_per_epoch,
            "world_size": self.info.world_size,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "ema": self.ema.state_dict() if self.ema is not None else None,
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else None,
            "rng": checkpoint.rng_state(),
            "config": self.cfg.to_dict(),
            "best": dict(self.best),
            "elapsed_s": self.wall_s,
            "train_images": self.train_images,
            "train_time_s": self.train_time_s,
        }

    def _resume(self) -> None:
        found = checkpoint.latest(self.ckpt_dir)
        if found is None:
            return
        path, state = found
        diffs = training_differences(state["config"], self.cfg.to_dict())
        if diffs:
            raise ConfigError(
                f"{self.run_dir} holds a run with a different config ({', '.join(diffs)} differ); "
                f"use another --out directory, or the same settings to resume it"
            )
        if state["iteration"] and state["world_size"] != self.info.world_size:
            raise RuntimeError(f"{path} was written mid-epoch by {state['world_size']} processes; resume it with as many")
        if state["iters_per_epoch"] != self.iters_per_epoch:
            raise RuntimeError(f"{path}: {state['iters_per_epoch']} steps per epoch, now {self.iters_per_epoch} "
                               f"(the dataset or the batch size changed)")  # fmt: skip
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.ema is not None:
            self.ema.load_state_dict(state["ema"])
        if state["scaler"] is not None:
            self.scaler.load_state_dict(state["scaler"])
        checkpoint.set_rng_state(state["rng"])
        self.epoch, self.iteration = state["epoch"], state["iteration"]
        self.best = state["best"]
        self.elapsed_s = state["elapsed_s"]
        self._session_t0 = time.perf_counter()
        self.train_images, self.train_time_s = state["train_images"], state["train_time_s"]
        self.log.truncate_metrics(self.step)
        self.log.info(f"resumed from {path} (epoch {self.epoch}, iteration {self.iteration})")

    def _save(self, *, regular: bool = True, best: bool = False) -> Path | None:
        """Rank 0 writes the checkpoint; every rank returns its path."""
        path = None
        if self.info.is_main:
            path = checkpoint.save(self.state_dict(), self.ckpt_dir, keep=self.cfg.train.keep_checkpoints,
                                   regular=regular, best=best)  # fmt: skip
        return path

    @property
    def finished(self) -> bool:
        return self.epoch >= self.cfg.optim.max_epoch

    # -------------------------------------------------------------------------------- loop
    def fit(self) -> dict[str, Any]:
        """Train until ``optim.max_epoch`` (from wherever the run stands); return the best metrics.

        Raises :class:`TrainingInterrupted` after checkpointing on SIGTERM/SIGINT and
        :class:`NonFiniteLossError` on a NaN/inf loss (the last good checkpoint stays).
        """
        if self.finished:
            self.log.info(f"{self.run_dir}: training already finished ({self.epoch} epochs)")
        with StopSignals() as stop:
            while not self.finished:
                self._train_epoch(stop)
                self._end_epoch(stop)
        return dict(self.best)

    def _agree(self, loss: torch.Tensor, stop: StopSignals) -> tuple[float, bool]:
        """Mean loss over processes and whether any process was asked to stop (one collective)."""
        flags = torch.stack([loss.detach().float(), torch.tensor(float(stop.signum is not None), device=loss.device)])
        dist.all_reduce_sum(flags)
        mean_loss, stop_votes = flags.tolist()
        return mean_loss / self.info.world_size, stop_votes > 0

    def _train_epoch(self, stop: StopSignals) -> None:
        cfg, epoch = self.cfg, self.epoch
        iters, global_batch = self.iters_per_epoch, cfg.train.batch_size
        self.ddp.train()
        self.train_loader.set_epoch(epoch)
        batches = iter(self.train_loader)
        for _ in range(self.iteration):  # mid-epoch resume: replay the loader to the same position
            next(batches)
        sums = torch.zeros(3, dtype=torch.float64, device=self.device)  # loss, top-1 correct, samples
        progress = self.log.progress(iters, f"epoch {epoch + 1}/{cfg.optim.max_epoch}", start=self.iteration)
        t0, first = time.perf_counter(), self.iteration
        try:
            while self.iteration < iters:
                images, labels = next(batches)
                self._in_step = True  # from here until the step is counted the state is in between
                mean_loss, lr, stopping = self._train_step(images, labels, sums, stop)
                self.iteration += 1
                self._in_step = False
                rate = (self.iteration - first) * global_batch / max(time.perf_counter() - t0, 1e-9)
                progress.update(loss=mean_loss, lr=lr, **{"img/s": rate})
                if self.step % cfg.log.log_period == 0:
                    self.log.metrics({"kind": "step", "step": self.step, "epoch": epoch + self.iteration / iters,
                                      "loss": mean_loss, "lr": lr})  # fmt: skip
                if stopping and self.iteration < iters:
                    self._stop(stop)
        except (TrainingInterrupted, NonFiniteLossError):
            raise
        except Exception:
            if stop.signum is None:
                raise
            # The signal also reached the loader's worker processes, which died with it.
            self._stop(stop, save=not self._in_step)
        finally:
            progress.close()
        seconds = time.perf_counter() - t0
        self.train_images += (self.iteration - first) * global_batch
        self.train_time_s += seconds
        skipped = torch.tensor([float(getattr(self.train_loader, "skipped", 0))], dtype=torch.float64, device=self.device)
        totals = dist.all_reduce_sum(torch.cat([sums, skipped]))
        loss_sum, correct, n, skipped_files = totals.tolist()
        self._epoch_train = {"loss": loss_sum / n, "top1_err": 100.0 * (1 - correct / n),
                             "images_per_sec": (self.iteration - first) * global_batch / max(seconds, 1e-9),
                             "skipped_files": int(skipped_files)}  # fmt: skip

    def _train_step(self, images: torch.Tensor, labels: torch.Tensor, sums: torch.Tensor,
                    stop: StopSignals) -> tuple[float, float, bool]:  # fmt: skip
        """One optimizer step at the current position; returns (mean loss, lr, stop agreed)."""
        from .data import normalize

        cfg, epoch, i = self.cfg, self.epoch, self.iteration
        checkpoint.seed_everything(checkpoint.derive_seed(cfg.train.seed, epoch, i, self.info.rank))
        lr = lr_at(cfg.optim, epoch, i, self.iters_per_epoch)
        set_lr(self.optimizer, lr)
        x = normalize(images, self.data_config.mean, self.data_config.std, channels_last=cfg.train.channels_last)
        with autocast(self.device, cfg.train.amp):
            logits = self.ddp(x)
        loss = F.cross_entropy(logits.float(), labels, label_smoothing=cfg.optim.label_smoothing)
        mean_loss, stopping = self._agree(loss, stop)
        if not math.isfinite(mean_loss):
            raise NonFiniteLossError(
                f"loss is {mean_loss} at epoch {epoch + 1}, iteration {i + 1} (lr {lr:.4g}); the run "
                f"stopped without saving; the last good checkpoint stays in {self.ckpt_dir}"
            )
        self._step(loss)
        with torch.no_grad():
            sums += torch.stack([loss.detach().double() * labels.numel(), logits.argmax(1).eq(labels).sum().double(),
                                 torch.tensor(float(labels.numel()), device=self.device, dtype=torch.float64)])  # fmt: skip
        return mean_loss, lr, stopping

    def _step(self, loss: torch.Tensor) -> None:
        """Backward, optional clipping, optimizer and scaler step, EMA update."""
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        if self.cfg.optim.clip_grad_norm is not None:
            self.scaler.unscale_(self.optimizer)
            nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.optim.clip_grad_norm)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        if self.ema is not None:
            self.ema.update(self.model)

    def _stop(self, stop: StopSignals, save: bool = True) -> None:
        """Checkpoint the current position (``save`` and mid-epoch) and raise TrainingInterrupted.

        ``save=False``: the state is between two steps (a step was cut short); the newest
        checkpoint on disk is the resume point."""
        signum = stop.signum or signal.SIGTERM
        if save and self.iteration:  # mid-epoch; an epoch-end checkpoint is already written
            self._save()
        found = checkpoint.list_checkpoints(self.ckpt_dir)
        path = found[-1] if found else None
        self.log.info(f"stopping on {signal.Signals(signum).name}: resume point {path or 'none (start over)'}; "
                      f"rerun the same command to resume")  # fmt: skip
        raise TrainingInterrupted(signum, path)

    def _end_epoch(self, stop: StopSignals) -> None:
        """Sync BN statistics, evaluate, report, checkpoint; stop here if a signal came during it."""
        cfg = self.cfg
        dist.broadcast_buffers(self.model)  # every rank now holds rank 0's exact model
        if self.ema is not None:
            self.ema.copy_buffers(self.model)
        self.epoch, self.iteration = self.epoch + 1, 0
        last = self.finished
        lr = lr_at(cfg.optim, self.epoch, 0, self.iters_per_epoch)
        record = {"kind": "train", "step": self.step, "epoch": self.epoch, "lr": lr, **self._epoch_train}
        self.log.metrics(record)
        line = f"epoch {self.epoch}/{cfg.optim.max_epoch} train loss {record['loss']:.4f} top-1 err {record['top1_err']:.2f}%"
        line += f" {record['images_per_sec']:.0f} img/s"
        if record["skipped_files"]:
            line += f" ({record['skipped_files']} unreadable files skipped)"
        is_best = False
        if self.epoch % cfg.test.eval_period == 0 or last:
            res = self.evaluate()
            val = {"kind": "val", "step": self.step, "epoch": self.epoch, **res.as_dict()}
            selected = res
            if self.ema is not None:
                ema_res = self.evaluate(self.ema.module)
                val.update(ema_res.as_dict("ema_"))
                selected = ema_res
            self.log.metrics(val)
            is_best = not self.best or selected.top1_err <= self.best["top1_err"]  # ties: the later weights
            if is_best:
                self.best = {"epoch": self.epoch, "top1_err": selected.top1_err, "top5_err": selected.top5_err,
                             "loss": selected.loss, "ema": self.ema is not None}  # fmt: skip
            line += f" | val loss {res.loss:.4f} top-1 err {res.top1_err:.2f}% top-5 err {res.top5_err:.2f}%"
            if self.ema is not None:
                line += f" (EMA {ema_res.top1_err:.2f}% / {ema_res.top5_err:.2f}%)"
            line += " *" if is_best else ""
        self.log.info(line)
        stopping = bool(dist.all_reduce_max(torch.tensor([float(stop.signum is not None)], device=self.device)).item())
        regular = self.epoch % cfg.train.checkpoint_period == 0 or last or stopping
        self._save(regular=regular, best=is_best)
        if stopping and not last:
            self._stop(stop)

    def evaluate(self, model: nn.Module | None = None) -> EvalResult:
        """Evaluate ``model`` (default: the trained model) on this run's val loader."""
        return evaluate(model if model is not None else self.model, self.val_loader, self.data_config,
                        device=self.device, amp=self.cfg.train.amp, channels_last=self.cfg.train.channels_last)  # fmt: skip

    def best_model(self) -> nn.Module:
        """A CPU copy of the best checkpoint's weights (EMA weights when EMA is on), data config and
        class names attached."""
        state = checkpoint.load(self.ckpt_dir / checkpoint.BEST)
        model = create_model(replace(self.cfg.model, pretrained=False), self.cfg.model.num_classes, self.data_config)
        model.load_state_dict(state["ema"] if state["ema"] is not None else state["model"])
        attach_data_config(model, self.data_config, self.train_loader.classes)
        return model.eval()

    def close(self) -> None:
        self.log.close()
