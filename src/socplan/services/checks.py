"""Control ratios over the whole database («socplan check»): indicator forms, the programme's financing table,
and every other capability that provides ``control_ratio_violations(session) -> list[Violation]``."""

from __future__ import annotations

import importlib
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from socplan.db.models.indicators import FinancingLine, StateProgramme
from socplan.domain.control_ratios import Op, Severity, TableRow, Violation, check_total_table, ratio_holds
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.indicators.analysis import all_form_violations

#: other capabilities' providers (imported when the module exists)
PROVIDERS = ("socplan.services.plans.checks", "socplan.services.subsidies.checks")


def programme_financing_violations(session: Session) -> list[Violation]:
    """Seed 003, section 4: «Всего» = Σ years, a source breakdown = its total, the passport's total = row 1."""
    found: list[Violation] = []
    programmes = session.scalars(select(StateProgramme).options(
        selectinload(StateProgramme.financing_lines).selectinload(FinancingLine.amounts)))
    for p in programmes:
        where = f"{p.name}, финансовое обеспечение"
        rows = [TableRow(line.code, line.name, line.total, {a.year: a.amount for a in line.amounts}, line.parent_code)
                for line in p.financing_lines]
        found += check_total_table(rows, where, rule_prefix=f"{p.code}.фин")
        top = next((line for line in p.financing_lines if not line.parent_code and not line.for_reference), None)
        if top is not None and p.total_financing is not None and top.total is not None:
            if not ratio_holds(p.total_financing, Op.EQ, top.total):
                found.append(Violation(f"{p.code}.паспорт", "объём финансирования в паспорте = стр. 1 «Всего»",
                                       Severity.ERROR, where, p.total_financing, Op.EQ, top.total,
                                       f"расхождение {format(p.total_financing - top.total, 'f')}"))
        for line in p.financing_lines:
            years = {a.year for a in line.amounts}
            expected = set(range(p.period_from, p.period_to + 1))
            if years and years != expected:
                found.append(Violation(f"{p.code}.годы", f"стр. {line.code}: годы периода реализации", Severity.WARNING,
                                       where, Decimal(len(years)), Op.EQ, Decimal(len(expected)),
                                       "нет сумм за годы: " + ", ".join(str(y) for y in sorted(expected - years))))
    return found


def provider_violations(session: Session) -> list[Violation]:
    found: list[Violation] = []
    for name in PROVIDERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        provider = getattr(module, "control_ratio_violations", None)
        if provider is not None:
            found += list(provider(session))
    return found


def run_checks(ctx: AppContext, progress: ProgressCallback = no_progress) -> list[Violation]:
    """Every control ratio of the database, errors first."""
    with ctx.uow() as s:
        progress(0, 3, "Финансовое обеспечение программ")
        found = programme_financing_violations(s)
        progress(1, 3, "Формы показателей")
        found += all_form_violations(s)
        progress(2, 3, "Планы мероприятий и другие разделы")
        found += provider_violations(s)
        progress(3, 3, "Готово")
    return sorted(found, key=lambda v: (v.severity is not Severity.ERROR, v.rule_code, v.where))
