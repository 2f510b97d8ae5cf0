"""Shared fixtures. Qt is switched offscreen before any QApplication exists; user folders go to tmp.

Integration tests build an empty migrated database (and a demo one) once per session and copy the file
for each test (Anki's way): migrations and demo loading run once.

The database fixtures (``empty_db``, ``demo_db``, ``ctx``, ``demo_ctx`` and everything built on them) are
parametrised by back-end: ``[sqlite]`` and, when a PostgreSQL server can be had, ``[pg]``. The server is
a throw-away cluster started once per session (``tests/postgres/pg_cluster.py``: initdb into a temporary
folder when the ``postgresql`` package's binaries are installed) or the server named by
``SOCPLAN_TEST_PG_URL`` (a superuser address). Its empty and demo databases are migrated once and cloned
per test with ``CREATE DATABASE … TEMPLATE …``. Tests about SQLite files by nature carry
``@pytest.mark.sqlite_only(reason=...)`` and run on SQLite only.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from typing import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent / "postgres"))  # importlib mode: the cluster helper

import pg_cluster  # noqa: E402

BACKENDS = ["sqlite", "pg"] if pg_cluster.available() else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("db_backend", ["sqlite"] if only_sqlite else BACKENDS)


@pytest.fixture
def db_backend() -> str:  # replaced by the parametrisation above
    return "sqlite"


@pytest.fixture(scope="session")
def pg_server():  # noqa: ANN201
    """The throw-away PostgreSQL cluster of this test session (or the server of ``SOCPLAN_TEST_PG_URL``)."""
    cluster = pg_cluster.Cluster().start()
    yield cluster
    cluster.stop()


_pg_names = itertools.count(1)


def _pg_template(pg_server, name: str, demo: bool) -> str:  # noqa: ANN001
    from socplan.db.database import open_database

    pg_server.drop_database(name)
    pg_server.create_database(name)
    db = open_database(pg_server.url(name))
    if demo:
        from socplan.services.demo import load_demo

        load_demo(db)
    db.close()  # no connection may stay open to a template
    return name


@pytest.fixture(scope="session")
def pg_empty_template(pg_server) -> str:  # noqa: ANN001
    return _pg_template(pg_server, "socplan_tpl_empty", demo=False)


@pytest.fixture(scope="session")
def pg_demo_template(pg_server) -> str:  # noqa: ANN001
    return _pg_template(pg_server, "socplan_tpl_demo", demo=True)


def _pg_clone_open(request: pytest.FixtureRequest, template_fixture: str):  # noqa: ANN202
    from socplan.db.database import open_database

    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue(template_fixture)
    name = f"socplan_t{os.getpid()}_{next(_pg_names)}"
    server.create_database(name, template=template)
    request.addfinalizer(lambda: server.drop_database(name))
    return open_database(server.url(name))


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


#: errors of background tasks during the test run (see ``_background_errors_never_block``)
BACKGROUND_ERRORS: list[BaseException] = []


@pytest.fixture(autouse=True, scope="session")
def _background_errors_never_block() -> Iterator[None]:
    """A background task that fails after its test has ended (its database already closed by the fixture) would
    open a modal message box that nobody closes: the worker hangs, and pytest-timeout cannot interrupt a Qt
    modal loop. Such errors are recorded instead, for the whole session (pytest-qt processes the last events
    after a test's own patches are undone). A test that checks an error message patches ``show_error`` itself."""
    from socplan.ui import tasks

    original = tasks.show_error
    tasks.show_error = lambda _parent, exc, _tb="": BACKGROUND_ERRORS.append(exc)
    yield
    tasks.show_error = original


@pytest.fixture(autouse=True)
def _no_page_mark_left_over():  # noqa: ANN202
    """The demo mark of printed pages follows the database a test uses, never the previous test's (reset after
    each test too: a module-scoped fixture of the next module is built before this fixture runs again)."""
    from socplan.reports.marks import page_mark

    page_mark.set("")
    yield
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
def empty_db(db_backend: str, request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    if db_backend == "pg":
        db = _pg_clone_open(request, "pg_empty_template")
    else:
        db = _copy_open(request.getfixturevalue("empty_db_template"), tmp_path / "test.sqlite")
    yield db
    db.close()


@pytest.fixture
def demo_db(db_backend: str, request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    if db_backend == "pg":
        db = _pg_clone_open(request, "pg_demo_template")
    else:
        db = _copy_open(request.getfixturevalue("demo_db_template"), tmp_path / "demo.sqlite")
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
