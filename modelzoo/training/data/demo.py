"""The embedded demo dataset (10 procedurally rendered shape classes) and photo-like test images.

Each demo image shows one large and 3–5 small copies of a shape, whose kind is the class, each in
a random light colour (any hue), at a random position and size, tilted by at most 25°, over a
dark desaturated gradient-and-texture background with faint clutter lines, then blurred, noised
and JPEG-encoded. Hue carries no class information, so the mean colour cannot solve it (tested);
the shapes stay recognisable in most random crops. Everything derives from the seed (the files are
byte-identical given the same numpy and OpenCV JPEG encoder).
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from filelock import FileLock

from ..zoo import cache_dir

CLASSES = ("arrow", "bars", "checker", "circle", "crescent", "cross", "ring", "square", "star", "triangle")
TRAIN_PER_CLASS = 400
VAL_PER_CLASS = 50
SIZE_RANGE = (72, 96)  # image height and width, pixels (train at 64, val resize 74 → crop 64)
VERSION = 2  # bump whenever the generator changes: a cached older dataset is then ignored
MAX_TILT = math.radians(25)  # shapes stay roughly upright: free rotation makes the task much slower to learn
_MARKER = "demo.json"
_SUPERSAMPLE = 4  # masks are drawn at 4× and area-downsampled: smooth edges


def make_demo_dataset(root: str | os.PathLike | None = None, *, seed: int = 0) -> Path:
    """Write the demo dataset once (``<root>/{train,val}/<class>/*.jpg``) and return its root.

    The default root is ``$MODELZOO_HOME/datasets/demo10-v2-seed<seed>``. Idempotent and safe
    under concurrency (several ranks may call it at once): the dataset is built in a temporary
    folder next to ``root`` under a file lock, then renamed into place; an existing complete
    dataset is returned as is. Takes about 10 s on one core (4500 JPEGs of 72–96 px, 18 MB).
    """
    if root is None:
        root = cache_dir() / "datasets" / f"demo10-v{VERSION}-seed{seed}"
    root = Path(root).expanduser()
    counts = {"train_per_class": TRAIN_PER_CLASS, "val_per_class": VAL_PER_CLASS}
    info = {"version": VERSION, "seed": seed, "classes": list(CLASSES), **counts}
    return build_once(root, lambda tmp: write_demo_images(tmp, seed=seed, **counts), info)


def build_once(root: Path, build: Callable[[Path], None], info: dict) -> Path:
    """Run ``build(tmp)`` and rename ``tmp`` to ``root`` unless a complete ``root`` with ``info`` exists."""
    if _complete(root, info):
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root.parent / f".{root.name}.lock")):
        if _complete(root, info):
            return root
        tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.tmp-", dir=root.parent))
        try:
            build(tmp)
            (tmp / _MARKER).write_text(json.dumps(info, indent=1))
            os.rename(tmp, root)  # atomic; fails if root exists and is not empty
        except OSError:
            if not _complete(root, info):
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return root


def _complete(root: Path, info: dict) -> bool:
    marker = root / _MARKER
    if not marker.is_file():
        if root.exists() and any(root.iterdir()):
            raise FileExistsError(f"{root} exists and is not a demo dataset (no {_MARKER}); choose another root")
        return False
    found = json.loads(marker.read_text())
    if found != info:
        raise FileExistsError(f"{root} holds a different demo dataset ({found}); expected {info}")
    return True


def write_demo_images(root: Path, *, seed: int = 0, train_per_class: int = TRAIN_PER_CLASS,
                      val_per_class: int = VAL_PER_CLASS, quality: int = 90) -> None:  # fmt: skip
    """Render the demo images into ``root/{train,val}/<class>/`` (no marker, no atomicity)."""
    for split_id, (split, count) in enumerate((("train", train_per_class), ("val", val_per_class))):
        for label, name in enumerate(CLASSES):
            folder = root / split / name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                rng = np.random.default_rng([seed, split_id, label, i])
                image = render_demo_image(label, rng)
                ok, data = cv2.imencode(".jpg", image[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
                if not ok:
                    raise RuntimeError(f"could not encode a demo image for {folder}")
                data.tofile(folder / f"{name}_{i:04d}.jpg")


# ---------------------------------------------------------------------------------------------- rendering


def _polygon(points: np.ndarray, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return points @ np.array([[c, s], [-s, c]])


def _regular(n: int, radius: float, phase: float = 0.0) -> np.ndarray:
    t = phase + 2 * math.pi * np.arange(n) / n
    return radius * np.stack([np.cos(t), np.sin(t)], 1)


def _shape_mask(label: int, side: int, rng: np.random.Generator) -> np.ndarray:
    """A float mask (0–1), ``side × side``, of class ``label``'s shape, centred, randomly rotated."""
    big = side * _SUPERSAMPLE
    mask = np.zeros((big, big), np.uint8)
    c, r, angle = big / 2, big * 0.46, rng.uniform(-MAX_TILT, MAX_TILT)

    def fill(points: np.ndarray, value: int = 255) -> None:
        pts = np.round(_polygon(points, angle) + c).astype(np.int32)
        cv2.fillPoly(mask, [pts], value)

    name = CLASSES[label]
    if name == "arrow":
        fill(np.array([[-1, -0.22], [0.15, -0.22], [0.15, -0.6], [1, 0], [0.15, 0.6], [0.15, 0.22], [-1, 0.22]]) * r)
    elif name == "bars":
        for y in (-0.75, -0.1, 0.55):
            fill(np.array([[-0.95, y], [0.95, y], [0.95, y + 0.32], [-0.95, y + 0.32]]) * r)
    elif name == "checker":
        n = int(rng.integers(3, 5))
        step = 1.5 * r / n
        for i in range(n):
            for j in range(n):
                if (i + j) % 2 == 0:
                    x0, y0 = -0.75 * r + i * step, -0.75 * r + j * step
                    fill(np.array([[x0, y0], [x0 + step, y0], [x0 + step, y0 + step], [x0, y0 + step]]))
    elif name == "circle":
        cv2.circle(mask, (int(c), int(c)), int(r * 0.9), 255, -1)
    elif name == "crescent":
        cv2.circle(mask, (int(c), int(c)), int(r * 0.9), 255, -1)
        off = _polygon(np.array([[r * 0.45, 0.0]]), angle)[0]
        cv2.circle(mask, (int(c + off[0]), int(c + off[1])), int(r * 0.75), 0, -1)
    elif name == "cross":
        a, b = 0.95, 0.3
        fill(np.array([[-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b], [b, a], [-b, a], [-b, b], [-a, b],
                       [-a, -b], [-b, -b]]) * r)  # fmt: skip
    elif name == "ring":
        cv2.circle(mask, (int(c), int(c)), int(r * 0.9), 255, -1)
        cv2.circle(mask, (int(c), int(c)), int(r * 0.9 * rng.uniform(0.5, 0.65)), 0, -1)
    elif name == "square":
        fill(_regular(4, r * 0.95, math.pi / 4))
    elif name == "star":
        outer, inner = _regular(5, r), _regular(5, r * 0.42, math.pi / 5)
        fill(np.stack([outer, inner], 1).reshape(-1, 2))
    elif name == "triangle":
        fill(_regular(3, r))
    return cv2.resize(mask, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def _smooth_noise(rng: np.random.Generator, height: int, width: int, cells: int, channels: int = 3) -> np.ndarray:
    grid = rng.normal(size=(cells, cells, channels)).astype(np.float32)
    return cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC).reshape(height, width, channels)


def _shape_colour(rng: np.random.Generator) -> np.ndarray:
    """A random light colour (each channel 140–255): any hue, always brighter than the background."""
    return rng.uniform(140, 255, size=3).astype(np.float32)


def _background(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A dark, desaturated gradient with smooth texture and a few faint clutter lines."""
    grey = rng.uniform(30, 90)
    a, b = (grey + rng.uniform(-25, 25, size=3).astype(np.float32) for _ in range(2))
    t = rng.uniform(0, 2 * math.pi)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = ((x - width / 2) * math.cos(t) + (y - height / 2) * math.sin(t)) / max(height, width) + 0.5
    image = a + np.clip(ramp, 0, 1)[..., None] * (b - a)
    image += _smooth_noise(rng, height, width, int(rng.integers(3, 8))) * rng.uniform(4, 14)
    for _ in range(int(rng.integers(0, 4))):  # thin clutter lines, close to the background
        p, q = rng.uniform(0, [width, height]), rng.uniform(0, [width, height])
        colour = (a + rng.uniform(-45, 45, size=3)).tolist()
        cv2.line(image, tuple(map(int, p)), tuple(map(int, q)), colour, 1, cv2.LINE_AA)
    return image


def _paste_shape(image: np.ndarray, label: int, side: int, rng: np.random.Generator) -> None:
    """Draw class ``label``'s shape, ``side`` px, in a random light colour at a random place (in place)."""
    height, width = image.shape[:2]
    top, left = int(rng.integers(0, height - side + 1)), int(rng.integers(0, width - side + 1))
    mask = _shape_mask(label, side, rng)[..., None]
    fill = _shape_colour(rng) + _smooth_noise(rng, side, side, 3) * rng.uniform(3, 12)  # faint shading
    region = image[top : top + side, left : left + side]
    region += mask * (fill - region)


def render_demo_image(label: int, rng: np.random.Generator) -> np.ndarray:
    """One demo image of class ``label`` as an HWC uint8 RGB array.

    A few small copies of the class's shape and one large one drawn last, so that most random
    crops still show some of the class's shape.
    """
    height, width = (int(v) for v in rng.integers(SIZE_RANGE[0], SIZE_RANGE[1] + 1, size=2))
    image = _background(rng, height, width)
    short = min(height, width)
    for _ in range(int(rng.integers(3, 6))):
        _paste_shape(image, label, int(short * rng.uniform(0.22, 0.32)), rng)
    _paste_shape(image, label, int(short * rng.uniform(0.5, 0.85)), rng)
    image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.3, 0.9))
    image += rng.normal(0, rng.uniform(2, 8), size=image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def photo_like_image(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A natural-looking HWC uint8 RGB image: 1/f colour noise, shaded objects with edges, texture, grain.

    Stands in for real photos (none ship offline) in the parity test and the loader benchmark:
    its spectrum falls off like a photo's and it has sharp edges, so resize kernels and geometry
    differences show up as they would on photos.
    """
    noise = sum(_smooth_noise(rng, height, width, 2**octave) * (50.0 * 0.6**octave) for octave in range(1, 9))
    image = noise @ _colour_mix(rng) + rng.uniform(60, 190, size=3).astype(np.float32)
    for _ in range(int(rng.integers(3, 9))):  # objects: shaded ellipses and polygons with hard edges
        mask = np.zeros((height, width), np.float32)
        centre = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        axes = (int(rng.uniform(0.05, 0.3) * width) + 1, int(rng.uniform(0.05, 0.3) * height) + 1)
        if rng.random() < 0.5:
            cv2.ellipse(mask, centre, axes, rng.uniform(0, 180), 0, 360, 1.0, -1, cv2.LINE_AA)
        else:
            pts = np.array(centre) + rng.normal(0, 1, size=(int(rng.integers(3, 7)), 2)) * np.array(axes)
            cv2.fillPoly(mask, [pts.astype(np.int32)], 1.0, cv2.LINE_AA)
        x, y, w, h = cv2.boundingRect((mask > 0).astype(np.uint8))
        if w == 0 or h == 0:
            continue
        m = mask[y : y + h, x : x + w, None]
        shade = _smooth_noise(rng, h, w, 3) * 25 + rng.uniform(20, 230, size=3).astype(np.float32)
        texture = _smooth_noise(rng, h, w, max(2, int(rng.uniform(0.1, 0.4) * max(h, w))), 1) * rng.uniform(5, 25)
        region = image[y : y + h, x : x + w]
        region += m * (shade + texture - region)
    image += rng.normal(0, 3.0, size=image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def _colour_mix(rng: np.random.Generator) -> np.ndarray:
    """A 3×3 mix making channels correlated, as in photos (mostly luminance, some chroma)."""
    return (0.5 * np.ones((3, 3)) + 0.25 * rng.normal(size=(3, 3))).astype(np.float32)
