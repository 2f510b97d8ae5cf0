"""Issue 16: every journal entry names the user — also the summary rows of an exchange import's bulk inserts
and the package journal (the permission matrix checks every other action)."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from socplan.db.models.audit import AuditLog
from socplan.db.models.exchange import ExchangePackage
from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
from socplan.domain.roles import Role
from socplan.services.exchange import importer

from cycle_helpers import DISTRICT, FORM, NAMES, add_monthly_form, register_roles
from documents_and_exchange import district_package


def test_exchange_import_journal_names_the_analyst(demo_db, tmp_path) -> None:  # noqa: ANN001
    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    admin, analyst = contexts[Role.ADMINISTRATOR], contexts[Role.ANALYST]
    path = district_package(admin, DISTRICT, tmp_path)
    with admin.uow(reason="тест: значения ещё не получены") as s:  # the Ministry has not got the three values yet
        s.execute(delete(IndicatorValue).where(IndicatorValue.indicator_id.in_(
            select(Indicator.id).join(IndicatorForm).where(IndicatorForm.code == FORM))))
        s.commit()
        before = s.scalar(select(func.max(AuditLog.id)))
    _preview, result = importer.import_file(analyst, path, accept_all=True)
    assert result.applied == 3
    with analyst.uow() as s:
        rows = s.execute(select(AuditLog.user_name, AuditLog.user_position, AuditLog.action, AuditLog.new)
                         .where(AuditLog.id > before)).all()
        package = s.scalars(select(ExchangePackage).where(ExchangePackage.direction == "received")).one()
    summaries = [r for r in rows if r.action == "insert" and "добавлено 3" in (r.new or "")]
    assert len(summaries) == 1  # the bulk insert of the three values: one summary row
    assert any(r.action == "import" for r in rows)
    assert {(r.user_name, r.user_position) for r in rows} == {(NAMES[Role.ANALYST], "главный специалист")}
    assert package.user_name == NAMES[Role.ANALYST]
