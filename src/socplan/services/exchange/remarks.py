"""Remarks on indicator values: the Ministry returns a form «на доработку» with a remark per value; the
remarks travel in the next package to the district and are shown on the district's cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.exchange import ExchangeRemark
from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.errors import ConflictError, NotFoundError, ValidationError
from socplan.domain.indicators import FormState, Period, transition_allowed
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle.common import record_step
from socplan.services.permissions import require
from socplan.services.exchange.kinds import KIND_BY_NAME

VALUE_ENTITY = IndicatorValue.__tablename__


@dataclass(frozen=True)
class RemarkRow:
    id: int
    value_id: int
    text: str
    author: str
    created_at: dt.datetime
    resolved: bool
    received: bool  # came in a package (False: written here)
    territory: str
    cell: str  # «ОБМ-1/2, факт, март 2025 г.»


def _rows(session: Session, stmt) -> list[RemarkRow]:  # noqa: ANN001
    describe = KIND_BY_NAME["indicator_value"].describe
    out = []
    for r, v, ind_code, form_code, territory in session.execute(stmt):
        cell = describe({"indicator": [form_code, ind_code], "component": v.component, "kind": v.kind,
                         "territory": territory, "year": v.year, "period_kind": v.period_kind,
                         "period_no": v.period_no}).split(": ", 1)[-1]
        out.append(RemarkRow(r.id, r.local_id, r.text, r.author, r.created_at, r.resolved, r.package_id is not None,
                             territory, cell))
    return out


def _base():  # noqa: ANN202
    return (select(ExchangeRemark, IndicatorValue, Indicator.code, IndicatorForm.code, Territory.name)
            .join(IndicatorValue, (ExchangeRemark.entity == VALUE_ENTITY) & (ExchangeRemark.local_id == IndicatorValue.id))
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id).join(IndicatorForm)
            .join(Territory, Territory.id == IndicatorValue.territory_id))


def list_remarks(ctx: AppContext, territory: str | None = None, open_only: bool = True) -> list[RemarkRow]:
    with ctx.uow() as s:
        stmt = _base()
        if territory:
            stmt = stmt.where(Territory.name == territory)
        if open_only:
            stmt = stmt.where(ExchangeRemark.resolved.is_(False))
        return _rows(s, stmt.order_by(ExchangeRemark.created_at.desc(), ExchangeRemark.id))


def remarks_for_values(ctx: AppContext, value_ids: Iterable[int], open_only: bool = True) -> dict[int, list[RemarkRow]]:
    """Remarks per indicator value id — what the data-entry grid shows on its cells (tooltip, marker)."""
    ids = sorted(set(value_ids))
    result: dict[int, list[RemarkRow]] = {}
    with ctx.uow() as s:
        for start in range(0, len(ids), 900):
            stmt = _base().where(ExchangeRemark.local_id.in_(ids[start:start + 900]))
            if open_only:
                stmt = stmt.where(ExchangeRemark.resolved.is_(False))
            for row in _rows(s, stmt):
                result.setdefault(row.value_id, []).append(row)
    return result


def resolve_remark(ctx: AppContext, remark_id: int) -> None:
    with ctx.uow(reason="Замечание снято") as s:
        remark = s.get(ExchangeRemark, remark_id)
        if remark is None:
            raise NotFoundError("Замечание не найдено.")
        remark.resolved = True
        s.commit()


def return_for_revision(ctx: AppContext, form_code: str, territory: str, year: int, period_kind: str,
                        period_no: int, remarks: Mapping[int, str], note: str = "") -> int:
    """«Вернуть на доработку»: the submitted form goes back to «черновик»; a remark is attached to each value.

    Returns the number of remarks written. The remarks and the new state go out in the next package.
    """
    cleaned = {vid: text.strip() for vid, text in remarks.items() if text and text.strip()}
    if not cleaned and not note.strip():
        raise ValidationError("remarks", "Укажите замечания к значениям или общее примечание — что нужно исправить.")
    require(ctx, Action.RETURN_FORM)
    author = ", ".join(filter(None, (ctx.user.name, ctx.user.position)))
    with ctx.uow(reason=f"Возврат формы {form_code} на доработку") as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == form_code))
        t = s.scalar(select(Territory).where(Territory.name == territory))
        if form is None or t is None:
            raise NotFoundError("Форма или территория не найдены.")
        sub = s.scalar(select(FormSubmission).where(
            FormSubmission.form_id == form.id, FormSubmission.territory_id == t.id, FormSubmission.year == year,
            FormSubmission.period_kind == period_kind, FormSubmission.period_no == period_no))
        state = FormState(sub.state) if sub else FormState.DRAFT
        if not transition_allowed(state, FormState.RETURNED):
            raise ConflictError(f"Форму в состоянии «{state.label}» нельзя вернуть на доработку: возвращают только "
                                "представленную форму.")
        values = {v.id: v for v in s.scalars(select(IndicatorValue).join(Indicator).where(
            IndicatorValue.id.in_(list(cleaned)), Indicator.form_id == form.id, IndicatorValue.territory_id == t.id,
            IndicatorValue.year == year, IndicatorValue.period_kind == period_kind,
            IndicatorValue.period_no == period_no))}
        foreign = [vid for vid in cleaned if vid not in values]
        if foreign:
            raise ValidationError("remarks", "Замечание относится к значению другой формы, территории или периода.")
        sub.state, sub.changed_by, sub.changed_at = FormState.RETURNED.value, ctx.user.name, dt.datetime.now(
            dt.timezone.utc).replace(tzinfo=None)
        record_step(s, ctx, form, t, Period(year, period_kind, period_no), state.value, FormState.RETURNED.value,
                    note.strip() or f"Замечаний: {len(cleaned)}")
        if note.strip():
            sub.note = note.strip()
        for vid, text in cleaned.items():
            s.add(ExchangeRemark(entity=VALUE_ENTITY, local_id=vid, text=text, author=author))
        s.commit()
    return len(cleaned)


@dataclass(frozen=True)
class ReviewValue:
    """One value of a submitted form, as the Ministry reviews it before returning the form «на доработку»."""

    id: int
    indicator: str  # «1 Показатель …»
    component: str
    kind: str  # план | факт
    value: str  # Russian decimal comma, «—» when empty
    comment: str
    remark: str  # an open remark already written here


def form_periods(ctx: AppContext, territory: str) -> list[tuple[str, int, str, int, str]]:
    """Forms and periods of a territory with their state: (form code, year, period kind, number, state label)."""
    with ctx.uow() as s:
        rows = s.execute(select(IndicatorForm.code, FormSubmission.year, FormSubmission.period_kind,
                                FormSubmission.period_no, FormSubmission.state)
                         .join(IndicatorForm, IndicatorForm.id == FormSubmission.form_id)
                         .join(Territory, Territory.id == FormSubmission.territory_id)
                         .where(Territory.name == territory)
                         .order_by(FormSubmission.year.desc(), IndicatorForm.code, FormSubmission.period_kind,
                                   FormSubmission.period_no)).all()
        return [(code, year, kind, no, FormState(state).label if state in FormState._value2member_map_ else state)
                for code, year, kind, no, state in rows]


def values_for_review(ctx: AppContext, form_code: str, territory: str, year: int, period_kind: str,
                      period_no: int) -> list[ReviewValue]:
    with ctx.uow() as s:
        rows = s.execute(select(IndicatorValue, Indicator.code, Indicator.name).join(Indicator).join(IndicatorForm)
                         .join(Territory, Territory.id == IndicatorValue.territory_id)
                         .where(IndicatorForm.code == form_code, Territory.name == territory, IndicatorValue.year == year,
                                IndicatorValue.period_kind == period_kind, IndicatorValue.period_no == period_no)
                         .order_by(Indicator.sort_order, Indicator.code, IndicatorValue.kind, IndicatorValue.component)
                         ).all()
        open_remarks = {r.local_id: r.text for r in s.scalars(select(ExchangeRemark).where(
            ExchangeRemark.entity == VALUE_ENTITY, ExchangeRemark.resolved.is_(False),
            ExchangeRemark.local_id.in_([v.id for v, _c, _n in rows])))}
        return [ReviewValue(v.id, f"{code} {name}", v.component, {"plan": "план", "fact": "факт"}.get(v.kind, v.kind),
                            "—" if v.value is None else format(v.value, "f").replace(".", ","), v.comment,
                            open_remarks.get(v.id, ""))
                for v, code, name in rows]
