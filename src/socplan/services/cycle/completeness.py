"""«Что мешает представлению»: every reason a form cannot be submitted yet, in one list.

A form may be submitted when every indicator has a fact or an explanation why not (the comment of its fact
row), every control ratio holds or has an explanation, every deviation from the plan beyond the form's
threshold has a reason, and every value flagged by the data-quality check is commented.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import RatioExplanation
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.control_ratios import Severity, Violation
from socplan.domain.errors import ConflictError, ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.domain.methodology import reason_required
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle.common import scope_filter, scope_values
from socplan.services.cycle.quality import quality_flags
from socplan.services.indicators.analysis import sheet_violations
from socplan.services.indicators.common import form_by_code, form_state, territory_by
from socplan.services.permissions import require_territory


@dataclass(frozen=True)
class Blocker:
    kind: str  # missing | ratio | warning | deviation | quality
    code: str  # indicator code or control-ratio code
    text: str


def _comments(sheet) -> dict[str, str]:  # noqa: ANN001
    return {r.indicator.code: r.comment.strip() for r in sheet.rows if not r.component}


def explanations(s: Session, form: IndicatorForm, territory: Territory, period: Period) -> dict[str, str]:
    return {e.rule_code: e.text for e in s.scalars(select(RatioExplanation).where(
        *scope_filter(RatioExplanation, form.id, territory.id, period)))}


def blockers_in(s: Session, sheet, form: IndicatorForm, territory: Territory, period: Period,  # noqa: ANN001
                warnings_reason: str = "") -> list[Blocker]:
    """The list, computed inside an open unit of work from an already loaded sheet."""
    from socplan.services.indicators.entry import describe_violation

    out: list[Blocker] = []
    if sheet.consolidated:
        return out
    comments = _comments(sheet)
    for row in sheet.rows:
        if row.component or row.fact is not None or comments.get(row.indicator.code):
            continue
        out.append(Blocker("missing", row.indicator.code,
                           f"Стр. {row.indicator.code}: нет фактического значения — введите его или поясните в "
                           "комментарии, почему его нет."))
    explained = explanations(s, form, territory, period)
    violations: list[Violation] = sheet_violations(s, form, territory, period)
    for v in violations:
        if explained.get(v.rule_code):
            continue
        if v.severity is Severity.WARNING and warnings_reason.strip():
            continue
        kind = "ratio" if v.severity is Severity.ERROR else "warning"
        out.append(Blocker(kind, v.rule_code, f"Контрольное соотношение: {describe_violation(v)} — исправьте "
                           f"значения или дайте пояснение (socplan cycle explain --rule {v.rule_code})."))
    lacking = [r.indicator.code for r in sheet.rows if not r.component
               and reason_required(r.plan, r.fact, r.indicator.direction, sheet.comment_threshold)
               and not comments.get(r.indicator.code)]
    if lacking:
        out.append(Blocker("deviation", ", ".join(lacking),
                           "Не указаны причины отклонения факта от плана («причины недостижения» — при любом "
                           "недостижении плана, при превышении — при отклонении более чем на "
                           f"{sheet.comment_threshold} %) по строкам: {', '.join(lacking)}."))
    for flags in quality_flags(s, list(form.indicators), [territory.id], period).values():
        for flag in flags:
            if not comments.get(flag.code):
                out.append(Blocker("quality", flag.code, flag.text))
    return out


def submission_blockers(ctx: AppContext, form_code: str, territory: str | int, period: Period) -> list[Blocker]:
    """What blocks submission of this form now (empty — it can be submitted)."""
    from socplan.services.indicators.entry import load_sheet

    sheet = load_sheet(ctx, form_code, territory, period)
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        return blockers_in(s, sheet, form, t, period)


def explain_ratio(ctx: AppContext, form_code: str, territory: str | int, period: Period, rule_code: str,
                  text: str) -> None:
    """Explain why a control ratio does not hold (an empty text removes the explanation)."""
    with ctx.uow(reason=f"Пояснение к контрольному соотношению {rule_code}") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        require_territory(ctx, Action.EDIT_VALUES, t)
        state = form_state(s, form, t, period)
        if state.locked or state is FormState.SUBMITTED:
            raise ConflictError(f"Форма «{form.code}» по территории «{t.name}» за {period.label} в состоянии "
                                f"«{state.label}»: пояснения меняются вместе со значениями, когда форма открыта.")
        known = {v.rule_code for v in sheet_violations(s, form, t, period)}
        row = s.scalar(select(RatioExplanation).where(*scope_filter(RatioExplanation, form.id, t.id, period),
                                                      RatioExplanation.rule_code == rule_code))
        if text.strip() and rule_code not in known:
            raise ValidationError("rule", f"Контрольное соотношение «{rule_code}» выполняется или не относится к форме "
                                  f"«{form.code}»: пояснение не нужно.")
        if not text.strip():
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(RatioExplanation(**scope_values(form, t, period), rule_code=rule_code, text=text.strip()))
        else:
            row.text = text.strip()
        s.commit()


__all__ = ["Blocker", "blockers_in", "submission_blockers", "explain_ratio", "explanations"]
