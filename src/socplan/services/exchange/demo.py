"""Demo data of the exchange capability: the demo database is the Ministry's (Минтруд, «Омская область»),
so «Обмен» works at once — forming a package to a district, returning a form «на доработку»."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.exchange import ExchangeIdentity
from socplan.db.models.reference import Organisation, Territory
from socplan.domain.errors import SocPlanError

DEMO_TERRITORY = "Омская область"
DEMO_ORGANISATION = "Минтруд"


def load_demo(session: Session) -> None:
    """Set this database's exchange identity (as «Настройки обмена» stores it): the Ministry."""
    territory = session.scalar(select(Territory).where(Territory.name == DEMO_TERRITORY))
    organisation = session.scalar(select(Organisation).where(Organisation.short_name == DEMO_ORGANISATION))
    if territory is None or organisation is None:
        raise SocPlanError(f"В демонстрационных справочниках нет «{DEMO_TERRITORY}» или «{DEMO_ORGANISATION}».")
    identity = session.scalar(select(ExchangeIdentity).limit(1)) or ExchangeIdentity()
    identity.role, identity.territory, identity.organisation = "ministry", territory, organisation
    identity.pkcs12_path = identity.pkcs12_path or ""
    session.add(identity)
    session.flush()
