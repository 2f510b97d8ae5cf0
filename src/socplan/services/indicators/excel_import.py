"""Import of a filled Excel template, read as a stream and checked and written a chunk of rows at a time (issue 19).

One transaction, all or nothing: the rows of «Форма» are read one by one (openpyxl read-only), each chunk of
:data:`ROWS_PER_CHUNK` rows is checked against the rules and stored values of its own indicators (read for that
chunk) and written with its journal rows while the file has shown no problem; any problem, conflict or refusal
later in the file — or a structure check sum that only the last row settles — rolls everything back, and the
message lists every bad cell by row and column. What is held is one chunk, the exported versions as a compact table
(:mod:`template_versions`) and the file's problems: never the whole sheet, the whole catalogue or every stored
value. A form with formulas also keeps the file's changed values, to check the computed shares at the end against
the whole sheet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import bindparam, exists, select

from socplan.db.locks import lock_for_write
from socplan.db.models.indicators import Component, Indicator, IndicatorValue
from socplan.domain.errors import Cancelled, ConflictError, ImportFileError, ValidationError
from socplan.domain.indicators import FormState, Period, check_value, compute_sheet
from socplan.domain.methodology import sheet_value_problems
from socplan.domain.roles import Action
from socplan.domain.value_ranges import range_problem
from socplan.formatting import parse_number
from socplan.io.indicators_excel import (COL_COMMENT, COL_FACT, COL_PLAN, CellProblem, RawCell, TemplateLine,
                                         TemplateReader, where)
from socplan.services.bulk import paused_collector
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.indicators.common import (StoredValue, form_only, form_state, template_rows, territory_by,
                                                values_for)
from socplan.services.indicators.entry_rules import EntryRule, entry_rules
from socplan.services.indicators.excel_write import ChangeWriter
from socplan.services.indicators.template_versions import ExportedTexts, ExportedVersions
from socplan.services.permissions import require_territory

#: rows of «Форма» checked and written together (≤ 2 values and a reason each): well under 1 MB of work at a time
ROWS_PER_CHUNK = 150

Key = tuple[str, str, str]


def value_text(value: Decimal | None) -> str:
    """A value as the template's versions record it."""
    return "" if value is None else format(value.normalize(), "f")


def comment_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def parse_cell(cell: RawCell) -> Decimal | None:
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


