"""``python -m modelzoo``: the ``modelzoo`` command."""
from .cli import main

raise SystemExit(main())
