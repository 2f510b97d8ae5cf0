"""Rules for reference data: territories, organisations, people, units."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socplan.domain.errors import ValidationError, ValidationErrors

TERRITORY_KINDS = {
    "region": "Субъект РФ",
    "city": "Городской округ",
    "district": "Муниципальный район",
    "settlement": "Поселение",
}

ORGANISATION_KINDS = {
    "ministry": "Орган исполнительной власти",
    "local_government": "Орган местного самоуправления",
    "institution": "Учреждение",
    "ngo": "Некоммерческая организация",
    "other": "Иная организация",
}

_OKEI = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class OrganisationInput:
    full_name: str
    short_name: str
    kind: str = "other"
    parent_id: int | None = None
    territory_id: int | None = None


@dataclass(frozen=True)
class PersonInput:
    last_name: str
    first_name: str
    middle_name: str = ""
    position: str = ""
    organisation_id: int | None = None


@dataclass(frozen=True)
class TerritoryInput:
    name: str
    kind: str
    okato: str = ""
    parent_id: int | None = None


def _require(errors: list[ValidationError], field: str, value: str, label: str) -> None:
    if not (value or "").strip():
        errors.append(ValidationError(field, f"Заполните поле «{label}»."))


def validate_unit(unit: UnitInput) -> None:
    """OKEI unit: a three-digit code and a name."""
    errors: list[ValidationError] = []
    if not _OKEI.match((unit.code or "").strip()):
        errors.append(ValidationError("code", "Код ОКЕИ должен состоять из трёх цифр, например 796 (штука)."))
    _require(errors, "name", unit.name, "Наименование")
    if errors:
        raise ValidationErrors(errors)


def validate_organisation(org: OrganisationInput) -> None:
    errors: list[ValidationError] = []
    _require(errors, "full_name", org.full_name, "Полное наименование")
    _require(errors, "short_name", org.short_name, "Сокращённое наименование")
    if org.kind not in ORGANISATION_KINDS:
        errors.append(ValidationError("kind", "Выберите вид организации из списка."))
    if errors:
        raise ValidationErrors(errors)


def validate_person(person: PersonInput) -> None:
    errors: list[ValidationError] = []
    _require(errors, "last_name", person.last_name, "Фамилия")
    _require(errors, "first_name", person.first_name, "Имя")
    if errors:
        raise ValidationErrors(errors)


def validate_territory(territory: TerritoryInput) -> None:
    errors: list[ValidationError] = []
    _require(errors, "name", territory.name, "Наименование")
    if territory.kind not in TERRITORY_KINDS:
        errors.append(ValidationError("kind", "Выберите вид территории из списка."))
    if errors:
        raise ValidationErrors(errors)


def initials_surname(last_name: str, first_name: str, middle_name: str = "") -> str:
    """«И.П. Варнавская»: initials without a space between them, NBSP before the surname."""
    initials = "".join(f"{part[0]}." for part in (first_name, middle_name) if part)
    return f"{initials}\u00a0{last_name}" if initials else last_name


def initials_surname_of(full_name: str) -> str:
    """«Тестов Тест Тестович» → «Т.Т. Тестов» (:func:`initials_surname`); a surname alone («Иванова») stays as
    written; an empty name stays empty."""
    parts = full_name.split()
    return initials_surname(*parts[:3]) if len(parts) >= 2 else " ".join(parts)


def surname_initials(last_name: str, first_name: str, middle_name: str = "") -> str:
    """«Варнавская И.П.»."""
    initials = "".join(f"{part[0]}." for part in (first_name, middle_name) if part)
    return f"{last_name}\u00a0{initials}" if initials else last_name


def full_name(last_name: str, first_name: str, middle_name: str = "") -> str:
    return " ".join(p for p in (last_name, first_name, middle_name) if p)
