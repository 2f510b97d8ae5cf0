"""Demo database: reference data, then each capability's data from the source documents.

Every loader reads readable files under ``resources/demo/`` (CSV/JSON), never a binary database.
The demo lives in its own file (``settings.demo_db_path()``) and is marked ``database_info.kind = demo``:
demo data are never loaded into a working database.
"""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.database import Database, DatabaseOpenError, open_database
from socplan.db.models.installation import DatabaseInfo
from socplan.db.models.reference import Organisation, Person, Territory, Unit
from socplan.resources import resource_path
from socplan.services.context import ProgressCallback, no_progress

#: Capability loaders in dependency order; each module has ``load_demo(session)``.
CAPABILITY_LOADERS = (
    "socplan.services.indicators.demo",
    "socplan.services.plans.demo",
    "socplan.services.protocols.demo",
    "socplan.services.subsidies.demo",
    "socplan.services.exchange.demo",
    "socplan.services.cycle.demo",
)


#: What the progress bar says while a capability's demo data load.
STEP_LABELS = {
    "indicators": "Показатели и государственная программа",
    "plans": "Планы мероприятий",
    "protocols": "Протоколы и поручения",
    "subsidies": "Субсидии",
    "exchange": "Обмен пакетами",
    "cycle": "Сроки сдачи отчётности",
}


def read_csv(*parts: str) -> list[dict[str, str]]:
    with open(resource_path("demo", *parts), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


#: The audit-log reason of the demo loading (the migration ``setup_0001`` recognises older demo databases by it).
DEMO_REASON = "Загрузка демонстрационных данных"


def load_reference(session: Session, *, with_people: bool = True) -> None:
    """Territories, organisations and units (reference data of the region); the demo adds its people."""
    territories: dict[str, Territory] = {}
    for order, row in enumerate(read_csv("reference", "territories.csv")):
        t = Territory(name=row["name"], kind=row["kind"], sort_order=order,
                      parent=territories.get(row["parent"]))
        territories[t.name] = t
        session.add(t)
    orgs: dict[str, Organisation] = {}
    for row in read_csv("reference", "organisations.csv"):
        o = Organisation(full_name=row["full_name"], short_name=row["short_name"], kind=row["kind"],
                         parent=orgs.get(row["parent"]), territory=territories.get(row["territory"]))
        orgs[o.short_name] = o
        session.add(o)
    for row in read_csv("reference", "units.csv"):
        session.add(Unit(code=row["code"], name=row["name"], short_name=row["short_name"]))
    for row in read_csv("reference", "people.csv") if with_people else ():
        session.add(Person(last_name=row["last_name"], first_name=row["first_name"], middle_name=row["middle_name"],
                           position=row["position"], organisation=orgs.get(row["organisation"])))
    session.flush()


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return s.scalar(select(Territory.id).limit(1)) is None


def load_demo(db: Database, progress: ProgressCallback = no_progress) -> None:
    """Load all demo data in one transaction (all or nothing) into an empty database, and mark it as the demo."""
    if not is_empty(db) and not db.is_demo:
        raise DatabaseOpenError(f"База «{db.path.name}» уже содержит данные: демонстрационные данные загружаются "
                                "только в новую демонстрационную базу.")
    steps = 1 + len(CAPABILITY_LOADERS)
    with db.session(user_name="СоцПлан", reason=DEMO_REASON) as s:
        progress(0, steps, "Справочники")
        s.merge(DatabaseInfo(key="kind", value="demo"))
        load_reference(s)
        for done, module_name in enumerate(CAPABILITY_LOADERS, start=1):
            capability = module_name.rsplit(".", 2)[-2]
            progress(done, steps, STEP_LABELS.get(capability, capability))
            importlib.import_module(module_name).load_demo(s)
            s.flush()
        s.commit()
    db.is_demo = True
    progress(steps, steps, "Образцы отчётов")
    load_sample_reports(db)
    progress(steps, steps, "Готово")


def load_sample_reports(db: Database) -> None:
    """Two documents of the source material, generated and recorded in the journal of reports:
    «Информация об исполнении решений Координационного совета» (seed 000) and the НОК plan (seed 001)."""
    from socplan.services.context import AppContext, User
    from socplan.services.plans.plans import list_plans
    from socplan.services.plans.reports import plan_document
    from socplan.services.protocols.bodies import list_bodies
    from socplan.services.protocols.printing import build_execution_report

    ctx = AppContext(db, User("СоцПлан (демонстрационные данные)", ""))
    council = next((b for b in list_bodies(ctx) if b.name.startswith("Координационный совет")), None)
    if council is not None:
        build_execution_report(ctx, council.id, "pdf")
    plan = next((p for p in list_plans(ctx) if "независимой оценки" in p.title), None)
    if plan is not None:
        plan_document(ctx, plan.id)


def open_demo(path: Path, progress: ProgressCallback = no_progress) -> Database:
    """Open the demo database file, creating and filling it when it does not exist yet (the first start)."""
    db = open_database(path, create=True)
    try:
        if is_empty(db):
            load_demo(db, progress)
        elif not db.is_demo:
            raise DatabaseOpenError(f"Файл «{path}» — рабочая база, а не демонстрационная. Откройте его как "
                                    "рабочую базу («Файл → Открыть базу данных…»).")
    except BaseException:
        db.close()
        raise
    return db


def reset_demo(path: Path, progress: ProgressCallback = no_progress) -> Database:
    """Rebuild the demo database at ``path`` (the old file is backed up next to it first).

    The new database is built in a temporary file beside the old one and only then put in its place, so a
    failure on the way (a full disk above all) leaves the old database as it was. A working database is never
    replaced by the demo.
    """
    import os

    from socplan.db.engine import DiskFullError, disk_full_message

    path = Path(path)
    fresh = path.with_name(f".{path.name}.новая")
    _remove_with_journals(fresh)
    if path.exists() and path.stat().st_size > 0:
        old = open_database(path)  # migrating marks a demo made by an earlier version as the demo
        try:
            if not old.is_demo and not is_empty_file(old):
                raise DatabaseOpenError(f"«{path.name}» — рабочая база, а не демонстрационная: её нельзя заменить "
                                        "демонстрационными данными. Укажите другой файл (или не указывайте --db).")
            from socplan.db.backup import default_backup_dir
            from socplan.db.database import timestamp

            old.backup(default_backup_dir(old.path) / f"{path.stem}-перед-сбросом-{timestamp()}.sqlite")
        finally:
            old.close()
    try:
        db = open_database(fresh, lock=False, create=True)
        try:
            load_demo(db, progress)
        finally:
            db.close()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.replace(fresh, path)
    except DiskFullError as exc:
        _remove_with_journals(fresh)
        raise DiskFullError(disk_full_message(path.name)) from exc
    except BaseException:
        _remove_with_journals(fresh)
        raise
    _remove_with_journals(fresh)
    return open_database(path)


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def is_empty_file(db: Database) -> bool:
    """No schema or no reference data yet (an old, never filled file)."""
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        if not inspect(conn).has_table("territory"):
            return True
    return is_empty(db)
