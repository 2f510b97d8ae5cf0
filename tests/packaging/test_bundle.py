"""Build the one-folder PyInstaller bundle from this checkout and run it like a user would.

The build is real (``packaging/build.py`` → PyInstaller, no UPX), about 30–50 s on 2 cores; it runs in the
default test command. No ``__init__.py`` in this folder: it would shadow the ``packaging`` distribution.
The bundle must stay within ``MAX_BUNDLE_BYTES`` (packaging/README.md «What is in and what is left out»).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""

pytestmark = pytest.mark.slow

MAX_BUNDLE_BYTES = 150_000_000  # issue 19: 262–291 MB before the Qt/ICU/system-library trimming


def _bundle_env(home: Path) -> dict[str, str]:
    """A clean environment for the frozen program: offscreen Qt, user folders in tmp, no Python overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", SOCPLAN_CONFIG_DIR=str(home / "config"),
               SOCPLAN_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "xdg"))
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--dist", str(out / "dist"), "--work", str(out / "work"), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=900)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, f"PyInstaller build failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    print(f"\nbundle built in {elapsed:.0f} s")
    folder = out / "dist" / "socplan"
    assert (folder / f"socplan{EXE_SUFFIX}").is_file()
    return folder


def _console_exe(bundle: Path) -> Path:
    return bundle / (f"socplan-cli{EXE_SUFFIX}" if os.name == "nt" else "socplan")


def _internal(bundle: Path) -> Path:
    """``sys._MEIPASS`` of a PyInstaller 6 one-folder bundle."""
    internal = bundle / "_internal"
    assert internal.is_dir(), sorted(p.name for p in bundle.iterdir())
    return internal


def disk_usage(folder: Path) -> int:
    """What ``du -sb`` prints: the apparent size of every file, symbolic link and folder below ``folder``."""
    return folder.lstat().st_size + sum(p.lstat().st_size for p in folder.rglob("*"))


def test_bundle_stays_within_the_size_budget(bundle: Path) -> None:
    size = disk_usage(bundle)
    print(f"\nbundle size {size / 1e6:.1f} MB")
    biggest = sorted((p.lstat().st_size, p.relative_to(bundle).as_posix()) for p in bundle.rglob("*") if p.is_file())
    assert size <= MAX_BUNDLE_BYTES, f"{size / 1e6:.1f} MB; the biggest files: {biggest[-15:]}"


def test_selftest_passes_in_the_frozen_bundle(bundle: Path, tmp_path: Path) -> None:
    """The self-test also opens the user guide in the PDF viewer, prints a page, draws a chart, sorts Russian."""
    result = subprocess.run([str(_console_exe(bundle)), "--selftest"], env=_bundle_env(tmp_path),
                            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Самопроверка пройдена" in result.stdout, result.stdout + result.stderr
    assert "просмотр и печать PDF, график и русская сортировка работают" in result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def test_frozen_bundle_writes_the_reports_a_user_asks_for(bundle: Path, tmp_path: Path) -> None:
    """Demo database, the indicator report as PDF and xlsx, a plan as PDF, a protocol draft as DOCX: the
    libraries behind them (reportlab, openpyxl, python-docx with its templates, the fonts) work frozen."""
    import openpyxl
    from docx import Document

    env, exe, db = _bundle_env(tmp_path), str(_console_exe(bundle)), str(tmp_path / "демо.sqlite")

    def run(*args: str) -> str:
        result = subprocess.run([exe, *args], env=env, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", timeout=180)
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr
        return result.stdout

    assert "Демонстрационная база создана" in run("demo", "--reset", "--db", db)
    run("--db", db, "indicators", "report", "--period", "2024", "-o", str(tmp_path / "показатели.pdf"),
        "--xlsx", str(tmp_path / "показатели.xlsx"))
    run("--db", db, "plans", "report", "--plan", "1", "--kind", "план", "--out", str(tmp_path / "план.pdf"))
    run("--db", db, "protocols", "print", "--meeting", "4", "--draft", "--out", str(tmp_path / "протокол.docx"))

    text = _pdf_text(tmp_path / "показатели.pdf")
    assert "Сведения о достижении значений показателей" in text and "Омская область, 2024 год" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "показатели.pdf")], capture_output=True,
                           check=True).stdout.decode().splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # Liberation, embedded
    assert "ПЛАН Министерства труда и социального развития Омской области" in _pdf_text(tmp_path / "план.pdf")
    sheet = openpyxl.load_workbook(tmp_path / "показатели.xlsx").active
    assert sheet["A1"].value == "Сведения о достижении значений показателей"
    protocol = Document(str(tmp_path / "протокол.docx"))
    assert any(p.text.startswith("ПРОТОКОЛ") for p in protocol.paragraphs)


