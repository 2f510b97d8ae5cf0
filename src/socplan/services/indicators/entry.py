"""Data entry for one form, territory and period: the sheet, saving edits, form states, cell history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.db.models.exchange import ExchangeRemark
from socplan.db.models.indicators import FormSubmission, IndicatorValue
from socplan.db.base import utcnow
from socplan.db.locks import consistent_read, lock_for_write
from socplan.domain.conflicts import ValueConflictError
from socplan.domain.control_ratios import Severity, Violation
from socplan.domain.errors import ConflictError, NotFoundError, SocPlanError, ValidationError, ValidationErrors
from socplan.domain.roles import Action
from socplan.domain.indicators import (FormState, IndicatorDef, Period, Thresholds, check_value,
                                       compute_sheet, transition_allowed)
from socplan.domain.methodology import reason_required
from socplan.formatting import format_date
from socplan.services.context import AppContext
from socplan.services.exchange.remarks import remarks_for_values
from socplan.services.indicators.analysis import (compute_for, consolidate_session, describe_violation, infos_of,
                                                  sheet_computed, sheet_violations)
from socplan.services.indicators.conflicts import conflict_message, find_conflicts, value_versions, with_write_retry
from socplan.services.indicators.common import (IndicatorInfo, form_by_code, form_infos, form_only, form_state,
                                                orm_values_for, submission, territory_by, thresholds_of, values_for)
from socplan.services.permissions import require, require_territory


@dataclass(frozen=True)
class SheetRow:
    indicator: IndicatorInfo
    component: str  # "" — the indicator itself
    label: str
    plan: Decimal | None
    fact: Decimal | None
    comment: str
    plan_qualifier: str
    plan_editable: bool
    fact_editable: bool
    plan_reason: str = ""
    fact_reason: str = ""
    missing: tuple[str, ...] = ()

    @property
    def code_label(self) -> str:
        return f"{self.indicator.code}\u00a0·\u00a0{self.component}" if self.component else self.indicator.code


@dataclass(frozen=True)
class CellRemark:
    """A remark of the Ministry on one cell (the form was returned «на доработку»)."""

    text: str
    author: str
    created_at: dt.datetime
    id: int = 0  # the remark's id, to mark it as dealt with

    @property
    def line(self) -> str:
        """«Замечание (автор, 05.03.2025)» — how the grid's tooltip and panel show it."""
        who = ", ".join(filter(None, (self.author, format_date(self.created_at.date()))))
        return f"{self.text} ({who})" if who else self.text


@dataclass(frozen=True)
class Sheet:
    form_code: str
    form_name: str
    territory_id: int
    territory_name: str
    period: Period
    state: FormState
    consolidated: bool  # region values built from districts: read-only
    rows: tuple[SheetRow, ...]
    definitions: tuple[IndicatorDef, ...]
    thresholds: Thresholds
    comment_threshold: Decimal
    missing: tuple[str, ...] = ()
    #: (indicator code, component, plan|fact) -> the Ministry's open remarks on that cell
    remarks: dict[tuple[str, str, str], tuple[CellRemark, ...]] = field(default_factory=dict)
    #: (indicator code, component, plan|fact) -> the stored row's version when loaded (optimistic locking);
    #: a comment is kept on the indicator's fact row
    versions: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def read_only(self) -> bool:
        return self.consolidated or self.state.locked or self.state is FormState.SUBMITTED

    @property
    def remark_count(self) -> int:
        return sum(len(r) for r in self.remarks.values())


