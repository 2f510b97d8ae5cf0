"""Demo data of the reporting cycle: the programme form's due date (seed 003, Appendix 12, item 16: «до 15
числа месяца, следующего за отчетным кварталом» — for the year report that is 15 January) and a plausible
journal of the 2024 submissions already in the demo, so that the board shows on-time and late reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import CycleStep, DueRuleRow
from socplan.db.models.indicators import FormSubmission, IndicatorForm

DEMO_RULE = "до 15-го числа месяца, следующего за отчётным периодом"


def load_demo(session: Session) -> None:
    form = session.scalar(select(IndicatorForm).where(IndicatorForm.code == "ГП"))
    if form is None:
        return
    session.add(DueRuleRow(form_id=form.id, period_kind="year", day=15, months_after=1, month=0, working_days=0,
                           set_at=dt.datetime(2024, 12, 1, 6, 0)))
    subs = session.scalars(select(FormSubmission).where(FormSubmission.form_id == form.id,
                                                        FormSubmission.state.in_(("submitted", "accepted")))
                           .order_by(FormSubmission.territory_id)).all()
    for n, sub in enumerate(subs):
        # every fifth district submitted a few days after 15.01.2025; the rest on 13–14 January
        submitted = dt.datetime(2025, 1, 20 + n % 3, 5, 0) if n % 5 == 4 else dt.datetime(2025, 1, 13 + n % 2, 5, 0)
        scope = dict(form_id=sub.form_id, territory_id=sub.territory_id, year=sub.year, period_kind=sub.period_kind,
                     period_no=sub.period_no)
        session.add(CycleStep(**scope, from_state="draft", to_state="submitted", at=submitted,
                              user_name="Специалист района", note=""))
        if sub.state == "accepted":
            session.add(CycleStep(**scope, from_state="submitted", to_state="accepted",
                                  at=submitted + dt.timedelta(days=7), user_name="Аналитик Министерства", note=""))
    session.flush()
