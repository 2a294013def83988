"""Loading weights: fetch the file, read it safely, convert its keys, check every key, load.

Files are read as safetensors where possible; anything else goes through
``torch.load(weights_only=True)`` only — nothing ever runs a full unpickle.
"""
from __future__ import annotations

import os
import pickle
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from . import convert as cv
from .download import fetch_first
from .weight_spec import Source

CLASSIFIER = "head.fc."


class UnsafeCheckpointError(ValueError):
    """A pickle file that needs arbitrary code to load (refused)."""


class ClassifierReinitializedWarning(UserWarning):
    """The weights' classifier did not fit the requested ``num_classes`` and was re-initialised."""


class WeightsMismatchError(ValueError):
    """Converted weights do not fit the model: missing, unexpected or mis-shaped keys."""

    def __init__(self, what: str, missing: list[str], unexpected: list[str], shapes: list[str]):
        def block(title: str, items: list[str]) -> str:
            more = f"\n    ... and {len(items) - 20} more" if len(items) > 20 else ""
            return f"\n  {title} ({len(items)}):\n    " + "\n    ".join(items[:20]) + more if items else ""

        super().__init__(f"weights {what} do not fit the model:" + block("missing keys", missing)
                         + block("unexpected keys", unexpected) + block("shape mismatches", shapes))  # fmt: skip
        self.missing, self.unexpected, self.shapes = missing, unexpected, shapes


@dataclass(frozen=True)
class Weights:
    """Initial weights for a model: where the file is (mirrors tried in order) and what is known of it.

    ``pinned``: registered weights, whose cached copy is used without asking the server and whose
    digest must never change; an ``hf-hub:`` repo named by the user follows its updates.
    ``num_classes``/``in_chans`` are what the weights were trained with, when known before reading
    the file.
    """

    what: str
    sources: tuple[Source, ...]
    pinned: bool = True
    num_classes: int | None = None
    in_chans: int | None = None


@dataclass(frozen=True)
class LoadedState:
    """A weight file read and converted to modelzoo's names and RGB input."""

    weights: Weights
    source: Source
    state_dict: cv.StateDict

    @property
    def num_classes(self) -> int:
        """The classifier's output count in the file (0: no classifier)."""
        w = self.state_dict.get(CLASSIFIER + "weight")
        return int(w.shape[0]) if w is not None else 0


# ------------------------------------------------------------------------------------- reading
def read_checkpoint(path: str | os.PathLike) -> Any:
    """Load a weight file on the CPU: safetensors, else ``torch.load(weights_only=True)``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"weight file not found: {path}")
    with open(path, "rb") as f:
        head = f.read(16)
    if path.suffix == ".safetensors" or _looks_like_safetensors(head):
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(str(path), device="cpu")
        except (SafetensorError, OSError, ValueError) as e:
            raise ValueError(f"{path}: not a readable safetensors file ({e})") from None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        raise UnsafeCheckpointError(
            f"{path}: refusing to load: the pickle needs code beyond tensors and plain containers ({e}). "
            "Only weights_only=True loading is allowed; convert the file to safetensors where you trust it."
        ) from None
    except (RuntimeError, EOFError, OSError) as e:
        raise ValueError(f"{path}: not a readable PyTorch weight file ({e})") from None


def _looks_like_safetensors(head: bytes) -> bool:
    """safetensors files start with an 8-byte little-endian header length, then ``{``."""
    return len(head) >= 9 and head[8:9] == b"{" and int.from_bytes(head[:8], "little") < (1 << 27)


def read_state(weights: Weights) -> LoadedState:
    """Fetch the weights (first cached mirror, else the first that downloads), read the file and
    convert it: modelzoo's key names, RGB stem."""
    source, path = fetch_first(weights.sources, weights.what, pinned=weights.pinned)
    obj = read_checkpoint(path)
    converter = source.converter or cv.detect_converter(obj)
    sd = cv.convert(obj, converter)
    if source.stem_order(converter) == "BGR":
        sd = cv.flip_channels(sd)
    return LoadedState(weights, source, sd)


# ------------------------------------------------------------------------------------- loading
def load_into(model: nn.Module, state: LoadedState) -> bool:
    """Load ``state`` into ``model``; every key must match. A classifier of another class count is
    left out (the model keeps its fresh one) with a :class:`ClassifierReinitializedWarning`.
    Returns whether that happened."""
    sd = cv.adapt_in_chans(state.state_dict, getattr(model, "in_chans", 3))
    wanted = int(getattr(model, "num_classes", state.num_classes))
    head_replaced = state.num_classes != wanted
    if head_replaced:
        sd = {k: v for k, v in sd.items() if not k.startswith(CLASSIFIER)}
        if wanted > 0:
            warnings.warn(
                f"{state.weights.what}: the weights have {state.num_classes} classes, the model {wanted}; loaded "
                f"everything but the classifier ({CLASSIFIER[:-1]}), which is freshly initialised and needs training",
                ClassifierReinitializedWarning,
                stacklevel=4,  # the caller of modelzoo.create
            )
    check_keys(model, sd, state.weights.what, skip_classifier=head_replaced)
    model.load_state_dict(sd, strict=False)  # check_keys made sure only tolerated keys are absent
    return head_replaced


def check_keys(model: nn.Module, sd: cv.StateDict, what: str, *, skip_classifier: bool) -> None:
    """Raise :class:`WeightsMismatchError` listing missing, unexpected and mis-shaped keys."""
    expected = model.state_dict()
    tolerated = {k for k in expected if k.endswith("num_batches_tracked")}
    if skip_classifier:
        tolerated |= {k for k in expected if k.startswith(CLASSIFIER)}
    missing = [k for k in expected if k not in sd and k not in tolerated]
    unexpected = [k for k in sd if k not in expected]
    shapes = [f"{k}: weights {tuple(v.shape)}, model {tuple(expected[k].shape)}"
              for k, v in sd.items() if k in expected and v.shape != expected[k].shape]  # fmt: skip
    if missing or unexpected or shapes:
        raise WeightsMismatchError(what, missing, unexpected, shapes)
