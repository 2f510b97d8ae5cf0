"""Models of the indicators capability (filled by its issue). Import every model class here."""

from __future__ import annotations
