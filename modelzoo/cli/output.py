"""Output of the ``modelzoo`` subcommands: plain-text tables, numbers, weight-set rows, JSON."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..data_config import DataConfig
from ..hub import WeightSpec
from ..registry import Architecture


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()) -> str:
    """A plain-text table: a header, a rule, one line per row; columns in ``right`` right-aligned."""
    cells = [[str(c) for c in headers]] + [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]])


def millions(n: int) -> str:
    """``25.56M``."""
    return f"{n / 1e6:.2f}M"


def percent(x: float | None) -> str:
    """An error in percent with two decimals, ``-`` when unknown."""
    return "-" if x is None else f"{x:.2f}"


def describe_eval(dc: DataConfig) -> str:
    """``resize 256, crop 224, bilinear``."""
    return f"resize {dc.test_size}, crop {dc.crop_size}, {dc.interpolation}"


def license_text(spec: WeightSpec) -> str:
    """The license, flagged when it forbids commercial use."""
    return f"{spec.license} (non-commercial)" if spec.non_commercial else spec.license


def weight_row(spec: WeightSpec) -> list[str]:
    """A weight set as table cells: tag (``*`` marks the default), top-1/top-5 error, eval, license."""
    return [spec.tag + (" *" if spec.is_default else ""), percent(spec.top1_err), percent(spec.top5_err),
            describe_eval(spec.data_config), license_text(spec)]  # fmt: skip


WEIGHT_HEADERS = ["top-1 err", "top-5 err", "eval", "license"]  # after the tag column


def known_complexity(arch: Architecture, size: int | None = None) -> dict[str, int | None]:
    """The analytic complexity, or None values for a user-registered model that has none."""
    try:
        return arch.complexity(size)
    except TypeError:
        return {"flops": None, "params": None, "acts": None}


def print_json(obj: Any) -> None:
    """``obj`` as indented JSON on stdout."""
    print(json.dumps(obj, indent=2))
