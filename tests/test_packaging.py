"""Packaging: a non-editable wheel carries the package data and builds without deprecation warnings."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_holds_the_package_data_and_builds_cleanly(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                           "-v", "-w", str(tmp_path)], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    output = proc.stdout + proc.stderr
    assert "Deprecat" not in output and "SetuptoolsWarning" not in output, output[-3000:]
    (wheel,) = tmp_path.glob("modelzoo-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        metadata = Parser().parsestr(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    assert "modelzoo/data/imagenet_classes.txt" in names
    assert {"modelzoo/hub/tables/resnet.py", "modelzoo/cli/__init__.py", "modelzoo/training/trainer.py"} <= names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    assert metadata["License-Expression"] == "MIT" and metadata["Name"] == "modelzoo"
