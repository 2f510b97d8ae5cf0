"""Every model module is imported here so that ``Base.metadata`` is complete (Alembic, tests)."""

from socplan.db.models import (  # noqa: F401
    audit,
    cycle,
    exchange,
    indicators,
    installation,
    plans,
    protocols,
    reference,
    reports,
    server,
    subsidies,
)
from socplan.db.models.audit import AuditLog
from socplan.db.models.reference import Organisation, Person, Territory, Unit

__all__ = ["AuditLog", "Organisation", "Person", "Territory", "Unit"]
