"""The training loop: build the model and loaders from the resolved config, train, evaluate, checkpoint.

``Trainer(cfg, run_dir, dist_info).fit()`` trains from scratch or resumes the newest checkpoint in
``run_dir/checkpoints``. The config is resolved once, first (:func:`~modelzoo.training.resolve.resolve_config`),
and never changed afterwards. Every process runs the same code; only rank 0 prints and writes files.
"""
from __future__ import annotations

import copy
import math
import signal
import time
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint, dist
from .build import Loader, build_loaders, build_model
from .config import Config, ConfigError, training_differences
from .data import normalize
from .dist import DistInfo
from .evaluation import EvalResult, autocast, evaluate
from .log import RunLog
from .optim import WeightEma, build_optimizer, lr_at, set_lr
from .resolve import default_backend, resolve_config, run_data_config
from .signals import StopSignals, TrainingInterrupted

__all__ = ["Trainer", "NonFiniteLossError", "TrainingInterrupted", "EvalResult", "evaluate", "default_backend",
           "build_loaders", "CHECKPOINTS", "CONFIG_FILE"]  # fmt: skip

CHECKPOINTS = "checkpoints"
CONFIG_FILE = "config.yaml"


class NonFiniteLossError(RuntimeError):
    """The training loss became NaN or infinite; the last good checkpoint is kept."""


class Trainer:
    """One training run in ``run_dir`` (resumed automatically from its newest checkpoint).

    ``cfg`` is resolved first (a resolved config stays as it is): the result, ``self.cfg``, is
    what is printed, saved to ``config.yaml``, stored in every checkpoint and used throughout.
    ``loaders`` replaces :func:`build_loaders` (tests); their classes then give the class count.
    """

    def __init__(self, cfg: Config, run_dir: str | Path, info: DistInfo | None = None,
                 loaders: tuple[Loader, Loader] | None = None):  # fmt: skip
        if info is None and dist.env_world_size() > 1:
            raise RuntimeError("a multi-process job needs the DistInfo of dist.setup(): pass info= (run() does)")
        # Without a DistInfo (one process, no process group) the device still follows the config.
        self.info = info or DistInfo(device=dist.pick_device(cfg.train.device))
        classes = loaders[0].classes if loaders is not None else None
        self.cfg = cfg = resolve_config(cfg, self.info, classes=classes)  # before anything is built
        self.data_config = run_data_config(cfg.data)
        self.run_dir = Path(run_dir)
        self.ckpt_dir = self.run_dir / CHECKPOINTS
        self.log = RunLog(cfg.log, self.run_dir, enabled=self.info.is_main)
        self.device = self.info.device
        if cfg.train.cpu_threads is not None:
            torch.set_num_threads(cfg.train.cpu_threads)
        self.train_loader, self.val_loader = loaders if loaders is not None else build_loaders(cfg, self.info)
        n = len(self.train_loader)
        self.iters_per_epoch = min(n, cfg.train.limit_batches or n)
        if self.iters_per_epoch == 0:
            raise RuntimeError(f"the training split has fewer samples than one batch of {cfg.train.batch_size}")
        self._build()
        self.epoch, self.iteration = 0, 0  # next position to run
        self._in_step = False
        self.best: dict[str, Any] = {}
        self.elapsed_s = 0.0  # wall time of all sessions of this run
        self.train_images, self.train_time_s = 0, 0.0
        self._session_t0 = time.perf_counter()
        self._resume()
        if self.info.is_main:
            self.log.info("resolved config:\n" + cfg.to_yaml().rstrip())
            checkpoint.atomic_write_text(self.run_dir / CONFIG_FILE, cfg.to_yaml())

    def _build(self) -> None:
        """Model (with the resolved head and data config), EMA, optimizer, scaler, DDP wrapper."""
        cfg = self.cfg
        checkpoint.seed_everything(checkpoint.derive_seed(cfg.train.seed))  # identical init on every rank
        model = build_model(cfg.model, self.data_config, self.train_loader.classes, say=self.log.info)
        memory_format = torch.channels_last if cfg.train.channels_last else torch.contiguous_format
        self.model = model.to(self.device, memory_format=memory_format)
        self.ema = WeightEma(self.model, cfg.optim.ema_decay) if cfg.optim.ema_decay > 0 else None
        self.optimizer = build_optimizer(self.model, cfg.optim)
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=cfg.train.amp == "fp16")
        self.ddp = self.model
        if self.info.distributed:
            ids = [self.device.index] if self.device.type == "cuda" else None
            # No buffer broadcast before every forward: training uses batch statistics, and the
            # running ones are made identical at each epoch's end (dist.broadcast_buffers).
            self.ddp = nn.parallel.DistributedDataParallel(self.model, device_ids=ids, broadcast_buffers=False)
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
        flags = torch.stack([loss.detach().float(), torch.tensor(float(stop.requested), device=loss.device)])
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
            if not stop.requested:
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
        stopping = bool(dist.all_reduce_max(torch.tensor([float(stop.requested)], device=self.device)).item())
        regular = self.epoch % cfg.train.checkpoint_period == 0 or last or stopping
        self._save(regular=regular, best=is_best)
        if stopping and not last:
            self._stop(stop)

    def evaluate(self, model: nn.Module | None = None) -> EvalResult:
        """Evaluate ``model`` (default: the trained model) on this run's val loader."""
        return evaluate(model if model is not None else self.model, self.val_loader, self.data_config,
                        device=self.device, amp=self.cfg.train.amp, channels_last=self.cfg.train.channels_last)  # fmt: skip

    def best_model(self) -> nn.Module:
        """A CPU copy of the model with the best checkpoint's weights (EMA weights when EMA is on);
        it carries the run's data config and class names."""
        state = checkpoint.load(self.ckpt_dir / checkpoint.BEST)
        model = copy.deepcopy(self.model).to("cpu", memory_format=torch.contiguous_format)
        model.load_state_dict(state["ema"] if state["ema"] is not None else state["model"])
        return model.eval()

    def close(self) -> None:
        self.log.close()
