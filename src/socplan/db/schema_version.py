"""The schema check at every start, without Alembic: the stored revisions (one query) against the revisions of
the migration scripts, read as text. Alembic itself (≈ 0,4 s to import) is loaded only when an upgrade is due
(:mod:`socplan.db.migrate`); ``tests/unit/test_schema_version.py`` keeps this reading equal to Alembic's."""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from socplan.resources import migrations_dir

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


@cache
def _scripts() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads) of the migration scripts shipped with this version."""
    known: set[str] = set()
    parents: set[str] = set()
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        found = {name: _QUOTED.findall(value) for name, value in _ASSIGNMENT.findall(script.read_text(encoding="utf-8"))}
        if found.get("revision"):
            known.add(found["revision"][0])
            parents.update(found.get("down_revision", ()))
    return frozenset(known), frozenset(known - parents)


def known() -> set[str]:
    return set(_scripts()[0])


def heads() -> set[str]:
    return set(_scripts()[1])


def stored(engine: Engine) -> set[str]:
    """The revisions recorded in the database (empty for a new file)."""
    with engine.connect() as conn:
        try:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        except DBAPIError:  # no table yet: a new database
            return set()


def needs_upgrade(engine: Engine) -> bool:
    return stored(engine) != heads()
