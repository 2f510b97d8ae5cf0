"""The window on a shared server database: the password is asked for (libpq found none) and never saved;
the saved connection profile is the address without a password; PGPASSWORD works without asking."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from socplan.db.database import open_database
from socplan.db.postgres import PasswordRequired, register_login
from socplan.services.settings import Settings, load_settings, settings_file
from socplan.ui.app import Application

PASSWORD = "Секрет-2026"


@pytest.fixture
def server_db(pg_server, pg_empty_template):  # noqa: ANN001, ANN201
    name = "socplan_gui_server"
    with pg_server.admin() as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'secretary_pw'").fetchone():
            conn.execute('CREATE ROLE "secretary_pw" LOGIN')
    pg_server.require_password("secretary_pw", PASSWORD)
    pg_server.drop_database(name)
    pg_server.create_database(name, template=pg_empty_template)
    admin = open_database(pg_server.url(name))
    register_login(admin.engine, "secretary_pw", territory_id=None, user_name="Секретарёва Нина Львовна",
                   position="секретарь комиссии")
    admin.close()
    yield pg_server.url(name, user="secretary_pw")
    pg_server.drop_database(name)


def test_without_a_password_the_server_login_is_refused_in_russian(server_db, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    with pytest.raises(PasswordRequired, match="Пароль не подошёл или не задан"):
        open_database(server_db)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)  # the libpq way: no prompt, nothing stored
    db = open_database(server_db)
    assert db.label == server_db
    db.close()


def test_window_asks_for_the_password_and_saves_only_the_address(qtbot, server_db, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    asked: list[str] = []

    def answer(_parent, _title, label, _mode):  # noqa: ANN001, ANN202
        asked.append(label)
        return PASSWORD, True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    controller = Application(Settings())
    assert controller.open_path(server_db)  # as typed into «Настройки» or given as --db
    try:
        assert "Пароль (программа его не сохраняет)" in asked[0]
        assert controller.context().user.name == "Секретарёва Нина Львовна"  # the user follows the login
        window = controller.window
        qtbot.addWidget(window)
        assert server_db in window.windowTitle()
        saved = settings_file().read_text(encoding="utf-8")
        assert load_settings().db_path == server_db
        assert PASSWORD not in saved
    finally:
        controller.shutdown()
