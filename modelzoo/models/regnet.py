"""RegNetX/RegNetY generated from (w0, wa, wm, depth, group_w) exactly as pycls does."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .anynet import AnyNetSpec


@dataclass(frozen=True)
class RegNetParams:
    """The RegNet design-space parameters (pycls ``REGNET.*``)."""

    depth: int
    w0: int
    wa: float
    wm: float
    group_w: int
    se: bool = False
    stem_w: int = 32
    bot_mul: float = 1.0
    quantum: int = 8

    def __post_init__(self) -> None:
        if self.depth < 1 or self.w0 <= 0 or self.wa < 0 or self.wm <= 1 or self.group_w < 1:
            raise ValueError(f"invalid RegNet parameters: {self}")

    def to_spec(self) -> AnyNetSpec:
        """Quantised per-stage widths/depths → an AnyNet spec (all strides 2, SE 0.25 for Y)."""
        widths, depths = regnet_stages(self.w0, self.wa, self.wm, self.depth, self.quantum)
        n = len(widths)
        widths, group_ws = adjust_group_compatibility(widths, [self.bot_mul] * n, [self.group_w] * n)
        return AnyNetSpec(
            stem_type="simple_stem_in",
            stem_w=self.stem_w,
            block_type="res_bottleneck_block",
            depths=tuple(depths),
            widths=tuple(widths),
            strides=(2,) * n,
            bot_muls=(self.bot_mul,) * n,
            group_ws=tuple(group_ws),
            se_r=0.25 if self.se else 0.0,
        )


def regnet_stages(w0: int, wa: float, wm: float, depth: int, q: int = 8) -> tuple[list[int], list[int]]:
    """u_j = w0 + wa·j; k_j = round(log(u_j / w0) / log(wm)); w_j = round(w0·wm^k_j / q)·q.

    Stages are the runs of equal widths. numpy rounding (half to even) as in pycls.
    """
    ws_cont = np.arange(depth) * wa + w0
    ks = np.round(np.log(ws_cont / w0) / np.log(wm))
    ws_all = (np.round(w0 * np.power(wm, ks) / q) * q).astype(int)
    ws, ds = np.unique(ws_all, return_counts=True)
    return [int(w) for w in ws], [int(d) for d in ds]


def adjust_group_compatibility(ws: list[int], bs: list[float], gs: list[int]) -> tuple[list[int], list[int]]:
    """Clip group widths to the bottleneck width and round widths to a multiple of it (pycls)."""
    vs = [int(max(1, w * b)) for w, b in zip(ws, bs)]
    gs = [int(min(g, v)) for g, v in zip(gs, vs)]
    ms = [int(np.lcm(g, int(b))) if b > 1 else g for g, b in zip(gs, bs)]
    vs = [max(m, int(round(v / m) * m)) for v, m in zip(vs, ms)]
    ws = [int(v / b) for v, b in zip(vs, bs)]
    return ws, gs


# (suffix, display suffix, timm code): RegNet{X,Y}-<display> ↔ regnet{x,y}_<timm code>
_SIZES = [
    ("200mf", "200MF", "002"), ("400mf", "400MF", "004"), ("600mf", "600MF", "006"),
    ("800mf", "800MF", "008"), ("1_6gf", "1.6GF", "016"), ("3_2gf", "3.2GF", "032"),
    ("4_0gf", "4.0GF", "040"), ("6_4gf", "6.4GF", "064"), ("8_0gf", "8.0GF", "080"),
    ("12gf", "12GF", "120"), ("16gf", "16GF", "160"), ("32gf", "32GF", "320"),
]  # fmt: skip

# pycls dds_baselines REGNET.{DEPTH, W0, WA, WM, GROUP_W}
_X_PARAMS = {
    "200mf": (13, 24, 36.44, 2.49, 8), "400mf": (22, 24, 24.48, 2.54, 16),
    "600mf": (16, 48, 36.97, 2.24, 24), "800mf": (16, 56, 35.73, 2.28, 16),
    "1_6gf": (18, 80, 34.01, 2.25, 24), "3_2gf": (25, 88, 26.31, 2.25, 48),
    "4_0gf": (23, 96, 38.65, 2.43, 40), "6_4gf": (17, 184, 60.83, 2.07, 56),
    "8_0gf": (23, 80, 49.56, 2.88, 120), "12gf": (19, 168, 73.36, 2.37, 112),
    "16gf": (22, 216, 55.59, 2.1, 128), "32gf": (23, 320, 69.86, 2.0, 168),
}  # fmt: skip
_Y_PARAMS = {
    "200mf": (13, 24, 36.44, 2.49, 8), "400mf": (16, 48, 27.89, 2.09, 8),
    "600mf": (15, 48, 32.54, 2.32, 16), "800mf": (14, 56, 38.84, 2.4, 16),
    "1_6gf": (27, 48, 20.71, 2.65, 24), "3_2gf": (21, 80, 42.63, 2.66, 24),
    "4_0gf": (22, 96, 31.41, 2.24, 64), "6_4gf": (25, 112, 33.22, 2.27, 72),
    "8_0gf": (17, 192, 76.82, 2.19, 56), "12gf": (19, 168, 73.36, 2.37, 112),
    "16gf": (18, 200, 106.23, 2.48, 112), "32gf": (20, 232, 115.89, 2.53, 232),
}  # fmt: skip

# name: (spec, display name, aliases)
VARIANTS: dict[str, tuple[AnyNetSpec, str, tuple[str, ...]]] = {}
for _kind, _table in (("x", _X_PARAMS), ("y", _Y_PARAMS)):
    for _suffix, _display, _timm in _SIZES:
        _params = RegNetParams(*_table[_suffix], se=_kind == "y")
        VARIANTS[f"regnet{_kind}_{_suffix}"] = (
            _params.to_spec(),
            f"RegNet{_kind.upper()}-{_display}",
            (f"regnet{_kind}_{_timm}",),
        )
