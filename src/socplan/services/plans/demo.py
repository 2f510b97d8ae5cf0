"""Demo data of the plans capability, built from the source documents (files under resources/demo/plans/)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo(session: Session) -> None:
    """Fill the plans tables from resources/demo/plans/ (reference data is already loaded)."""
