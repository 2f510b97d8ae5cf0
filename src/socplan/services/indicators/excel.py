"""Export a district's entry form as an Excel template and import it back (all or nothing, idempotent).

The import itself (read as a stream, checked and written a chunk at a time) is :mod:`excel_import`."""

from __future__ import annotations

import json
from pathlib import Path

from socplan.domain.errors import ConflictError
from socplan.domain.indicators import Period
from socplan.io.indicators_excel import TemplateRow, TemplateSpec
from socplan.io.indicators_template_writer import write_template
from socplan.services.bulk import paused_collector
from socplan.services.context import AppContext
from socplan.services.indicators.entry import load_sheet
from socplan.services.indicators.excel_import import comment_hash, import_template, value_text

__all__ = ["export_template", "import_template"]


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


_value_text, _comment_hash = value_text, comment_hash


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
