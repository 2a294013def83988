"""What a run reports: console progress, ``train.log``, ``metrics.jsonl``, TensorBoard, ``curves.png``.

Only rank 0 reports; every other process gets a :class:`RunLog` with ``enabled=False`` whose
methods do nothing. Each metrics record carries ``step`` (optimizer steps done when it was
written), which lets a resumed run drop the records written after its checkpoint.
"""
from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .config import LogCfg

METRICS = "metrics.jsonl"
TEXT_LOG = "train.log"
CURVES = "curves.png"


def format_duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return str(value)


class Progress:
    """Per-epoch progress: a tqdm bar on a terminal, or a plain line every ``log_period`` steps."""

    def __init__(self, log: RunLog, total: int, desc: str, start: int = 0):
        self.log, self.total, self.desc, self.n = log, total, desc, start
        self.t0, self.n0 = time.perf_counter(), start
        self.bar = None
        if log.enabled and log.mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=start, desc=desc, dynamic_ncols=True, leave=True, file=sys.stdout)

    def update(self, **stats: Any) -> None:
        """One more step done; ``stats`` (loss, lr, ...) are shown alongside."""
        self.n += 1
        if not self.log.enabled:
            return
        rate = (self.n - self.n0) / max(time.perf_counter() - self.t0, 1e-9)
        if self.bar is not None:
            self.bar.set_postfix({k: _fmt(v) for k, v in stats.items()}, refresh=False)
            self.bar.update(1)
        elif self.log.mode == "lines" and (self.n % self.log.cfg.log_period == 0 or self.n == self.total):
            eta = (self.total - self.n) / max(rate, 1e-9)
            fields = " ".join(f"{k} {_fmt(v)}" for k, v in stats.items())
            self.log.info(f"{self.desc} [{self.n}/{self.total}] {fields} eta {format_duration(eta)}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class RunLog:
    """Rank 0's reporting for one run directory (a no-op object when ``enabled`` is False)."""

    def __init__(self, cfg: LogCfg, run_dir: str | Path, *, enabled: bool = True):
        self.cfg = cfg
        self.enabled = enabled
        self.run_dir = Path(run_dir)
        self.mode = cfg.progress
        if self.mode == "auto":
            self.mode = "bar" if sys.stdout.isatty() else "lines"
        self._text = None
        self._tb = None
        if not enabled:
            return
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._text = open(self.run_dir / TEXT_LOG, "a", buffering=1)
        if cfg.tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                self.info("warning: log.tensorboard=true but the tensorboard package is not installed; skipping it")
            else:
                self._tb = SummaryWriter(str(self.run_dir / "tensorboard"))

    @property
    def metrics_path(self) -> Path:
        return self.run_dir / METRICS

    def info(self, message: str) -> None:
        """Print a line (above any progress bar) and append it to ``train.log``."""
        if not self.enabled:
            return
        if self.mode == "bar":
            from tqdm import tqdm

            tqdm.write(message, file=sys.stdout)
        else:
            print(message, flush=True)
        self._text.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")

    def progress(self, total: int, desc: str, start: int = 0) -> Progress:
        return Progress(self, total, desc, start)

    def metrics(self, record: dict[str, Any]) -> None:
        """Append a record (it must have ``kind`` and ``step``) to metrics.jsonl and TensorBoard."""
        if not self.enabled:
            return
        with open(self.metrics_path, "a") as f:
            f.write(json.dumps(record) + "\n")
        if self._tb is not None:
            for key, value in record.items():
                if isinstance(value, (int, float)) and key not in ("step", "epoch"):
                    self._tb.add_scalar(f"{record['kind']}/{key}", value, record["step"])

    def truncate_metrics(self, step: int) -> None:
        """Drop records written after optimizer step ``step`` (the resumed checkpoint's position)."""
        if not self.enabled or not self.metrics_path.exists():
            return
        kept = [r for r in read_metrics(self.metrics_path) if r["step"] <= step]
        tmp = self.metrics_path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r) + "\n" for r in kept))
        tmp.replace(self.metrics_path)

    def close(self) -> None:
        if self._tb is not None:
            self._tb.close()
            self._tb = None
        if self._text is not None:
            self._text.close()
            self._text = None


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """The records of a metrics.jsonl file (a torn last line, from a kill mid-write, is ignored)."""
    records = []
    for line in Path(path).read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def plot_curves(records: Iterable[dict[str, Any]], path: str | Path) -> Path | None:
    """Loss, error and learning-rate curves against epochs, as a PNG; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    records = list(records)

    def series(kind: str, key: str) -> tuple[list[float], list[float]]:
        pts = [(r["epoch"], r[key]) for r in records if r["kind"] == kind and r.get(key) is not None]
        pts = [(x, y) for x, y in pts if math.isfinite(y)]
        return [x for x, _ in pts], [y for _, y in pts]

    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for kind, label in (("step", "train (steps)"), ("train", "train (epoch)"), ("val", "val")):
        xs, ys = series(kind, "loss")
        axes[0].plot(xs, ys, label=label, alpha=0.5 if kind == "step" else 1.0, marker="" if kind == "step" else "o")
    for kind, key, label in (("train", "top1_err", "train top-1"), ("val", "top1_err", "val top-1"),
                             ("val", "top5_err", "val top-5"), ("val", "ema_top1_err", "val top-1 (EMA)")):  # fmt: skip
        xs, ys = series(kind, key)
        if xs:
            axes[1].plot(xs, ys, label=label, marker="o")
    lr = sorted([*zip(*series("step", "lr")), *zip(*series("train", "lr"))])  # every log period + epoch ends
    axes[2].plot([x for x, _ in lr], [y for _, y in lr])
    for ax, title, ylabel in zip(axes, ("loss", "error", "learning rate"), ("loss", "error (%)", "lr")):
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
