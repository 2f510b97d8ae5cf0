"""Immutable rows the GUI and CLI receive (never ORM objects), and inputs they send."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str
    kind: str
    kind_label: str
    year_from: int
    year_to: int
    owner_id: int | None
    owner_short_name: str
    basis: str
    approval_word: str
    approval_position: str
    approval_name: str
    approval_date: dt.date | None
    status: str
    status_label: str
    revision: int
    previous_id: int | None
    reporting: str
    event_count: int

    @property
    def period_text(self) -> str:
        if self.year_from == self.year_to:
            return f"{self.year_from} год"
        return f"{self.year_from} – {self.year_to} годы"


@dataclass(frozen=True)
class FinancingRow:
    source: str  # "" = «Всего»
    year: int | None  # None = whole period
    amount: Decimal


@dataclass(frozen=True)
class ResultRow:
    name: str
    unit: str
    values: tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True)
class EventRow:
    id: int
    plan_id: int
    parent_id: int | None
    number: str
    depth: int
    text: str
    form: str
    deadline_text: str
    deadline_kind: str
    deadline_description: str
    deadline_recognised: bool
    anchor_date: dt.date | None
    needs_anchor: bool
    executors: tuple[str, ...]
    controllers: tuple[str, ...]
    executors_text: str
    source_code: str
    financing: tuple[FinancingRow, ...] = ()
    results: tuple[ResultRow, ...] = ()
    next_due: dt.date | None = None
    status: str = ""  # worst open status / «выполнено» when all done; "" without control points
    status_label: str = ""
    overdue: bool = False
    point_count: int = 0
    version: int = 0  # optimistic locking: pass it back as ``seen_version`` when saving the edited event

    @property
    def executors_display(self) -> str:
        text = ", ".join(self.executors)
        if self.controllers:
            text += (" " if text else "") + "контроль – " + ", ".join(self.controllers)
        return text or self.executors_text


@dataclass(frozen=True)
class PointRow:
    id: int
    event_id: int
    plan_id: int
    plan_title: str
    event_number: str
    event_text: str
    deadline_text: str
    executors: str
    due_date: dt.date
    original_due_date: dt.date
    period_label: str
    status: str
    status_label: str
    info: str
    reported_on: dt.date | None
    reporter: str
    overdue: bool
    colour: str
    document_count: int


@dataclass(frozen=True)
class DocumentRow:
    id: int
    point_id: int
    file_name: str
    sha256: str
    size: int
    added_at: dt.datetime


@dataclass(frozen=True)
class PlanInput:
    title: str
    year_from: int
    year_to: int
    kind: str = "events"
    owner_short_name: str = ""
    basis: str = ""
    approval_word: str = "УТВЕРЖДАЮ"
    approval_position: str = ""
    approval_name: str = ""
    approval_date: dt.date | None = None
    reporting: str = "quarterly"


@dataclass(frozen=True)
class EventInput:
    text: str
    form: str = ""
    deadline_text: str = ""
    executors: tuple[str, ...] = ()  # short names of reference organisations
    controllers: tuple[str, ...] = ()
    executors_text: str = ""
    anchor_date: dt.date | None = None
    source_code: str = ""
    financing: tuple[FinancingRow, ...] | None = None  # None = leave as is
    results: tuple[ResultRow, ...] | None = None


@dataclass(frozen=True)
class PointFilter:
    plan_id: int | None = None
    organisation_short_name: str = ""  # «Мои мероприятия»: executor or controller
    status: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue_only: bool = False
    today: dt.date | None = None
    include_closed_plans: bool = False
    extra: dict = field(default_factory=dict)
