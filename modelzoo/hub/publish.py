"""Publishing: ``save_pretrained`` writes a self-describing directory, ``push_to_hub`` uploads it.

A saved directory holds ``model.safetensors`` (the state dict), ``config.json`` (architecture,
constructor arguments, data config, metrics, training recipe, provenance) and a model card
``README.md``. ``modelzoo.create(directory)`` and ``modelzoo.create('hf-hub:org/repo')`` rebuild
the exact model from it.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from ..data_config import DataConfig
from ..registry import architecture
from .download import file_sha256
from .saved_config import build_config, constructor_args
from .specs import NON_COMMERCIAL_LICENSES

FILES = ("model.safetensors", "config.json", "README.md")
HF_LICENSES = {"mit", "apache-2.0", "bsd-3-clause", "cc-by-nc-4.0", "cc-by-4.0"}


# ---------------------------------------------------------------------------------- model card
def _card(config: dict[str, Any], repo_id: str | None) -> str:
    arch = architecture(config["architecture"])
    dc, args, prov = config["data_config"], config["model_args"], config["provenance"]
    lic = config.get("license")
    front = ["---", f"license: {lic if lic in HF_LICENSES else 'other'}"]
    if lic and lic not in HF_LICENSES:
        front.append(f"license_name: {json.dumps(lic)}")
    front += ["library_name: modelzoo", "tags:", "- image-classification", "- modelzoo", f"- {arch.name}", "---", ""]
    where = f"hf-hub:{repo_id}" if repo_id else "/path/to/this/directory"
    lines = [
        f"# {arch.display_name or arch.name} (`{arch.name}`)", "",
        f"An image classifier saved by modelzoo {prov['modelzoo_version']}: "
        f"{args['num_classes']} classes, {args['in_chans']} input channels, {prov['parameters']:,} parameters.", "",
        "## Use", "", "```python", "import modelzoo", "",
        f"model = modelzoo.create({where!r}).eval()", "transform = modelzoo.eval_transform(model)  # PIL image -> tensor",
        "logits = model(transform(image).unsqueeze(0))", "```", "",
        "## Evaluation preprocessing", "",
        f"Resize the shorter side to {dc['test_size']} px ({dc['interpolation']}), centre-crop {dc['crop_size']} px, "
        f"RGB scaled to 0-1, normalised with mean {dc['mean']} and std {dc['std']}. Trained at {dc['train_size']} px.", "",
    ]  # fmt: skip
    if config["metrics"]:
        lines += ["## Metrics", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in config["metrics"].items()] + [""]
    lines += ["## Constructor arguments", "", "```json", json.dumps(args, indent=1), "```", ""]
    if config["training"]:
        lines += ["## Training", "", "```json", json.dumps(config["training"], indent=1), "```", ""]
    base = prov.get("base_weights")
    lines += ["## Provenance", ""]
    if base:
        lines.append(f"Initialised from `{base.get('tag') or base.get('source')}` (license: {base.get('license', 'unknown')}).")
    lines += [f"Weights sha256 `{prov['weights_sha256']}`; saved {prov['created']} with torch {prov['torch_version']}.", ""]
    if lic in NON_COMMERCIAL_LICENSES:
        lines += ["**License: non-commercial use only** (inherited from the base weights).", ""]
    return "\n".join(front + lines)


# ------------------------------------------------------------------------------------ writing
def save_pretrained(model: nn.Module, directory: str | os.PathLike, *, metrics: dict | None = None,
                    training: dict | None = None, data_config: DataConfig | None = None,
                    class_names: list[str] | None = None) -> Path:  # fmt: skip
    """Write ``model.safetensors``, ``config.json`` and a model card ``README.md`` to ``directory``.

    ``metrics`` (e.g. ``{'top1_err': 23.1, 'top5_err': 6.6}``) and ``training`` (e.g. the recipe)
    are stored as given (JSON-serialisable); ``data_config`` defaults to the model's
    ``pretrained_cfg``; ``class_names`` (one per class, index order) default to
    ``pretrained_cfg['class_names']`` and come back in the loaded model's ``pretrained_cfg``. Written atomically: files go to a temporary folder first, so an error
    leaves no half-written directory (an existing one keeps its old content). DataParallel/DDP and
    ``torch.compile`` wrappers are looked through. Returns the path.
    """
    return _write(unwrap_model(model), Path(directory).expanduser(), metrics, training, data_config, class_names,
                  repo_id=None)


def check_rebuildable(model: nn.Module) -> None:
    """Refuse a model that ``modelzoo.create(arch, **constructor_args)`` would not rebuild exactly
    (changed after it was built): compared module by module on the meta device."""
    args = constructor_args(model)
    arch = architecture(model.arch_name)
    with torch.device("meta"):
        rebuilt = arch.build(**args)
    same = repr(rebuilt) == repr(model) and getattr(rebuilt, "spec", None) == getattr(model, "spec", None)
    if not same or model.state_dict().keys() != rebuilt.state_dict().keys():
        raise ValueError(
            f"this {arch.name} differs from what modelzoo.create({arch.name!r}, **{args}) builds (was it changed "
            "after it was built?); save_pretrained only saves models it can rebuild exactly"
        )


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside ``torch.compile`` (``._orig_mod``) or DataParallel/DDP (``.module``) wrappers."""
    while True:
        if isinstance(getattr(model, "_orig_mod", None), nn.Module):
            model = model._orig_mod
        elif not hasattr(model, "arch_name") and isinstance(getattr(model, "module", None), nn.Module):
            model = model.module
        else:
            return model


