"""Reference data of the methodologies read by the application: the errata register and the OKEI subset."""

from __future__ import annotations

import json
from functools import cache

from socplan.domain.methodology import ErrataRegister, OkeiClassifier
from socplan.resources import resource_path


@cache
def errata_register() -> ErrataRegister:
    """resources/reference/methodology_errata.json (docs/methodology-errata.md is its readable copy)."""
    data = json.loads(resource_path("reference", "methodology_errata.json").read_text(encoding="utf-8"))
    return ErrataRegister.from_dict(data)


@cache
def okei() -> OkeiClassifier:
    """resources/reference/okei.json: the OKEI units the indicators use and how the seeds print them."""
    data = json.loads(resource_path("reference", "okei.json").read_text(encoding="utf-8"))
    return OkeiClassifier.from_dict(data)
