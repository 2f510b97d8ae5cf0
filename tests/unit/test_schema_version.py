"""The start-up schema check reads the migration scripts as Alembic does, and opens a current database
without importing Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from socplan.db import migrate, schema_version

SRC = Path(__file__).resolve().parents[2] / "src"


def test_revisions_and_heads_read_as_text_equal_alembic_s() -> None:
    assert schema_version.known() == migrate.known_revisions()
    assert schema_version.heads() == migrate.script_heads()
    assert "0001" in schema_version.known() and "0001" not in schema_version.heads()


def test_new_database_is_migrated_and_a_current_one_opens_without_alembic(tmp_path) -> None:  # noqa: ANN001
    probe = ("import sys; from pathlib import Path; from socplan.db.database import open_database; "
             "db = open_database(Path(sys.argv[1]), lock=False, create=True); print(sorted(db.revisions())); db.close(); "
             "print('alembic' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    path = tmp_path / "new.sqlite"
    first = subprocess.run([sys.executable, "-c", probe, str(path)], env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert first == [str(sorted(migrate.script_heads())), "True"]  # created: upgraded with Alembic
    again = subprocess.run([sys.executable, "-c", probe, str(path)], env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert again == [str(sorted(migrate.script_heads())), "False"]  # current: one query, no Alembic
