"""A subsidy round in an xlsx workbook (the same fields as the JSON format, docs/subsidies-input-format.md).

Sheets: «Отбор» (field | value; «commission» may repeat), «Заявки» (row 1 — field names, one application per
row; documents as columns ``doc_<code>`` holding a date or да/нет), «Результаты» (optional: one result per row).
The workbook is turned into the JSON structure and read by the same parser, so both formats behave alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from socplan.domain.errors import ImportFileError
from socplan.domain.value_ranges import range_problem
from socplan.domain.subsidies.calculation import RoundInput
from socplan.io.subsidies_json import parse_round
from socplan.io.xlsx_guard import open_workbook, sheet_table, unreadable

ROUND_KEYS = ("procedure", "year", "budget", "title", "applications_deadline", "selection_date",
              "average_rate_district", "average_rate_settlement", "distribute_remainder_fully")
EVENT_KEYS = ("event", "granted", "force_majeure", "force_majeure_documents")
RESULT_KEYS = ("name", "unit", "planned", "actual", "growth_is_good")
YES, NO = {"да", "yes", "true", "1", "+"}, {"нет", "no", "false", "0", "-"}
BOOL_KEYS = {"commission_active", "infrastructure_event", "training_event", "property_list", "registry_published",
             "activity_matches_goal", "has_municipal_programme", "form_ok", "unreliable_info", "needs_accessibility",
             "national_project", "distribute_remainder_fully", "force_majeure", "growth_is_good"}


#: the range each numeric field may take (domain/value_ranges.py); other numbers: finite and below 10¹⁵
VALUE_KINDS = {key: "money" for key in ("budget", "declared_need", "local_funds", "local_funds_cofinanced",
                                        "total_budget_spending", "total_need", "granted")}
VALUE_KINDS.update({key: "count" for key in ("year", "ngo_registered", "ngo_registered_previous", "ngo_supported",
                                             "preferential_contracts")})
SIGNED_KEYS = {"planned", "actual"}


def _cell(value: Any, key: str, where: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if key in BOOL_KEYS or key.startswith("doc_"):
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        if key.startswith("doc_"):
            return str(value).strip()  # a date written as text
        raise ImportFileError(f"{where}: «{value}» — ожидалось «да» или «нет».")
    if isinstance(value, (float, int, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        problem = range_problem(number, VALUE_KINDS.get(key, "number"), negative=key in SIGNED_KEYS)
        if problem:
            raise ImportFileError(f"{where}: {problem}. Исправьте значение и загрузите файл снова; ничего не "
                                  "изменено.")
        return value if isinstance(value, (int, Decimal)) else number
    return str(value).strip()


#: A round has tens of applications and fields; a sheet beyond these limits is not a round.
MAX_ROWS = 2_000
MAX_COLUMNS = 300


def _rows(ws, file_name: str = "") -> list[dict[str, Any]]:  # noqa: ANN001
    rows = sheet_table(ws, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS, file_name=file_name)
    if not rows:
        return []
    keys = [str(k).strip() if k is not None else "" for k in rows[0]]
    out = []
    for n, values in enumerate(rows[1:], start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.append({k: _cell(v, k, f"Лист «{ws.title}», строка {n}, столбец {k}")
                    for k, v in zip(keys, values) if k})
    return out


def read_round_xlsx(path: Path) -> RoundInput:
    path = Path(path)
    wb = open_workbook(path)
    try:
        data = _read_round(wb, path.name)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - sheets are parsed lazily in read-only mode
        raise unreadable(path, exc) from exc
    finally:
        wb.close()
    return parse_round(data)


def _read_round(wb: Any, file_name: str) -> dict[str, Any]:
    missing = [name for name in ("Отбор", "Заявки") if name not in wb.sheetnames]
    if missing:
        raise ImportFileError(f"В книге нет листов: {', '.join(missing)}. Образец — resources/demo/subsidies/"
                              "app12_2025.xlsx, описание — docs/subsidies-input-format.md.")
    data: dict[str, Any] = {"commission": [], "limit_rates": {}}
    for n, row in enumerate(sheet_table(wb["Отбор"], max_rows=MAX_ROWS, max_cols=MAX_COLUMNS, file_name=file_name),
                            start=1):
        key, value = (tuple(row) + (None, None))[:2]
        if key is None:
            continue
        key = str(key).strip()
        value = _cell(value, key, f"Лист «Отбор», строка {n}, столбец B ({key})")
        if key == "commission":
            if value:
                data["commission"].append(str(value))
        elif key == "year" and value is not None:
            try:
                data[key] = int(value)
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise ImportFileError(f"Лист «Отбор», строка {n}, столбец B: «{value}» — год должен быть целым "
                                      "числом, например 2025.") from exc
        elif key in ROUND_KEYS:
            data[key] = value
    apps = []
    for row in _rows(wb["Заявки"], file_name):
        docs = {k[4:]: v for k, v in row.items() if k.startswith("doc_") and v is not None}
        app = {k: v for k, v in row.items() if not k.startswith("doc_")}
        app["documents"] = docs
        apps.append(app)
    by_name = {a.get("municipality"): a for a in apps}
    if "Результаты" in wb.sheetnames:
        for row in _rows(wb["Результаты"], file_name):
            app = by_name.get(row.get("municipality"))
            if app is None:
                raise ImportFileError(f"Лист «Результаты»: заявки «{row.get('municipality')}» нет на листе «Заявки».")
            events = app.setdefault("outcomes", [])
            event = next((e for e in events if e["event"] == row.get("event")), None)
            if event is None:
                event = {k: row.get(k) for k in EVENT_KEYS}
                event["results"] = []
                events.append(event)
            event["results"].append({k: row.get(k) for k in RESULT_KEYS if row.get(k) is not None})
    data["applications"] = apps
    return data


def write_round_xlsx(data: dict[str, Any], path: Path) -> Path:
    """The JSON structure of a round written as the xlsx input (used to produce the shipped example)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Отбор"
    for key in ROUND_KEYS:
        if key in data:
            ws.append([key, _plain(data[key])])
    for member in data.get("commission", []):
        ws.append(["commission", member])
    apps = data["applications"]
    doc_codes = sorted({c for a in apps for c in (a.get("documents") or {})}, key=lambda c: [int(p) for p in c.split(".")])
    keys = ["municipality"] + sorted({k for a in apps for k in a if k not in ("municipality", "documents", "outcomes")})
    keys.insert(1, "limit_rate")
    ws2 = wb.create_sheet("Заявки")
    ws2.append(keys + [f"doc_{c}" for c in doc_codes])
    rates = data.get("limit_rates", {})
    for a in apps:
        values = [_plain(rates.get(a["municipality"]) if k == "limit_rate" else a.get(k)) for k in keys]
        docs = a.get("documents") or {}
        ws2.append(values + [_plain(docs.get(c, False)) for c in doc_codes])
    results = [(a["municipality"], e, r) for a in apps for e in a.get("outcomes", []) for r in e["results"]]
    if results:
        ws3 = wb.create_sheet("Результаты")
        ws3.append(["municipality", *EVENT_KEYS, *RESULT_KEYS])
        for name, e, r in results:
            ws3.append([name] + [_plain(e.get(k)) for k in EVENT_KEYS] + [_plain(r.get(k)) for k in RESULT_KEYS])
    from socplan.xlsx_safe import save_workbook

    save_workbook(wb, path)
    return Path(path)


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str):
        try:
            return Decimal(value) if value and value.replace(".", "", 1).lstrip("-").isdigit() else value
        except ArithmeticError:
            return value
    return value
