"""The report «Сведения о достижении значений показателей» for a period, the region or a district."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socplan.domain.indicators import Period
from socplan.domain.reference import initials_surname_of
from socplan.reports.indicators_achievement import AchievementReport, ReportLine, build_pdf, build_xlsx
from socplan.services.context import AppContext
from socplan.services.indicators.analysis import AchievementData, achievement_session
from socplan.services.indicators.common import form_by_code, territory_by
from socplan.services.reports.registry import record_report


@dataclass(frozen=True)
class BuiltReport:
    pdf: bytes
    title: str
    file_name: str
    record_id: int
    report: AchievementReport


def to_report(data: AchievementData, author: str = "", position: str = "") -> AchievementReport:
    missing: set[str] = set()
    lines = []
    for r in data.rows:
        missing |= set(r.missing)
        lines.append(ReportLine(r.code, r.name, r.unit, r.decimals, r.base_value, r.base_year, r.plan, r.plan_qualifier,
                                r.fact, r.achievement.percent, r.achievement.status.label if r.plan is not None
                                and r.fact is not None else "–", r.reason or _paper_note(r.achievement.note),
                                r.value_kind == "yesno",
                                f"Стр. {r.code}: рассчитывается {r.formula_computed}; {r.formula_note}."
                                if r.formula_note else ""))
    return AchievementReport(data.form_name, data.territory, data.period.label, data.consolidated,
                             tuple(sorted(missing)), tuple(lines), author, position)


#: the domain's short notes in the words of a report on paper
_PAPER_NOTES = {"нет значения: плановое": "плановое значение не установлено",
                "нет значения: фактическое": "фактическое значение не представлено"}


def _paper_note(note: str) -> str:
    return _PAPER_NOTES.get(note, note)


def achievement_report(ctx: AppContext, form_code: str, territory: str | int, period: Period) -> BuiltReport:
    """Build the PDF and record it in the reports journal (one unit of work)."""
    with ctx.uow(reason="Отчёт о достижении значений показателей") as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        data = achievement_session(s, form, t, period, history=False)  # the chart is drawn from the period's rows
        report = to_report(data, initials_surname_of(ctx.user.name), ctx.user.position)
        pdf = build_pdf(report)
        title = f"Сведения о достижении значений показателей — {t.name}, {period.label}"
        file_name = f"Достижение показателей {form.code} {t.name} {period.code}.pdf"
        row = record_report(s, kind="indicators", title=title,
                            params={"form": form.code, "territory": t.name, "period": period.code},
                            data=pdf, file_name=file_name)
        s.commit()
    return BuiltReport(pdf, title, file_name, row.id, report)


def build_achievement_report(ctx: AppContext, form_code: str, territory: str | int, period: Period, pdf_path: Path,
                             xlsx_path: Path | None = None) -> dict:
    built = achievement_report(ctx, form_code, territory, period)
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.write_bytes(built.pdf)
    out = {"pdf": str(pdf_path), "record_id": built.record_id, "title": built.title,
           "rows": len(built.report.lines), "missing": list(built.report.missing)}
    if xlsx_path is not None:
        build_xlsx(built.report, xlsx_path)
        out["xlsx"] = str(xlsx_path)
    return out
