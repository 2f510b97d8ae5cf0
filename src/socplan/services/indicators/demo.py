"""Demo data of the indicators capability, built from the source documents (files under resources/demo/indicators/)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo(session: Session) -> None:
    """Fill the indicators tables from resources/demo/indicators/ (reference data is already loaded)."""