def _write(model: nn.Module, directory: Path, metrics: dict | None, training: dict | None,
           data_config: DataConfig | None, class_names: list[str] | None, *, repo_id: str | None) -> Path:  # fmt: skip
    from safetensors.torch import save_file

    check_rebuildable(model)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    try:
        state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
        weights = tmp / FILES[0]
        save_file(state, str(weights), metadata={"format": "pt", "modelzoo_architecture": getattr(model, "arch_name", "")})
        config = build_config(model, file_sha256(weights), metrics=metrics, training=training, data_config=data_config,
                              class_names=class_names)
        (tmp / FILES[1]).write_text(json.dumps(config, indent=2) + "\n")
        (tmp / FILES[2]).write_text(_card(config, repo_id))
        _move_into_place(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def _move_into_place(tmp: Path, directory: Path) -> None:
    """Swap the finished folder in. A folder holding only our files is replaced whole; one holding
    other files too keeps them and gets ours renamed in one by one."""
    if not directory.exists():
        os.rename(tmp, directory)
        return
    if not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a directory")
    if {p.name for p in directory.iterdir()} <= set(FILES):
        old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(directory, old)
        os.rename(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)
        return
    for name in FILES:
        os.replace(tmp / name, directory / name)
    tmp.rmdir()


def push_to_hub(model: nn.Module, repo_id: str, token: str | None = None, private: bool = False, *,
                metrics: dict | None = None, training: dict | None = None, data_config: DataConfig | None = None,
                class_names: list[str] | None = None, revision: str = "main",
                commit_message: str | None = None) -> str:  # fmt: skip
    """``save_pretrained`` into a temporary folder and upload it to the Hugging Face Hub as one
    commit (the repo is created if needed; ``HF_ENDPOINT`` and ``HF_TOKEN`` are honoured).
    ``metrics``, ``training``, ``data_config`` and ``class_names`` are as for ``save_pretrained``.
    Returns the commit URL. ``modelzoo.create('hf-hub:' + repo_id)`` loads it back."""
    from huggingface_hub import CommitOperationAdd, HfApi

    model = unwrap_model(model)
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    with tempfile.TemporaryDirectory(prefix="modelzoo-push-") as tmp:
        folder = _write(model, Path(tmp) / "model", metrics, training, data_config, class_names, repo_id=repo_id)
        ops = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(folder / name)) for name in FILES]
        info = api.create_commit(repo_id, ops, commit_message=commit_message or f"Upload {model.arch_name} with modelzoo",
                                 revision=revision, repo_type="model")  # fmt: skip
    return str(info.commit_url)
