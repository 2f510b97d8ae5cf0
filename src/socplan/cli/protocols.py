"""Headless commands of the protocols capability (filled by its issue)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
