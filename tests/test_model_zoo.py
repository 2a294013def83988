"""MODEL_ZOO.md is generated: it must equal the generator's output, and its numbers must be true."""
import importlib.util
import json
import re
from pathlib import Path

import pytest

import modelzoo
from modelzoo.registry import architecture
from modelzoo.training import recipes

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| .+ \(`(\w+)`\) \| (.+) \|$")


def _zoo():
    spec = importlib.util.spec_from_file_location("zoo", ROOT / "benchmarks" / "zoo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_zoo_md_is_generated():
    assert (ROOT / "MODEL_ZOO.md").read_text() == _zoo().render(), "run: python benchmarks/zoo.py"


def _rows():
    rows = {}
    for line in (ROOT / "MODEL_ZOO.md").read_text().splitlines():
        m = ROW.match(line)
        if m:
            rows[m[1]] = [c.strip() for c in m[2].split("|")]
    return rows


def test_every_model_has_a_row_with_true_numbers():
    rows = _rows()
    assert sorted(rows) == sorted(n for n in modelzoo.list_models() if architecture(n).family != "custom")
    results = ROOT / "benchmarks" / "results" / "models_gpu.json"
    measured = {r["model"]: r for r in json.loads(results.read_text())["models"]} if results.exists() else {}
    for name, (flops, params, acts, batch, infer, hours, top1, weights, license_) in rows.items():
        cx = modelzoo.complexity(name)
        assert float(flops) == pytest.approx(cx["flops"] / 1e9, abs=0.005), name
        assert float(params) == pytest.approx(cx["params"] / 1e6, abs=0.005), name
        assert float(acts) == pytest.approx(cx["acts"] / 1e6, abs=0.005), name
        assert int(batch) == recipes.BATCH[name][0], name
        spec = modelzoo.get_weights(name)
        assert float(top1) == pytest.approx(spec.top1_err, abs=0.005) and f"[{spec.name}](" in weights, name
        assert license_.startswith(spec.license), name
        if name in measured:
            assert infer == f"{measured[name]['infer_ms']:.1f}", name
            assert hours != "—"
        else:
            assert infer == "—" and hours == "—", name
