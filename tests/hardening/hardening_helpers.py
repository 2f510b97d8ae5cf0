"""Shared helpers of the hardening trials."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def content_fingerprint(path: Path) -> str:
    """A hash of every table's rows, read on a read-only connection (what a user's data is)."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()