INIT = ["db", "init", "--role", "министерство", "--org-full", "Министерство труда и социального развития Омской области",
        "--org-short", "Минтруд", "--user", "Иванова Мария Петровна", "--position", "главный специалист"]


def test_headless_commands_migrate_and_check_a_database(bundle: Path, tmp_path: Path) -> None:
    env = _bundle_env(tmp_path)
    db = tmp_path / "база.sqlite"
    exe = str(_console_exe(bundle))
    missing = subprocess.run([exe, "--db", str(db), "db", "upgrade"], env=env, capture_output=True, text=True,
                             encoding="utf-8", errors="replace", timeout=120)
    assert missing.returncode == 1 and "db init" in missing.stderr and "Traceback" not in missing.stderr
    assert not db.exists()  # never an implicit new database
    init = subprocess.run([exe, "--db", str(db), *INIT], env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120)
    assert init.returncode == 0 and "Рабочая база создана" in init.stdout, init.stdout + init.stderr
    upgrade = subprocess.run([exe, "--db", str(db), "db", "upgrade"], env=env, capture_output=True, text=True,
                             encoding="utf-8", errors="replace", timeout=120)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    assert db.is_file() and db.stat().st_size > 0
    check = subprocess.run([exe, "--db", str(db), "db", "check"], env=env, capture_output=True, text=True,
                           encoding="utf-8", errors="replace", timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_frozen_bundle_signs_and_verifies_a_pdf(bundle: Path, tmp_path: Path) -> None:
    """pyHanko, certvalidator, cryptography and the stamp font are loaded at run time only: prove they work."""
    from socplan.reports.selftest import write_selftest_pdf

    env = dict(_bundle_env(tmp_path), SOCPLAN_CERT_PASSWORD="пароль-проверки")
    exe, db = str(_console_exe(bundle)), str(tmp_path / "база.sqlite")
    document = write_selftest_pdf(tmp_path / "документ.pdf")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([exe, "--db", db, *args], env=env, capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=180)
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        return result

    run(*INIT)
    run("reports", "new-cert", "--name", "Иванов Иван Иванович", "--out", str(tmp_path / "подпись.pfx"))
    signed = tmp_path / "документ.подписан.pdf"
    run("sign", "--cert", str(tmp_path / "подпись.pfx"), "--no-timestamp", "--out", str(signed), str(document))
    assert signed.stat().st_size > document.stat().st_size
    verified = run("verify", str(signed))
    assert "Подпись действительна" in verified.stdout


def test_frozen_bundle_asks_the_timestamp_server_over_http(bundle: Path, tmp_path: Path) -> None:
    """The time-stamp request goes through aiohttp, whose C speed-ups are left out: its pure-Python HTTP code
    must send the RFC 3161 query and read the answer. A local server answers with a body that is no time-stamp
    response, so the signature falls back to PAdES B-B with a notice naming a parse error (ValueError) — not an
    ImportError/ModuleNotFoundError of a missing module."""
    import http.server
    import threading

    from socplan.reports.selftest import write_selftest_pdf

    queries: list[tuple[str, int]] = []

    class Tsa(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            queries.append((self.headers.get("Content-Type", ""), len(body)))
            reply = b"\x30\x03\x02\x01\x02"
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Tsa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = dict(_bundle_env(tmp_path), SOCPLAN_CERT_PASSWORD="пароль-проверки")
        (tmp_path / "config").mkdir(parents=True, exist_ok=True)
        (tmp_path / "config" / "settings.json").write_text(
            '{"extra": {"timestamp_url": "http://127.0.0.1:%d/tsa"}}' % server.server_port, encoding="utf-8")
        exe, db = str(_console_exe(bundle)), str(tmp_path / "база.sqlite")
        document = write_selftest_pdf(tmp_path / "документ.pdf")
        for args in (INIT, ["reports", "new-cert", "--name", "Иванов Иван Иванович", "--out", str(tmp_path / "п.pfx")]):
            done = subprocess.run([exe, "--db", db, *args], env=env, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=180)
            assert done.returncode == 0, done.stdout + done.stderr
        signed = subprocess.run([exe, "--db", db, "sign", "--cert", str(tmp_path / "п.pfx"), "--out",
                                 str(tmp_path / "подписан.pdf"), str(document)], env=env, capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=180)
    finally:
        server.shutdown()
    output = signed.stdout + signed.stderr
    assert signed.returncode == 0, output
    assert queries and queries[0][0] == "application/timestamp-query" and queries[0][1] > 40
    assert "недоступен (ValueError); документ подписан без метки времени" in output, output
    assert (tmp_path / "подписан.pdf").is_file()


def test_bundle_carries_every_resource_and_the_font_licence(bundle: Path) -> None:
    internal = _internal(bundle)
    source = ROOT / "resources"
    expected = {p.relative_to(source).as_posix() for p in source.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    shipped = {p.relative_to(internal / "resources").as_posix() for p in (internal / "resources").rglob("*")
               if p.is_file()}
    assert expected - shipped == set()
    licences = sorted((internal / "resources" / "fonts").glob("LICENSE*"))
    assert licences, "the fonts' licence file is missing from the bundle"
    assert all(p.stat().st_size > 1000 for p in licences)
    assert list((internal / "resources" / "fonts").glob("*.ttf"))


def test_bundle_carries_the_migrations_where_the_frozen_locator_looks(bundle: Path) -> None:
    migrations = _internal(bundle) / "socplan" / "db" / "migrations"
    source = ROOT / "src" / "socplan" / "db" / "migrations"
    assert (migrations / "env.py").is_file()
    expected = {p.name for p in (source / "versions").glob("*.py")}
    assert expected, "no migration scripts in the checkout"
    assert expected <= {p.name for p in (migrations / "versions").glob("*.py")}


def test_unused_qt_parts_are_left_out(bundle: Path) -> None:
    names = {p.name.lower() for p in _internal(bundle).rglob("*") if p.is_file()}
    for unwanted in ("webengine", "qt6quick", "qt6qml", "qt63d", "multimedia", "virtualkeyboard",
                     "qtopengl.", "qtopenglwidgets.", "qtnetwork.", "qtdbus.", "qopensslbackend", "qjpeg"):
        assert not [n for n in names if unwanted in n], unwanted
    pyphen = {p.name for p in (_internal(bundle) / "pyphen" / "dictionaries").iterdir()}
    assert pyphen == {"hyph_ru_RU.dic"}
    if sys.platform.startswith("linux"):
        # Desktop libraries come from the system (README «Linux prerequisites»), ICU data is ru/en/root only.
        top = {p.name for p in _internal(bundle).iterdir()}
        for system_lib in ("libcups.so.2", "libX11.so.6", "libglib-2.0.so.0", "libstdc++.so.6", "libgnutls.so.30",
                           "libgtk-3.so.0", "libcairo.so.2"):
            assert system_lib not in top, system_lib
        icu_data = _internal(bundle) / "PySide6" / "Qt" / "lib"
        assert [p.stat().st_size for p in icu_data.glob("libicudata.so.*")][0] < 8_000_000
    translations = [n for n in names if n.endswith(".qm")]
    assert translations and all(n.endswith(("_ru.qm", "_en.qm")) for n in translations)
    assert "qtbase_ru.qm" in translations  # Qt's own dialogs in Russian


def test_bundle_draws_the_svg_icons_and_carries_the_user_guide(bundle: Path) -> None:
    """The action icons are SVG: Qt's svg icon engine plugin and the Qt SVG library must be in the bundle;
    «Справка → Руководство пользователя» opens the committed PDF from the resources."""
    names = {p.name.lower() for p in _internal(bundle).rglob("*") if p.is_file()}
    assert [n for n in names if "qsvgicon" in n], "iconengines/qsvgicon is missing: icons would be blank"
    assert [n for n in names if n.startswith(("libqt6svg", "qt6svg"))], "the Qt SVG library is missing"
    internal = _internal(bundle)
    assert (internal / "resources" / "icons" / "save.svg").is_file()
    assert (internal / "resources" / "guide" / "rukovodstvo.pdf").stat().st_size > 50_000
