"""`socplan exchange return`: the Ministry returns a submitted form «на доработку» with a remark per value; the
district's import preview shows the incoming remarks before anything is accepted."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from exchange_helpers import DISTRICT, FORM, MINISTRY, add_form, cert_der
from sqlalchemy import select

from socplan.app import main


def _ctx(path: Path):  # noqa: ANN202
    from socplan.db.database import open_database
    from socplan.services.context import AppContext, User

    return AppContext(open_database(path), User("Министерская Анна Сергеевна", "главный специалист"))


def _submit(ctx) -> None:  # noqa: ANN001
    from socplan.db.models.indicators import FormSubmission, IndicatorForm
    from socplan.db.models.reference import Territory

    with ctx.uow(reason="представлено районом") as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == FORM))
        t = s.scalar(select(Territory).where(Territory.name == DISTRICT))
        s.add(FormSubmission(form_id=form.id, territory_id=t.id, year=2025, period_kind="month", period_no=3,
                             state="submitted"))
        s.commit()


def test_return_from_the_cli_and_remarks_in_the_district_preview(demo_db_template, tmp_path, keys, capsys):  # noqa: ANN001
    from socplan.services.exchange import setup
    from socplan.services.exchange.export import ExportRequest, export_package
    from socplan.services.exchange.importer import incoming_remarks, preview_import
    from socplan.services.exchange.remarks import list_remarks

    ministry_path, district_path = tmp_path / "ministry.sqlite", tmp_path / "district.sqlite"
    shutil.copyfile(demo_db_template, ministry_path)
    shutil.copyfile(demo_db_template, district_path)
    ministry = _ctx(ministry_path)
    add_form(ministry)  # the district's values as imported earlier
    _submit(ministry)
    setup.set_identity(ministry, "ministry", MINISTRY, "Минтруд")
    ministry.db.close()

    code = main(["--db", str(ministry_path), "exchange", "return", "--form", FORM, "--territory", DISTRICT,
                 "--period", "2025-M03", "--remark", "7:факт=Нет такого"])
    err = capsys.readouterr().err
    assert code == 1 and "нет значения «7:факт»" in err and "2:факт" in err
    code = main(["--db", str(ministry_path), "exchange", "return", "--form", FORM, "--territory", DISTRICT,
                 "--period", "2025-M03", "--remark", "2:факт=Значение ниже прошлого года — приложите пояснение",
                 "--note", "Уточнить"])
    out = capsys.readouterr().out
    assert code == 0 and "возвращена на доработку: замечаний — 1" in out

    ministry = _ctx(ministry_path)
    (remark,) = list_remarks(ministry, DISTRICT)
    assert remark.text == "Значение ниже прошлого года — приложите пояснение"
    folder = tmp_path / "usb"
    folder.mkdir()
    package = export_package(ministry, ExportRequest(DISTRICT, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), folder,
                             keys["ministry"]).path
    ministry.db.close()

    district = _ctx(district_path)
    add_form(district)
    setup.set_identity(district, "district", DISTRICT)
    setup.trust_certificate(district, MINISTRY, cert_der(keys["ministry"]))
    preview = preview_import(district, package)
    (incoming,) = incoming_remarks(preview)
    assert incoming.text == "Значение ниже прошлого года — приложите пояснение"
    assert incoming.cell == f"{DISTRICT}: показатель {FORM}/2, факт, март 2025 г."
    from socplan.ui.exchange.import_dialog import summary_html  # the window's preview shows the same remark

    assert "Замечания Министерства к значениям" in summary_html(preview)
    assert "Значение ниже прошлого года — приложите пояснение" in summary_html(preview)
    district.db.close()

    code = main(["--db", str(district_path), "exchange", "import", str(package)])
    out = capsys.readouterr().out
    assert code == 0 and "Замечания Министерства к значениям (вернуть на доработку): 1" in out
    assert f"показатель {FORM}/2, факт, март 2025 г. — Значение ниже прошлого года — приложите пояснение" in out
    assert "Ничего не записано" in out
