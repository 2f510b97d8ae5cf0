"""A database made by the previous version (before row versions and server logins) opens, is upgraded
and keeps its data: every stored value gets version 1 and optimistic locking works on it at once."""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import pytest
from alembic import command
from sqlalchemy import func, select

from socplan.db import migrate
from socplan.db.database import open_database
from socplan.db.models.indicators import IndicatorValue
from socplan.domain.conflicts import ValueConflictError
from socplan.domain.indicators import Period
from socplan.services.context import AppContext, User
from socplan.services.indicators import entry


def _to_previous_version(location) -> int:  # noqa: ANN001
    """Take the server branch off (as a database of the previous version had it); return the value count."""
    db = open_database(location)
    entry.save_sheet(AppContext(db, User("Районов", "")), "ГП", "Тарский муниципальный район", Period(2025),
                     [entry.CellChange("9", "", "fact", D(640))])
    cfg = migrate.alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "server_0002")  # server_0003 (it joins the users branch) off
        command.downgrade(cfg, "server@-2")  # server_0002 and server_0001 off
    assert not {"server_0001", "server_0002", "server_0003"} & migrate.current_revisions(db.engine)
    with db.engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM ind_value").scalar_one()
        columns = [r[0] for r in conn.exec_driver_sql("SELECT * FROM ind_value LIMIT 1").cursor.description]
    assert "version" not in columns
    db.close()
    return count


def _check_upgraded(location, count: int) -> None:  # noqa: ANN001
    db = open_database(location)
    try:
        assert set(db.revisions()) == migrate.script_heads()
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(IndicatorValue)) == count
            assert set(s.scalars(select(IndicatorValue.version).distinct())) == {1}
        ctx = AppContext(db, User("Тестов Тест Тестович", ""))
        sheet = entry.load_sheet(ctx, "ГП", "Тарский муниципальный район", Period(2025))
        key = ("9", "", "fact")
        assert sheet.versions[key] == 1
        row = next(r for r in sheet.rows if r.indicator.code == "9" and not r.component)
        assert row.fact == D(640)
        entry.save_sheet(ctx, "ГП", "Тарский муниципальный район", Period(2025),
                         [entry.CellChange("9", "", "fact", row.fact + 1, seen_version=1, seen=row.fact)])
        with pytest.raises(ValueConflictError):
            entry.save_sheet(ctx, "ГП", "Тарский муниципальный район", Period(2025),
                             [entry.CellChange("9", "", "fact", row.fact + 2, seen_version=1, seen=row.fact)])
    finally:
        db.close()


def test_previous_version_sqlite_file_is_upgraded_keeping_its_values(demo_db_template, tmp_path):  # noqa: ANN001
    path = tmp_path / "old.sqlite"
    shutil.copyfile(demo_db_template, path)
    count = _to_previous_version(path)
    assert count > 1000
    _check_upgraded(path, count)
    assert list((tmp_path / "backups").glob("old-перед-обновлением-*.sqlite"))  # a copy before migrating


def test_previous_version_server_database_is_upgraded_keeping_its_values(pg_server, pg_demo_template):  # noqa: ANN001
    name = "socplan_previous"
    pg_server.drop_database(name)
    pg_server.create_database(name, template=pg_demo_template)
    try:
        count = _to_previous_version(pg_server.url(name))
        assert count > 1000
        _check_upgraded(pg_server.url(name), count)
    finally:
        pg_server.drop_database(name)
