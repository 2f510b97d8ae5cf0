"""Due dates: a rule per form set by the Ministry, the working-day calendar the plans use, and extensions a
district asks for and the Ministry grants or refuses (both journaled)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import DueRuleRow, ExtensionRequest
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.calendar import WorkCalendar
from socplan.domain.cycle import PERIOD_KINDS, DueRule, parse_due_rule
from socplan.domain.errors import ConflictError, ValidationError
from socplan.domain.indicators import Period
from socplan.domain.roles import Action
from socplan.formatting import format_date
from socplan.services.context import AppContext
from socplan.services.cycle import clock
from socplan.services.cycle.common import STATUS_LABELS, listed_requests, pending_request, scope_filter, scope_values
from socplan.services.indicators.common import form_by_code, territory_by
from socplan.services.permissions import require, require_territory
from socplan.services.plans.calendar import load_calendar

KIND_BY_WORD = {"месяц": "month", "квартал": "quarter", "год": "year", **{k: k for k in PERIOD_KINDS}}


@dataclass(frozen=True)
class DueRuleInfo:
    form: str
    form_name: str
    period_kind: str
    text: str

    @property
    def periodicity(self) -> str:
        return PERIOD_KINDS[self.period_kind]


def rule_of(row: DueRuleRow) -> DueRule:
    return DueRule(row.period_kind, row.day, row.months_after, row.month, row.working_days)


def rules_by_form(s: Session) -> dict[int, DueRule]:
    return {r.form_id: rule_of(r) for r in s.scalars(select(DueRuleRow))}


def set_due_rule(ctx: AppContext, form_code: str, period_kind: str, text: str) -> DueRuleInfo:
    """«до 10-го числа месяца, следующего за отчётным периодом» for a monthly form, «до 15 января» for a yearly…"""
    require(ctx, Action.EDIT_DUE_RULES)
    kind = KIND_BY_WORD.get(period_kind.strip().lower())
    if kind is None:
        raise ValidationError("period_kind", f"Периодичность «{period_kind}» не известна: месяц, квартал или год.")
    try:
        rule = parse_due_rule(text, kind)
    except ValueError as exc:
        raise ValidationError("rule", str(exc)) from exc
    with ctx.uow(reason=f"Срок сдачи формы {form_code}: {rule.text}") as s:
        form = form_by_code(s, form_code)
        row = s.scalar(select(DueRuleRow).where(DueRuleRow.form_id == form.id))
        if row is None:
            row = DueRuleRow(form_id=form.id)
            s.add(row)
        row.period_kind, row.day, row.months_after = rule.period_kind, rule.day, rule.months_after
        row.month, row.working_days = rule.month, rule.working_days
        if row.set_at is None:
            row.set_at = clock.now()
        s.commit()
        return DueRuleInfo(form.code, form.name, kind, rule.text)


def list_due_rules(ctx: AppContext) -> list[DueRuleInfo]:
    with ctx.uow() as s:
        rows = s.execute(select(DueRuleRow, IndicatorForm).join(IndicatorForm, IndicatorForm.id == DueRuleRow.form_id)
                         .order_by(IndicatorForm.sort_order, IndicatorForm.code)).all()
        return [DueRuleInfo(f.code, f.name, r.period_kind, rule_of(r).text) for r, f in rows]


@dataclass(frozen=True)
class FormDueRule:
    """A territorial form and its due rule («» when the Ministry has not set one) for the rules screen."""

    form: str
    form_name: str
    period_kind: str  # month | quarter | year; «» — no rule
    text: str

    @property
    def periodicity(self) -> str:
        return PERIOD_KINDS.get(self.period_kind, "")


def forms_with_rules(ctx: AppContext) -> list[FormDueRule]:
    """Every territorial form (those districts report), with its rule where one is set."""
    with ctx.uow() as s:
        rules = {r.form_id: r for r in s.scalars(select(DueRuleRow))}
        forms = s.scalars(select(IndicatorForm).where(IndicatorForm.territorial.is_(True))
                          .order_by(IndicatorForm.sort_order, IndicatorForm.code)).all()
        return [FormDueRule(f.code, f.name, rules[f.id].period_kind if f.id in rules else "",
                            rule_of(rules[f.id]).text if f.id in rules else "") for f in forms]


def _next_period(p: Period) -> Period:
    if p.kind == "year":
        return Period(p.year + 1)
    last = 4 if p.kind == "quarter" else 12
    return Period(p.year + 1, p.kind, 1) if p.number == last else Period(p.year, p.kind, p.number + 1)


def preview_due_dates(ctx: AppContext, period_kind: str, text: str, today: dt.date | None = None,
                      count: int = 4) -> tuple[str, list[tuple[Period, dt.date]]]:
    """What a rule text would mean before it is saved: (the rule as it will be stored, the next ``count``
    periods with their due dates from ``today``, moved off days off by the working-day calendar).
    An unreadable text raises ValidationError with examples."""
    kind = KIND_BY_WORD.get(period_kind.strip().lower())
    if kind is None:
        raise ValidationError("period_kind", f"Периодичность «{period_kind}» не известна: месяц, квартал или год.")
    try:
        rule = parse_due_rule(text, kind)
    except ValueError as exc:
        raise ValidationError("rule", str(exc)) from exc
    today = today or clock.today()
    start = today.year - 1
    period = Period(start) if kind == "year" else Period(start, kind, 1)
    out: list[tuple[Period, dt.date]] = []
    with ctx.uow() as s:
        calendar = load_calendar(s)
        while len(out) < count and period.year <= today.year + 3:
            when = rule.due(period.year, period.kind, period.number, calendar)
            if when >= today:
                out.append((period, when))
            period = _next_period(period)
    return rule.text, out


def granted_extensions(s: Session, period: Period) -> dict[tuple[int, int], dt.date]:
    """(form id, territory id) → the latest granted «until» for ``period``."""
    out: dict[tuple[int, int], dt.date] = {}
    for e in s.scalars(select(ExtensionRequest).where(
            ExtensionRequest.year == period.year, ExtensionRequest.period_kind == period.kind,
            ExtensionRequest.period_no == period.number, ExtensionRequest.status == "granted")
            .order_by(ExtensionRequest.decided_at, ExtensionRequest.id)):
        out[(e.form_id, e.territory_id)] = e.until
    return out


def due_date_in(s: Session, form: IndicatorForm, territory: Territory, period: Period,
                calendar: WorkCalendar | None = None) -> dt.date | None:
    """The due date of one form × territory × period: a granted extension, else the form's rule (None: no rule)."""
    extended = granted_extensions(s, period).get((form.id, territory.id))
    if extended:
        return extended
    row = s.scalar(select(DueRuleRow).where(DueRuleRow.form_id == form.id))
    if row is None or row.period_kind != period.kind:
        return None
    return rule_of(row).due(period.year, period.kind, period.number, calendar or load_calendar(s))


