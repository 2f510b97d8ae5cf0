"""The database layer on a real temporary SQLite file."""

from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from socplan.db import migrate
from socplan.db.base import Base
from socplan.db.models import AuditLog, Organisation, Territory
from socplan.db.types import ExactDecimal, Money


def test_migrated_from_empty_to_every_head(empty_db):
    assert set(empty_db.revisions()) == migrate.script_heads()
    assert "0001" in migrate.known_revisions()


def test_models_match_the_migrated_schema(empty_db):
    with empty_db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diffs == []


@pytest.mark.sqlite_only(reason="SQLite connection PRAGMAs (WAL, synchronous, busy timeout)")
def test_connection_pragmas(empty_db):
    with empty_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


@pytest.fixture
def decimal_table(empty_db):
    md = MetaData()
    table = Table("t_decimal", md, Column("id", Integer, primary_key=True), Column("money", Money),
                  Column("value", ExactDecimal))
    md.create_all(empty_db.engine)
    return table


@pytest.mark.parametrize("value", ["9999999999999999.99", "0.01", "-12.30", "0.00"])
def test_money_round_trips_exactly(empty_db, decimal_table, value):
    with empty_db.engine.begin() as conn:
        conn.execute(insert(decimal_table), {"money": Decimal(value)})
        assert conn.execute(select(decimal_table.c.money)).scalar() == Decimal(value)


@pytest.mark.parametrize("value", ["1.005", "0.0855", "9999999999999999.99", "-0.000001"])
def test_exact_decimal_round_trips(empty_db, decimal_table, value):
    with empty_db.engine.begin() as conn:
        conn.execute(insert(decimal_table), {"value": Decimal(value)})
        assert conn.execute(select(decimal_table.c.value)).scalar() == Decimal(value)


def test_money_sum_in_sql_keeps_kopecks(empty_db, decimal_table):
    with empty_db.engine.begin() as conn:
        conn.execute(insert(decimal_table), [{"money": Decimal("0.10")}] * 10 + [{"money": Decimal("9999999999999.99")}])
        total = conn.execute(select(func.sum(decimal_table.c.money))).scalar()
    assert total == Decimal("10000000000000.99")  # summed as integer kopecks in SQL


def test_money_refuses_implicit_rounding(empty_db, decimal_table):
    with pytest.raises(Exception, match="округлите"):
        with empty_db.engine.begin() as conn:
            conn.execute(insert(decimal_table), {"money": Decimal("1.005")})


def test_audit_log_written_in_the_same_transaction(ctx):
    with ctx.uow(reason="проверка") as s:
        t = Territory(name="Тестовый район", kind="district")
        s.add(t)
        s.commit()
        t.name = "Переименованный район"
        s.commit()
        tid = t.id
    with ctx.uow() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.entity == "territory").order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["insert", "update"]
    update = rows[1]
    assert (update.field, update.old, update.new) == ("name", "Тестовый район", "Переименованный район")
    assert update.user_name == "Тестов Тест Тестович" and update.reason == "проверка"
    assert update.entity_id == str(tid)


def test_audit_rows_roll_back_with_the_change(ctx):
    with ctx.uow() as s:
        s.add(Organisation(full_name="Полное", short_name="Кратко", kind="other"))
        s.flush()
        s.rollback()
    with ctx.uow() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0


def test_foreign_keys_are_enforced(ctx):
    from sqlalchemy.exc import IntegrityError

    with ctx.uow() as s:
        s.add(Organisation(full_name="X", short_name="X", kind="other", territory_id=999))
        with pytest.raises(IntegrityError):
            s.flush()
