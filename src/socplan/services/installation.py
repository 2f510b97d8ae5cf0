"""Creating a working database on purpose (``socplan db init``, the first-run wizard): who this installation is
(the Ministry or a district), the organisation's requisites, the user; reference data only, no demo records.

The new file is built under a temporary name beside the target and renamed into place only when everything
is written (all or nothing): a failure leaves no half-made database behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from socplan.db.database import Database, DatabaseOpenError, open_database
from socplan.db.models.exchange import ExchangeIdentity
from socplan.db.models.installation import DatabaseInfo
from socplan.db.models.reference import Organisation, Territory
from socplan.domain.errors import ValidationError, ValidationErrors
from socplan.services.context import ProgressCallback, no_progress

#: Who the installation is (value kept in ``database_info.role``) and how it is named on screen.
ROLES = {"ministry": "Министерство", "district": "район"}

REGION = "Омская область"


@dataclass(frozen=True)
class InstallationInput:
    role: str  # ministry | district
    territory: str  # the district (or the city) from the reference list; the region for the Ministry
    org_full_name: str
    org_short_name: str
    user_name: str
    user_position: str
    org_inn: str = ""
    org_address: str = ""
    org_phone: str = ""


@dataclass(frozen=True)
class InstallationInfo:
    kind: str  # demo | working | "" (unknown: an empty or an older database)
    role: str = ""
    role_label: str = ""
    territory: str = ""
    organisation: str = ""

    @property
    def is_demo(self) -> bool:
        return self.kind == "demo"


def reference_territories() -> list[str]:
    """The region's territories in reference order (the region first), read before any database exists."""
    from socplan.services.demo import read_csv

    return [row["name"] for row in read_csv("reference", "territories.csv")]


def validate(data: InstallationInput) -> None:
    errors: list[ValidationError] = []
    if data.role not in ROLES:
        errors.append(ValidationError("role", "Укажите, кто эта установка: Министерство или район."))
    territories = reference_territories()
    if data.role == "district":
        if data.territory not in territories or data.territory == REGION:
            errors.append(ValidationError("territory", f"Территория «{data.territory}» не найдена в справочнике "
                                                       "районов. Выберите район или город Омск из списка."))
    for field, value, label in (("org_full_name", data.org_full_name, "Полное наименование организации"),
                                ("org_short_name", data.org_short_name, "Сокращённое наименование организации"),
                                ("user_name", data.user_name, "ФИО пользователя"),
                                ("user_position", data.user_position, "Должность пользователя")):
        if not (value or "").strip():
            errors.append(ValidationError(field, f"Заполните поле «{label}»."))
    inn = (data.org_inn or "").strip()
    if inn and not (inn.isdigit() and len(inn) in (10, 12)):
        errors.append(ValidationError("org_inn", f"ИНН «{inn}» должен состоять из 10 или 12 цифр."))
    if errors:
        raise ValidationErrors(errors)


def _temporary_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.создание")


def create_working_database(path: Path, data: InstallationInput,
                            progress: ProgressCallback = no_progress) -> Database:
    """Create a new working database at ``path`` (which must not exist) and return it open."""
    validate(data)
    path = Path(path).expanduser().resolve()
    if path.exists() and path.stat().st_size > 0:
        raise DatabaseOpenError(f"Файл «{path}» уже существует. Рабочая база создаётся только в новом файле: "
                                "выберите другое имя или откройте существующую базу.")
    if not path.parent.is_dir():
        raise DatabaseOpenError(f"Папка «{path.parent}» не найдена. Создайте её или выберите другую папку.")
    if not os.access(path.parent, os.W_OK):
        raise DatabaseOpenError(f"В папку «{path.parent}» запрещена запись. Выберите другое место для базы данных.")
    territory = REGION if data.role == "ministry" else data.territory
    tmp = _temporary_path(path)
    _remove(tmp)
    steps = 4
    db = open_database(tmp, create=True, lock=False)
    try:
        progress(1, steps, "Справочники")
        _fill(db, data, territory, progress, steps)
        db.close()
        progress(steps, steps, "Готово")
        os.replace(tmp, path)
    except BaseException:
        db.close()
        _remove(tmp)
        raise
    return open_database(path)


def _fill(db: Database, data: InstallationInput, territory: str, progress: ProgressCallback, steps: int) -> None:
    from socplan.services.demo import load_reference
    from socplan.services.indicators.demo import load_catalogue
    from socplan.services.plans.calendar import ensure_calendar

    with db.session(user_name=data.user_name.strip(), user_position=data.user_position.strip(),
                    reason="Создание рабочей базы") as s:
        load_reference(s, with_people=False)
        ensure_calendar(s)
        progress(2, steps, "Каталог показателей и методики расчёта")
        load_catalogue(s)
        progress(3, steps, "Сведения об организации")
        t = s.scalar(select(Territory).where(Territory.name == territory))
        org = s.scalar(select(Organisation).where(Organisation.short_name == data.org_short_name.strip()))
        if org is None:
            org = Organisation(short_name=data.org_short_name.strip(),
                               kind="ministry" if data.role == "ministry" else "institution", territory=t)
            s.add(org)
        org.full_name = data.org_full_name.strip()
        s.add(ExchangeIdentity(role=data.role, territory=t, organisation=org, pkcs12_path=""))
        info = {"kind": "working", "role": data.role, "territory": territory,
                "organisation": data.org_short_name.strip(), "org_full_name": data.org_full_name.strip(),
                "org_inn": data.org_inn.strip(), "org_address": data.org_address.strip(),
                "org_phone": data.org_phone.strip(), "created_by": data.user_name.strip(),
                "created_by_position": data.user_position.strip()}
        for key, value in info.items():
            s.add(DatabaseInfo(key=key, value=value))
        s.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def installation_info(db: Database) -> InstallationInfo:
    info = db.read_info()
    role = info.get("role", "")
    return InstallationInfo(kind=info.get("kind", ""), role=role, role_label=ROLES.get(role, ""),
                            territory=info.get("territory", ""), organisation=info.get("organisation", ""))


__all__ = ["InstallationInfo", "InstallationInput", "ROLES", "create_working_database", "installation_info",
           "reference_territories", "validate"]
