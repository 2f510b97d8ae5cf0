"""Inserting many rows of one table at once through the driver's executemany (bulk imports: exchange packages).

Core's ``connection.execute(insert(table), list_of_dicts)`` works through every parameter set in Python — each
row's dict looked up column by column, the statement's defaults and every type's bind processor applied row by
row — which is about half of a bulk insert's time on SQLite (``benchmarks/bench_exchange.py``). Here the statement
is compiled once for the connection's dialect, only the columns whose type has a bind processor (``ExactDecimal``'s
canonical text, SQLite's date text) are converted, and the driver gets plain tuples (dicts for a named paramstyle):
the same SQL, in the same transaction, under the same constraints.

Rows may name their ids (``reserve_ids``): then nothing needs to be read back to learn which row got which id.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import Column, Connection, Table, insert, literal, literal_column

from socplan.db.backend import backend_for

BATCH_ROWS = 10_000  # rows per executemany: the driver's copies of the parameters stay small


def reserve_ids(conn: Connection, table: Table, count: int) -> Sequence[int]:
    """``count`` new primary keys of ``table`` for rows this transaction inserts with explicit ids."""
    return backend_for(conn).reserve_ids(conn, table, count) if count else ()


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                constants: Mapping[str, Any] | None = None, batch: int = BATCH_ROWS) -> int:
    """Insert ``rows`` (tuples of the ``columns``' values, in that order); ``constants``: columns with the same value
    in every row, written into the statement once as SQL literals of the column's type. Returns the row count.

    Every column with a Python-side default must be given (the defaults are the caller's: Core would fill them row
    by row, the driver does not); a column left out gets its server default or NULL.
    """
    dialect = conn.dialect
    constants = dict(constants or {})
    stmt = insert(table)
    if constants:
        stmt = stmt.values({name: _literal(conn, table.c[name], value) for name, value in constants.items()})
    compiled = stmt.compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
    unknown = set(names) - set(columns)
    if unknown:  # a Python-side default the caller did not give: it would be missing from every row
        raise ValueError(f"{table.name}: не заданы столбцы {sorted(unknown)}")
    order = [columns.index(name) for name in names]
    pick = None if order == list(range(len(columns))) else itemgetter(*order) if len(order) > 1 else \
        (lambda row, i=order[0]: (row[i],))
    processors = [(i, p) for i, name in enumerate(names)
                  if (p := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    count = 0
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row if pick is None else pick(row))
        if len(chunk) >= batch:
            count += _execute(conn, compiled, names, processors, chunk)
            chunk = []
    if chunk:
        count += _execute(conn, compiled, names, processors, chunk)
    return count


def _execute(conn: Connection, compiled: Any, names: list[str], processors: list[tuple[int, Any]],
             chunk: list[Sequence[Any]]) -> int:
    if processors:  # column by column: the unconverted columns are passed through as they are
        columns = list(zip(*chunk))
        for i, process in processors:
            columns[i] = map(process, columns[i])
        chunk = list(zip(*columns))
    if not compiled.positional:
        chunk = [dict(zip(names, row)) for row in chunk]
    conn.exec_driver_sql(compiled.string, chunk)
    return len(chunk)


def _literal(conn: Connection, column: Column, value: Any) -> Any:
    """``value`` as an SQL literal of ``column``'s type, rendered by the database's dialect (quoting, date format)."""
    text = literal(value, column.type).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return literal_column(str(text), column.type)
