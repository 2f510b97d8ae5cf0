"""Issue 16: a scripted reporting cycle through the command line — 33 territories × 3 months, some late, some
returned and corrected, one reopened after acceptance — then the board's figures.

Timeline (form «МОН», rule «до 10-го числа месяца, следующего за отчётным периодом», the 2026 calendar):
- January (due Tue 10.02.2026): territories 1–30 submit on 05.02, 31–33 on 12.02 (2 days late); the Ministry
  accepts all 33; territory 6 asks to reopen, the Ministry grants, the district corrects row 1 and resubmits.
- February (due Tue 10.03.2026): 1–29 submit on 06.03, 30 on 11.03 (1 day late), 31–33 never (32–33 enter values
  but do not submit); the Ministry returns 1–5 with a remark, 1–3 correct and resubmit on 12.03; the Ministry
  accepts 1–3 and 11–30; 6–10 wait as submitted; 4–5 stay returned.
- March (due Fri 10.04.2026): 1–10 enter values (draft), 11–15 submit on 18.03, the rest have not started.
The board is read on 20.03.2026.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
from decimal import Decimal as D

import pytest

from socplan.cli import run
from socplan.db.database import open_database
from socplan.services.cycle import clock

from cycle_helpers import FORM, add_monthly_form, reporting

ADMIN, ANALYST = "Админов Артём Олегович", "Аналитикова Анна Сергеевна"
TODAY = "20.03.2026"


@pytest.fixture
def office(demo_db_template, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    path = tmp_path / "ministry.sqlite"
    shutil.copyfile(demo_db_template, path)
    db = open_database(path)
    add_monthly_form(db)
    territories = reporting(db)
    db.close()
    moment = {"now": dt.datetime(2026, 1, 20, 12, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return path, territories, moment


def cli(path, user: str, *args: str, expect: int = 0) -> str:  # noqa: ANN001
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--db", str(path), "--user", user, *args])
    assert code == expect, f"{args}: {err.getvalue()}{out.getvalue()}"
    return out.getvalue() + err.getvalue()


def officer(i: int) -> str:
    return f"Специалист района № {i + 1}"


def test_scripted_cycle_33_territories_three_months(office) -> None:  # noqa: ANN001, C901
    import json

    path, territories, moment = office
    assert len(territories) == 33

    def at(day: str) -> None:
        moment["now"] = dt.datetime.strptime(day, "%d.%m.%Y").replace(hour=12)

    def enter(i: int, month: int, bump: int = 0, submit: str = "") -> None:
        values = [f"{n}={100 + i + 50 * n + month + bump}" for n in (1, 2, 3)]
        cli(path, officer(i), "cycle", "enter", "--form", FORM, "--territory", territories[i], "--period",
            f"2026-M{month:02d}", *values)
        if submit:
            at(submit)
            cli(path, officer(i), "cycle", "submit", "--form", FORM, "--territory", territories[i], "--period",
                f"2026-M{month:02d}")

    def ministry(action: str, month: int, which, *extra: str) -> str:  # noqa: ANN001
        names = [a for i in which for a in ("--territory", territories[i])]
        return cli(path, ANALYST, "cycle", action, "--form", FORM, "--period", f"2026-M{month:02d}", *names, *extra)

    # users: the first is the administrator (a database without users lets the installer add it)
    cli(path, ADMIN, "users", "add", ADMIN, "--role", "administrator", "--position", "администратор")
    cli(path, ADMIN, "users", "add", ANALYST, "--role", "analyst", "--position", "главный специалист")
    for i, name in enumerate(territories):
        cli(path, ADMIN, "users", "add", officer(i), "--role", "district", "--territory", name)
    denied = cli(path, officer(0), "users", "add", "Посторонний", "--role", "analyst", expect=1)
    assert "Недостаточно прав: роль «специалист района» не может управлять пользователями" in denied
    cli(path, ANALYST, "cycle", "due", "--form", FORM, "--periodicity", "месяц",
        "до 10-го числа месяца, следующего за отчётным периодом")

    # January
    for i in range(33):
        enter(i, 1, submit="05.02.2026" if i < 30 else "12.02.2026")
    at("13.02.2026")
    ministry("accept", 1, range(33))
    # a district cannot accept, nor edit a neighbour's form
    assert "не может принимать форму" in cli(path, officer(0), "cycle", "accept", "--form", FORM, "--territory",
                                             territories[0], "--period", "2026-M01", expect=1)
    assert "только своей территории" in cli(path, officer(0), "cycle", "enter", "--form", FORM, "--territory",
                                            territories[1], "--period", "2026-M03", "1=5", expect=1)
    # accepted data is locked; the district asks to reopen, the Ministry grants
    assert "принята и закрыта для изменений" in cli(path, officer(5), "cycle", "enter", "--form", FORM,
                                                    "--territory", territories[5], "--period", "2026-M01", "1=160",
                                                    expect=1)
    at("20.02.2026")
    cli(path, officer(5), "cycle", "reopen", "--form", FORM, "--territory", territories[5], "--period", "2026-M01",
        "--reason", "Уточнены данные о численности")
    requests = json.loads(cli(path, ANALYST, "cycle", "requests", "--pending", "--json"))
    assert [(r["territory"], r["reason"]) for r in requests["reopen"]] == [(territories[5], "Уточнены данные о численности")]
    at("21.02.2026")
    cli(path, ANALYST, "cycle", "grant", "reopen", str(requests["reopen"][0]["id"]))
    at("22.02.2026")
    cli(path, officer(5), "cycle", "enter", "--form", FORM, "--territory", territories[5], "--period", "2026-M01",
        "1=158")
    cli(path, officer(5), "cycle", "submit", "--form", FORM, "--territory", territories[5], "--period", "2026-M01")
    at("23.02.2026")
    ministry("accept", 1, [5])
    changes = cli(path, ANALYST, "cycle", "changes", "--form", FORM, "--territory", territories[5], "--period",
                  "2026-M01")
    assert "1\tфакт\t156 → 158" in changes  # 100 + 5 + 50 + 1 accepted; 158 after reopening

    # February
    for i in range(30):
        enter(i, 2, submit="06.03.2026" if i < 29 else "11.03.2026")
    for i in (31, 32):
        enter(i, 2)  # values, never submitted
    at("11.03.2026")
    for i in range(5):
        ministry("return", 2, [i], "--remark", "2=Значение ниже прошлого месяца — проверьте")
    blocked = cli(path, officer(0), "cycle", "accept", "--form", FORM, "--territory", territories[0], "--period",
                  "2026-M02", expect=1)
    assert "Недостаточно прав" in blocked
    for i in range(3):
        enter(i, 2, bump=1, submit="12.03.2026")
    at("13.03.2026")
    ministry("accept", 2, [0, 1, 2, *range(10, 30)])

    # March
    for i in range(10):
        enter(i, 3)
    for i in range(10, 15):
        enter(i, 3, submit="18.03.2026")

    def board(month: int) -> dict:
        return json.loads(cli(path, ANALYST, "cycle", "board", "--period", f"2026-M{month:02d}", "--today", TODAY,
                              "--json"))

    jan, feb, mar = board(1), board(2), board(3)
    assert jan["counts"] == {"accepted": 33}
    assert (jan["reported"], jan["on_time"]) == (33, 30)
    assert D(jan["percent_complete"]) == D("100.0") and D(jan["percent_on_time"]) == D("90.9")
    late = {c["territory"]: c["days_late"] for c in jan["cells"] if c["days_late"]}
    assert late == {territories[i]: 2 for i in (30, 31, 32)}

    assert feb["counts"] == {"accepted": 23, "submitted": 5, "returned": 2, "overdue": 3}
    assert (feb["reported"], feb["on_time"]) == (28, 27)
    assert D(feb["percent_complete"]) == D("84.8") and D(feb["percent_on_time"]) == D("81.8")
    by_territory = {c["territory"]: c for c in feb["cells"]}
    assert by_territory[territories[29]]["days_late"] == 1
    assert by_territory[territories[32]]["state"] == "overdue" and by_territory[territories[32]]["days_late"] == 10

    assert mar["counts"] == {"draft": 10, "submitted": 5, "not_started": 18}
    assert D(mar["percent_complete"]) == D("15.2") and D(mar["percent_on_time"]) == D("15.2")

    # «Что сдать» for territory 33: February overdue first, then March not started; January is accepted
    todo = [t for t in json.loads(cli(path, officer(32), "cycle", "todo", "--today", TODAY, "--json"))
            if t["form"] == FORM]  # the demo's year form «ГП» is due as well
    assert [(t["period"], t["state"], t["days_late"]) for t in todo] == [("2026-M02", "overdue", 10),
                                                                         ("2026-M03", "not_started", 0)]
    assert todo[1]["due"] == "2026-04-10"
    # the returned form shows its remark's state to the district, and is listed first among the open work
    todo4 = [t for t in json.loads(cli(path, officer(3), "cycle", "todo", "--today", TODAY, "--json"))
             if t["form"] == FORM]
    assert [(t["period"], t["state"]) for t in todo4] == [("2026-M02", "returned"), ("2026-M03", "draft")]
