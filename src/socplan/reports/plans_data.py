"""The plain data a plan's printed documents are made from (no database): the plan and its events. Both
layouts read it — :mod:`socplan.reports.plans_documents` and the programme table of
:mod:`socplan.reports.plans_programme` — so it lives below them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PlanDocEvent:
    number: str
    text: str
    form: str
    deadline: str
    executors: str
    is_group: bool  # has sub-items: printed without deadline/executors, like «1 Размещение …:»
    financing: tuple[tuple[str, int | None, Decimal], ...] = ()  # (source, year, amount)
    results: tuple[tuple[str, str, tuple[tuple[int, Decimal], ...]], ...] = ()  # (name, unit, values by year)


@dataclass(frozen=True)
class PlanDocData:
    title: str
    heading: str  # «ПЛАН»
    basis: str
    approval_word: str
    approval_position: str
    approval_name: str
    approval_date: dt.date | None
    status_label: str
    revision: int
    years: tuple[int, ...]
    events: tuple[PlanDocEvent, ...]
    author: str = ""
    #: seed 001 «1. Целевые показатели реализации Плана»: the header and rows (number, name, values by year)
    targets_header: tuple[str, ...] = ()
    targets: tuple[tuple[str, ...], ...] = ()
    kind: str = "events"  # events (seed 001) | approbation (seed 002) | campaign (seed 004) | programme (seed 003)
