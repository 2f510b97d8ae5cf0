"""Screenshots for «Руководство пользователя», made from the running application on the demo data.

    PYTHONPATH=src python docs/user-guide/make_screenshots.py            # pictures into docs/user-guide/img
    PYTHONPATH=src python -m socplan.reports.user_guide docs/user-guide resources/guide/rukovodstvo.pdf

The window is drawn offscreen at 1280×800 and saved at 900 px wide in 256 colours (small files).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
OUT = HERE / "img"
WIDTH = 900


def save(widget, name: str) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = widget.grab().toImage()
    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(OUT / f"{name}.png"))
    print(f"{name}.png", image.width(), "×", image.height())


def settle(app, seconds: float = 0.3) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from socplan.db.database import open_database
    from socplan.domain.indicators import Period
    from socplan.services.context import AppContext, User
    from socplan.services.demo import load_demo
    from socplan.services.notices import startup_notices
    from socplan.ui.fonts import register_fonts
    from socplan.ui.main_window import MainWindow
    from socplan.ui.notice_panel import show_notice_panel

    register_fonts(app)
    OUT.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="socplan-guide-"))
    db = open_database(tmp / "demo.sqlite", lock=False)
    load_demo(db)
    ctx = AppContext(db, User("Иванова Мария Петровна", "главный специалист"))
    window = MainWindow(ctx, qsettings=QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    show_notice_panel(window, startup_notices(ctx), window.qsettings)
    settle(app)
    save(window, "01-okno")
    from socplan.ui.notice_panel import NoticePanel

    for panel in window.findChildren(NoticePanel):
        panel.dismiss()
    settle(app)

    entry = window.show_section("indicators").entry
    entry.select("ГП", "Тарский муниципальный район", Period(2024))
    settle(app)
    save(window, "02-vvod")

    from PySide6.QtGui import QGuiApplication

    from socplan.ui.indicators.paste import PastePreviewDialog, plan_paste

    block = "№\tПоказатель / компонент\tЕд. изм.\tПлан\tФакт\tПричина отклонения\n" \
            "5 · E\tE – численность\tчел.\t9 000\t8 900\t\n5 · D\tD – численность\t\t\t\t\n" \
            "5 · D1\tD1 – численность\t\t1 200\t1 150\t\n5 · D2\tD2 – численность\t\t300\t320\t\n"
    QGuiApplication.clipboard().setText(block)
    entry.select("ГП", "Тарский муниципальный район", Period(2026))  # a draft form: values can be pasted
    preview = PastePreviewDialog(entry.model, plan_paste(entry.model, 0, 3, block), window)
    preview.show()
    settle(app)
    save(preview, "03-vstavka")
    preview.close()

    entry.select("ГП", "Омская область", Period(2024))
    window.runner.wait(60000)
    settle(app, 1.0)
    save(window, "04-svod")

    window.show_section("protocols")
    settle(app)
    save(window, "05-zasedaniya")

    window.show_section("subsidies")
    settle(app)
    save(window, "06-subsidii")

    exchange = window.show_section("exchange")
    settle(app)
    save(window, "07-obmen")
    from socplan.services.exchange import setup
    from socplan.signing.certificates import create_self_signed

    pfx = tmp / "tara.pfx"
    pfx.write_bytes(create_self_signed("Районов Иван Петрович", "начальник отдела", "Управление СЗН Тарского района"))
    (tmp / "tara.cer").write_bytes(setup.own_certificate_der(pfx, ""))
    setup.trust_certificate(ctx, "Тарский муниципальный район", tmp / "tara.cer")
    certificates = exchange.certificates()
    certificates.trusted.table.selectRow(0)
    settle(app)
    save(certificates, "08-sertifikaty")
    certificates.close()
    from socplan.ui.exchange.certificates_dialog import TrustPreviewDialog

    trust = TrustPreviewDialog(setup.inspect_certificate(tmp / "tara.cer"), ["Тарский муниципальный район"],
                               "Тарский муниципальный район", window)
    trust.show()
    settle(app)
    save(trust, "10-doverie")
    trust.close()

    window.show_section("reports")
    settle(app)
    save(window, "09-otchety")
    window.runner.wait(10000)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
