"""Demo data of the protocols capability, built from the source documents (files under resources/demo/protocols/)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo(session: Session) -> None:
    """Fill the protocols tables from resources/demo/protocols/ (reference data is already loaded)."""