def due_date(ctx: AppContext, form_code: str, territory: str | int, period: Period) -> dt.date | None:
    with ctx.uow() as s:
        return due_date_in(s, form_by_code(s, form_code), territory_by(s, territory), period)


@dataclass(frozen=True)
class ExtensionRow:
    id: int
    form: str
    territory: str
    period: Period
    until: dt.date
    reason: str
    requested_by: str
    status: str
    decided_by: str
    decision_note: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _ext_row(e: ExtensionRequest, form: str, territory: str) -> ExtensionRow:
    return ExtensionRow(e.id, form, territory, Period(e.year, e.period_kind, e.period_no), e.until, e.reason,
                        e.requested_by, e.status, e.decided_by, e.decision_note)


def request_extension(ctx: AppContext, form_code: str, territory: str | int, period: Period, until: dt.date,
                      reason: str) -> ExtensionRow:
    """A district asks to submit later: until a date after the current due date, with a reason."""
    if not reason.strip():
        raise ValidationError("reason", "Укажите причину, по которой нужен более поздний срок сдачи.")
    with ctx.uow(reason=f"Запрос продления срока сдачи формы {form_code} до {format_date(until)}: {reason.strip()}") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        require_territory(ctx, Action.REQUEST_EXTENSION, t)
        current = due_date_in(s, form, t, period)
        if current is None:
            raise ConflictError(f"Для формы «{form.code}» не установлен срок сдачи за {PERIOD_KINDS[period.kind]}: "
                                "продлевать нечего.")
        if until <= current:
            raise ValidationError("until", f"Новый срок {format_date(until)} должен быть позже действующего "
                                  f"{format_date(current)}.")
        if s.scalar(select(ExtensionRequest.id).where(*scope_filter(ExtensionRequest, form.id, t.id, period),
                                                      ExtensionRequest.status == "pending")):
            raise ConflictError("Запрос на продление срока по этой форме уже направлен и ещё не рассмотрен.")
        e = ExtensionRequest(**scope_values(form, t, period), until=until, reason=reason.strip(),
                             requested_by=ctx.user.name, requested_at=clock.now(), status="pending")
        s.add(e)
        s.commit()
        return _ext_row(e, form.code, t.name)


def decide_extension(ctx: AppContext, request_id: int, grant: bool, note: str = "") -> ExtensionRow:
    require(ctx, Action.DECIDE_EXTENSION)
    if not grant and not note.strip():
        raise ValidationError("note", "Укажите причину отказа в продлении срока.")
    verb = "продлён" if grant else "не продлён"
    with ctx.uow(reason=f"Срок сдачи {verb}" + (f": {note.strip()}" if note.strip() else "")) as s:
        e = pending_request(s, ExtensionRequest, request_id, "на продление")
        e.status = "granted" if grant else "refused"
        e.decided_by, e.decided_at, e.decision_note = ctx.user.name, clock.now(), note.strip()
        s.commit()
        return _ext_row(e, s.get(IndicatorForm, e.form_id).code, s.get(Territory, e.territory_id).name)


def list_extensions(ctx: AppContext, pending_only: bool = False) -> list[ExtensionRow]:
    with ctx.uow() as s:
        return [_ext_row(e, f, t) for e, f, t in listed_requests(s, ctx, ExtensionRequest, pending_only)]


__all__ = ["DueRuleInfo", "FormDueRule", "forms_with_rules", "preview_due_dates", "set_due_rule", "list_due_rules", "rules_by_form", "due_date", "due_date_in",
           "granted_extensions", "request_extension", "decide_extension", "list_extensions", "ExtensionRow"]
