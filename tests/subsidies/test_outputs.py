"""What a user reads: the CLI JSON, the PDF protocol and annex, the xlsx protocol, the report journal."""

from __future__ import annotations

import json
from decimal import Decimal as D
import subprocess
from pathlib import Path

import openpyxl

from socplan.app import main
from socplan.resources import resource_path
from socplan.services.reports.registry import list_reports
from socplan.services.subsidies import reports, rounds

DEMO12 = resource_path("demo", "subsidies", "app12_2025.json")
DEMO13 = resource_path("demo", "subsidies", "app13_2025.json")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_cli_calc_json_holds_every_intermediate_value(capsys, tmp_path) -> None:  # noqa: ANN001
    assert main(["subsidies", "calc", str(DEMO12), "--json", "--pdf", str(tmp_path / "p.pdf"),
                 "--xlsx", str(tmp_path / "p.xlsx")]) == 0
    out = json.loads(capsys.readouterr().out)
    omsk = next(m for m in out["municipalities"] if m["municipality"] == "город Омск")
    assert omsk["score"] == "175.00" and omsk["passed"] is False and omsk["allocation"] is None
    assert omsk["reasons"][0]["clause"] == "п. 2"
    omsky = next(m for m in out["municipalities"] if m["municipality"] == "Омский муниципальный район")
    assert set(omsky["allocation"]) >= {"term_equal", "term_ngo", "term_weighted", "raw", "rounded", "taken_back",
                                        "amount", "remainder", "rate_before", "cap", "final_subsidy"}
    assert {s["clause"] for s in out["trace"]} >= {"п. 11, показатель 1", "п. 2", "п. 2, 12–13, 15–17", "п. 15",
                                                   "п. 16", "п. 17", "п. 19–20", "п. 22"}
    assert D(out["allocated"]) == D("1731665")
    text = pdf_text(tmp_path / "p.pdf")
    assert "ПРОТОКОЛ РАСЧЁТА" in text and "Ход расчёта" in text and "п. 13 подп. 1" in text
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert {"Рейтинг", "Распределение", "Остаток и софинансирование", "Ход расчёта"} <= set(wb.sheetnames)


def test_cli_refuses_bad_input_in_russian(capsys, tmp_path) -> None:  # noqa: ANN001
    data = json.loads(DEMO12.read_text(encoding="utf-8"))
    data["budget"] = "0"
    data["applications"].append(dict(data["applications"][0]))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["subsidies", "calc", str(path), "--json"]) == 1
    err = capsys.readouterr().err
    assert "Общая сумма субсидий C должна быть больше нуля" in err
    assert "город Омск: вторая заявка от того же муниципального образования" in err


def test_app13_scaling_is_announced_in_protocol(tmp_path) -> None:  # noqa: ANN001
    data = json.loads(DEMO13.read_text(encoding="utf-8"))
    for app in data["applications"]:  # П_i (regional + local funds) well above the regional need
        app["total_need"] = str(int(app["total_need"]) * 2)
    path = tmp_path / "r13.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["subsidies", "calc", str(path), "--pdf", str(tmp_path / "p13.pdf")]) == 0
    text = " ".join(pdf_text(tmp_path / "p13.pdf").split())
    assert "все суммы уменьшены пропорционально" in text


def test_stored_round_documents_are_recorded(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    rid = next(r.id for r in rounds.list_rounds(demo_ctx) if r.procedure == "app12")
    out = reports.generate_report(demo_ctx, rid, "distribution", tmp_path / "annex.pdf")
    text = " ".join(pdf_text(out).split())
    assert "РАСПРЕДЕЛЕНИЕ" in text and "на 2025 год" in text
    assert "город Омск" not in text  # refused under App. 12 §2
    assert "Калачинский муниципальный район 221 666,00" in text and "Итого 1 731 665,00" in text
    assert "к распоряжению Министерства труда и социального развития Омской области" in text
    calc = rounds.calculate_round(demo_ctx, rid)
    generated = reports.generate(demo_ctx, calc, "clawback", round_id=rid)
    assert generated.record is not None
    journal = list_reports(demo_ctx, kind="subsidies")
    assert {r.params["document"] for r in journal} == {"distribution", "clawback"}
    clawback_pdf = tmp_path / "cb.pdf"
    clawback_pdf.write_bytes(generated.data)
    text = " ".join(pdf_text(clawback_pdf).split())
    assert "13 333,31" in text and "освобождено" in text


def test_xlsx_input_gives_the_same_result_as_json(capsys) -> None:  # noqa: ANN001
    assert main(["subsidies", "calc", str(resource_path("demo", "subsidies", "app12_2025.xlsx")), "--json"]) == 0
    from_xlsx = json.loads(capsys.readouterr().out)
    assert main(["subsidies", "calc", str(DEMO12), "--json"]) == 0
    from_json = json.loads(capsys.readouterr().out)
    def key(out):  # noqa: ANN001, ANN202
        return [(m["municipality"], D(m["score"]), m["passed"], m["final_total"] and D(m["final_total"]))
                for m in out["municipalities"]]

    assert key(from_xlsx) == key(from_json)
    assert {k: D(v) for k, v in from_xlsx["clawback_totals"].items()} == \
        {k: D(v) for k, v in from_json["clawback_totals"].items()}


def test_cli_import_list_and_report(capsys, tmp_path) -> None:  # noqa: ANN001
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "demo", "--reset"]) == 0  # the demo is made on purpose, never implicitly
    capsys.readouterr()
    assert main(["--db", str(db), "subsidies", "rounds", "--json"]) == 0
    demo_rounds = json.loads(capsys.readouterr().out)
    assert len(demo_rounds) == 2
    assert main(["--db", str(db), "subsidies", "import", str(DEMO13), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["procedure"] == "app13" and imported["applications"] == 6
    out = tmp_path / "protocol.xlsx"
    assert main(["--db", str(db), "subsidies", "report", str(imported["id"]), str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert "Распределение" in wb.sheetnames
    assert main(["--db", str(db), "subsidies", "report", str(imported["id"]), str(tmp_path / "r.pdf"),
                 "--kind", "rating"]) == 1
    assert "только в отборе по Приложению № 12" in capsys.readouterr().err


def test_app13_annex_is_to_a_government_resolution(tmp_path) -> None:  # noqa: ANN001
    """App. 13 §9: «Распределение Субсидий утверждается постановлением Правительства Омской области»."""
    calc = rounds.calculate_input(rounds.read_input_file(DEMO13))
    out = tmp_path / "annex13.pdf"
    out.write_bytes(reports.build_pdf(calc, "distribution", None))  # type: ignore[arg-type]
    text = " ".join(pdf_text(out).split())
    assert "к постановлению Правительства Омской области" in text and "РАСПРЕДЕЛЕНИЕ" in text
    assert "город Омск" in text  # eligible under App. 13 (§1, §12: «муниципальных районов (городского округа)»)
