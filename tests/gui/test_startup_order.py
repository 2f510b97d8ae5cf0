"""Heavy start-up work (overdue notices, today's backup) begins after the window's first paint, not before."""

from PySide6.QtCore import QSettings

from socplan.services.settings import Settings
from socplan.ui.app import Application


def test_notices_and_backup_start_after_the_first_paint(qapp, qtbot, tmp_path, demo_db_template, monkeypatch):
    db_path = tmp_path / "work.sqlite"
    db_path.write_bytes(demo_db_template.read_bytes())
    app = Application(Settings(db_path=str(db_path)), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert app.open_initial()
    started = []
    monkeypatch.setattr(app, "_daily_backup", lambda: started.append("backup"))
    try:
        window = app.show_window()
        assert started == [] and window.notices_label.text() == ""  # nothing before the event loop paints it
        qtbot.waitUntil(lambda: started == ["backup"], timeout=5000)
        qtbot.waitUntil(lambda: window.notices_label.text() != "", timeout=10000)
        assert app._timer.isActive()
    finally:
        app.window.close()
        app.shutdown()
