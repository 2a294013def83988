"""modelzoo predict."""
from __future__ import annotations

import functools
import json

import torch
from PIL import Image

import modelzoo
from modelzoo.data_config import imagenet_class_names
from modelzoo.training.data.demo import CLASSES

from .conftest import CACHED_TAG, run_cli


def blocks(out: str) -> dict[str, list[str]]:
    """Predict's text output: image → its prediction lines."""
    result: dict[str, list[str]] = {}
    for block in out.strip().split("\n\n"):
        head, *lines = block.splitlines()
        result[head] = lines
    return result


@functools.lru_cache(maxsize=2)
def load(model_dir) -> torch.nn.Module:
    return modelzoo.create(str(model_dir)).eval()


def probabilities(model_dir, path) -> torch.Tensor:
    model = load(model_dir)
    with torch.no_grad():
        return model(modelzoo.eval_transform(model)(Image.open(path)).unsqueeze(0)).softmax(1)[0]


def expected_top(model_dir, path, k=5):
    return probabilities(model_dir, path).topk(k)


def check_top(lines: list[str], probs: torch.Tensor, names) -> None:
    """Lines like '  1.  12.34%  tabby (281)' are the top classes with their probabilities (up to
    rounding: another process may order near-ties differently)."""
    kth = probs.topk(len(lines)).values[-1].item()
    for rank, line in enumerate(lines, 1):
        number, pct, label = line.split(None, 2)
        c = int(label.rsplit("(", 1)[1].rstrip(")"))
        assert number == f"{rank}." and label == f"{names[c]} ({c})"
        assert abs(float(pct.rstrip("%")) - 100 * probs[c].item()) < 0.006 and probs[c].item() >= kth - 1e-4


def test_predict_as_subprocess_formats_and_bad_files(ws):
    im = ws.images
    good = ["rgb.jpg", "gray.jpg", "rgb.png", "gray.png", "palette.png", "cmyk.jpg", "rgba.png"]
    args = [im["rgb.jpg"].name, "not_an_image.jpg", *[im[g].name for g in good[1:]], "missing.jpg", "truncated.jpg"]
    r = run_cli(ws, "predict", "regnetx_200mf", *args, "--weights", ws.in1k)
    assert r.rc == 1  # some inputs failed ...
    got = blocks(r.out)
    assert list(got) == good  # ... and every good one was answered, in order
    names = imagenet_class_names()
    for name in good:
        check_top(got[name], probabilities(ws.in1k, im[name]), names)
    errors = r.err.strip().splitlines()
    assert errors[:3] == [
        "modelzoo predict: error: not_an_image.jpg: not an image file (or in a format Pillow cannot read)",
        "modelzoo predict: error: missing.jpg: no such file",
        errors[2],
    ]
    assert errors[2].startswith("modelzoo predict: error: truncated.jpg: cannot decode the image")
    assert errors[3] == "modelzoo predict: 3 of 10 images failed"


def test_predict_labels_indices_json(cli, ws):
    image = ws.demo / "val" / "star" / "star_0000.jpg"
    top = expected_top(ws.tiny10, image, k=3)
    r = cli("predict", "resnet18", image, "--weights", ws.tiny10, "--top-k", 3)  # 10 classes, no names stored
    assert r.rc == 0 and [line.split()[-2:] for line in blocks(r.out)[str(image)]] == [["class", str(c)] for c in top.indices.tolist()]
    r = cli("predict", "resnet18", image, "--weights", ws.tiny10, "--top-k", 3, "--labels", ws.demo)
    assert [line.split("%")[1].strip() for line in blocks(r.out)[str(image)]] == [f"{CLASSES[c]} ({c})" for c in top.indices.tolist()]
    (ws.root / "names.txt").write_text("\n".join(f"name{i}" for i in range(10)) + "\n")
    r = cli("predict", ws.tiny10, image, "--labels", "names.txt", "--top-k", 20, "--json")  # the directory as NAME
    assert r.rc == 0
    got = json.loads(r.out)
    assert got["image"] == str(image) and len(got["predictions"]) == 10  # top-k capped at the class count
    assert [p["label"] for p in got["predictions"][:3]] == [f"name{c}" for c in top.indices.tolist()]
    assert abs(sum(p["probability"] for p in got["predictions"]) - 1) < 1e-4

    named = modelzoo.save_pretrained(modelzoo.create(ws.tiny10), ws.root / "named",
                                     class_names=[f"saved{i}" for i in range(10)])  # names stored with the weights
    r = cli("predict", named, image, "--top-k", 3, "--json")
    assert [p["label"] for p in json.loads(r.out)["predictions"]] == [f"saved{c}" for c in top.indices.tolist()]

    r = cli("predict", ws.tiny10, image, "missing.png", "--labels", ws.root / "names.txt", "--json")
    assert r.rc == 1 and json.loads(r.out.splitlines()[-1]) == {"image": "missing.png", "error": "missing.png: no such file"}
    (ws.root / "short.txt").write_text("a\nb\n")
    r = cli("predict", ws.tiny10, image, "--labels", "short.txt")
    assert r.rc == 2 and "--labels short.txt: 2 class names, but the model has 10 classes" in r.err


def test_predict_registered_weights_from_the_offline_cache(cli, ws):
    r = cli("predict", "RegNetX-200MF", ws.images["rgb.png"], "--top-k", "2")  # default weights = CACHED_TAG
    assert r.rc == 0, r.err
    model = modelzoo.create(CACHED_TAG, pretrained=True).eval()
    assert modelzoo.eval_transform(model).data_config == modelzoo.get_weights(CACHED_TAG).data_config
    with torch.no_grad():
        probs = model(modelzoo.eval_transform(CACHED_TAG)(Image.open(ws.images["rgb.png"])).unsqueeze(0)).softmax(1)[0]
    c = int(probs.argmax())
    assert blocks(r.out)[str(ws.images["rgb.png"])][0].endswith(f"{imagenet_class_names()[c]} ({c})")

    r = cli("predict", "resnet50", ws.images["rgb.png"])  # not cached, offline
    assert r.rc == 1 and r.err.count("\n") == 1 and "MODELZOO_OFFLINE" in r.err and "not in the cache" in r.err
