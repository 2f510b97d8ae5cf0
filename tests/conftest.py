"""Shared fixtures. Qt is switched offscreen before any QApplication exists; user folders go to tmp.

Integration tests build an empty migrated database (and a demo one) once per session and copy the file
for each test (Anki's way): migrations and demo loading run once.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


#: The source documents the tests compare against, carried inside the repository.
SEEDS_DIR = Path(__file__).resolve().parent / "data" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the real home folder: HOME, the XDG folders and our own overrides go to tmp."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("HOME", str(base / "home"))
    monkeypatch.setenv("USERPROFILE", str(base / "home"))
    for name, sub in (("XDG_CONFIG_HOME", "xdg-config"), ("XDG_DATA_HOME", "xdg-data"),
                      ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_STATE_HOME", "xdg-state"),
                      ("XDG_RUNTIME_DIR", "xdg-runtime")):
        (base / sub).mkdir(mode=0o700)
        monkeypatch.setenv(name, str(base / sub))
    (base / "home").mkdir()
    monkeypatch.setenv("SOCPLAN_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("SOCPLAN_DATA_DIR", str(base / "data"))


@pytest.fixture(autouse=True)
def _no_page_mark_left_over() -> None:
    """The demo mark of printed pages follows the database a test uses, never the previous test's."""
    from socplan.reports.marks import page_mark

    page_mark.set("")


@pytest.fixture(scope="session")
def empty_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from socplan.db.database import open_database

    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    db = open_database(path, create=True, lock=False)
    db.engine.dispose()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from socplan.db.database import open_database
    from socplan.services.demo import load_demo

    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    db = open_database(path, create=True, lock=False)
    load_demo(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _copy_open(template: Path, target: Path):  # noqa: ANN202
    from socplan.db.database import open_database

    shutil.copyfile(template, target)
    return open_database(target)


@pytest.fixture
def empty_db(empty_db_template: Path, tmp_path: Path):  # noqa: ANN201
    db = _copy_open(empty_db_template, tmp_path / "test.sqlite")
    yield db
    db.close()


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path):  # noqa: ANN201
    db = _copy_open(demo_db_template, tmp_path / "demo.sqlite")
    yield db
    db.close()


@pytest.fixture
def ctx(empty_db):  # noqa: ANN001, ANN201
    from socplan.services.context import AppContext, User

    return AppContext(empty_db, User("Тестов Тест Тестович", "главный специалист"))


@pytest.fixture
def demo_ctx(demo_db):  # noqa: ANN001, ANN201
    from socplan.services.context import AppContext, User

    return AppContext(demo_db, User("Тестов Тест Тестович", "главный специалист"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The source documents (tests/data/seeds, copied from the product's source material)."""
    return SEEDS_DIR
