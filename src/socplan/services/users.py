"""Users of a database: add, change, deactivate, list; choose who works (CLI ``--user``, the window at start).

Only an administrator manages users — except the very first user of a database, who must be an
administrator (somebody has to be able to add the others).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from socplan.db.database import Database
from socplan.db.models.cycle import AppUser
from socplan.db.models.reference import Territory
from socplan.domain.errors import ConflictError, NotFoundError, ValidationError
from socplan.domain.roles import Action, Role
from socplan.services.context import AppContext, User
from socplan.services.permissions import require


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    position: str
    role: Role
    territory: str
    active: bool

    @property
    def role_label(self) -> str:
        return self.role.label

    def as_user(self, territory_id: int | None) -> User:
        return User(self.name, self.position, self.role, territory_id, self.territory, self.id)


def _row(u: AppUser, territory: str) -> UserRow:
    return UserRow(u.id, u.name, u.position, Role(u.role), territory, u.active)


def _territory_id(s: Session, role: Role, territory: str | None) -> int | None:
    if role is not Role.DISTRICT:
        if territory:
            raise ValidationError("territory", "Территория указывается только для специалиста района: сотрудники "
                                  "Министерства работают со всеми территориями.")
        return None
    if not territory:
        raise ValidationError("territory", "Укажите территорию специалиста района (--territory «Любинский район»).")
    t = s.scalar(select(Territory).where(Territory.name == territory))
    if t is None:
        raise NotFoundError(f"Территория «{territory}» не найдена в справочнике. Проверьте название.")
    if t.kind == "region":
        raise ValidationError("territory", "Специалист района привязывается к району или городу, а не к области.")
    return t.id


def has_users(db: Database) -> bool:
    from sqlalchemy import inspect

    if not inspect(db.engine).has_table(AppUser.__tablename__):  # a database opened without migrating
        return False
    with db.session() as s:
        return bool(s.scalar(select(func.count()).select_from(AppUser)))


def list_users(ctx: AppContext, include_inactive: bool = False) -> list[UserRow]:
    with ctx.uow() as s:
        stmt = (select(AppUser, Territory.name).outerjoin(Territory, Territory.id == AppUser.territory_id)
                .order_by(AppUser.name))
        if not include_inactive:
            stmt = stmt.where(AppUser.active.is_(True))
        return [_row(u, t or "") for u, t in s.execute(stmt)]


def add_user(ctx: AppContext, name: str, position: str, role: Role, territory: str | None = None) -> UserRow:
    name, position = " ".join(name.split()), position.strip()
    if not name:
        raise ValidationError("name", "Укажите ФИО пользователя.")
    with ctx.uow(reason=f"Добавлен пользователь {name}") as s:
        first = not s.scalar(select(func.count()).select_from(AppUser))
        if first:
            if role is not Role.ADMINISTRATOR:
                raise ValidationError("role", "Первым пользователем базы должен быть администратор: он добавит "
                                      "остальных.")
        else:
            require(ctx, Action.MANAGE_USERS)
        if s.scalar(select(AppUser).where(AppUser.name == name)) is not None:
            raise ConflictError(f"Пользователь «{name}» уже есть. Выберите другое написание ФИО.")
        territory_id = _territory_id(s, role, territory)
        user = AppUser(name=name, position=position, role=role.value, territory_id=territory_id, active=True)
        s.add(user)
        s.commit()
        return _row(user, territory or "")


def change_user(ctx: AppContext, name: str, *, position: str | None = None, role: Role | None = None,
                territory: str | None = None, active: bool | None = None) -> UserRow:
    require(ctx, Action.MANAGE_USERS)
    with ctx.uow(reason=f"Изменён пользователь {name}") as s:
        user = s.scalar(select(AppUser).where(AppUser.name == name))
        if user is None:
            raise NotFoundError(f"Пользователь «{name}» не найден. Список: socplan users list.")
        new_role = role or Role(user.role)
        if position is not None:
            user.position = position.strip()
        if role is not None or territory is not None:
            current = s.get(Territory, user.territory_id).name if user.territory_id else None
            user.territory_id = _territory_id(s, new_role, territory if territory is not None else
                                              (current if new_role is Role.DISTRICT else None))
            user.role = new_role.value
        if active is not None:
            user.active = active
        s.flush()
        admins = s.scalar(select(func.count()).select_from(AppUser).where(
            AppUser.role == Role.ADMINISTRATOR.value, AppUser.active.is_(True)))
        if not admins:
            raise ConflictError("Должен остаться хотя бы один действующий администратор.")
        s.commit()
        t = s.get(Territory, user.territory_id).name if user.territory_id else ""
        return _row(user, t)


def user_for(db: Database, name: str) -> User:
    """The registered, active user called ``name`` as the services' User (role and territory from the table)."""
    with db.session() as s:
        found = s.execute(select(AppUser, Territory.name).outerjoin(Territory, Territory.id == AppUser.territory_id)
                          .where(AppUser.name == " ".join(name.split()))).first()
        if found is None:
            known = ", ".join(s.scalars(select(AppUser.name).where(AppUser.active.is_(True)).order_by(AppUser.name)))
            raise NotFoundError(f"Пользователь «{name}» не зарегистрирован в этой базе. Пользователи: {known}.")
        u, territory = found
        if not u.active:
            raise ConflictError(f"Пользователь «{u.name}» отключён администратором.")
        return User(u.name, u.position, Role(u.role), u.territory_id, territory or "", u.id)


def resolve_user(db: Database, name: str, position: str = "") -> User:
    """Who works on ``db``: without registered users — the implicit administrator named ``name`` (a database
    of the previous version, the demo); with users — the registered user ``name`` (required)."""
    if not has_users(db):
        return User(name, position)
    if not name.strip():
        raise ValidationError("user", "В базе зарегистрированы пользователи: укажите, кто работает "
                              "(в командной строке — --user «ФИО»; в окне пользователь выбирается при запуске).")
    return user_for(db, name)


__all__ = ["UserRow", "has_users", "list_users", "add_user", "change_user", "user_for", "resolve_user"]
