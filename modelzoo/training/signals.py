"""Graceful stops: SIGTERM/SIGINT become a flag the training loop checks between steps."""
from __future__ import annotations

import contextlib
import signal
from pathlib import Path
from typing import Any


class TrainingInterrupted(Exception):
    """SIGTERM/SIGINT arrived; a checkpoint was written and the run can be resumed."""

    def __init__(self, signum: int, path: Path | None):
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.path = path


class StopSignals:
    """Turns SIGTERM/SIGINT into a flag checked between steps (a second SIGINT stops at once)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.signum: int | None = None
        self._old: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for (in this process)."""
        return self.signum is not None

    def _handler(self, signum: int, frame: Any) -> None:
        if self.signum == signal.SIGINT and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.signum = signum

    def __enter__(self) -> StopSignals:
        with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
            for s in self.SIGNALS:
                self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: Any) -> None:
        for s, old in self._old.items():
            signal.signal(s, old)
