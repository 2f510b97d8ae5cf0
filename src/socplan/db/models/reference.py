"""Reference data: territories, organisations, people, units (OKEI)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base


class Territory(Base):
    __label__ = "Территории"
    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # region | city | district | settlement
    okato: Mapped[str] = mapped_column(String(20), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Territory | None] = relationship(remote_side=[id])


class Organisation(Base):
    __label__ = "Организации"
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("short_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(1000))
    short_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])
    territory: Mapped[Territory | None] = relationship()


class Person(Base):
    __label__ = "Сотрудники"
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(1000), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))

    organisation: Mapped[Organisation | None] = relationship()


class Unit(Base):
    __label__ = "Единицы измерения"
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)  # OKEI
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(50), default="")
