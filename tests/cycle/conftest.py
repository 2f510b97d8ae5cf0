"""The cycle tests share small helpers (cycle_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # importlib mode: make the helper modules importable
