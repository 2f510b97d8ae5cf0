"""Headless exchange: setup, trust, export, import preview / --accept-all, journal; errors in Russian, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from exchange_helpers import DISTRICT, MINISTRY, add_form, open_office

from socplan.app import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_round_trip(demo_db_template, tmp_path, capsys):  # noqa: ANN001
    from socplan.signing.certificates import create_self_signed

    district, ministry = tmp_path / "district.sqlite", tmp_path / "ministry.sqlite"
    shutil.copyfile(demo_db_template, district)
    shutil.copyfile(demo_db_template, ministry)
    office = open_office(demo_db_template, district)
    add_form(office)
    office.db.close()
    office = open_office(demo_db_template, ministry)
    add_form(office, fact=False)  # the Ministry's catalogue has the form
    office.db.close()
    pfx = tmp_path / "district.pfx"
    pfx.write_bytes(create_self_signed("Районов Иван Петрович", "специалист", "Управление", password="секрет"))
    password = tmp_path / "password.txt"
    password.write_text("секрет\n", encoding="utf-8")

    assert _run(capsys, "--db", str(district), "exchange", "setup", "--role", "district", "--territory", DISTRICT)[0] == 0
    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "setup", "--role", "ministry",
                        "--territory", MINISTRY, "--organisation", "Минтруд", "--json")
    assert code == 0 and json.loads(out)["role_label"] == "Министерство"
    cer = tmp_path / "district.cer"
    assert _run(capsys, "exchange", "certificate", "--pfx", str(pfx), "--out", str(cer),
                "--password-file", str(password))[0] == 0
    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "trust", "--territory", DISTRICT, str(cer))
    assert code == 0 and "Районов" in out

    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    code, out, err = _run(capsys, "--db", str(district), "exchange", "export", "--to", MINISTRY, "--year", "2025",
                          "--pfx", str(pfx), "--password-file", str(password), "--out", str(out_dir), "--json")
    assert code == 0, err
    exported = json.loads(out)
    package = Path(exported["file"])
    assert package.suffix == ".spkg" and exported["counts"]["indicator_value"] == 12

    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "import", str(package), "--json")
    preview = json.loads(out)
    assert code == 0 and preview["result"] is None and preview["counts"]["new"] == 6
    assert preview["sender"] == DISTRICT and "Районов" in preview["signer"]

    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "import", str(package), "--accept-all")
    assert code == 0 and "Принято записей: 6" in out
    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "import", str(package), "--accept-all")
    assert "уже загружен" in out

    code, out, _ = _run(capsys, "--db", str(ministry), "exchange", "journal", "--json")
    journal = json.loads(out)
    assert code == 0 and len(journal) == 1 and journal[0]["result"] == "applied"
    assert journal[0]["sha256"] == exported["sha256"]

    broken = tmp_path / "broken.spkg"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    code, _, err = _run(capsys, "--db", str(ministry), "exchange", "import", str(broken), "--accept-all")
    assert code == 1 and err.startswith("Ошибка: ") and ("отклонён" in err or "повреждён" in err)