def _chunks(lines: Iterable[TemplateLine], size: int) -> Iterator[list[TemplateLine]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


# the components named too: then the cells are found by seeks in the unique index (indicator, component, territory,
# period …) instead of a walk through all the territory's values of the period for every chunk
_STORED = select(IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.component, IndicatorValue.kind,
                 IndicatorValue.value, IndicatorValue.comment, IndicatorValue.qualifier, IndicatorValue.version).where(
    IndicatorValue.indicator_id.in_(bindparam("ids", expanding=True)),
    IndicatorValue.component.in_(bindparam("components", expanding=True)),
    IndicatorValue.territory_id == bindparam("territory_id"), IndicatorValue.year == bindparam("year"),
    IndicatorValue.period_kind == bindparam("period_kind"), IndicatorValue.period_no == bindparam("period_no"))


def _stored(session, ids: dict[int, str], components: set[str], territory_id: int,  # noqa: ANN001
            period: Period) -> dict[Key, StoredValue]:
    """The stored values of these indicators (id → code) and components for the territory and period, by key (one
    statement built once: a chunk's ids are passed, not kept by statement objects)."""
    if not ids:
        return {}
    rows = session.connection().execute(_STORED, {
        "ids": list(ids), "components": list(components), "territory_id": territory_id, "year": period.year,
        "period_kind": period.kind, "period_no": period.number}).all()
    return {(ids[i], component, kind): StoredValue(row_id, value, comment, qualifier, version)
            for row_id, i, component, kind, value, comment, qualifier, version in rows}


def import_template(ctx: AppContext, path: Path, *, expected_form: str | None = None,
                    expected_territory: str | int | None = None, expected_period: Period | None = None,
                    progress: ProgressCallback = no_progress, cancelled=lambda: False) -> dict:  # noqa: ANN001
    """Check every cell and write all values in one transaction, or nothing (see the module)."""
    with paused_collector():
        return _Import(ctx, Path(path), progress, cancelled).run(expected_form, expected_territory, expected_period)


class _Import:
    def __init__(self, ctx: AppContext, path: Path, progress: ProgressCallback, cancelled) -> None:  # noqa: ANN001
        self.ctx, self.path, self.name = ctx, path, path.name
        self.progress, self.cancelled = progress, cancelled
        self.exported: ExportedVersions | None = None
        self.problems: list[str] = []  # the cells' own problems, in row order
        self.conflicts: list[CellProblem] = []
        #: cells someone else saved since the export: (key, field, the file's value, cell, the database's text)
        self.pending: list[tuple[Key, str, object, RawCell, str]] = []
        self.kept = 0
        self.changed = 0
        self.lines = 0

    def _versions_table(self, header) -> object:  # noqa: ANN001
        self.exported = ExportedVersions(self.name, expected=2 * min(header.rows, self.reader.max_rows))
        return self.exported.feed

    def run(self, expected_form: str | None, expected_territory: str | int | None,
            expected_period: Period | None) -> dict:
        self.progress(0, 1, "Чтение файла")
        with TemplateReader(self.path, rows_allowed=_rows_allowed(self.ctx)) as reader:
            self.reader = reader
            header = reader.read_header(self._versions_table)
            if self.exported is not None and not self.exported.finish():
                self.exported = None
            try:
                period = Period.parse(header.period_code)
            except ValueError as exc:
                raise ImportFileError(f"Файл «{self.name}»: непонятный период в шаблоне.") from exc
            if self.cancelled():
                raise Cancelled()
            with self.ctx.uow(reason=f"Загрузка шаблона Excel «{self.name}»") as s:
                form = form_only(s, header.form_code)
                territory = territory_by(s, header.territory_id)
                self._check_scope(s, form, territory, header, period, expected_form, expected_territory,
                                  expected_period)
                result = self._stream(s, form, territory, period, header.rows)
                s.commit()
        self.progress(1, 1, "Готово")
        return result

    def _check_scope(self, s, form, territory, header, period, expected_form, expected_territory,  # noqa: ANN001
                     expected_period) -> None:  # noqa: ANN001
        if expected_form and expected_form != form.code:
            raise ImportFileError(f"Файл заполнен по форме «{form.code}», а загружается форма «{expected_form}». "
                                  "Выберите файл нужной формы.")
        if expected_territory is not None:
            want = territory_by(s, expected_territory)
            if want.id != territory.id:
                raise ImportFileError(f"Файл заполнен для территории «{territory.name}», а загрузка идёт для "
                                      f"«{want.name}». Файл другой территории не загружен.")
        if territory.name != header.territory_name:
            raise ImportFileError(f"Территория в файле («{header.territory_name}») не совпадает со справочником. "
                                  "Выгрузите шаблон заново.")
        if expected_period is not None and expected_period != period:
            raise ImportFileError(f"Файл заполнен за период «{period.label}», а загрузка идёт за «{expected_period.label}». "
                                  "Файл другого периода не загружен.")
        if form.territorial and territory.kind == "region":
            raise ImportFileError("Значения по области не загружаются из шаблона: они собираются из данных территорий.")
        require_territory(self.ctx, Action.EDIT_VALUES, territory)
        # the same per-sheet write lock as the entry grid: the version check below and the write are one step
        lock_for_write(s, "ind_sheet", form.id, territory.id, period.year, period.kind, period.number)
        state = form_state(s, form, territory, period)
        if state.locked or state is FormState.SUBMITTED:
            raise ConflictError(f"Форма «{form.code}» по территории «{territory.name}» за {period.label} уже "
                                f"{'представлена' if state is FormState.SUBMITTED else 'принята'}; загрузка невозможна. "
                                "Исправления — после возврата на доработку или открытия формы по запросу с причиной.")

    def _stream(self, s, form, territory, period: Period, total_rows: int) -> dict:  # noqa: ANN001
        writer = ChangeWriter(s, territory.id, period)
        with_formulas = bool(s.scalar(select(exists().where(Indicator.form_id == form.id, Indicator.formula != ""))))
        with_components = bool(s.scalar(select(exists().where(Component.indicator_id == Indicator.id,
                                                              Indicator.form_id == form.id))))
        # a form with formulas: the file's changed values and its computed rows, for the shares' check at the end
        self.entered: dict[Key, Decimal | None] | None = {} if with_formulas else None
        self.formula_rows: dict[str, int] = {}
        total = max(total_rows, 1)
        self.progress(0, total, "Проверка и запись значений")
        for chunk in _chunks(self.reader.lines(), ROWS_PER_CHUNK):
            if self.cancelled():
                raise Cancelled()
            self.lines += len(chunk)
            codes = {line.key.partition("|")[0] for line in chunk}
            rules = {r.code: r for r in entry_rules(s, form, codes, components=with_components)}
            components = {line.key.partition("|")[2] for line in chunk} | {""}
            stored = _stored(s, {r.id: code for code, r in rules.items()}, components, territory.id, period)
            changes = self._check(chunk, rules, stored, form.code)
            self.changed += len(changes)
            if not (self.problems or self.reader.problems):  # nothing of a bad file is written
                writer.write(changes, stored, {code: r.id for code, r in rules.items()})
            self.progress(min(self.lines, total), total, "Проверка и запись значений")
        # the workbook is closed once its last row is read
        if self.pending:
            self._settle()
        problems = self.reader.problems + self.problems
        if with_formulas:
            problems += self._computed_share_problems(s, form, territory, period)
        if self.conflicts and not problems:
            raise ImportFileError(
                f"Файл «{self.name}» не загружен: после выгрузки шаблона другие пользователи изменили значения, "
                f"которые изменены и в файле (ячеек — {len(self.conflicts)}). Ни одно значение не изменено. "
                "Выгрузите шаблон заново (в нём будут их значения), перенесите свои изменения и загрузите снова.",
                self.conflicts)
        problems += self.conflicts
        if problems:
            raise ImportFileError(f"Файл «{self.name}» не загружен: найдено ошибок — {len(problems)}. "
                                  "Исправьте их и загрузите файл снова; ни одно значение не изменено.", problems)
        if self.cancelled():
            raise Cancelled()
        writer.summary({"action": "import", "entity": "ind_form", "entity_id": str(form.id),
                        "new": f"шаблон «{self.name}»: {territory.name}, {period.label}; изменено значений: "
                               f"{self.changed} из {self.lines} строк"})
        return {"form": form.code, "territory": territory.name, "period": period.code, "period_label": period.label,
                "cells": self.lines, "changed": self.changed, "kept_newer": self.kept}

    def _mine(self, key: Key, row: StoredValue | None, line: TemplateLine, column: int, field_name: str,
              new: object) -> bool:
        """Whether the file's change of ``key`` is written now: a cell nobody saved since the export is; a cell
        someone else saved since is not — it is settled at the end (:meth:`_settle`): kept as they saved it when
        the file left it as exported, a conflict (listed, nothing written) when the file changed it too."""
        if self.exported is None:
            return True
        if (row.version if row else 0) == self.exported.version("|".join(key)):
            # the stored row is the one exported (one snapshot): its exported texts are the row's own
            if field_name == "comment" and comment_hash(new) == comment_hash(row.comment if row else ""):  # type: ignore[arg-type]
                self.kept += 1  # the same reason up to spaces: nothing to write
                return False
            return True
        db_text = (value_text(row.value if row else None).replace(".", ",") if field_name == "value"
                   else row.comment if row else "")
        self.pending.append((key, field_name, new, line.cell(column), db_text))
        return False

    def _settle(self) -> None:
        """The cells someone else saved since the export: their exported texts, read again from the file for these
        keys alone, tell whether the file left them as exported (kept) or changed them too (a conflict)."""
        wanted = {"|".join(key) for key, *_ in self.pending}
        texts = ExportedTexts(self.name, wanted)
        with TemplateReader(self.path) as reader:
            reader.read_header(lambda _header: texts.feed)
        texts.finish()
        for key, field_name, new, cell, db_text in self.pending:
            _version, exported_value, exported_comment = texts.found.get("|".join(key), (0, "", comment_hash("")))
            if field_name == "value":
                unchanged = value_text(new) == exported_value  # type: ignore[arg-type]
            else:
                unchanged = comment_hash(new) == exported_comment  # type: ignore[arg-type]
            if unchanged:
                self.kept += 1  # unchanged in the file: the database's newer value stays
                continue
            self.conflicts.append(CellProblem(cell, (
                "после выгрузки шаблона это значение изменил другой пользователь; в базе сейчас "
                f"«{db_text or 'пусто'}». Выгрузите шаблон заново и перенесите своё изменение.")))
        self.pending = []

    def _check(self, chunk: list[TemplateLine], rules: dict[str, EntryRule], stored: dict[Key, StoredValue],
               form_code: str) -> list[tuple[Key, str, object]]:
        """The chunk's changes ((code, component, kind), "value" | "comment", new); problems and conflicts listed."""
        problems, entered = self.problems, self.entered
        changes: list[tuple[Key, str, object]] = []
        for line in chunk:
            code, _, component = line.key.partition("|")
            info = rules.get(code)
            if info is None:
                problems.append(f"Лист «Форма», строка {line.sheet_row}: показателя {code} больше нет в форме "
                                f"«{form_code}». Выгрузите шаблон заново.")
                continue
            comp = next((c for c in info.components if c.symbol == component), None) if component else None
            if component and comp is None:
                problems.append(f"Лист «Форма», строка {line.sheet_row}: компонента {component} больше нет у "
                                f"показателя {code}. Выгрузите шаблон заново.")
                continue
            definition = info.definition() if info.formula and not component else None
            if definition is not None:
                self.formula_rows[code] = line.sheet_row
            for column, raw, kind in ((COL_PLAN, line.plan, "plan"), (COL_FACT, line.fact, "fact")):
                computed = bool(comp.formula) if comp else definition is not None and definition.computes(kind)
                if computed:
                    continue
                if raw is None or raw.__class__ is int:  # an empty cell or a whole number: nothing to parse
                    value = None if raw is None else Decimal(raw)
                else:
                    cell = RawCell(line.sheet_row, column, raw)
                    try:
                        value = parse_cell(cell)
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
                if (row.value if row else None) != value and self._mine(key, row, line, column, "value", value):
                    changes.append((key, "value", value))
                    if entered is not None:
                        entered[key] = value
            if not component:
                text = "" if line.comment is None else str(line.comment).strip()
                key = (code, "", "fact")
                row = stored.get(key)
                if (row.comment if row else "") != text and self._mine(key, row, line, COL_COMMENT, "comment", text):
                    changes.append((key, "comment", text))
        return changes

    def _computed_share_problems(self, s, form, territory, period: Period) -> list[str]:  # noqa: ANN001
        """Shares computed from the file's components outside 0–100 % (indicator 1 read as printed gives 464,6 %),
        named by the cell of the computed value. The whole sheet: the stored values (with what was written of the
        file) and the file's changes over them."""
        infos = entry_rules(s, form)
        spec, labels = [], {}
        for info in infos:
            if not info.formula or info.code not in self.formula_rows:
                continue
            kinds = [k for k in ("plan", "fact") if info.definition().computes(k)]
            spec.append((info.code, info.share, ",".join(kinds)))
            for kind, column in (("plan", COL_PLAN), ("fact", COL_FACT)):
                labels[(info.code, "", kind)] = (f"{where(RawCell(self.formula_rows[info.code], column, None))} "
                                                 f"(стр. {info.code})")
        if not spec:  # no indicator of the file is computed by a formula: nothing to compute
            return []
        stored = values_for(s, form, [territory.id], period)[territory.id]
        entered = {key: row.value for key, row in stored.items()}
        entered.update(self.entered or {})
        computed = compute_sheet([i.definition() for i in infos], entered)
        values = {key: fv.value for key, fv in computed.items()}
        return [p.message for p in sheet_value_problems(spec, values, labels)]
