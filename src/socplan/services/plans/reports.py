"""Plan reports: the plan as an approved document, and «Информация о ходе реализации плана … за <период>»
(PDF + xlsx). Each generated report is recorded in the report journal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from socplan.db.models.plans import Plan, PlanEvent, PlanEventOrganisation
from socplan.domain import plans as rules
from socplan.domain.deadlines import parse_deadline
from socplan.domain.errors import Cancelled, NotFoundError, ValidationError
from socplan.domain.relative_deadlines import UNDETERMINED
from socplan.formatting import format_date
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.reports.registry import record_report, safe_file_name

if TYPE_CHECKING:
    from socplan.reports.plans_documents import ExecutionData, ExecutionLine


def _docs():  # noqa: ANN202
    """The PDF/xlsx layer, imported on first use (reportlab is heavy; keep start-up fast)."""
    from socplan.reports import plans_documents

    return plans_documents


@dataclass(frozen=True)
class GeneratedReport:
    title: str
    pdf: bytes
    xlsx: bytes | None
    record_id: int
    file_stem: str


def _never() -> bool:
    return False


def _stem(text: str) -> str:
    return safe_file_name(text, max_stem=80)


def _executors(e: PlanEvent, *, wording: bool = True) -> str:
    """The executors cell: as written in the plan (``wording``), else the reference short names."""
    if wording and e.executors_text:
        return re.sub(r"\s+", " ", e.executors_text).strip()
    execs = [p.organisation.short_name for p in e.participants if p.role == "executor"]
    ctrls = [p.organisation.short_name for p in e.participants if p.role == "controller"]
    return ", ".join(execs) + (f" контроль – {', '.join(ctrls)}" if ctrls else "")


def _load(session, plan_id: int) -> tuple[Plan, list[PlanEvent]]:  # noqa: ANN001
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"План № {plan_id} не найден.")
    events = session.scalars(
        select(PlanEvent).where(PlanEvent.plan_id == plan_id).order_by(PlanEvent.sort_key)
        .options(selectinload(PlanEvent.participants).selectinload(PlanEventOrganisation.organisation),
                 selectinload(PlanEvent.financing), selectinload(PlanEvent.points),
                 selectinload(PlanEvent.results))).all()
    return plan, events


def plan_document(ctx: AppContext, plan_id: int) -> GeneratedReport:
    """The plan in the layout of seed 001 with its approval block; recorded in the journal."""
    with ctx.uow(reason="Печать плана") as s:
        plan, events = _load(s, plan_id)
        parents = {e.parent_id for e in events if e.parent_id}
        data = _docs().PlanDocData(
            title=plan.title, heading="ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ" if plan.kind == "programme" else "ПЛАН", basis=plan.basis, approval_word=plan.approval_word,
            approval_position=plan.approval_position, approval_name=plan.approval_name,
            approval_date=plan.approval_date, status_label=rules.PlanStatus(plan.status).label,
            revision=plan.revision, years=tuple(range(plan.year_from, plan.year_to + 1)),
            events=tuple(_docs().PlanDocEvent(e.number, e.text, e.form, e.deadline_text, _executors(e), e.id in parents,
                                      tuple((f.source, f.year, f.amount) for f in e.financing),
                                      tuple((r.name, r.unit.short_name if r.unit else r.unit_text,
                                             tuple((v.year, v.value) for v in r.values))
                                            for r in sorted(e.results, key=lambda r: r.position)))
                          for e in events),
            author=ctx.user.name, kind=plan.kind)
        from dataclasses import replace

        from socplan.services.plans.targets import targets_section

        targets = targets_section(s, plan)
        if targets is not None:
            data = replace(data, targets_header=targets.header, targets=targets.rows)
        pdf = _docs().plan_pdf(data)
        title = f"План: {plan.title}"
        stem = _stem(f"План {plan.title}")
        row = record_report(s, kind="plan", title=title, params={"plan_id": plan.id, "revision": plan.revision},
                            data=pdf, file_name=stem + ".pdf")
        s.commit()
        return GeneratedReport(title, pdf, None, row.id, stem)


def period_text(period_from: dt.date, period_to: dt.date) -> str:
    """«2025 год», «I квартал 2025 года», «I полугодие 2025 года», «январь – сентябрь 2025 года» or dates."""
    y = period_from.year
    if period_to.year == y and period_from.day == 1 and period_to == _month_end(period_to):
        m1, m2 = period_from.month, period_to.month
        if (m1, m2) == (1, 12):
            return f"{y} год"
        if m1 % 3 == 1 and m2 == m1 + 2:
            return f"{['I', 'II', 'III', 'IV'][m1 // 3]} квартал {y} года"
        if (m1, m2) in ((1, 6), (7, 12)):
            return f"{'I' if m1 == 1 else 'II'} полугодие {y} года"
        months = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                  "ноябрь", "декабрь"]
        if m1 == m2:
            return f"{months[m1 - 1]} {y} года"
        return f"{months[m1 - 1]} – {months[m2 - 1]} {y} года"
    return f"период с {format_date(period_from)} по {format_date(period_to)}"


def _month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def execution_data(ctx: AppContext, plan_id: int, period_from: dt.date, period_to: dt.date, *,
                   today: dt.date | None = None, signer_position: str = "", signer_name: str = "",
                   progress: ProgressCallback = no_progress, cancelled=_never) -> ExecutionData:  # noqa: ANN001
    if period_to < period_from:
        raise ValidationError("period_to", "Конец периода раньше его начала.")
    today = today or dt.date.today()
    as_of = min(today, period_to + dt.timedelta(days=1))
    if not signer_name:  # signed by who prepared it
        from socplan.services.reports.signer import prepared_by

        signer_position, signer_name = prepared_by(ctx.user)
    with ctx.uow() as s:
        plan, events = _load(s, plan_id)
        parents = {e.parent_id for e in events if e.parent_id}
        lines: list[ExecutionLine] = []
        points_all: list[tuple[dt.date, rules.PointStatus]] = []
        for i, e in enumerate(events):
            if i % 200 == 0:
                progress(i, len(events), "Сбор данных об исполнении")
                if cancelled():
                    raise Cancelled()
            if e.id in parents:
                lines.append(_docs().ExecutionLine(e.number, e.text, e.deadline_text, "", "", "", is_group=True))
                continue
            pts = [p for p in e.points if period_from <= p.due_date <= period_to
                   or period_from <= p.original_due_date <= period_to]
            statuses = [rules.PointStatus(p.status) for p in pts]
            points_all += [(p.due_date, st) for p, st in zip(pts, statuses)]
            found = rules.event_execution_status([(p.due_date, rules.PointStatus(p.status)) for p in e.points],
                                                 period_from, period_to, as_of)
            status, overdue = found.label, found.overdue
            if not e.points and parse_deadline(e.deadline_text).needs_anchor and e.anchor_date is None:
                status = UNDETERMINED
            if len(pts) == 1:
                info = _info(pts[0], s)
            elif pts:
                info = "\n".join(f"{p.period_label}: {st.label}" + (f" — {_info(p, s)}" if p.info else "")
                                 for p, st in zip(pts, statuses))
            else:  # the last report before the period, if any
                earlier = sorted((p for p in e.points if p.due_date < period_from), key=lambda p: p.due_date)
                info = _info(earlier[-1], s) if earlier else ""
                if earlier:  # counted in the totals as what it is: done, or not done and overdue
                    points_all.append((earlier[-1].due_date, rules.PointStatus(earlier[-1].status)))
            # the executors as the plan words them: co-executors missing from the reference are kept
            lines.append(_docs().ExecutionLine(e.number, e.text, e.deadline_text, _executors(e), status, info,
                                               overdue=overdue))
        totals = rules.execution_totals(points_all, as_of)
        title = plan.title[5:] if plan.title.lower().startswith("план ") else plan.title
        return _docs().ExecutionData(f"«{title}»" if title == plan.title else title, period_text(period_from, period_to), as_of, tuple(lines), totals.done,
                             totals.total, totals.overdue, signer_position, signer_name, ctx.user.name,
                             f"Исп. {ctx.user.name}" if ctx.user.name else "")


def _info(p, session) -> str:  # noqa: ANN001
    parts = [p.info] if p.info else []
    meta = []
    if p.due_date != p.original_due_date:
        meta.append(f"срок перенесён с {format_date(p.original_due_date)} на {format_date(p.due_date)}")
    if p.reported_on:
        meta.append(f"информация от {format_date(p.reported_on)}")
    if p.reporter is not None:
        meta.append(p.reporter.short_name)
    if meta:
        parts.append("(" + ", ".join(meta) + ")")
    return " ".join(parts)


def execution_report(ctx: AppContext, plan_id: int, period_from: dt.date, period_to: dt.date, *,
                     today: dt.date | None = None, signer_position: str = "", signer_name: str = "",
                     with_xlsx: bool = True, progress: ProgressCallback = no_progress,
                     cancelled=_never) -> GeneratedReport:  # noqa: ANN001
    """«Информация о ходе реализации плана … за <период>» (PDF, and xlsx), recorded in the journal."""
    data = execution_data(ctx, plan_id, period_from, period_to, today=today, signer_position=signer_position,
                          signer_name=signer_name, progress=progress, cancelled=cancelled)
    progress(0, 3, "Формирование отчёта")
    pdf = _docs().execution_pdf(data, progress)
    if cancelled():
        raise Cancelled()
    xlsx = _docs().execution_xlsx(data) if with_xlsx else None
    title = _docs().execution_title(data)
    stem = _stem(f"Исполнение плана за {data.period_text}")
    with ctx.uow(reason="Отчёт о ходе реализации плана") as s:
        row = record_report(s, kind="plan_execution", title=title,
                            params={"plan_id": plan_id, "from": period_from.isoformat(),
                                    "to": period_to.isoformat(), "as_of": data.as_of.isoformat()},
                            data=pdf, file_name=stem + ".pdf")
        s.commit()
    progress(3, 3, "Готово")
    return GeneratedReport(title, pdf, xlsx, row.id, stem)
