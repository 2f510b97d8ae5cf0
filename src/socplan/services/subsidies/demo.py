"""Demo data of the subsidies capability, built from the source documents (files under resources/demo/subsidies/).

Two rounds for 2025 (Appendix 12 and Appendix 13 of seed 003); the applications are clearly demo inputs,
the procedures, documents checklists and clauses are the seed's.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from socplan.io.subsidies_json import read_round
from socplan.resources import resource_path

DEMO_FILES = ("app12_2025.json", "app13_2025.json")


def load_demo(session: Session) -> None:
    """Fill the subsidies tables from resources/demo/subsidies/ (reference data is already loaded)."""
    from socplan.services.subsidies.rounds import _write_round

    for name in DEMO_FILES:
        _write_round(session, read_round(resource_path("demo", "subsidies", name)))
