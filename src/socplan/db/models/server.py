"""Server logins of a shared PostgreSQL database: who a login is and which territory binds it.

Row-level security policies (migration ``server_0002``) read this table through ``session_user``: a
login bound to a territory sees and changes only that territory's indicator values and form states.
On a SQLite file the table exists but stays empty.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from socplan.db.base import Base


class ServerLogin(Base):
    __tablename__ = "srv_login"
    __label__ = "Учётные записи сервера"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)  # PostgreSQL role name
    user_name: Mapped[str] = mapped_column(String(255), default="")  # ФИО for the journal
    position: Mapped[str] = mapped_column(String(500), default="")
    role: Mapped[str] = mapped_column(String(30), default="")  # district officer, analyst, secretary, admin
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    #: the application user this login is (migration server_0003): role and territory are the user's
    user_id: Mapped[int | None] = mapped_column(Integer)  # app_user.id (no FK: the users table is on another branch)


__all__ = ["ServerLogin"]
