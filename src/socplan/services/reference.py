"""Reference data use cases: territories, organisations, people, units.

Rows go out as frozen dataclasses; input is validated by ``domain.reference``; a delete that would break
a reference is refused with a message naming where the record is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from socplan.db.base import Base
from socplan.db.models.reference import Organisation, Person, Territory, Unit
from socplan.domain import reference as rules
from socplan.domain.errors import InUseError, NotFoundError, ValidationError, ValidationErrors
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext


@dataclass(frozen=True)
class TerritoryRow:
    id: int
    name: str
    kind: str
    kind_label: str
    okato: str
    parent_id: int | None
    parent_name: str


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    full_name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    parent_short_name: str
    territory_id: int | None
    territory_name: str


@dataclass(frozen=True)
class PersonRow:
    id: int
    last_name: str
    first_name: str
    middle_name: str
    full_name: str
    initials_surname: str
    position: str
    organisation_id: int | None
    organisation_short_name: str


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    short_name: str


def _territory_row(t: Territory) -> TerritoryRow:
    return TerritoryRow(t.id, t.name, t.kind, rules.TERRITORY_KINDS.get(t.kind, t.kind), t.okato,
                        t.parent_id, t.parent.name if t.parent else "")


def _organisation_row(o: Organisation) -> OrganisationRow:
    return OrganisationRow(o.id, o.full_name, o.short_name, o.kind, rules.ORGANISATION_KINDS.get(o.kind, o.kind),
                           o.parent_id, o.parent.short_name if o.parent else "",
                           o.territory_id, o.territory.name if o.territory else "")


def _person_row(p: Person) -> PersonRow:
    return PersonRow(p.id, p.last_name, p.first_name, p.middle_name,
                     rules.full_name(p.last_name, p.first_name, p.middle_name),
                     rules.initials_surname(p.last_name, p.first_name, p.middle_name),
                     p.position, p.organisation_id, p.organisation.short_name if p.organisation else "")


def _unit_row(u: Unit) -> UnitRow:
    return UnitRow(u.id, u.code, u.name, u.short_name)


# ---------------------------------------------------------------- listing

def list_territories(ctx: AppContext) -> list[TerritoryRow]:
    with ctx.uow() as s:
        return [_territory_row(t) for t in s.scalars(select(Territory).order_by(Territory.sort_order, Territory.name))]


def list_organisations(ctx: AppContext) -> list[OrganisationRow]:
    with ctx.uow() as s:
        return [_organisation_row(o) for o in s.scalars(select(Organisation).order_by(Organisation.short_name))]


def list_people(ctx: AppContext) -> list[PersonRow]:
    with ctx.uow() as s:
        return [_person_row(p) for p in s.scalars(select(Person).order_by(Person.last_name, Person.first_name))]


def list_units(ctx: AppContext) -> list[UnitRow]:
    with ctx.uow() as s:
        return [_unit_row(u) for u in s.scalars(select(Unit).order_by(Unit.code))]


# ---------------------------------------------------------------- usage (delete protection)

def _label(table_name: str) -> str:
    for mapper in Base.registry.mappers:
        if mapper.local_table is not None and mapper.local_table.name == table_name:
            return getattr(mapper.class_, "__label__", table_name)
    return table_name


def usages(session: Session, model: type[Base], record_id: int) -> list[tuple[str, int]]:
    """Where a record is referenced: (human name of the referencing table, number of rows)."""
    target = model.__table__
    found: list[tuple[str, int]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target:
                count = session.scalar(select(func.count()).select_from(table).where(fk.parent == record_id))
                if count:
                    found.append((_label(table.name), int(count)))
    return found


def _delete(ctx: AppContext, model: type[Base], record_id: int, what: str) -> None:
    with ctx.uow(reason=f"Удаление: {what}") as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise NotFoundError(f"{what} не найдена: возможно, её уже удалили. Обновите список.")
        used = usages(s, model, record_id)
        if used:
            places = "; ".join(f"«{label}» — {count}" for label, count in used)
            raise InUseError(f"Нельзя удалить: запись используется ({places}). Сначала измените или удалите эти записи.")
        s.delete(obj)
        s.commit()


# ---------------------------------------------------------------- territories

def save_territory(ctx: AppContext, data: rules.TerritoryInput, record_id: int | None = None) -> TerritoryRow:
    require(ctx, Action.EDIT_REFERENCE)
    rules.validate_territory(data)
    with ctx.uow() as s:
        duplicate = s.scalar(select(Territory).where(Territory.name == data.name.strip(), Territory.id != (record_id or 0)))
        if duplicate:
            raise ValidationErrors([ValidationError("name", f"Территория «{data.name}» уже есть в справочнике.")])
        obj = s.get(Territory, record_id) if record_id else Territory(sort_order=0)
        if obj is None:
            raise NotFoundError("Территория не найдена: возможно, её удалили. Обновите список.")
        obj.name, obj.kind, obj.okato, obj.parent_id = data.name.strip(), data.kind, data.okato.strip(), data.parent_id
        s.add(obj)
        s.commit()
        return _territory_row(obj)


def delete_territory(ctx: AppContext, record_id: int) -> None:
    require(ctx, Action.EDIT_REFERENCE)
    _delete(ctx, Territory, record_id, "Территория")


# ---------------------------------------------------------------- organisations

def save_organisation(ctx: AppContext, data: rules.OrganisationInput, record_id: int | None = None) -> OrganisationRow:
    require(ctx, Action.EDIT_REFERENCE)
    rules.validate_organisation(data)
    with ctx.uow() as s:
        duplicate = s.scalar(select(Organisation).where(
            Organisation.short_name == data.short_name.strip(), Organisation.id != (record_id or 0)))
        if duplicate:
            raise ValidationErrors([ValidationError(
                "short_name", f"Сокращённое наименование «{data.short_name}» уже занято организацией "
                f"«{duplicate.full_name}». Сокращения должны различаться.")])
        if record_id and data.parent_id == record_id:
            raise ValidationErrors([ValidationError("parent_id", "Организация не может быть вышестоящей сама для себя.")])
        obj = s.get(Organisation, record_id) if record_id else Organisation()
        if obj is None:
            raise NotFoundError("Организация не найдена: возможно, её удалили. Обновите список.")
        obj.full_name, obj.short_name = data.full_name.strip(), data.short_name.strip()
        obj.kind, obj.parent_id, obj.territory_id = data.kind, data.parent_id, data.territory_id
        s.add(obj)
        s.commit()
        return _organisation_row(obj)


def delete_organisation(ctx: AppContext, record_id: int) -> None:
    require(ctx, Action.EDIT_REFERENCE)
    _delete(ctx, Organisation, record_id, "Организация")


# ---------------------------------------------------------------- people

def save_person(ctx: AppContext, data: rules.PersonInput, record_id: int | None = None) -> PersonRow:
    require(ctx, Action.EDIT_REFERENCE)
    rules.validate_person(data)
    with ctx.uow() as s:
        obj = s.get(Person, record_id) if record_id else Person()
        if obj is None:
            raise NotFoundError("Сотрудник не найден: возможно, запись удалили. Обновите список.")
        obj.last_name, obj.first_name = data.last_name.strip(), data.first_name.strip()
        obj.middle_name, obj.position = data.middle_name.strip(), data.position.strip()
        obj.organisation_id = data.organisation_id
        s.add(obj)
        s.commit()
        return _person_row(obj)


def delete_person(ctx: AppContext, record_id: int) -> None:
    require(ctx, Action.EDIT_REFERENCE)
    _delete(ctx, Person, record_id, "Запись о сотруднике")


# ---------------------------------------------------------------- units

def save_unit(ctx: AppContext, data: rules.UnitInput, record_id: int | None = None) -> UnitRow:
    require(ctx, Action.EDIT_REFERENCE)
    rules.validate_unit(data)
    with ctx.uow() as s:
        duplicate = s.scalar(select(Unit).where(Unit.code == data.code.strip(), Unit.id != (record_id or 0)))
        if duplicate:
            raise ValidationErrors([ValidationError("code", f"Код ОКЕИ {data.code} уже есть: «{duplicate.name}».")])
        obj = s.get(Unit, record_id) if record_id else Unit()
        if obj is None:
            raise NotFoundError("Единица измерения не найдена: возможно, её удалили. Обновите список.")
        obj.code, obj.name, obj.short_name = data.code.strip(), data.name.strip(), data.short_name.strip()
        s.add(obj)
        s.commit()
        return _unit_row(obj)


def delete_unit(ctx: AppContext, record_id: int) -> None:
    require(ctx, Action.EDIT_REFERENCE)
    _delete(ctx, Unit, record_id, "Единица измерения")


# ---------------------------------------------------------------- lookups used by other capabilities

def organisation_by_short_name(session: Session, short_name: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.short_name == short_name))


def territory_by_name(session: Session, name: str) -> Territory | None:
    return session.scalar(select(Territory).where(Territory.name == name))


def unit_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code))


def get_or_create_organisation(session: Session, full_name: str, short_name: str, kind: str = "other",
                               parent: Organisation | None = None) -> Organisation:
    """Demo loaders and imports share organisations by short name."""
    org = organisation_by_short_name(session, short_name)
    if org is None:
        org = Organisation(full_name=full_name, short_name=short_name, kind=kind, parent=parent)
        session.add(org)
        session.flush()
    return org
