"""Reopening an accepted form: the district asks with a reason, the Ministry grants or refuses (journaled);
when granted, the accepted values are kept so that «изменено после принятия» shows old and new side by side."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import ReopenRequest
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.errors import ConflictError, ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle import clock
from socplan.services.cycle.common import (STATUS_LABELS, listed_requests, pending_request, record_step, scope_filter,
                                          scope_values)
from socplan.services.indicators.common import form_by_code, form_state, submission, territory_by, values_for
from socplan.services.permissions import require, require_territory

KIND_LABELS = {"plan": "план", "fact": "факт", "comment": "комментарий"}


def _key(code: str, component: str, kind: str) -> str:
    return "|".join((code, component, kind))


def snapshot(s: Session, form: IndicatorForm, territory: Territory, period: Period) -> str:
    """The form's stored values and comments as JSON (what was accepted)."""
    stored = values_for(s, form, [territory.id], period)[territory.id]
    data = {}
    for (code, component, kind), v in stored.items():
        data[_key(code, component, kind)] = None if v.value is None else format(v.value, "f")
        if kind == "fact" and not component and v.comment:
            data[_key(code, "", "comment")] = v.comment
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ReopenRow:
    id: int
    form: str
    territory: str
    period: Period
    reason: str
    requested_by: str
    requested_at: dt.datetime
    status: str
    decided_by: str
    decision_note: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _row(r: ReopenRequest, form: str, territory: str) -> ReopenRow:
    return ReopenRow(r.id, form, territory, Period(r.year, r.period_kind, r.period_no), r.reason, r.requested_by,
                     r.requested_at, r.status, r.decided_by, r.decision_note)


def request_reopen(ctx: AppContext, form_code: str, territory: str | int, period: Period, reason: str) -> ReopenRow:
    """«Прошу открыть принятую форму для исправления»: a reason is required; the form stays locked."""
    if not reason.strip():
        raise ValidationError("reason", "Укажите причину, по которой нужно исправить принятую форму.")
    with ctx.uow(reason=f"Запрос на открытие формы {form_code}: {reason.strip()}") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        require_territory(ctx, Action.REQUEST_REOPEN, t)
        state = form_state(s, form, t, period)
        if not state.locked:
            raise ConflictError(f"Форма «{form.code}» по территории «{t.name}» за {period.label} не принята "
                                f"(состояние «{state.label}»): её можно исправлять без запроса.")
        if s.scalar(select(ReopenRequest.id).where(*scope_filter(ReopenRequest, form.id, t.id, period),
                                                   ReopenRequest.status == "pending")):
            raise ConflictError("Запрос на открытие этой формы уже направлен и ещё не рассмотрен.")
        r = ReopenRequest(**scope_values(form, t, period), reason=reason.strip(), requested_by=ctx.user.name,
                          requested_at=clock.now(), status="pending", decided_by="", decision_note="", snapshot="")
        s.add(r)
        s.commit()
        return _row(r, form.code, t.name)


def reopen_now(s: Session, ctx: AppContext, form: IndicatorForm, territory: Territory, period: Period, reason: str,
               request: ReopenRequest | None = None) -> None:
    """Open an accepted form (inside a unit of work): keep the accepted values, state → черновик, journal."""
    sub = submission(s, form, territory, period)
    old = sub.state
    if request is None:
        request = ReopenRequest(**scope_values(form, territory, period), reason=reason, requested_by=ctx.user.name,
                                requested_at=clock.now())
        s.add(request)
    request.status, request.decided_by, request.decided_at = "granted", ctx.user.name, clock.now()
    request.decision_note = request.decision_note or reason
    request.snapshot = snapshot(s, form, territory, period)
    sub.state, sub.changed_at, sub.changed_by, sub.note = FormState.DRAFT.value, clock.now(), ctx.user.name, reason
    record_step(s, ctx, form, territory, period, old, FormState.DRAFT.value, f"Открыта для исправления: {reason}")


def decide_reopen(ctx: AppContext, request_id: int, grant: bool, note: str = "") -> ReopenRow:
    """The Ministry grants (the form becomes «черновик», old values kept) or refuses (a note is required)."""
    require(ctx, Action.DECIDE_REOPEN)
    if not grant and not note.strip():
        raise ValidationError("note", "Укажите причину отказа: район увидит её в ответе на запрос.")
    verb = "разрешено" if grant else "отказано"
    with ctx.uow(reason=f"Открытие формы {verb}" + (f": {note.strip()}" if note.strip() else "")) as s:
        r = pending_request(s, ReopenRequest, request_id, "на открытие")
        form, t = s.get(IndicatorForm, r.form_id), s.get(Territory, r.territory_id)
        period = Period(r.year, r.period_kind, r.period_no)
        r.decision_note = note.strip()
        if grant:
            if not form_state(s, form, t, period).locked:
                raise ConflictError("Форма уже открыта для исправления.")
            reopen_now(s, ctx, form, t, period, r.reason, r)
        else:
            r.status, r.decided_by, r.decided_at = "refused", ctx.user.name, clock.now()
        s.commit()
        return _row(r, form.code, t.name)


def list_reopen_requests(ctx: AppContext, pending_only: bool = False) -> list[ReopenRow]:
    with ctx.uow() as s:
        return [_row(r, f, t) for r, f, t in listed_requests(s, ctx, ReopenRequest, pending_only)]


@dataclass(frozen=True)
class ChangedValue:
    """A value «изменено после принятия»: what was accepted and what it is now."""

    code: str
    component: str
    kind: str  # план | факт | комментарий
    accepted: str  # «—» when empty
    now: str


def _shown(value: str | None) -> str:
    if value is None:
        return "—"
    try:
        return format(Decimal(value), "f").replace(".", ",")
    except ArithmeticError:
        return value


def changes_after_acceptance(ctx: AppContext, form_code: str, territory: str | int, period: Period
                             ) -> list[ChangedValue]:
    """Values that differ from what was accepted before the latest reopening (empty: none, or never reopened)."""
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        last = s.scalar(select(ReopenRequest).where(*scope_filter(ReopenRequest, form.id, t.id, period),
                                                    ReopenRequest.status == "granted")
                        .order_by(ReopenRequest.decided_at.desc(), ReopenRequest.id.desc()).limit(1))
        if last is None:
            return []
        before = json.loads(last.snapshot or "{}")
        after = json.loads(snapshot(s, form, t, period))
        order = {i.code: n for n, i in enumerate(form.indicators)}
        out = []
        for key in sorted(set(before) | set(after), key=lambda k: (order.get(k.split("|")[0], 10 ** 6), k)):
            if before.get(key) != after.get(key):
                code, component, kind = key.split("|")
                out.append(ChangedValue(code, component, KIND_LABELS[kind], _shown(before.get(key)),
                                        _shown(after.get(key))))
        return out


__all__ = ["request_reopen", "decide_reopen", "reopen_now", "list_reopen_requests", "changes_after_acceptance",
           "ChangedValue", "ReopenRow", "snapshot"]
