"""Import of a plan from .docx / .xlsx: preview (column mapping, recognised deadlines, executors missing from
the reference data, numbering problems), then confirm — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socplan.domain.deadlines import parse_deadline
from socplan.domain.errors import ImportFileError, ValidationError, ValidationErrors
from socplan.domain.plans import numbering_problems, split_participants
from socplan.io.plans_table import FIELDS, RawEvent, RawTable, TableLayout, detect_layout, extract_events, read_table
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.plans.plans import (add_event_in, create_plan_in, plan_row, renumber, resolve_organisation,
                                         validate_plan)
from socplan.services.plans.rows import EventInput, PlanInput, PlanRow


@dataclass(frozen=True)
class PreviewEvent:
    row: int
    number: str
    text: str
    form: str
    deadline: str
    deadline_description: str
    deadline_recognised: bool
    executors: tuple[str, ...]
    controllers: tuple[str, ...]
    executors_text: str


@dataclass(frozen=True)
class MissingOrganisation:
    full_name: str
    short_name: str


@dataclass(frozen=True)
class ImportPreview:
    source: str
    header: tuple[str, ...]
    mapping: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]  # first rows after the header, as in the file
    events: tuple[PreviewEvent, ...]
    missing: tuple[MissingOrganisation, ...]
    problems: tuple[str, ...]  # block the import
    unrecognised: tuple[str, ...]  # deadlines kept as «не распознано» (do not block)

    @property
    def can_import(self) -> bool:
        return bool(self.events) and not self.problems

    @property
    def field_names(self) -> dict[str, str]:
        return dict(FIELDS)


def _layout(table: RawTable, mapping: list[str] | None) -> TableLayout:
    layout = detect_layout(table)
    if mapping is not None:
        if len(mapping) != len(layout.header):
            raise ImportFileError(f"Сопоставление задано для {len(mapping)} столбцов, а в таблице их "
                                  f"{len(layout.header)}.")
        chosen = [m for m in mapping if m]
        dup = {m for m in chosen if chosen.count(m) > 1}
        if dup:
            raise ImportFileError("Одно поле выбрано для нескольких столбцов: "
                                  + ", ".join(FIELDS[d] for d in sorted(dup)) + ".")
        layout.mapping = list(mapping)
    return layout


def _participants(cell: str) -> tuple[tuple[str, str], ...]:
    execs, ctrls = split_participants(cell)
    return tuple(("executor", p.full, p.short) for p in execs) + tuple(("controller", p.full, p.short) for p in ctrls)


def _read(path: Path, mapping: list[str] | None) -> tuple[RawTable, TableLayout, list[RawEvent], list[str]]:
    table = read_table(path)
    layout = _layout(table, mapping)
    events, problems = extract_events(table, layout)
    if not events:
        raise ImportFileError(f"В таблице «{table.source}» не найдено ни одного пронумерованного мероприятия. "
                              "Проверьте, что столбец «№» сопоставлен верно.")
    problems += numbering_problems([e.number for e in events])
    return table, layout, events, problems


def _name_for(session, full: str, short: str) -> str | None:  # noqa: ANN001
    for candidate in (short, full):
        org = resolve_organisation(session, candidate)
        if org is not None:
            return org.short_name
    return None


def preview_import(ctx: AppContext, path: Path, mapping: list[str] | None = None) -> ImportPreview:
    table, layout, events, problems = _read(path, mapping)
    missing: dict[str, MissingOrganisation] = {}
    out: list[PreviewEvent] = []
    unrecognised: list[str] = []
    with ctx.uow() as s:
        for e in events:
            d = parse_deadline(e.deadline)
            if not d.is_recognised:
                unrecognised.append(f"Мероприятие {e.number}: срок «{e.deadline}» не распознан — будет сохранён "
                                    "как есть, исправьте его после импорта.")
            execs, ctrls = [], []
            for role, full, short in _participants(e.executors):
                name = _name_for(s, full, short)
                if name is None:
                    missing.setdefault(short, MissingOrganisation(full, short))
                    name = short
                (execs if role == "executor" else ctrls).append(name)
            out.append(PreviewEvent(e.row, e.number, e.text, e.form, e.deadline, d.describe(), d.is_recognised,
                                    tuple(execs), tuple(ctrls), e.executors))
    sample = tuple(tuple(r) for r in table.rows[layout.header_row + 1: layout.header_row + 9])
    return ImportPreview(table.source, tuple(layout.header), tuple(layout.mapping), sample, tuple(out),
                         tuple(missing.values()), tuple(problems), tuple(unrecognised))


def import_problems(ctx: AppContext, preview: ImportPreview, plan: PlanInput, *,
                    create_missing: bool = False) -> list[ValidationError]:
    """What would stop the real import beyond the table itself: the plan's data (title, period «2026-2025»,
    kind, reporting), an unknown owner, executors missing from the reference data. ``--dry-run`` and
    :func:`confirm_import` run exactly these checks."""
    errors: list[ValidationError] = []
    try:
        validate_plan(plan)
    except ValidationErrors as exc:
        errors += exc.errors
    if plan.owner_short_name:
        with ctx.uow() as s:
            if resolve_organisation(s, plan.owner_short_name) is None:
                errors.append(ValidationError("owner", f"Организация «{plan.owner_short_name}» не найдена в справочнике."))
    if preview.missing and not create_missing:
        errors.append(ValidationError("executors", "Нет в справочнике организаций: "
                                      + "; ".join(m.short_name for m in preview.missing)
                                      + ". Разрешите их создание (флажок «Создать недостающие организации», "
                                        "в командной строке --create-missing) или добавьте их в справочник."))
    return errors


def confirm_import(ctx: AppContext, path: Path, plan: PlanInput, mapping: list[str] | None = None, *,
                   create_missing: bool = False) -> PlanRow:
    """Create the plan with every event in one transaction; nothing is written if anything is wrong."""
    require(ctx, Action.EDIT_PLANS)
    preview = preview_import(ctx, path, mapping)
    if preview.problems:
        raise ImportFileError("Импорт невозможен: исправьте таблицу.", problems=list(preview.problems))
    errors = import_problems(ctx, preview, plan, create_missing=create_missing)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)
    with ctx.uow(reason=f"Импорт плана из файла «{preview.source}»") as s:
        for m in preview.missing:
            from socplan.services.reference import get_or_create_organisation

            get_or_create_organisation(s, m.full_name, m.short_name[:255])
        p = create_plan_in(s, plan)
        by_number = {}
        for e in preview.events:
            parent = by_number.get(e.number.rpartition(".")[0])
            ev = add_event_in(s, p, EventInput(e.text, e.form, e.deadline, e.executors, e.controllers,
                                               e.executors_text), parent, renumber_now=False)
            s.flush()
            by_number[e.number] = ev
        renumber(s, p)
        row = plan_row(s, p)
        s.commit()
        return row
