"""Cases of the permission matrix for plan execution, exchange packages and documents (issue 16, second part):
(prepare as administrator, perform as the role) on the demo database with the cycle helpers' users."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal as D
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from socplan.domain.indicators import Period
from socplan.domain.roles import Action
from socplan.services.context import AppContext

from cycle_helpers import FORM

MINISTRY = "Омская область"
MARCH = Period(2026, "month", 3)
ACTIONS = {Action.REPORT_EXECUTION, Action.EXPORT_PACKAGE, Action.IMPORT_DISTRICT_PACKAGES, Action.IMPORT_RETURNS,
           Action.ISSUE_PROTOCOLS, Action.ISSUE_SUBSIDY_DOCUMENTS, Action.SIGN_REPORTS}


@functools.lru_cache(maxsize=None)
def key(name: str) -> bytes:
    """PKCS#12 bytes of a self-signed test certificate (made once per test run)."""
    from socplan.signing.certificates import create_self_signed

    return create_self_signed(name, "главный специалист", "СоцПлан тест")


def signer(name: str) -> Any:
    from socplan.signing.certificates import load_pkcs12

    return load_pkcs12(key(name), "")


def cert(name: str) -> bytes:
    from socplan.signing.certificates import certificate_der

    return certificate_der(signer(name).certificate)


def executed_point(admin: AppContext, territory: str) -> int:
    """A control point of an approved demo plan whose event an organisation of ``territory`` now executes."""
    from socplan.db.models.plans import ControlPoint, Plan, PlanEvent, PlanEventOrganisation
    from socplan.db.models.reference import Organisation, Territory

    with admin.uow(reason="тест: исполнитель мероприятия") as s:
        point = s.scalars(select(ControlPoint).join(PlanEvent).join(Plan).where(Plan.status == "approved")
                          .order_by(ControlPoint.id)).first()
        t = s.scalar(select(Territory).where(Territory.name == territory))
        org = Organisation(full_name=f"Управление социальной защиты ({territory})", short_name=f"УСЗН {t.id}",
                           kind="local_government", territory=t)
        s.add(org)
        s.flush()
        s.add(PlanEventOrganisation(event_id=point.event_id, organisation_id=org.id, role="executor", position=9))
        s.commit()
        return point.id


def _fill(admin: AppContext, territory: str) -> None:
    from socplan.services.indicators import entry

    entry.save_sheet(admin, FORM, territory, MARCH, [entry.CellChange(str(n), "", "fact", D(10 * n)) for n in (1, 2, 3)])


def _request(recipient: str, **kw: Any) -> Any:
    from socplan.services.exchange.export import ExportRequest

    return ExportRequest(recipient, dt.date(2026, 3, 1), dt.date(2026, 3, 31), forms=(FORM,), **kw)


def district_package(admin: AppContext, territory: str, tmp: Path) -> Path:
    """A district's signed package (values of March), then this database becomes the Ministry trusting it."""
    from socplan.services.exchange import setup
    from socplan.services.exchange.export import export_package

    setup.set_identity(admin, "district", territory)
    _fill(admin, territory)
    path = export_package(admin, _request(MINISTRY, kinds=("indicator_value",)), tmp, signer("Районов Иван")).path
    setup.set_identity(admin, "ministry", MINISTRY, "Минтруд")
    setup.trust_certificate(admin, territory, cert("Районов Иван"))
    return path


def ministry_package(admin: AppContext, territory: str, tmp: Path) -> Path:
    """The Ministry's signed package addressed to ``territory`` (the form), then this database becomes that
    district trusting the Ministry."""
    from socplan.services.exchange import setup
    from socplan.services.exchange.export import export_package

    setup.set_identity(admin, "ministry", MINISTRY, "Минтруд")
    path = export_package(admin, _request(territory, kinds=("indicator_form", "indicator")), tmp,
                          signer("Министерская Анна")).path
    setup.set_identity(admin, "district", territory)
    setup.trust_certificate(admin, MINISTRY, cert("Министерская Анна"))
    return path


def a_pdf(tmp: Path) -> bytes:
    from reportlab.pdfgen import canvas

    path = tmp / "report.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(100, 750, "Report")
    c.save()
    return path.read_bytes()


def case(action: Action, territory: str, tmp: Path) -> tuple[Callable[[AppContext], None], Callable[[AppContext], object]]:
    from socplan.services.exchange import importer, setup
    from socplan.services.exchange.export import export_package

    state: dict[str, Any] = {}
    if action is Action.REPORT_EXECUTION:
        from socplan.services.plans.control import report_point

        def prepare(a: AppContext) -> None:
            state["point"] = executed_point(a, territory)

        return prepare, lambda c: report_point(c, state["point"], "in_progress", "Мероприятие проводится")
    if action is Action.EXPORT_PACKAGE:
        def prepare_export(a: AppContext) -> None:
            setup.set_identity(a, "district", territory)
            _fill(a, territory)

        return prepare_export, lambda c: export_package(c, _request(MINISTRY), tmp, None, sign=lambda raw: b"test")
    if action is Action.IMPORT_DISTRICT_PACKAGES:
        def prepare_district(a: AppContext) -> None:
            state["path"] = district_package(a, territory, tmp)

        return prepare_district, lambda c: importer.import_file(c, state["path"], accept_all=True)
    if action is Action.IMPORT_RETURNS:
        def prepare_return(a: AppContext) -> None:
            state["path"] = ministry_package(a, territory, tmp)

        return prepare_return, lambda c: importer.import_file(c, state["path"], accept_all=True)
    if action is Action.ISSUE_PROTOCOLS:
        from socplan.services.protocols.bodies import list_bodies
        from socplan.services.protocols.printing import build_execution_report

        return (lambda a: None), lambda c: build_execution_report(c, list_bodies(c)[0].id)
    if action is Action.ISSUE_SUBSIDY_DOCUMENTS:
        from socplan.services.subsidies import reports
        from socplan.services.subsidies.rounds import calculate_round, list_rounds

        def issue(c: AppContext) -> object:
            rid = list_rounds(c)[0].id
            return reports.generate(c, calculate_round(c, rid), "protocol", round_id=rid)

        return (lambda a: None), issue
    if action is Action.SIGN_REPORTS:
        from socplan.services.reports import registry, signatures

        def prepare_report(a: AppContext) -> None:
            state["report"] = registry.save_report(a, kind="indicators", title="Показатели района", params={},
                                                   data=a_pdf(tmp), file_name="показатели.pdf").id
            state["pfx"] = tmp / "signer.pfx"
            state["pfx"].write_bytes(key("Подписантов Пётр"))

        return prepare_report, lambda c: signatures.sign_report(c, state["report"], state["pfx"], "")
    raise AssertionError(action)
