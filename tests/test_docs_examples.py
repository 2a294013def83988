"""The code in docs/backbones.md runs as written (with random weights instead of downloads)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.S)


@pytest.mark.parametrize("index", range(len(python_blocks(DOCS / "backbones.md"))))
def test_backbones_examples_run(index):
    code = python_blocks(DOCS / "backbones.md")[index]
    exec(compile(code.replace("pretrained=True", "pretrained=False"), f"docs/backbones.md[{index}]", "exec"), {})
