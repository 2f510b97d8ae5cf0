"""Bulk inserts through the driver (``db/bulk_insert.py``): the rows arrive exactly as Core would write them (exact
decimals as canonical text, constants rendered by the dialect, ids as reserved), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from socplan.db.bulk_insert import insert_rows, reserve_ids
from socplan.db.models.exchange import ExchangeRecord
from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory


def _catalogue(conn) -> tuple[int, int]:  # noqa: ANN001
    t = conn.execute(insert(Territory.__table__).values(name="Тарский муниципальный район", kind="district")
                     .returning(Territory.__table__.c.id)).scalar()
    f = conn.execute(insert(IndicatorForm.__table__).values(code="Ф-1", name="Форма", territorial=True)
                     .returning(IndicatorForm.__table__.c.id)).scalar()
    i = conn.execute(insert(Indicator.__table__).values(form_id=f, code="1", name="Показатель", decimals=1)
                     .returning(Indicator.__table__.c.id)).scalar()
    return t, i


def test_rows_with_reserved_ids_read_back_as_written(empty_db):  # noqa: ANN001
    """Three values written with ids reserved for them: each id holds its own row, the decimals come back exact
    (0.0855, 1.005, 9999999999999999.99), and the next row inserted the ordinary way gets the next free id."""
    t = IndicatorValue.__table__
    with empty_db.engine.begin() as conn:
        territory, indicator = _catalogue(conn)
        conn.execute(insert(t), [{"indicator_id": indicator, "territory_id": territory, "year": 2024,
                                  "period_kind": "year", "period_no": 0, "kind": "fact", "value": Decimal("1")}])
        values = [Decimal("0.0855"), Decimal("1.005"), Decimal("9999999999999999.99")]
        ids = list(reserve_ids(conn, t, 3))
        columns = ("id", "indicator_id", "component", "territory_id", "year", "period_kind", "period_no", "kind",
                   "value", "qualifier", "comment")
        written = insert_rows(conn, t, columns, [
            (new_id, indicator, "", territory, 2025, "month", month, "fact", value, "", f"месяц {month}")
            for month, (new_id, value) in enumerate(zip(ids, values), start=1)])
        assert written == 3
        later = conn.execute(insert(t).values(indicator_id=indicator, territory_id=territory, year=2026,
                                              period_kind="year", period_no=0, kind="fact", value=Decimal("2"))
                             .returning(t.c.id)).scalar()
    with empty_db.engine.connect() as conn:
        rows = {r.id: (r.period_no, r.value, r.comment, r.version) for r in conn.execute(
            select(IndicatorValue.id, IndicatorValue.period_no, IndicatorValue.value, IndicatorValue.comment,
                   IndicatorValue.version).where(IndicatorValue.year == 2025))}
    assert len(set(ids)) == 3 and later not in ids and later > max(ids)
    assert rows == {ids[0]: (1, Decimal("0.0855"), "месяц 1", 1), ids[1]: (2, Decimal("1.005"), "месяц 2", 1),
                    ids[2]: (3, Decimal("9999999999999999.99"), "месяц 3", 1)}


def test_constants_are_written_into_every_row(empty_db):  # noqa: ANN001
    """The entity and the time given once reach each of 25 001 rows (more than one executemany batch)."""
    at = dt.datetime(2026, 12, 1, 10, 15, 30)
    rows = [(n, f"00000000-0000-4000-8000-{n:012d}", 1, "") for n in range(1, 25_002)]
    with empty_db.engine.begin() as conn:
        assert insert_rows(conn, ExchangeRecord.__table__, ("local_id", "uuid", "version", "synced_hash"), rows,
                           constants={"entity": "ind_value", "synced_at": at}, batch=10_000) == 25_001
    with empty_db.engine.connect() as conn:
        found = conn.execute(select(ExchangeRecord.entity, ExchangeRecord.synced_at, func.count())
                             .group_by(ExchangeRecord.entity, ExchangeRecord.synced_at)).all()
        last = conn.execute(select(ExchangeRecord.uuid).where(ExchangeRecord.local_id == 25_001)).scalar()
    assert [tuple(r) for r in found] == [("ind_value", at, 25_001)]
    assert last == "00000000-0000-4000-8000-000000025001"


def test_a_column_with_a_python_default_must_be_given(empty_db):  # noqa: ANN001
    """Core fills Python-side defaults row by row, the driver does not: leaving one out is refused, not NULL."""
    with empty_db.engine.begin() as conn, pytest.raises(ValueError, match="synced_hash"):
        insert_rows(conn, ExchangeRecord.__table__, ("entity", "local_id", "uuid", "version"),
                    [("ind_value", 1, "00000000-0000-4000-8000-000000000001", 1)])
