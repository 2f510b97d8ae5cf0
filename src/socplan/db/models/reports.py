"""Models of the reports capability (filled by its issue). Import every model class here."""

from __future__ import annotations
