"""The navigation sections of the main window: key, title, factory (``module:function``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    factory: str


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("plans", "Планы мероприятий", "socplan.ui.plans.section:create_section"),
    SectionSpec("protocols", "Протоколы и поручения", "socplan.ui.protocols.section:create_section"),
    SectionSpec("indicators", "Показатели", "socplan.ui.indicators.section:create_section"),
    SectionSpec("cycle", "Сдача отчётности", "socplan.ui.cycle.section:create_section"),
    SectionSpec("subsidies", "Субсидии", "socplan.ui.subsidies.section:create_section"),
    SectionSpec("reports", "Отчёты", "socplan.ui.reports.section:create_section"),
    SectionSpec("exchange", "Обмен пакетами", "socplan.ui.exchange.section:create_section"),
    SectionSpec("reference", "Справочники", "socplan.ui.reference.section:create_section"),
)
