"""What every ``modelzoo`` subcommand shares: exit statuses and one-line errors, the model
arguments, loading a model, and the device choice (:mod:`.output` formats tables and JSON).

A model is always loaded with :func:`modelzoo.create`, which asks :func:`modelzoo.hub.resolve`
what the name means; nothing here parses model names.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn as nn

import modelzoo

from ..hub import DownloadError, UnknownWeightsError, WeightsMismatchError, WeightSpec
from ..hub.resolve import is_reference
from ..registry import UnknownModelError

PROG = "modelzoo"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
NAME_HELP = "model name or alias, optionally with a weight tag: resnet50, resnet50.tv_in1k, RegNetY-3.2GF"
WEIGHTS_HELP = ("local weights instead of a registered weight set: a weight file (.safetensors, .pth, .pyth, "
                "...), a save_pretrained directory, or hf-hub:org/repo")  # fmt: skip
DEVICE_HELP = "cpu, cuda, cuda:1, ... (default: cuda when available)"


class CLIError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


class RunFailure(Exception):
    """The work failed (not the input): one line on stderr, exit status 1."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with a pointer to ``--help``), exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# -------------------------------------------------------------------------------------- errors
def one_line(message: object) -> str:
    """A message as one line: lines joined by '; ', list items ('- ...') after their heading's colon."""
    text = ""
    for line in (part.strip() for part in str(message).splitlines()):
        item = line.removeprefix("- ").strip()
        if item:
            text = item if not text else text + (" " if text.endswith(":") else "; ") + item
    return text


def first_line(e: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


# Hints in library messages that name Python calls, as the command line says them. Only
# --weights reaches the library as a string ``pretrained``, so ``pretrained='x'`` is ``--weights x``.
_CLI_HINTS = (
    (r"modelzoo\.list_models\(pretrained=True\)", f"'{PROG} list --pretrained'"),
    (r"modelzoo\.list_models\(\)", f"'{PROG} list'"),
    (r"modelzoo\.list_weights\(\)", f"'{PROG} list --pretrained'"),
    (r"modelzoo\.create\(name, pretrained='/path/to/file'\)", "--weights FILE"),
    (r"modelzoo\.create\('<model name>', pretrained='([^']*)'\)", r"a model name and --weights \1"),
    (r"pretrained= also takes", "--weights takes"),
    (r"pretrained='([^']*)'", r"--weights \1"),
)


def error_line(e: BaseException) -> str:
    """An exception as one line for the terminal, with API hints turned into command hints."""
    text = one_line(e)
    for api, command in _CLI_HINTS:
        text = re.sub(api, command, text)
    return text


def run_reporting_errors(who: str, func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; an error becomes one line on stderr (``who: error: ...``) and its exit status."""
    try:
        return func(args)
    except (RunFailure, DownloadError) as e:  # first: some download errors are also ValueError/FileNotFoundError
        print(f"{who}: error: {error_line(e)}", file=sys.stderr)
        return EXIT_FAILED
    except WeightsMismatchError as e:
        example = (e.missing + e.unexpected + e.shapes)[0]
        print(f"{who}: error: {first_line(e)} {len(e.missing)} missing, {len(e.unexpected)} unexpected, "
              f"{len(e.shapes)} mis-shaped key(s), e.g. {example}", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    except (CLIError, UnknownModelError, UnknownWeightsError, FileNotFoundError, ValueError) as e:
        print(f"{who}: error: {error_line(e)}{path_hint(e)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{who}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. 'modelzoo list | head'
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK


def path_hint(e: BaseException) -> str:
    """For an unknown model name that is a file or folder here: how to name it as a path."""
    if isinstance(e, UnknownModelError) and os.path.exists(e.name):
        return f" (for the file or folder {e.name!r}, write {os.path.join(os.curdir, e.name)!r})"
    return ""


# ------------------------------------------------------------------ arguments, model and device
def add_command(subparsers: argparse._SubParsersAction, name: str, doc: str | None,
                run: Callable[[argparse.Namespace], int], *, model: bool = False,
                weights: bool = False) -> argparse.ArgumentParser:  # fmt: skip
    """A subcommand's parser: the first paragraph of ``doc`` (the command module's docstring) is
    its line in ``modelzoo --help``, the rest its description; ``main`` calls ``run``. ``model``
    adds the ``NAME[.TAG]`` argument, ``weights`` the ``--weights PATH`` option."""
    summary, _, description = str(doc).strip().partition("\n\n")
    c = subparsers.add_parser(name, help=summary, description=description)
    c.set_defaults(run=run)
    if model:
        c.add_argument("model", metavar="NAME[.TAG]", help=NAME_HELP + "; or a save_pretrained directory")
    if weights:
        c.add_argument("--weights", metavar="PATH", help=WEIGHTS_HELP)
    return c


@dataclass(frozen=True)
class LoadedModel:
    """An eval-mode model, the registered weight set it was loaded with (None for other weights)
    and its weights in words: ``resnet50.tv_in1k``, ``resnet18 with weights runs/demo/export``."""

    model: nn.Module
    spec: WeightSpec | None
    what: str


def load_model(name: str, weights: str | None) -> LoadedModel:
    """``NAME[.TAG]`` with its registered weights (a bare name: the default set), ``NAME`` with
    ``--weights PATH``, or a reference that names its own architecture (a ``save_pretrained``
    directory, ``hf-hub:org/repo``, a pycls ``.pyth`` file)."""
    pretrained: bool | str = True if weights is None else weights
    if weights is not None and not is_reference(weights):  # --weights is a path, never a weight tag
        pretrained = os.path.join(os.curdir, weights)
    # A bare weight file keeps its own class count: create() adopts it when num_classes is unset.
    model = modelzoo.create(name, pretrained=pretrained).eval()
    tag = (getattr(model, "pretrained_cfg", None) or {}).get("tag")  # set when registered weights were loaded
    spec = modelzoo.get_weights(tag) if tag else None
    what = spec.tag if spec is not None else (f"{name} with weights {weights}" if weights else name)
    return LoadedModel(model, spec, what)


def pick_device(name: str | None) -> torch.device:
    """``--device`` as a torch device (default: cuda when available)."""
    if name is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise CLIError(f"--device {name!r} is not a device (try cpu or cuda)") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise CLIError("--device cuda: CUDA is not available on this machine")
    return device
