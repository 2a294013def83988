"""The main job: ``python -m modelzoo.training.run [--model NAME | --cfg FILE] [--out DIR] [key=value ...]``.

Without arguments it trains the ``demo`` recipe on the embedded dataset. Then, in every case: the
best weights are exported with ``modelzoo.save_pretrained``, reloaded with
``modelzoo.create(name, pretrained=<export dir>)`` and evaluated again (the error must match),
``summary.json`` and ``curves.png`` are written, and ``--push-to-hub REPO`` uploads the export.
Launch it with ``torchrun`` for data-parallel training; rerun the same command to resume.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch.nn as nn

import modelzoo

from . import checkpoint, dist
from .config import Config, ConfigError, load_config, validate
from .dist import DistInfo
from .evaluation import EvalResult, evaluate
from .log import CURVES, plot_curves, read_metrics
from .signals import TrainingInterrupted
from .trainer import NonFiniteLossError, Trainer
from .zoo import data_config_of

EXPORT = "export"
SUMMARY = "summary.json"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m modelzoo.training.run",
        description="Train a modelzoo model (default: the demo recipe on the embedded dataset), "
        "export the best weights and verify them. Rerun the same command to resume.",
        epilog="Overrides: section.key=value, e.g. optim.base_lr=0.2 data.backend=custom train.batch_size=64 "
        "(see docs/training.md for every key).",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--model", metavar="NAME", help="train NAME with its recipe training/configs/<family>/<NAME>.yaml")
    src.add_argument("--cfg", metavar="FILE", help="train with the config file FILE")
    p.add_argument("--out", metavar="DIR", help="run directory (default: runs/<recipe or file name>)")
    p.add_argument("--push-to-hub", metavar="REPO", help="upload the exported weights to the Hugging Face Hub repo REPO")
    p.add_argument("overrides", nargs="*", metavar="section.key=value", help="config overrides")
    return p.parse_args(argv)


def default_run_dir(args: argparse.Namespace) -> Path:
    name = Path(args.cfg).stem if args.cfg else (args.model or "demo")
    return Path("runs") / name


def card_info(trainer: Trainer) -> dict[str, dict[str, Any]]:
    """The ``metrics`` and ``training`` that go into config.json and the model card."""
    cfg, best = trainer.cfg, trainer.best
    metrics = {"top1_err": best["top1_err"], "top5_err": best["top5_err"], "epoch": best["epoch"],
               "dataset": str(cfg.data.root), "split": "val", "ema": best["ema"]}  # fmt: skip
    training = {"recipe": cfg.to_dict(), "epochs": trainer.epoch, "world_size": trainer.info.world_size,
                "images_per_sec": trainer.images_per_sec, "wall_s": trainer.wall_s}  # fmt: skip
    return {"metrics": metrics, "training": training}


def export(trainer: Trainer, model: nn.Module) -> Path:
    """Rank 0: save the best weights with ``save_pretrained`` (metrics, recipe, data config)."""
    return Path(modelzoo.save_pretrained(model, trainer.run_dir / EXPORT, **card_info(trainer)))


def reevaluate(trainer: Trainer, export_dir: Path) -> EvalResult:
    """Every rank: rebuild the model from the export directory and evaluate it on the val split."""
    cfg = trainer.cfg
    model = modelzoo.create(cfg.model.name, pretrained=str(export_dir))
    dc = data_config_of(model)
    if dc != trainer.data_config:
        raise RuntimeError(f"{export_dir}: exported data config {dc} differs from the trained one {trainer.data_config}")
    model = model.to(trainer.device)
    return evaluate(model, trainer.val_loader, dc, device=trainer.device, amp=cfg.train.amp,
                    channels_last=cfg.train.channels_last)  # fmt: skip


def push(trainer: Trainer, model: nn.Module, repo_id: str) -> str:
    """Rank 0: upload the best weights (as exported) to the Hub; returns the commit URL."""
    return str(modelzoo.push_to_hub(model, repo_id, **card_info(trainer)))


def finish(trainer: Trainer, push_to_hub: str | None = None) -> dict[str, Any]:
    """After training: export, reload and re-evaluate, plot, summary.json, optional push."""
    info, log, cfg = trainer.info, trainer.log, trainer.cfg
    best = trainer.best
    log.info(f"final top-1 error {best['top1_err']:.2f}% (top-5 {best['top5_err']:.2f}%) "
             f"of the best weights (epoch {best['epoch']}{', EMA' if best['ema'] else ''})")  # fmt: skip
    summary: dict[str, Any] = {
        "model": cfg.model.name, "top1_err": best["top1_err"], "top5_err": best["top5_err"],
        "best_epoch": best["epoch"], "epochs": trainer.epoch, "images_per_sec": trainer.images_per_sec,
        "wall_s": trainer.wall_s, "export": None, "world_size": info.world_size, "backend": cfg.data.backend,
        "run_dir": str(trainer.run_dir.resolve()),
    }  # fmt: skip
    if cfg.log.export:
        best_model = trainer.best_model() if info.is_main else None
        export_dir = export(trainer, best_model) if info.is_main else None
        export_dir = Path(dist.broadcast_object(str(export_dir)))
        log.info(f"exported the best weights to {export_dir}")
        again = reevaluate(trainer, export_dir)
        log.info(f"reloaded with modelzoo.create({cfg.model.name!r}, pretrained={str(export_dir)!r}): "
                 f"top-1 error {again.top1_err:.2f}% (top-5 {again.top5_err:.2f}%)")  # fmt: skip
        if abs(again.top1_err - best["top1_err"]) > 1e-9 or abs(again.top5_err - best["top5_err"]) > 1e-9:
            log.info("warning: the reloaded weights do not reproduce the recorded error")
        summary.update(export=str(export_dir.resolve()), reloaded_top1_err=again.top1_err, reloaded_top5_err=again.top5_err)
        if push_to_hub and info.is_main:
            summary["hub"] = push(trainer, best_model, push_to_hub)
            log.info(f"pushed to {summary['hub']}")
    if info.is_main:
        if cfg.log.plot and trainer.log.metrics_path.exists():
            png = plot_curves(read_metrics(trainer.log.metrics_path), trainer.run_dir / CURVES)
            log.info(f"curves: {png}" if png else "curves: skipped (matplotlib is not installed)")
        checkpoint.atomic_write_text(trainer.run_dir / SUMMARY, json.dumps(summary, indent=2) + "\n")
        log.info(f"summary: {trainer.run_dir / SUMMARY}")
    dist.barrier()
    return summary


def run(cfg: Config, run_dir: str | Path, info: DistInfo | None = None, *, push_to_hub: str | None = None) -> dict[str, Any]:
    """Train (or resume) ``cfg`` in ``run_dir``, then :func:`finish`; returns the summary.

    The trainer resolves ``cfg`` before building anything (``trainer.cfg`` is the resolved config).
    Without ``info`` this process joins torchrun's job (if launched by it) and leaves it at the end.
    """
    own = info is None
    info = dist.setup(cfg.dist, cfg.train.device) if own else info
    try:
        trainer = Trainer(cfg, run_dir, info)
        try:
            trainer.fit()
            return finish(trainer, push_to_hub)
        finally:
            trainer.close()
    finally:
        if own:
            dist.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parse_args(argv)
    try:
        cfg = load_config(args.cfg, model=args.model, overrides=args.overrides)
        validate(cfg, world_size=dist.env_world_size())
        if args.push_to_hub and not cfg.log.export:
            raise ConfigError("--push-to-hub uploads the export: it needs log.export=true")
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    run_dir = Path(args.out) if args.out else default_run_dir(args)
    t0 = time.perf_counter()
    info = dist.setup(cfg.dist, cfg.train.device)
    try:
        summary = run(cfg, run_dir, info, push_to_hub=args.push_to_hub)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except TrainingInterrupted as err:
        return 128 + err.signum
    except NonFiniteLossError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        dist.cleanup()
    if info.is_main:
        print(f"done in {time.perf_counter() - t0:.0f} s: top-1 error {summary['top1_err']:.2f}% "
              f"(run directory {run_dir})", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
