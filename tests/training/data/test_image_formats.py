"""PNG, grayscale, CMYK, palette, alpha and 16-bit files all become RGB, alike on every backend."""
from __future__ import annotations

import numpy as np
import pytest
from loader_helpers import CPU_BACKENDS, OTHER_BACKENDS, collect
from PIL import Image

from modelzoo.training.data import build_loader
from modelzoo.training.data.demo import photo_like_image

VARIANTS = ["rgb.jpg", "gray.jpg", "cmyk.jpg", "rgb.png", "rgba.png", "palette.png", "gray16.png",
            "upper.JPEG", "png_named.JPEG"]  # fmt: skip


@pytest.fixture(scope="module")
def formats_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    rgb = Image.fromarray(photo_like_image(np.random.default_rng(3), 120, 160))
    folder = root / "val" / "x"
    folder.mkdir(parents=True)
    rgb.save(folder / "rgb.jpg", quality=95)
    rgb.convert("L").save(folder / "gray.jpg", quality=95)
    rgb.convert("CMYK").save(folder / "cmyk.jpg", quality=95)
    rgb.save(folder / "rgb.png")
    rgb.convert("RGBA").save(folder / "rgba.png")
    rgb.convert("P").save(folder / "palette.png")
    Image.fromarray(np.asarray(rgb.convert("L")).astype(np.uint16) * 257).save(folder / "gray16.png")
    rgb.save(folder / "upper.JPEG", quality=95)
    rgb.save(folder / "png_named.JPEG", format="PNG")
    return root


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_every_format_becomes_rgb(formats_root, backend):
    loader = build_loader(formats_root, "val", backend=backend, size=96, batch_size=16, num_workers=0)
    images, _, _ = collect(loader)
    by_name = dict(zip(sorted(VARIANTS), images.float()))
    reference = by_name["rgb.png"]
    for name in ("rgb.jpg", "cmyk.jpg", "rgba.png", "upper.JPEG", "png_named.JPEG"):
        assert (by_name[name] - reference).abs().mean() < 3, name
    assert (by_name["palette.png"] - reference).abs().mean() < 20  # 256-colour quantisation
    for name in ("gray.jpg", "gray16.png"):
        gray = by_name[name]
        assert (gray[0] == gray[1]).all() and (gray[1] == gray[2]).all(), name
        luma = 0.299 * reference[0] + 0.587 * reference[1] + 0.114 * reference[2]
        assert (gray[0] - luma).abs().mean() < 3, name


@pytest.mark.parametrize("backend", OTHER_BACKENDS)
def test_formats_agree_with_torch(formats_root, backend):
    mine = collect(build_loader(formats_root, "val", backend=backend, size=96, batch_size=16, num_workers=0))[0]
    ref = collect(build_loader(formats_root, "val", backend="torch", size=96, batch_size=16, num_workers=0))[0]
    assert (mine.float() - ref.float()).abs().mean() < 1.5
