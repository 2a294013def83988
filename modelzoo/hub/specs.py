"""Weight specs: the table of published weight sets (data only). Filled by the hub."""
from __future__ import annotations

WEIGHTS: dict[str, object] = {}


def models_with_weights() -> set[str]:
    """Canonical model names that have at least one weight set."""
    return {tag.split(".", 1)[0] for tag in WEIGHTS}
