"""Shared helpers of the exchange tests (offices, test form, sending a year's package, database fingerprint)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

DISTRICT = "Азовский немецкий национальный муниципальный район"
MINISTRY = "Омская область"
FORM = "ОБМ-1"
YEAR = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@dataclass
class Office:
    ctx: Any
    signer: Any
    territory: str


def open_office(template: Path, target: Path) -> Any:
    from socplan.db.database import open_database
    from socplan.services.context import AppContext, User

    shutil.copyfile(template, target)
    return AppContext(open_database(target), User("Тестов Тест Тестович", "главный специалист"))


def cert_der(signer: Any) -> bytes:
    from socplan.signing.certificates import certificate_der

    return certificate_der(signer.certificate)


def add_form(ctx: Any, *, territories: tuple[str, ...] = (DISTRICT,), year: int = 2025, months: int = 3,
             indicators: int = 2, fact: bool = True) -> None:
    """A small territorial form with monthly plan and fact values (the same in both offices' databases)."""
    from sqlalchemy import select

    from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
    from socplan.db.models.reference import Territory

    with ctx.uow(reason="тестовые данные") as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == FORM))
        if form is None:
            form = IndicatorForm(code=FORM, name="Показатели для обмена", territorial=True)
            s.add(form)
            for n in range(1, indicators + 1):
                s.add(Indicator(form=form, code=str(n), name=f"Показатель {n}", unit_name="человек", decimals=1))
            s.flush()
        inds = s.scalars(select(Indicator).where(Indicator.form_id == form.id).order_by(Indicator.code)).all()
        for name in territories:
            t = s.scalar(select(Territory).where(Territory.name == name))
            for ind in inds:
                for month in range(1, months + 1):
                    s.add(IndicatorValue(indicator=ind, territory=t, year=year, period_kind="month", period_no=month,
                                         kind="plan", value=Decimal(100 + month)))
                    if fact:
                        s.add(IndicatorValue(indicator=ind, territory=t, year=year, period_kind="month",
                                             period_no=month, kind="fact", value=Decimal(month) / 10 + 90))
        s.commit()


def db_fingerprint(ctx: Any) -> str:
    """A hash of every table's rows (what a user's data is), to prove that nothing was written."""
    from sqlalchemy import inspect, text

    digest = hashlib.sha256()
    with ctx.db.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def send(offices: dict, tmp_path: Path) -> Path:
    """The district's package of 2025 to the Ministry, signed by the district's signer."""
    from socplan.services.exchange.export import ExportRequest, export_package

    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return export_package(offices["district"].ctx, ExportRequest(MINISTRY, *YEAR), folder,
                          offices["district"].signer).path