def load_sheet(ctx: AppContext, form_code: str, territory: str | int, period: Period) -> Sheet:
    with ctx.uow() as s:
        consistent_read(s)  # the values and their versions from one snapshot (optimistic locking)
        form = form_only(s, form_code)
        t = territory_by(s, territory)
        consolidated = form.territorial and t.kind == "region"
        if consolidated:  # consolidation walks the ORM catalogue
            form = form_by_code(s, form_code)
        infos = infos_of(form) if consolidated else form_infos(s, form)  # plain rows: no ORM catalogue to build
        stored = values_for(s, form, [t.id], period)[t.id]
        computed = sheet_computed(s, form, t, period, infos, stored)
        cons = consolidate_session(s, form, period) if consolidated else {}
        rows: list[SheetRow] = []
        all_missing: set[str] = set()
        for info in infos:
            d = info.definition()
            fact_row = stored.get((info.code, "", "fact"))
            plan_row = stored.get((info.code, "", "plan"))
            plan_fv = computed[(info.code, "", "plan")]
            fact_fv = computed[(info.code, "", "fact")]
            fact, fact_reason, missing = fact_fv.value, fact_fv.reason if d.computes("fact") else "", ()
            if consolidated and info.consolidation != "none":
                c = cons[info.code]
                fact, fact_reason, missing = c.fact, c.reason, c.missing
                all_missing |= set(missing)
            rows.append(SheetRow(info, "", info.name, plan_fv.value, fact,
                                 fact_row.comment if fact_row else "", plan_row.qualifier if plan_row else "",
                                 not d.computes("plan"), not d.computes("fact") and not consolidated,
                                 plan_fv.reason if d.computes("plan") else "", fact_reason, missing))
            for comp in info.components:
                pv = computed[(info.code, comp.symbol, "plan")]
                fv = computed[(info.code, comp.symbol, "fact")]
                derived = bool(comp.formula)
                label = f"{comp.symbol} – {comp.description}" + (f", {comp.unit_name}" if comp.unit_name else "")
                if consolidated:
                    summed = cons[info.code].components.get(comp.symbol) if info.code in cons else None
                    rows.append(SheetRow(info, comp.symbol, label, None, summed, "", "", False, False))
                    continue
                rows.append(SheetRow(info, comp.symbol, label, pv.value, fv.value, "", "",
                                     not derived, not derived, pv.reason if derived else "", fv.reason if derived else ""))
        state = form_state(s, form, t, period)
        sheet = Sheet(form.code, form.name, t.id, t.name, period, state, consolidated, tuple(rows),
                      tuple(i.definition() for i in infos), thresholds_of(form), form.comment_threshold,
                      tuple(sorted(all_missing)), versions=value_versions(stored))
    # the remarks are fetched once per form load (one query for all the form's values), not per painted cell
    keys = {v.id: key for key, v in stored.items()}
    found = remarks_for_values(ctx, keys) if keys else {}
    if not found:
        return sheet
    cell_remarks = {keys[vid]: tuple(CellRemark(r.text, r.author, r.created_at, r.id)
                                     for r in sorted(rows_, key=lambda r: (r.created_at, r.id)))
                    for vid, rows_ in found.items()}
    return replace(sheet, remarks=cell_remarks)


@dataclass(frozen=True)
class CellChange:
    code: str
    component: str
    kind: str  # plan | fact | comment
    value: Decimal | None = None
    text: str = ""
    #: the cell's version as loaded (``Sheet.versions``, 0: no stored row yet); ``None`` skips the check
    seen_version: int | None = None
    #: the value (or comment) as loaded, so that a change of another field of the same row is no conflict
    seen: Decimal | str | None = None


@dataclass(frozen=True)
class SaveResult:
    changed: int
    violations: tuple[Violation, ...]
    #: data-quality warnings on the saved facts that have no comment yet (services/cycle/quality.py)
    quality: tuple[str, ...] = ()

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.ERROR]


def save_sheet(ctx: AppContext, form_code: str, territory: str | int, period: Period,
               changes: list[CellChange], reason: str = "") -> SaveResult:
    """Save edited cells (every change goes to the audit log) and run the form's control ratios.
    Errors of the ratios do not block saving a draft; they block «представлено».

    A cell someone else saved after ``seen_version`` is not overwritten: nothing is saved and
    :class:`ValueConflictError` lists both values (save again with ``theirs_version`` to keep yours)."""
    return with_write_retry(lambda: _save_sheet(ctx, form_code, territory, period, changes, reason))


