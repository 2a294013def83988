"""hubconf.py: one explicit entrypoint per registered model, loadable through torch.hub."""
import importlib.util
import re
from pathlib import Path

import torch

import modelzoo

REPO = Path(__file__).resolve().parents[1]


def _hubconf():
    spec = importlib.util.spec_from_file_location("hubconf", REPO / "hubconf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entrypoints(module):
    # What torch.hub.list reports for a repo (it only accepts GitHub repos, so list locally).
    return sorted(f for f in dir(module) if callable(getattr(module, f)) and not f.startswith("_"))


def test_entrypoints_equal_registry():
    builtin = [n for n in modelzoo.list_models() if modelzoo.registry.architecture(n).family != "custom"]
    assert _entrypoints(_hubconf()) == sorted(builtin)


def test_torch_hub_load_local():
    model = torch.hub.load(str(REPO), "regnetx_200mf", source="local", num_classes=4).eval()
    assert model.num_classes == 4
    assert model(torch.randn(1, 3, 32, 32)).shape == (1, 4)


def test_docstrings_state_true_complexity():
    hubconf = _hubconf()
    for name in _entrypoints(hubconf):
        doc = getattr(hubconf, name).__doc__
        flops, params, acts, size = re.match(r".*: ([\d.]+) GFLOPs, ([\d.]+) M params, ([\d.]+) M acts at (\d+) px", doc).groups()
        arch = modelzoo.registry.architecture(name)
        c = arch.complexity()
        assert (flops, params, acts) == (f"{c['flops'] / 1e9:.2f}", f"{c['params'] / 1e6:.2f}", f"{c['acts'] / 1e6:.2f}"), name
        assert int(size) == arch.data_config.train_size and arch.display_name in doc
