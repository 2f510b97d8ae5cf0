"""Demo data of the subsidies capability, built from the source documents (files under resources/demo/subsidies/)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo(session: Session) -> None:
    """Fill the subsidies tables from resources/demo/subsidies/ (reference data is already loaded)."""
