"""«Что мешает представлению»: every reason a form cannot be submitted yet, in one list.

A form may be submitted when every indicator has a fact or an explanation why not (the comment of its fact
row), every control ratio holds or has an explanation, every deviation from the plan beyond the form's
threshold has a reason, and every value flagged by the data-quality check is commented.

The list itself is computed in :mod:`socplan.services.cycle.blockers` (form entry checks it when a form is
submitted); here are the use cases: what blocks a form now, and explaining a control ratio.
"""

from __future__ import annotations

from sqlalchemy import select

from socplan.db.models.cycle import RatioExplanation
from socplan.domain.errors import ConflictError, ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle.blockers import Blocker, blockers_in, explanations  # noqa: F401  (re-exported)
from socplan.services.cycle.common import scope_filter, scope_values
from socplan.services.indicators.analysis import sheet_violations
from socplan.services.indicators.common import form_by_code, form_state, territory_by
from socplan.services.permissions import require_territory


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