def _save_sheet(ctx: AppContext, form_code: str, territory: str | int, period: Period,
                changes: list[CellChange], reason: str) -> SaveResult:
    with ctx.uow(reason=reason or "Ввод значений показателей") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        require_territory(ctx, Action.EDIT_VALUES, t)
        lock_for_write(s, "ind_sheet", form.id, t.id, period.year, period.kind, period.number)
        if form.territorial and t.kind == "region":
            raise ConflictError("Значения по Омской области собираются из данных территорий и не редактируются. "
                                "Откройте форму района или города.")
        state = form_state(s, form, t, period)
        if state.locked:
            raise ConflictError(f"Форма «{form.code}» по территории «{t.name}» за {period.label} "
                                f"{'принята и закрыта' if state is FormState.ACCEPTED else 'закрыта'} для изменений. Чтобы исправить значения, направьте запрос на открытие "
                                "формы с указанием причины (его рассматривает Министерство).")
        if state is FormState.SUBMITTED:
            raise ConflictError(f"Форма «{form.code}» по территории «{t.name}» за {period.label} представлена и "
                                "ожидает проверки Министерства: изменения возможны после возврата на доработку.")
        infos = {i.code: i for i in infos_of(form)}
        stored = orm_values_for(s, form, t.id, period)
        conflicts = find_conflicts(s, stored, changes)
        if conflicts:
            raise ValueConflictError(conflict_message(t.name, conflicts), conflicts)
        errors: list[ValidationError] = []
        changed = 0
        for ch in changes:
            info = infos.get(ch.code)
            if info is None:
                errors.append(ValidationError(ch.code, f"Показателя с кодом {ch.code} нет в форме «{form.code}»."))
                continue
            d = info.definition()
            kind = "fact" if ch.kind == "comment" else ch.kind
            if ch.kind != "comment":
                computed_cell = (d.computes(kind) if not ch.component else
                                 bool(next((c.formula for c in info.components if c.symbol == ch.component), "")))
                if computed_cell:
                    errors.append(ValidationError(ch.code, f"Стр. {ch.code}{' ' + ch.component if ch.component else ''}: "
                                                  "значение рассчитывается по формуле и не вводится."))
                    continue
                if ch.value is not None and not ch.component:
                    problem = check_value(ch.value, info.limits, f"Стр. {ch.code}")
                    if problem:
                        errors.append(ValidationError(ch.code, problem))
                        continue
                if ch.value is not None and ch.component and ch.value < 0:
                    errors.append(ValidationError(ch.code, f"Стр. {ch.code} {ch.component}: значение не может быть "
                                                  "отрицательным."))
                    continue
            key = (ch.code, ch.component if ch.kind != "comment" else "", kind)
            row = stored.get(key)
            if row is None:
                if ch.kind == "comment" and not ch.text or ch.kind != "comment" and ch.value is None:
                    continue
                row = IndicatorValue(indicator_id=info.id, component=key[1], territory_id=t.id, year=period.year,
                                     period_kind=period.kind, period_no=period.number, kind=kind)
                s.add(row)
                stored[key] = row
            if ch.kind == "comment":
                if row.comment != ch.text:
                    row.comment = ch.text
                    changed += 1
            elif row.value != ch.value:
                row.value = ch.value
                changed += 1
        if errors:
            raise ValidationErrors(errors)
        s.flush()
        violations = sheet_violations(s, form, t, period)
        from socplan.services.cycle.quality import quality_flags

        commented = {code for (code, comp, kind), row in stored.items() if kind == "fact" and not comp
                     and row.comment.strip()}
        quality = tuple(f.text for flags in quality_flags(s, list(form.indicators), [t.id], period).values()
                        for f in flags if f.code not in commented)
        s.commit()
        return SaveResult(changed, tuple(violations), quality)


def missing_comments(sheet: Sheet) -> list[str]:
    """Indicators without a reason whose fact falls short of the plan (any shortfall, by the indicator's type)
    or exceeds it by more than the threshold."""
    out = []
    for row in sheet.rows:
        if row.component:
            continue
        if (reason_required(row.plan, row.fact, row.indicator.direction, sheet.comment_threshold)
                and not row.comment.strip()):
            out.append(row.indicator.code)
    return out


#: the permission each transition needs (domain/roles.py)
TRANSITION_ACTIONS = {
    FormState.SUBMITTED: Action.SUBMIT_FORM,
    FormState.ACCEPTED: Action.ACCEPT_FORM,
    FormState.RETURNED: Action.RETURN_FORM,
    FormState.CLOSED: Action.CLOSE_FORM,
}


def _action_for(old: FormState, new: FormState) -> Action:
    if new is FormState.DRAFT:
        return Action.DECIDE_REOPEN if old.locked else Action.RETURN_FORM
    return TRANSITION_ACTIONS[new]


def set_state(ctx: AppContext, form_code: str, territory: str | int, period: Period, new_state: FormState,
              reason: str = "") -> FormState:
    """черновик → представлено → принято | возвращено на доработку → представлено → принято → закрыто.

    Each step needs its role (a district officer only submits its own territory's forms); submitting needs
    the form complete (services/cycle/completeness.py lists what blocks it); opening an accepted form needs a
    reason, keeps the accepted values for «изменено после принятия». Every step goes to the cycle journal."""
    sheet = load_sheet(ctx, form_code, territory, period) if new_state is FormState.SUBMITTED else None
    return with_write_retry(lambda: _set_state(ctx, form_code, territory, period, new_state, reason, sheet))


