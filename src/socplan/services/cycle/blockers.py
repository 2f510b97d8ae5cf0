"""The list «Что мешает представлению» of one form, computed inside an open unit of work from a loaded sheet.

Form entry (:mod:`socplan.services.indicators.entry`) checks it when a form is submitted and
:mod:`socplan.services.cycle.completeness` shows it, so it lives below both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import RatioExplanation
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.control_ratios import Severity, Violation
from socplan.domain.indicators import Period
from socplan.domain.methodology import reason_required
from socplan.services.cycle.common import scope_filter
from socplan.services.cycle.quality import quality_flags
from socplan.services.indicators.analysis import describe_violation, sheet_violations


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
