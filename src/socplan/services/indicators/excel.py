"""Export a district's entry form as an Excel template and import it back (all or nothing, idempotent)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from socplan.db.locks import lock_for_write
from socplan.domain.errors import Cancelled, ConflictError, ImportFileError, ValidationError
from socplan.domain.indicators import FormState, Period, check_value, compute_sheet
from socplan.domain.methodology import sheet_value_problems
from socplan.domain.value_ranges import range_problem
from socplan.formatting import parse_number
from socplan.io.indicators_excel import (COL_COMMENT, COL_FACT, COL_PLAN, CellProblem, RawCell, TemplateLine,
                                         TemplateRow, TemplateSpec, read_template, where)
from socplan.io.indicators_template_writer import write_template
from socplan.domain.roles import Action
from socplan.services.permissions import require_territory
from socplan.services.bulk import paused_collector
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.indicators.common import form_only, form_state, template_rows, territory_by, values_for
from socplan.services.indicators.entry import load_sheet
from socplan.services.indicators.entry_rules import entry_rules
from socplan.services.indicators.excel_write import write_changes


def export_template(ctx: AppContext, form_code: str, territory: str | int, period: Period, path: Path) -> dict:
    with paused_collector():
        return _export_template(ctx, form_code, territory, period, path)


def _export_template(ctx: AppContext, form_code: str, territory: str | int, period: Period, path: Path) -> dict:
    sheet = load_sheet(ctx, form_code, territory, period)
    if sheet.consolidated:
        raise ConflictError("Шаблон выгружается для района или города: значения по области собираются из их данных.")
    rows = []
    for r in sheet.rows:
        limits = r.indicator.limits
        rows.append(TemplateRow(
            key=f"{r.indicator.code}|{r.component}", number=r.code_label.replace("\u00a0", " "), label=r.label,
            unit=r.indicator.unit_name if not r.component else "", plan=r.plan, fact=r.fact,
            comment=r.comment, plan_open=r.plan_editable and not sheet.read_only,
            fact_open=r.fact_editable and not sheet.read_only, comment_open=not r.component and not sheet.read_only,
            maximum=limits.maximum if not r.component else None, integer=limits.integer and not r.component))
    spec = TemplateSpec(sheet.form_code, sheet.form_name, sheet.territory_id, sheet.territory_name, sheet.period.code,
                        sheet.period.label, tuple(rows), versions=_exported_versions(sheet))
    write_template(path, spec)
    return {"path": str(path), "form": sheet.form_code, "territory": sheet.territory_name,
            "period": sheet.period.code, "cells": len(rows)}


def _value_text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _comment_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def _exported_versions(sheet) -> str:  # noqa: ANN001
    """Optimistic locking of the template: each stored row's version, value and comment as exported
    («code|component|kind» → [version, value, comment hash]); import compares them with the database."""
    shown = {}
    for r in sheet.rows:
        shown[(r.indicator.code, r.component, "plan")] = (r.plan, "")
        shown[(r.indicator.code, r.component, "fact")] = (r.fact, r.comment if not r.component else "")
    out = {"|".join(key): [version, _value_text(shown.get(key, (None, ""))[0]),
                           _comment_hash(shown.get(key, (None, ""))[1] or "")]
           for key, version in sheet.versions.items()}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _read_versions(text: str, name: str) -> dict[tuple[str, str, str], tuple[int, str, str]] | None:
    """``None`` for a template exported before versions were written (then nothing is compared)."""
    if not text:
        return None
    try:
        return {tuple(k.split("|")): (int(v[0]), str(v[1]), str(v[2])) for k, v in json.loads(text).items()}
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ImportFileError(f"Файл «{name}»: служебные данные шаблона повреждены. Выгрузите шаблон заново.") from exc


def _parse_cell(cell: RawCell) -> Decimal | None:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError("", f"{where(cell)}: логическое значение вместо числа.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            raise ValidationError("", f"{where(cell)}: недопустимое число.") from None
    if isinstance(value, (dt.date, dt.datetime)):
        raise ValidationError("", f"{where(cell)}: дата вместо числа. Введите число, например 1 234,5.")
    text = str(value).strip()
    if text.casefold() in ("да", "нет"):
        return Decimal(1 if text.casefold() == "да" else 0)
    try:
        return parse_number(text)
    except ValidationError as exc:
        raise ValidationError("", f"{where(cell)}: {exc.message}") from None


def _rows_allowed(ctx: AppContext):  # noqa: ANN202
    """How many rows the file's form has in the database (the reader's row limit for a form larger than usual)."""
    def allowed(form_code: str) -> int:
        with ctx.uow() as s:
            return template_rows(s, form_code)
    return allowed


def import_template(ctx: AppContext, path: Path, *, expected_form: str | None = None,
                    expected_territory: str | int | None = None, expected_period: Period | None = None,
                    progress: ProgressCallback = no_progress, cancelled=lambda: False) -> dict:  # noqa: ANN001
    """Validate every cell, then write all values in one transaction (Core bulk insert/update) or nothing.

    The sheet is streamed once (read-only), the catalogue and the stored values are read as plain rows, the
    changes and their journal rows are written in bulk (:mod:`excel_write`)."""
    with paused_collector():
        return _import_template(ctx, path, expected_form, expected_territory, expected_period, progress, cancelled)


def _import_template(ctx: AppContext, path: Path, expected_form: str | None, expected_territory: str | int | None,
                     expected_period: Period | None, progress: ProgressCallback, cancelled) -> dict:  # noqa: ANN001
    progress(0, 3, "Чтение файла")
    data = read_template(Path(path), rows_allowed=_rows_allowed(ctx))
    problems = list(data.problems)
    try:
        period = Period.parse(data.period_code)
    except ValueError as exc:
        raise ImportFileError(f"Файл «{Path(path).name}»: непонятный период в шаблоне.") from exc
    if cancelled():
        raise Cancelled()
    with ctx.uow(reason=f"Загрузка шаблона Excel «{Path(path).name}»") as s:
        form = form_only(s, data.form_code)
        territory = territory_by(s, data.territory_id)
        if expected_form and expected_form != form.code:
            raise ImportFileError(f"Файл заполнен по форме «{form.code}», а загружается форма «{expected_form}». "
                                  "Выберите файл нужной формы.")
        if expected_territory is not None:
            want = territory_by(s, expected_territory)
            if want.id != territory.id:
                raise ImportFileError(f"Файл заполнен для территории «{territory.name}», а загрузка идёт для "
                                      f"«{want.name}». Файл другой территории не загружен.")
        if territory.name != data.territory_name:
            raise ImportFileError(f"Территория в файле («{data.territory_name}») не совпадает со справочником. "
                                  "Выгрузите шаблон заново.")
        if expected_period is not None and expected_period != period:
            raise ImportFileError(f"Файл заполнен за период «{period.label}», а загрузка идёт за «{expected_period.label}». "
                                  "Файл другого периода не загружен.")
        if form.territorial and territory.kind == "region":
            raise ImportFileError("Значения по области не загружаются из шаблона: они собираются из данных территорий.")
        require_territory(ctx, Action.EDIT_VALUES, territory)
        # the same per-sheet write lock as the entry grid: the version check below and the write are one step
        lock_for_write(s, "ind_sheet", form.id, territory.id, period.year, period.kind, period.number)
        state = form_state(s, form, territory, period)
        if state.locked or state is FormState.SUBMITTED:
            raise ConflictError(f"Форма «{form.code}» по территории «{territory.name}» за {period.label} уже "
                                f"{'представлена' if state is FormState.SUBMITTED else 'принята'}; загрузка невозможна. "
                                "Исправления — после возврата на доработку или открытия формы по запросу с причиной.")
        infos = {i.code: i for i in entry_rules(s, form)}  # the checking rules only: no catalogue texts
        stored = values_for(s, form, [territory.id], period)[territory.id]
        exported = _read_versions(data.versions, Path(path).name)
        conflicts: list[CellProblem] = []
        kept = 0
        no_comment_hash = _comment_hash("")

        def mine(key: tuple[str, str, str], line: TemplateLine, column: int, field_name: str, new: object) -> bool:
            """Whether the file's change of ``key`` is written: a cell the user did not change keeps what others
            saved since the export; a cell both changed is a conflict (listed, nothing written)."""
            nonlocal kept
            if exported is None:
                return True
            version, value_text, comment_hash = exported.get(key, (0, "", no_comment_hash))
            if field_name == "value":
                unchanged = _value_text(new) == value_text  # type: ignore[arg-type]
            else:
                unchanged = _comment_hash(new) == comment_hash  # type: ignore[arg-type]
            if unchanged:
                kept += 1  # unchanged in the file: the database's newer value stays
                return False
            row = stored.get(key)
            if (row.version if row else 0) != version:
                db_text = (_value_text(row.value if row else None).replace(".", ",") if field_name == "value"
                           else row.comment if row else "")
                conflicts.append(CellProblem(line.cell(column), (
                    "после выгрузки шаблона это значение изменил другой пользователь; в базе сейчас "
                    f"«{db_text or 'пусто'}». Выгрузите шаблон заново и перенесите своё изменение.")))
                return False
            return True

        progress(1, 3, "Проверка значений")
        computed_cells = {(code, kind) for code, info in infos.items() if info.formula  # the few computed cells
                          for kind in ("plan", "fact") if info.definition().computes(kind)}
        changes: list[tuple[tuple[str, str, str], str, object]] = []  # key, field, value
        for line in data.rows:
            code, _, component = line.key.partition("|")
            info = infos.get(code)
            if info is None:
                problems.append(f"Лист «Форма», строка {line.sheet_row}: показателя {code} больше нет в форме "
                                f"«{form.code}». Выгрузите шаблон заново.")
                continue
            comp = next((c for c in info.components if c.symbol == component), None) if component else None
            if component and comp is None:
                problems.append(f"Лист «Форма», строка {line.sheet_row}: компонента {component} больше нет у "
                                f"показателя {code}. Выгрузите шаблон заново.")
                continue
            for column, raw, kind in ((COL_PLAN, line.plan, "plan"), (COL_FACT, line.fact, "fact")):
                computed = bool(comp.formula) if comp else (code, kind) in computed_cells
                if computed:
                    continue
                if raw is None or raw.__class__ is int:  # an empty cell or a whole number: nothing to parse
                    value = None if raw is None else Decimal(raw)
                else:
                    cell = RawCell(line.sheet_row, column, raw)
                    try:
                        value = _parse_cell(cell)
                    except ValidationError as exc:
                        problems.append(CellProblem(cell, exc.message.removeprefix(f"{where(cell)}: ")))
                        continue
                if value is not None:
                    problem = range_problem(value, "number", negative=True)
                    problem = problem + "." if problem else (
                        check_value(value, info.limits, "значение") if not component else
                        ("значение не может быть отрицательным." if value < 0 else ""))
                    if problem:
                        problems.append(CellProblem(line.cell(column), problem))
                        continue
                key = (code, component, kind)
                row = stored.get(key)
                if (row.value if row else None) != value and mine(key, line, column, "value", value):
                    changes.append((key, "value", value))
            if not component:
                text = "" if line.comment is None else str(line.comment).strip()
                row = stored.get((code, "", "fact"))
                if (row.comment if row else "") != text and mine((code, "", "fact"), line, COL_COMMENT, "comment",
                                                                 text):
                    changes.append(((code, "", "fact"), "comment", text))
        problems += _computed_share_problems(infos, stored, changes, data.rows)
        if conflicts and not problems:
            raise ImportFileError(
                f"Файл «{Path(path).name}» не загружен: после выгрузки шаблона другие пользователи изменили "
                f"значения, которые изменены и в файле (ячеек — {len(conflicts)}). Ни одно значение не изменено. "
                "Выгрузите шаблон заново (в нём будут их значения), перенесите свои изменения и загрузите снова.",
                conflicts)
        problems += conflicts
        if problems:
            raise ImportFileError(f"Файл «{Path(path).name}» не загружен: найдено ошибок — {len(problems)}. "
                                  "Исправьте их и загрузите файл снова; ни одно значение не изменено.", problems)
        if cancelled():
            raise Cancelled()
        progress(2, 3, "Запись значений")
        write_changes(s, changes, stored, {code: info.id for code, info in infos.items()}, territory.id, period,
                      summary={"action": "import", "entity": "ind_form", "entity_id": str(form.id),
                               "new": f"шаблон «{Path(path).name}»: {territory.name}, {period.label}; изменено "
                                      f"значений: {len(changes)} из {len(data.rows)} строк"})
        s.commit()
    progress(3, 3, "Готово")
    return {"form": form.code, "territory": territory.name, "period": period.code, "period_label": period.label,
            "cells": len(data.rows), "changed": len(changes), "kept_newer": kept}


def _computed_share_problems(infos: dict, stored: dict, changes: list, rows: list) -> list[str]:
    """Shares computed from the file's components outside 0–100 % (indicator 1 read as printed gives 464,6 %),
    named by the cell of the computed value."""
    cells = {line.key.partition("|")[0]: line for line in rows if not line.key.partition("|")[2]}
    spec, labels = [], {}
    for code, info in infos.items():
        if not info.formula or code not in cells:
            continue
        kinds = [k for k in ("plan", "fact") if info.definition().computes(k)]
        spec.append((code, info.share, ",".join(kinds)))
        for kind, column in (("plan", COL_PLAN), ("fact", COL_FACT)):
            labels[(code, "", kind)] = f"{where(cells[code].cell(column))} (стр. {code})"
    if not spec:  # no indicator of the file is computed by a formula: nothing to compute
        return []
    entered = {key: row.value for key, row in stored.items()}
    entered.update({key: value for key, field_name, value in changes if field_name == "value"})
    computed = compute_sheet([i.definition() for i in infos.values()], entered)
    values = {key: fv.value for key, fv in computed.items()}
    return [p.message for p in sheet_value_problems(spec, values, labels)]