def _set_state(ctx: AppContext, form_code: str, territory: str | int, period: Period, new_state: FormState,
               reason: str, sheet: Sheet | None) -> FormState:
    from socplan.services.cycle.common import record_step
    from socplan.services.cycle.blockers import blockers_in
    from socplan.services.cycle.reopen import reopen_now

    with ctx.uow(reason=reason or f"Смена состояния формы: {new_state.label}") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        lock_for_write(s, "ind_sheet", form.id, t.id, period.year, period.kind, period.number)
        old = form_state(s, form, t, period)
        if new_state is FormState.DRAFT and old is FormState.SUBMITTED:
            new_state = FormState.RETURNED  # «вернуть на доработку»
        action = _action_for(old, new_state)
        if action in (Action.SUBMIT_FORM,):
            require_territory(ctx, action, t)
        else:
            require(ctx, action)
        if old is new_state:
            return old
        if not transition_allowed(old, new_state):
            raise ConflictError(f"Нельзя перевести форму из состояния «{old.label}» в «{new_state.label}».")
        if old.locked and new_state is FormState.DRAFT:
            if not reason.strip():
                raise ValidationError("reason", "Укажите причину, по которой снимается отметка «принято»: "
                                      "она будет записана в журнал изменений.")
            reopen_now(s, ctx, form, t, period, reason.strip())
            s.commit()
            return FormState.DRAFT
        if new_state is FormState.SUBMITTED and sheet is not None:
            blockers = blockers_in(s, sheet, form, t, period, warnings_reason=reason)
            if blockers and all(b.kind == "warning" for b in blockers):
                raise ValidationError("reason", "Есть предупреждения контрольных соотношений:\n"
                                      + "\n".join(b.text for b in blockers)
                                      + "\nУкажите пояснение, чтобы представить форму.")
            if blockers:
                raise SocPlanError("Форму нельзя представить. Что мешает представлению:\n"
                                   + "\n".join(f"{n}. {b.text}" for n, b in enumerate(blockers, start=1)))
        sub = submission(s, form, t, period)
        if sub is None:
            sub = FormSubmission(form_id=form.id, territory_id=t.id, year=period.year, period_kind=period.kind,
                                 period_no=period.number, state=old.value)
            s.add(sub)
            s.flush()
        sub.state = new_state.value
        sub.changed_at = utcnow()
        sub.changed_by = ctx.user.name
        sub.note = reason
        record_step(s, ctx, form, t, period, old.value, new_state.value, reason)
        s.commit()
        return new_state


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    user: str
    old: str | None
    new: str | None
    reason: str


def cell_history(ctx: AppContext, form_code: str, territory: str | int, period: Period, code: str,
                 component: str, kind: str) -> list[HistoryEntry]:
    """Who changed this cell, when, from what to what (from the audit log), oldest first."""
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        stored = values_for(s, form, [t.id], period)[t.id]
        row = stored.get((code, "", "fact") if kind == "comment" else (code, component, kind))
        if row is None:
            return []
        field = "comment" if kind == "comment" else "value"
        entries = []
        for a in s.scalars(select(AuditLog).where(AuditLog.entity == "ind_value", AuditLog.entity_id == str(row.id))
                           .order_by(AuditLog.id)):
            if a.action == "insert":
                try:
                    new = json.loads(a.new or "{}").get(field)
                except ValueError:
                    new = a.new
                entries.append(HistoryEntry(a.at, a.user_name, None, new, a.reason))
            elif a.field == field:
                entries.append(HistoryEntry(a.at, a.user_name, a.old, a.new, a.reason))
        return entries


def recompute(sheet: Sheet, entered: dict[tuple[str, str, str], Decimal | None]):  # noqa: ANN201
    """Live recalculation for the grid (pure: no database)."""
    return compute_sheet(list(sheet.definitions), entered)


def resolve_cell_remarks(ctx: AppContext, remark_ids: list[int], comment: str = "") -> int:
    """Mark the Ministry's remarks on a cell as dealt with («учтено»); the optional comment goes to the audit
    log with the change. Returns the number of remarks marked."""
    comment = comment.strip()
    reason = "Замечание Министерства учтено" + (f": {comment}" if comment else "")
    with ctx.uow(reason=reason) as s:
        remarks = list(s.scalars(select(ExchangeRemark).where(ExchangeRemark.id.in_(remark_ids),
                                                              ExchangeRemark.entity == IndicatorValue.__tablename__)))
        if len(remarks) != len(set(remark_ids)):
            raise NotFoundError("Замечание не найдено: возможно, его уже сняли. Откройте форму заново.")
        changed = 0
        for remark in remarks:
            if not remark.resolved:
                remark.resolved = True
                changed += 1
        s.commit()
        return changed


__all__ = ["resolve_cell_remarks", "Sheet", "SheetRow", "CellRemark", "CellChange", "SaveResult", "load_sheet", "save_sheet", "set_state", "cell_history",
           "missing_comments", "describe_violation", "recompute", "compute_for"]
