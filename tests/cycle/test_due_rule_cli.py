"""Issue 16: `socplan cycle due` shows the next due dates of a rule — `--preview` without saving anything."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil

from socplan.cli import run
from socplan.services.cycle import clock


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, out.getvalue() + err.getvalue()


def test_due_rule_preview_then_set(demo_db_template, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """20.04.2026, «до 10 числа месяца, следующего …»: April → 10.05 (Sunday), 11.05 a day off → 12.05.2026;
    May → 10.06.2026; June → 10.07.2026; July → 10.08.2026. The year rule «до 15 января»: 2025 was due 15.01.2026
    (past); 2026 → 15.01.2027 (Friday); 2027 → 15.01.2028 is a Saturday → Monday 17.01.2028; 2028 → 15.01.2029
    (Monday); 2029 → 15.01.2030 (Tuesday)."""
    path = tmp_path / "db.sqlite"
    shutil.copyfile(demo_db_template, path)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 4, 20, 6, 0))
    rule = "до 10 числа месяца, следующего за отчётным периодом"
    code, out = _cli("--db", str(path), "cycle", "due", "--periodicity", "месяц", "--preview", rule)
    assert code == 0, out
    assert out.splitlines() == [
        "Правило: до 10-го числа месяца, следующего за отчётным периодом",
        "Ближайшие сроки: апрель 2026 г. — до 12.05.2026; май 2026 г. — до 10.06.2026; июнь 2026 г. — до 10.07.2026; "
        "июль 2026 г. — до 10.08.2026"]
    code, listed = _cli("--db", str(path), "cycle", "due")
    assert code == 0 and [line.split("\t")[0] for line in listed.splitlines()] == ["ГП"]  # nothing saved
    code, out = _cli("--db", str(path), "cycle", "due", "--periodicity", "год", "--preview", "когда-нибудь")
    assert code != 0 and "Непонятный срок сдачи «когда-нибудь»" in out
    code, out = _cli("--db", str(path), "cycle", "due", "--form", "ГП", "--periodicity", "год", "до 15 января")
    assert code == 0, out
    assert out.splitlines()[0] == "Форма ГП (год): до 15 января"
    assert out.splitlines()[1] == ("Ближайшие сроки: 2026 год — до 15.01.2027; 2027 год — до 17.01.2028; "
                                   "2028 год — до 15.01.2029; 2029 год — до 15.01.2030")
