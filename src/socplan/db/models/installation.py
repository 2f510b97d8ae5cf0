"""Who this database is: the demo or a working database, and for a working one the installation's identity
(Ministry or a district, the organisation's requisites), as key–value rows."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socplan.db.base import Base


class DatabaseInfo(Base):
    __tablename__ = "database_info"
    __label__ = "Сведения о базе данных"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
