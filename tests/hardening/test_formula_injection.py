"""Formula injection on Excel export: text that came in through an import goes back out as text, never as a live
formula, in every xlsx the application writes (indicators export-template, indicators report --xlsx, plans
report --out *.xlsx, subsidies report); OWASP neutralisation of = + - @ tab CR with a leading apostrophe."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

from socplan.cli import run
from socplan.xlsx_safe import neutralise, restore

pytestmark = pytest.mark.sqlite_only(reason="the command line on a database file, and SQLite file behaviour (locks, journal, page count); the server is tested in tests/postgres")


HOSTILE = {
    "indicator": '=HYPERLINK("http://evil.example/","нажмите")',
    "event": "=cmd|' /C calc'!A0",
    "round": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''=1", "'-"])
def test_neutralise_is_owasp_and_restore_is_its_inverse(text):  # noqa: ANN001
    safe = neutralise(text)
    assert safe.startswith("'") and safe[1:] == text
    assert restore(safe) == text


@pytest.mark.parametrize("text", ["Численность", "'цитата'", "1-2", "", "'"])
def test_plain_text_is_untouched(text):  # noqa: ANN001
    assert neutralise(text) == text and restore(text) == text


def _text_cells(path: Path) -> list[tuple[str, str, object, str]]:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.append((ws.title, cell.coordinate, cell.value, cell.data_type))
    return out


def _inject(db_path: Path) -> dict[str, int]:
    from socplan.db.database import open_database
    from socplan.db.models.indicators import Indicator, IndicatorForm
    from socplan.db.models.plans import Plan, PlanEvent
    from socplan.db.models.subsidies import SubsidyRound

    db = open_database(db_path)
    try:
        with db.session() as s:
            form = s.scalar(select(IndicatorForm.id).where(IndicatorForm.code == "НОК"))
            s.execute(update(Indicator).where(Indicator.form_id == form, Indicator.code == "4")
                      .values(name=HOSTILE["indicator"]))
            plan = s.scalar(select(Plan.id).where(Plan.kind == "events").order_by(Plan.id))
            first = s.scalar(select(PlanEvent.id).where(PlanEvent.plan_id == plan).order_by(PlanEvent.sort_key))
            s.execute(update(PlanEvent).where(PlanEvent.id == first).values(text=HOSTILE["event"]))
            round_id = s.scalar(select(SubsidyRound.id).order_by(SubsidyRound.id))
            s.execute(update(SubsidyRound).where(SubsidyRound.id == round_id).values(title=HOSTILE["round"]))
            s.commit()
    finally:
        db.close()
    return {"plan": plan, "round": round_id}


def test_hostile_text_goes_out_as_text_through_every_xlsx_export(demo_db, tmp_path, capsys):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    ids = _inject(db)
    args = ["--db", str(db)]
    outputs = {
        "template": tmp_path / "шаблон.xlsx", "indicators": tmp_path / "показатели.xlsx",
        "plans": tmp_path / "план.xlsx", "subsidies": tmp_path / "субсидии.xlsx",
    }
    assert run(args + ["indicators", "export-template", "--form", "НОК", "--territory", "Тарский муниципальный район",
                       "--period", "2025", "-o", str(outputs["template"])]) == 0
    assert run(args + ["indicators", "report", "--form", "НОК", "--period", "2025", "-o", str(tmp_path / "п.pdf"),
                       "--xlsx", str(outputs["indicators"])]) == 0
    assert run(args + ["plans", "report", "--plan", str(ids["plan"]), "--out", str(outputs["plans"]),
                       "--from", "01.01.2025", "--to", "31.12.2025", "--date", "10.07.2025"]) == 0
    assert run(args + ["subsidies", "report", str(ids["round"]), str(outputs["subsidies"])]) == 0
    expected = {"template": "indicator", "indicators": "indicator", "plans": "event", "subsidies": "round"}
    for name, path in outputs.items():
        cells = _text_cells(path)
        formulas = [c for c in cells if c[3] == "f"]
        assert not formulas, (name, formulas)
        hostile = HOSTILE[expected[name]]
        found = [c for c in cells if isinstance(c[2], str) and hostile in c[2]]
        assert found, (name, hostile)
        for _, _, value, data_type in found:
            assert data_type == "s" and not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
        assert any(c[2] == "'" + hostile for c in found), (name, found)
    capsys.readouterr()
    # The template round trip keeps the catalogue text: importing the untouched template changes nothing.
    assert run(args + ["indicators", "import", str(outputs["template"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 0


def test_hostile_decision_text_goes_out_as_text_in_the_execution_report(demo_db, tmp_path):  # noqa: ANN001
    """`protocols report-execution --out *.xlsx`: a decision's text «=cmd|…» is written as text, not a formula."""
    from socplan.db.database import open_database
    from socplan.db.models.protocols import Decision

    db = demo_db.path
    demo_db.close()
    opened = open_database(db)
    try:
        with opened.session() as s:
            first = s.scalar(select(Decision.id).order_by(Decision.id))
            s.execute(update(Decision).where(Decision.id == first).values(text=HOSTILE["event"]))
            s.commit()
    finally:
        opened.close()
    out = tmp_path / "исполнение.xlsx"
    assert run(["--db", str(db), "protocols", "report-execution", "--body", "1", "--out", str(out)]) == 0
    cells = _text_cells(out)
    assert not [c for c in cells if c[3] == "f"]
    found = [c for c in cells if isinstance(c[2], str) and HOSTILE["event"] in c[2]]
    assert found and all(c[3] == "s" and c[2].startswith("'") for c in found), found


def test_a_workbook_that_fails_to_save_leaves_no_half_file(tmp_path, monkeypatch):
    """A failure in the middle of writing an xlsx (here: the zip writer breaks after the first part) leaves
    neither the file nor a temporary copy; an older file of the same name stays as it was."""
    import zipfile

    from openpyxl import Workbook

    from socplan.xlsx_safe import save_workbook

    target = tmp_path / "отчёт.xlsx"
    target.write_bytes(b"old")
    wb = Workbook()
    wb.active.append(["Пункт", 1])
    real = zipfile.ZipFile.writestr
    calls = []

    def broken(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(OSError):
        save_workbook(wb, target)
    assert [p.name for p in tmp_path.iterdir()] == ["отчёт.xlsx"] and target.read_bytes() == b"old"
