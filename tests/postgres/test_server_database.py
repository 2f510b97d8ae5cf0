"""A shared database on a real PostgreSQL server: opening by address, refusals, copy both ways, pg_dump."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from socplan.app import main
from socplan.db.database import DatabaseOpenError, open_database
from socplan.db.migrate import script_heads


@pytest.fixture
def fresh_pg(pg_server):  # noqa: ANN001, ANN201
    """An empty database (no schema) on the test server; its address."""
    name = "socplan_fresh"
    pg_server.drop_database(name)
    pg_server.create_database(name)
    yield pg_server.url(name)
    pg_server.drop_database(name)


def test_cli_creates_and_checks_the_schema_on_the_server(fresh_pg, capsys):  # noqa: ANN001
    assert main(["--db", fresh_pg, "db", "upgrade", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["database"] == fresh_pg and out["revisions"] == sorted(script_heads())
    assert main(["--db", fresh_pg, "db", "check"]) == 0
    assert f"База данных {fresh_pg} в порядке" in capsys.readouterr().out


def test_a_password_in_the_address_is_refused(pg_server, capsys):  # noqa: ANN001
    url = pg_server.url("postgres").replace("postgres@", "postgres:secret@")
    with pytest.raises(DatabaseOpenError, match="Пароль в адресе базы данных не указывается.*PGPASSWORD.*pgpass"):
        open_database(url)
    assert main(["--db", url, "db", "check"]) == 1
    err = capsys.readouterr().err
    assert "secret" not in err and "Пароль в адресе" in err


def test_unreachable_server_is_a_russian_message(pg_server):  # noqa: ANN001
    url = f"postgresql://nobody@127.0.0.1:{pg_server.port}/no_such_database"
    with pytest.raises(DatabaseOpenError, match="Не удалось подключиться к базе «postgresql://nobody@127.0.0.1"):
        open_database(url)


def test_a_database_of_another_program_is_left_alone(pg_server, fresh_pg):  # noqa: ANN001
    import psycopg

    with psycopg.connect(fresh_pg.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("CREATE TABLE accounts (id int)")
    with pytest.raises(DatabaseOpenError, match="принадлежит другой программе"):
        open_database(fresh_pg)
    with psycopg.connect(fresh_pg, autocommit=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
    assert tables == {"accounts"}


def test_exact_values_survive_the_server(empty_db):  # noqa: ANN001
    """The PITFALLS figures: 9 999 999 999 999 999,99 ₽ and an indicator value 0,0855 come back exactly."""
    from socplan.db.types import ExactDecimal, Money

    with empty_db.engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE t (m BIGINT, d VARCHAR(64))"))
        m, d = Money(), ExactDecimal()
        dialect = conn.dialect
        conn.execute(text("INSERT INTO t VALUES (:m, :d)"),
                     {"m": m.process_bind_param(Decimal("9999999999999999.99"), dialect),
                      "d": d.process_bind_param(Decimal("0.0855"), dialect)})
        row = conn.execute(text("SELECT m, d FROM t")).one()
    assert m.process_result_value(row[0], None) == Decimal("9999999999999999.99")
    assert d.process_result_value(row[1], None) == Decimal("0.0855")


def test_copy_sqlite_to_server_and_back_keeps_every_row(pg_server, fresh_pg, demo_db_template, tmp_path, capsys):  # noqa: ANN001
    """Demo file → server → new file: every table has the same count and SHA-256 on both sides."""
    assert main(["db", "copy", str(demo_db_template), fresh_pg, "--json"]) == 0
    there = json.loads(capsys.readouterr().out)
    assert there["ok"] is True
    by_table = {t["table"]: t for t in there["tables"]}
    assert by_table["territory"]["target_rows"] == 34
    assert all(t["source_sha256"] == t["target_sha256"] for t in there["tables"])

    back = tmp_path / "back.sqlite"
    assert main(["db", "copy", fresh_pg, str(back)]) == 0
    out = capsys.readouterr().out
    assert "количество строк и контрольные суммы всех таблиц совпадают" in out
    assert "territory: 34 → 34 строк, контрольная сумма совпадает" in out

    # the copy on the server is a working database: new rows get fresh ids after the copied ones
    from socplan.db.models import Territory

    db = open_database(fresh_pg)
    try:
        with db.session() as s:
            before = s.scalar(select(Territory.id).order_by(Territory.id.desc()).limit(1))
            s.add(Territory(name="Новый район", kind="district"))
            s.commit()
            after = s.scalar(select(Territory.id).order_by(Territory.id.desc()).limit(1))
        assert after == before + 1
    finally:
        db.close()


def test_copy_refuses_a_target_that_is_not_empty(fresh_pg, demo_db_template, capsys):  # noqa: ANN001
    assert main(["db", "copy", str(demo_db_template), fresh_pg]) == 0
    capsys.readouterr()
    assert main(["db", "copy", str(demo_db_template), fresh_pg]) == 1
    assert "не пуста (есть записи в таблицах: " in capsys.readouterr().err


def test_backup_on_the_server_uses_pg_dump_and_says_so(pg_server, fresh_pg, tmp_path, capsys):  # noqa: ANN001
    assert main(["--db", fresh_pg, "db", "upgrade"]) == 0
    target = tmp_path / "server.dump"
    assert main(["--db", fresh_pg, "db", "backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert "сделана программой pg_dump" in out and str(target) in out
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_restore_from_a_copy_is_left_to_the_server_administrator(fresh_pg, tmp_path):  # noqa: ANN001
    from socplan.services import maintenance

    db = open_database(fresh_pg)
    try:
        with pytest.raises(DatabaseOpenError, match="восстанавливает администратор сервера.*pg_restore"):
            maintenance.restore_from_backup(db, tmp_path / "copy.dump")
        assert db.revisions() == sorted(script_heads())  # still open and untouched
    finally:
        db.close()
